"""A full disk during a rebuild (issue 23, item 13): one line naming the index folder, exit 1, the live
generation kept and serving.

The disk is a small tmpfs mounted in a mount namespace of the test's own (`unshare`, Linux), filled
after the first rebuild so that the next one runs out of room while writing its generation.
"""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import PROJECT

pytestmark = pytest.mark.integration

# Run inside the namespace, the tmpfs at argv[1]: a rebuild, the disk filled, a full rebuild, a search.
DRIVER = r"""
import json, os, subprocess, sys
disk, corpus = sys.argv[1], sys.argv[2]
index = os.path.join(disk, "index")

def run(*args):
    done = subprocess.run([sys.executable, "-m", *args], capture_output=True, text=True, timeout=300)
    return {"code": done.returncode, "stdout": done.stdout, "stderr": done.stderr}

first = run("indexer", "rebuild", "--corpus", corpus, "--index", index)
live = os.readlink(os.path.join(index, "current"))
room = os.statvfs(disk)
with open(os.path.join(disk, "filler"), "wb") as filler:
    filler.write(b"\0" * max(room.f_bavail * room.f_frsize - 300_000, 0))
second = run("indexer", "rebuild", "--full", "--corpus", corpus, "--index", index)
print(json.dumps({"first": first, "second": second, "live": live,
                  "after": os.readlink(os.path.join(index, "current")),
                  "generations": sorted(name for name in os.listdir(index) if name.startswith("gen-")),
                  "search": run("search", '"枫桥经验"', "--index", index, "--json")}))
"""


def test_a_full_disk_is_one_line_naming_the_index_folder_and_the_live_generation_stays(corpus, tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    # Eight times the seed index's size: room for one generation, then filled.
    script = f"mount -t tmpfs -o size=8m tmpfs {disk} && exec {sys.executable} -c \"$0\" {disk} {corpus}"
    assert shutil.which("unshare"), "util-linux's unshare is needed to make a small disk"
    done = subprocess.run(["unshare", "--map-root-user", "--mount", "sh", "-c", script, DRIVER], cwd=PROJECT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["first"]["code"] == 0, result["first"]["stderr"]
    second = result["second"]
    assert second["code"] == 1 and second["stdout"] == ""
    assert second["stderr"].splitlines() == [f"rebuild: cannot write to the index folder {disk / 'index'}:"
                                             " No space left on device"], second["stderr"]
    # The previous generation stays live, alone (the failed one is removed), and answers.
    assert result["after"] == result["live"] and result["generations"] == [result["live"]]
    assert result["search"]["code"] == 0 and json.loads(result["search"]["stdout"])["total"] == 3
