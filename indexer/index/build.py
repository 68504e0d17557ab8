"""Build the Whoosh index from a corpus folder: in full, or by updating the changed reports.

Every rebuild first checks the live generation against its record (indexer/index/buildinfo.py):
damaged arrays are derived again from its Whoosh index, damaged reuse data computed again, and
a damaged Whoosh index, record or manifest, or one of another index format, is built again in
full. Every generation ends with the reuse stage (indexer/reuse/stage.py): near-identical
paragraphs across reports, compared only for what changed.
"""
import gc
import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.clean.cache import CleanEntry, clean_corpus, cleaner_fingerprint, entry_for
from model.jsonfile import read_json, write_json
from model.text import keep_prepared
from indexer.paths import clean_dir, raw_files

from .buildinfo import (ARRAYS, BUILD_INFO, DERIVED, MANIFEST, REUSE, build_info, read_build_info, verify,
                        write_build_info as write_record)
from .format import FOLDER as ARRAYS_FOLDER, REUSE_FOLDER, IndexUnusable
from .generations import current_folder, link_copy, new_folder, prune, publish, rebuild_lock, writing
from .schema import paragraph_schema
from .store import documents
# Processes indexing a full build (indexer/index/writers.py): Whoosh's posting writing, the
# arrays and the sketches are pure Python or numpy in one thread, so each core indexes its
# share of the reports.
BUILD_PROCESSES = min(2, os.cpu_count() or 1)
# Allocations between two runs of the cycle collector in a full build (Python's default: 700).
GC_THRESHOLD = 100_000
# How often a writer process checks that the rebuild that started it is still alive.
ORPHAN_POLL_S = 0.5


@dataclass
class BuildSummary:
    """What a rebuild did: counts, time and the files it skipped with reasons."""

    reports: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    skipped: list = field(default_factory=list)
    cleaning: str = ""
    mode: str = "full build"
    reuse: object = None  # the reuse stage's ReuseSummary (indexer/reuse/stage.py), None when it did not run

    def line(self):
        """Return the one-line summary printed after a rebuild."""
        reuse = f"; {self.reuse.line()}" if self.reuse else ""
        return (f"indexed {self.reports} reports, {self.paragraphs} paragraphs in {self.seconds:.1f} s"
                f" ({self.mode}; {self.cleaning}{reuse})")


@dataclass
class Live:
    """The live generation an update starts from: its folder, record, manifest and damaged derived folders."""

    folder: Path
    info: object
    manifest: dict
    damaged: set  # relative folders of damaged arrays, sketches or reuse data (Problem.folder())

    def verified(self):
        """Return (folder, record) of the live generation, whose digests were just checked."""
        return self.folder, self.info


def add_report(writer, report, words=None):
    """Add one document per paragraph of a report to a Whoosh writer, the report's metadata on the first.

    words: each paragraph's words when the cleaner segmented them (store.documents()).
    """
    for document in documents(report, words):
        writer.add_document(**document)


def index_entry(add, entry, lost):
    """Index one clean report with add(report, words), or add it to lost when its clean file became unreadable
    since it was cleaned."""
    report = entry.report()
    if report is None:
        lost.append(entry)
        return
    add(report, entry.words)
    entry.release()


def leave_out_lost(cleaning, lost, warn):
    """Take the reports whose clean file became unreadable out of a cleaning run, each skipped with one line.

    Left out of the manifest too, they are cleaned again and indexed by the next rebuild.
    """
    for entry in lost:
        reason = f"its clean report {entry.clean_file} became unreadable during the rebuild"
        warn(f"skipped {entry.path}: {reason}")
        cleaning.skipped.append((entry.path, reason))
        cleaning.reports.remove(entry)


def derive_arrays(folder):
    """Derive the arrays of the segments of folder that have none (indexer/index/derive.py)."""
    from .derive import derive  # numpy: a rebuild that finds nothing changed starts faster without it
    derive(folder, BUILD_PROCESSES)


def derive_all(folder, previous=None, progress=None):
    """Derive the arrays of new segments, then run the reuse stage; return its ReuseSummary.

    previous is the generation folder was updated from, whose reuse data is built on.
    """
    with stage(progress, "deriving arrays", 1, "generations"):
        derive_arrays(folder)
    from indexer.reuse.stage import find_reuse  # datasketch and scipy load only when something changed
    with stage(progress, "finding reuse", 1, "generations"):
        return find_reuse(folder, previous, BUILD_PROCESSES)


def commit(writer, folder, previous=None, progress=None):
    """Commit a writer (Whoosh's, or the full build's writers.Writers), then derive what the segments it made
    need; return the reuse stage's summary.

    Raises the OSError that stopped one of the writer processes: its segment is missing.
    """
    with stage(progress, "writing segments", 1, "commits"):
        writer.commit()
    return derive_all(folder, previous, progress)


def full_writer(folder):
    """Return the writer processes of a full build into an empty generation folder (indexer/index/writers.py)."""
    from .writers import Writers  # numpy and Whoosh's internals: a rebuild that finds nothing changed starts faster without them
    whoosh_index.create_in(str(folder), paragraph_schema())
    orphans_exit_once()
    return Writers(folder, BUILD_PROCESSES)


def watch_parent(parent, interval=ORPHAN_POLL_S):
    """Exit this (forked) process as soon as its parent is gone."""
    while os.getppid() == parent:
        time.sleep(interval)
    os._exit(1)


def exit_when_orphaned():
    """In a forked child: start a thread ending the process when the parent dies."""
    threading.Thread(target=watch_parent, args=(os.getppid(),), daemon=True).start()


@lru_cache(maxsize=1)
def orphans_exit_once():
    """Make every process forked from now on exit when this one dies, even by kill -9.

    The writer processes wait on a queue that never closes: a rebuild killed
    with kill -9 would otherwise leave them waiting forever.
    """
    os.register_at_fork(after_in_child=exit_when_orphaned)


def full_build(folder, entries, progress=None):
    """Index every report into an empty generation folder; return the reuse stage's summary."""
    writer = full_writer(folder)
    try:
        for done, entry in enumerate(entries, 1):
            index_entry(writer.add, entry, [])
            if progress:
                progress(done)
    except BaseException:
        writer.stop()
        raise
    return commit(writer, folder)


def changed_reports(entries, manifest):
    """Return (entries new or changed since the manifest, ids of reports gone from the corpus)."""
    changed = [entry for entry in entries if manifest.get(entry.report_id) != entry.sha1]
    return changed, sorted(set(manifest) - {entry.report_id for entry in entries})


def update_build(folder, live, changed, removed, lost):
    """Make folder a copy of the live generation with changed reports replaced, removed ones gone; return
    the reuse stage's summary.

    Damaged arrays and sketches of the live generation are left out of the copy and made again;
    its reuse data is always made again, from its own unless that is damaged; changed reports
    whose clean file became unreadable are added to lost.
    """
    link_copy(live.folder, folder, leave_out=sorted(live.damaged | {REUSE_FOLDER}))
    previous = None if REUSE_FOLDER in live.damaged else live.folder
    if changed or removed:
        writer = whoosh_index.open_dir(str(folder)).writer()
        for report_id in [entry.report_id for entry in changed] + removed:
            writer.delete_by_term("report_id", report_id)
        for entry in changed:
            index_entry(lambda report, words: add_report(writer, report, words), entry, lost)
        # The changed documents go into a small segment of their own. Whoosh's default policy
        # (MERGE_SMALL) merges only small segments, never the full build's big one, so
        # updates stay cheap and their segments do not pile up.
        return commit(writer, folder, previous)
    return derive_all(folder, previous)


def write_build_info(folder, corpus, entries, verified=None):
    """Write the manifest of the reports indexed, then the record of the generation (build.json)."""
    write_json(Path(folder) / MANIFEST, {entry.report_id: entry.sha1 for entry in entries})
    # The cleaner's code: a changed cleaner makes the index stale (the index format has its own version).
    write_record(folder, corpus, reports=len(entries), paragraphs=sum(entry.paragraphs for entry in entries),
                 code=cleaner_fingerprint(), verified=verified)


def live_generation(live, warn):
    """Return the Live generation an update can start from, or None when a full build is needed.

    Its files are checked against its record first: damaged arrays and reuse data are only
    noted (the update makes them again); any other damage, or another index format, says so in
    one line and asks for a full build.
    """
    if live is None:
        return None
    problems = verify(live, trust_unchanged=True)
    whole = [problem for problem in problems if problem.part not in DERIVED]
    if whole:
        more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
        warn(f"the live index {live} is unusable ({whole[0].line()}{more}); building it again in full")
        return None
    info = read_build_info(live)
    manifest = read_json(live / MANIFEST)
    if info.code != cleaner_fingerprint() or not isinstance(manifest, dict):
        return None
    if problems:
        what = "arrays" if problems[0].part == ARRAYS else "reuse data"
        warn(f"the live index {live} has damaged {what} ({problems[0].line()});"
             f" making them again{' from its Whoosh index' if what == 'arrays' else ''}")
    return Live(live, info, manifest, {problem.folder() for problem in problems})


def publish_reports(index_dir, reports, corpus="", progress=None):
    """Index the given reports (Reports or clean entries) in full as a new generation and make it live."""
    entries = [r if isinstance(r, CleanEntry) else entry_for(r, None) for r in reports]
    folder = new_folder(index_dir)
    try:
        full_build(folder, entries, progress)
        write_build_info(folder, corpus, entries)
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


@contextmanager
def rare_cycle_collection():
    """Run the cycle collector seldom, and never over what exists already, for the block's time.

    A full build holds an entry per report and jieba's dictionary (no cycles among them):
    Python's collector would scan them again and again.
    """
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_THRESHOLD, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def clean_and_build(corpus, index_dir, warn, progress=None):
    """Clean every page and index each report as soon as it is clean, in a new live generation; return
    (cleaning, reuse stage summary).

    Cleaning runs in this process while the writer processes index what it already
    cleaned, so the cores are busy together instead of one after the other.
    """
    folder = new_folder(index_dir)
    lost = []
    try:
        writer = full_writer(folder)
        try:
            with rare_cycle_collection(), stage(progress, "cleaning and indexing", len(raw_files(corpus)),
                                                 "pages") as step:
                cleaning = clean_corpus(corpus, clean_dir(corpus), warn, step,
                                        accept=lambda entry: index_entry(writer.add, entry, lost))
        except BaseException:
            writer.stop()
            raise
        reuse = commit(writer, folder, progress=progress)
        leave_out_lost(cleaning, lost, warn)
        write_build_info(folder, corpus, cleaning.reports)
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cleaning, reuse


def update_in_place(corpus, index_dir, live, warn, progress=None):
    """Clean the corpus and re-index only what changed since the live generation; return (cleaning, mode, reuse)."""
    with stage(progress, "cleaning", len(raw_files(corpus)), "pages") as step:
        cleaning = clean_corpus(corpus, clean_dir(corpus), warn, step)
    changed, removed = changed_reports(cleaning.reports, live.manifest)
    if not (changed or removed or live.damaged):
        return cleaning, "nothing changed", None
    folder = new_folder(index_dir)
    lost = []
    try:
        reuse = update_build(folder, live, changed, removed, lost)
        leave_out_lost(cleaning, lost, warn)
        write_build_info(folder, corpus, cleaning.reports, live.verified())
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    repaired = f"; made again: {', '.join(sorted(live.damaged))}" if live.damaged else ""
    return cleaning, f"updated {len(changed)}, removed {len(removed)}{repaired}", reuse


def rebuild(corpus, index_dir, warn=lambda message: print(message, file=sys.stderr), full=False,
            progress=None):
    """Bring the index up to date with the corpus in a new generation, then switch to it.

    Only reports whose raw page changed are re-indexed, unless full is set or the
    indexer's code changed; with nothing changed, the live generation stays. progress,
    when given, starts the display of a stage: progress(name, total, unit).
    """
    started = time.perf_counter()
    # A full disk (or any write refused) is one line naming the index folder; the new
    # generation is removed and the live one keeps serving.
    with rebuild_lock(index_dir, warn), writing(index_dir):
        live = None if full else live_generation(current_folder(index_dir), warn)
        if live is None:
            (cleaning, reuse), mode = clean_and_build(corpus, index_dir, warn, progress), "full build"
        else:
            cleaning, mode, reuse = update_in_place(corpus, index_dir, live, warn, progress)
        prune(index_dir)
    # The servers of this index segment their queries with jieba's dictionary prepared (once per machine).
    keep_prepared()
    return BuildSummary(reports=len(cleaning.reports), paragraphs=cleaning.paragraphs,
                        seconds=time.perf_counter() - started, skipped=cleaning.skipped,
                        cleaning=cleaning.line(), mode=mode, reuse=reuse)


@contextmanager
def stage(progress, name, total, unit):
    """Yield the per-item callback of a progress display for one stage, or None without one."""
    if progress is None:
        yield None
        return
    display = progress(name, total, unit)
    try:
        yield display.update
    finally:
        display.close()


def is_stale(corpus, index_dir):
    """Tell whether the index is missing, damaged, of another format or cleaner, from another corpus, or older than a page."""
    info = build_info(index_dir)
    if info is None or info["code"] != cleaner_fingerprint() or info["corpus"] != str(Path(corpus).resolve()):
        return True
    live = current_folder(index_dir)
    built = (live / BUILD_INFO).stat().st_mtime
    corpus_root = Path(corpus)
    newest = max((p.stat().st_mtime for p in raw_files(corpus_root)), default=0)
    folders = [corpus_root, corpus_root / "raw"]
    # A deleted page only shows in its folder's modification time.
    newest = max([newest] + [f.stat().st_mtime for f in folders if f.is_dir()])
    return newest > built or bool(verify(live, trust_unchanged=True))


def derive_again(index_dir, warn=lambda message: print(message, file=sys.stderr)):
    """Write the live generation's arrays again from its Whoosh index alone, as a new generation; return it.

    Damaged sketches or reuse data are made again too. Raises IndexUnusable when there is
    no index, or when its Whoosh index or record is itself damaged (only a rebuild can repair those).
    """
    with rebuild_lock(index_dir, warn):
        live = current_folder(index_dir)
        if live is None:
            raise IndexUnusable(index_dir, "no index to derive arrays from")
        problems = verify(live, trust_unchanged=True)
        whole = [problem for problem in problems if problem.part not in DERIVED]
        if whole:
            raise IndexUnusable(live / whole[0].path, f"{whole[0].reason}; the arrays are derived from it,"
                                                      " so the index has to be rebuilt")
        info = read_build_info(live)
        folder = new_folder(index_dir)
        try:
            with writing(index_dir):
                reuse = {problem.folder() for problem in problems if problem.part == REUSE}
                link_copy(live, folder, leave_out=sorted(reuse | {ARRAYS_FOLDER}))
                if reuse:
                    derive_all(folder, None if REUSE_FOLDER in reuse else live)
                else:
                    derive_arrays(folder)
                write_record(folder, info.corpus, info.reports, info.paragraphs, info.code, (live, info))
                # The Whoosh index is as old as it was: the corpus may have changed since.
                stat = (live / BUILD_INFO).stat()
                os.utime(folder / BUILD_INFO, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            publish(index_dir, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        prune(index_dir)
    return folder
