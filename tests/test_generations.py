"""Index generations: incremental updates, atomic switches, a rebuild lock, kill -9 safety."""
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.index.build import build_info, rebuild
from indexer.index.generations import CURRENT, GENERATION_PREFIX, LOCK_FILE, current_folder
from search import SearchEngine

from conftest import PROJECT, SEED_FILES, quiet, wait_until

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration


def edit(corpus, seed, old, new):
    """Replace text in one raw page of the corpus."""
    page = corpus / "raw" / seed.name
    page.write_text(page.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_changed_report_is_updated_and_seen_by_a_running_engine(corpus, tmp_path):
    index = tmp_path / "index"
    assert rebuild(corpus, index, quiet).mode == "full build"
    engine = SearchEngine(index)
    assert engine.search('"城关镇为民办实事"')["total"] == 1
    edit(corpus, SEED_FILES[4], "城关镇为民办实事", "城关镇为民办好事")
    summary = rebuild(corpus, index, quiet)
    assert summary.mode == "updated 1, removed 0" and summary.reports == 5
    # The same engine, as a running server holds it, sees the new generation.
    assert engine.search('"城关镇为民办实事"')["total"] == 0
    assert engine.search('"城关镇为民办好事"')["total"] == 1
    assert engine.search('"枫桥经验"')["total"] == 3
    assert "为民办好事" in " ".join(p.text for p in engine.report(SEED_FILES[4].stem).paragraphs)


def test_nothing_changed_keeps_the_live_generation(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    live = current_folder(index)
    summary = rebuild(corpus, index, quiet)
    assert summary.mode == "nothing changed" and current_folder(index) == live


def test_removed_report_leaves_the_index(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    (corpus / "raw" / SEED_FILES[0].name).unlink()
    assert rebuild(corpus, index, quiet).mode == "updated 0, removed 1"
    engine = SearchEngine(index)
    assert engine.search('"枫桥经验"')["total"] == 2
    assert engine.report(SEED_FILES[0].stem) is None
    assert build_info(index)["reports"] == 4


def test_full_rebuild_and_old_generations_pruned(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    edit(corpus, SEED_FILES[2], "罗店镇", "罗店镇")
    assert rebuild(corpus, index, quiet, full=True).mode == "full build"
    assert [p.name for p in index.glob(GENERATION_PREFIX + "*")] == [current_folder(index).name]
    assert SearchEngine(index).search('"枫桥经验"')["total"] == 3


def start_rebuild(corpus, index):
    """Start `python -m indexer rebuild --full` as a separate process."""
    return subprocess.Popen([sys.executable, "-m", "indexer", "rebuild", "--full", "--corpus", str(corpus),
                             "--index", str(index)], cwd=PROJECT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def test_kill_9_at_any_moment_leaves_the_live_index_serving(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    engine = SearchEngine(index)
    # Kill rebuilds at growing delays: during start-up, cleaning, indexing and switching.
    for delay in (0.3, 0.8, 1.3, 1.8, 2.4):
        process = start_rebuild(corpus, index)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
        assert engine.search('"枫桥经验"')["total"] == 3
        assert SearchEngine(index).search('"枫桥经验"')["total"] == 3
    summary = rebuild(corpus, index, quiet)
    assert summary.reports == 5
    assert len(list(index.glob(GENERATION_PREFIX + "*"))) == 1
    assert (index / CURRENT).is_symlink()


def holds_rebuild_lock(process, index):
    """Tell whether a process holds the rebuild lock of an index, as /proc/locks says (trying the lock would take it)."""
    try:
        inode = (index / LOCK_FILE).stat().st_ino
    except FileNotFoundError:
        return False
    for line in Path("/proc/locks").read_text(encoding="ascii").splitlines():
        # "1: FLOCK ADVISORY WRITE <pid> <major>:<minor>:<inode> 0 EOF" (a waiter's has "->" after "1:")
        fields = line.split()
        if fields[1] == "FLOCK" and fields[4] == str(process.pid) and fields[5].endswith(f":{inode}"):
            return True
    return False


def test_second_rebuild_waits_for_the_first(corpus, tmp_path):
    index = tmp_path / "index"
    first, second = start_rebuild(corpus, index), None
    try:
        # However slowly the first starts on a busy machine, the second starts once it holds the lock.
        wait_until(lambda: holds_rebuild_lock(first, index), "the first rebuild never took the lock")
        second = start_rebuild(corpus, index)
        out_first, _ = first.communicate(timeout=120)
        out_second, err_second = second.communicate(timeout=120)
    finally:
        for process in (first, second):
            if process and process.poll() is None:
                process.kill()
    assert first.returncode == 0 and second.returncode == 0
    assert "indexed 5 reports" in out_first and "indexed 5 reports" in out_second
    assert "another rebuild" in err_second
    assert SearchEngine(index).search('"枫桥经验"')["total"] == 3


def test_searches_during_a_rebuild_all_succeed(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    engine = SearchEngine(index)
    process = start_rebuild(corpus, index)
    answers = []
    deadline = time.monotonic() + 60
    while process.poll() is None and time.monotonic() < deadline:
        answers.append(engine.search('"枫桥经验"')["total"])
    process.communicate(timeout=60)
    answers.append(engine.search('"枫桥经验"')["total"])
    assert answers and set(answers) == {3}
