"""A damaged index is refused with the repair command, repaired by rebuild, and served again without a restart.

Each kind of file a generation serves is damaged under a real server (gunicorn, as `make run`
starts it): every page answers 503 naming the repair command, never a 500 or a wrong count;
`rebuild --if-stale` (what `make run` runs) repairs it, and the same server answers right again.
"""
import json
import os
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bench.server import Server
from indexer.index.buildinfo import BUILD_INFO
from indexer.index.format import REBUILD_COMMAND
from indexer.index.generations import current_folder, publish

from conftest import SEED_FILES, run_module

pytestmark = pytest.mark.integration

PHRASE = "%22%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C%22"  # "枫桥经验": 3 paragraphs of the seeds
REPORT_ID = SEED_FILES[0].stem
PAGES = (f"/api/search?q={PHRASE}", f"/search?q={PHRASE}", "/corpus", f"/report/{REPORT_ID}",
         f"/export.json?q={PHRASE}")


def largest(folder, pattern):
    """Return the largest file of a generation matching a glob pattern."""
    return max(Path(folder).glob(pattern), key=lambda path: path.stat().st_size)


def truncate(path, size):
    """Cut a file short in place, as a full disk or a crash would."""
    os.truncate(path, size)


def overwrite(path, data, at=None):
    """Overwrite bytes in the middle of a file in place, its size unchanged."""
    with open(path, "r+b") as handle:
        handle.seek(path.stat().st_size // 2 if at is None else at)
        handle.write(data)


# Each kind of file a generation serves, and a way to damage it.
DAMAGE = {
    "whoosh segment cut short": lambda gen: truncate(largest(gen, "*.seg"), largest(gen, "*.seg").stat().st_size // 2),
    "whoosh table of contents cut short": lambda gen: truncate(largest(gen, "_MAIN_*.toc"), 10),
    "arrays data cut short": lambda gen: truncate(largest(gen, "arrays/*/data.bin"), 100),
    "arrays data overwritten": lambda gen: overwrite(largest(gen, "arrays/*/data.bin"), b"DAMAGED!" * 8),
    "arrays layout overwritten": lambda gen: overwrite(largest(gen, "arrays/*/layout.json"), b"}{", at=0),
    "sketches cut short": lambda gen: truncate(largest(gen, "sketches/*/data.bin"), 100),
    "reuse data overwritten": lambda gen: overwrite(gen / "reuse" / "data.bin", b"DAMAGED!"),
    "build.json a list": lambda gen: (gen / BUILD_INFO).write_text("[1, 2]", encoding="utf-8"),
    "build.json with a number for a date": lambda gen: (gen / BUILD_INFO).write_text(
        json.dumps(dict(json.loads((gen / BUILD_INFO).read_text(encoding="utf-8")), built_at=5)), encoding="utf-8"),
}


def get(base, path):
    """GET a path; return (status, body text)."""
    try:
        with urllib.request.urlopen(base + path, timeout=30) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def assert_serves_right(base):
    """Every page answers 200, and the phrase is found in its 3 paragraphs, twice over (both workers may answer)."""
    for _ in range(2):
        for path in PAGES:
            status, body = get(base, path)
            assert status == 200, (path, status, body[:300])
        assert json.loads(get(base, PAGES[0])[1])["total"] == 3


def assert_refused_with_the_repair_command(base, words):
    """Every page answers 503 naming what is wrong and the repair command, never a 500 or a count."""
    for _ in range(2):
        for path in PAGES:
            status, body = get(base, path)
            assert status == 503, (path, status, body[:300])
            assert REBUILD_COMMAND in body and words in body, (path, body[:500])
            assert '"total"' not in body


def rebuild_if_stale(corpus, index, *extra):
    """Run `python -m indexer rebuild --if-stale` as `make run` does; return the finished process."""
    done = run_module("indexer", "rebuild", "--if-stale", "--corpus", str(corpus), "--index", str(index), *extra)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """A corpus, its index and a gunicorn server over it, for the whole module: (base URL, corpus, index)."""
    root = tmp_path_factory.mktemp("damage")
    corpus, index = root / "corpus", root / "index"
    (corpus / "raw").mkdir(parents=True)
    for path in SEED_FILES:
        shutil.copy(path, corpus / "raw" / path.name)
    rebuild_if_stale(corpus, index)
    with Server(index, corpus, root / "server.log") as server:
        server.first_answer(PAGES[0])
        yield server.base, corpus, index


@pytest.mark.parametrize("kind", sorted(DAMAGE))
def test_damage_while_serving_is_refused_then_repaired_without_a_restart(served, kind):
    base, corpus, index = served
    assert_serves_right(base)
    DAMAGE[kind](current_folder(index))
    assert_refused_with_the_repair_command(base, "damaged")
    checked = run_module("indexer", "check", "--index", str(index))
    assert checked.returncode == 1 and str(current_folder(index)) in checked.stdout
    rebuilt = rebuild_if_stale(corpus, index)
    assert "up to date" not in rebuilt.stdout and "indexed 5 reports, 179 paragraphs" in rebuilt.stdout
    assert_serves_right(base)
    assert run_module("indexer", "check", "--index", str(index)).returncode == 0


def test_a_generation_of_the_previous_format_is_refused_and_replaced(served):
    base, corpus, index = served
    assert_serves_right(base)
    # What a rebuild by the previous code published: its build.json recorded neither a
    # format version nor the files, and its arrays were an .npy file each.
    previous = index / "gen-previous"
    shutil.copytree(current_folder(index), previous)
    recorded = json.loads((previous / BUILD_INFO).read_text(encoding="utf-8"))
    (previous / BUILD_INFO).write_text(json.dumps({key: recorded[key] for key in (
        "built_at", "corpus", "reports", "paragraphs", "code")}), encoding="utf-8")
    shutil.rmtree(previous / "arrays")
    publish(index, previous)
    assert_refused_with_the_repair_command(base, "older format")
    rebuilt = rebuild_if_stale(corpus, index)
    assert "full build" in rebuilt.stdout and "older format" in rebuilt.stderr
    assert current_folder(index) != previous and not previous.exists()
    assert_serves_right(base)


def test_a_damaged_clean_report_is_cleaned_again_and_never_reaches_the_index(served):
    base, corpus, index = served
    clean = corpus / "clean" / f"{REPORT_ID}.json"
    truncate(clean, 50)
    # The index holds its reports whole: a damaged clean file changes nothing served.
    assert_serves_right(base)
    rebuilt = run_module("indexer", "rebuild", "--full", "--corpus", str(corpus), "--index", str(index))
    assert rebuilt.returncode == 0 and "indexed 5 reports, 179 paragraphs" in rebuilt.stdout, rebuilt.stderr
    assert json.loads(clean.read_text(encoding="utf-8"))["report_id"] == REPORT_ID
    assert_serves_right(base)
    assert REPORT_ID in get(base, f"/report/{REPORT_ID}")[1]
