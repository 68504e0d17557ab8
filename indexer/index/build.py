"""Build the Whoosh index from a corpus folder: in full, or by updating the changed reports."""
import gc
import os
import shutil
from array import array
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.clean.cache import CleanEntry, clean_corpus, cleaner_fingerprint, entry_for
from indexer.jsonfile import read_json, write_json
from indexer.paths import clean_dir, raw_files
from indexer.report import REGION_LEVELS
from indexer.text import segmenter, sentence_offsets

from .generations import current_folder, link_copy, new_folder, prune, publish, rebuild_lock
from .schema import NORM_FIELD, REPORT_FIELD, SENTENCES_FIELD, paragraph_schema
from .store import report_path, save_report

BUILD_INFO = "build.json"
# Which raw-page digest each indexed report was built from, for incremental updates.
MANIFEST = "manifest.json"
# Memory of the full build's Whoosh writer before it flushes a segment: larger means fewer
# segments to merge at the end, each search then reading fewer of them.
WRITER_LIMIT_MB = 2048
# Processes indexing a full build: Whoosh's analysis and posting writing are pure Python
# and take most of a build, so each core indexes its share of the documents.
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

    def line(self):
        """Return the one-line summary printed after a rebuild."""
        return (f"indexed {self.reports} reports, {self.paragraphs} paragraphs in {self.seconds:.1f} s"
                f" ({self.mode}; {self.cleaning})")


def report_metadata(report):
    """Return what every paragraph of a report shares: its title, issuer, level, region, year and date."""
    return {"title": report.title, "issuer": report.issuer, "level": report.level, "pub_date": report.pub_date,
            "report_year": report.report_year,
            "region": {level: (report.region or {}).get(level) or "" for level in REGION_LEVELS}}


def add_report(writer, report):
    """Add one document per paragraph of a report to the index, the report's metadata on the first."""
    # One group: a multi-process writer keeps all of a report's paragraphs in one segment,
    # where its arrays find the metadata stored once.
    with writer.group():
        for place, paragraph in enumerate(report.paragraphs):
            norm, sentences = sentence_offsets(paragraph.text)
            extra = {} if place else {REPORT_FIELD: report_metadata(report)}
            writer.add_document(
                report_id=report.report_id, n=paragraph.n, text=paragraph.text, words=paragraph.text,
                heading=paragraph.heading, section_class=paragraph.section_class,
                section_path=paragraph.section_path,
                **{NORM_FIELD: norm, SENTENCES_FIELD: array("I", sentences).tobytes()}, **extra,
            )
    hand_over(writer)


def hand_over(writer):
    """Send a multi-process writer's buffered documents to its processes once a batch is full.

    Whoosh (2.7.4) checks the batch size only for documents added outside a group, so with
    every report in a group it would otherwise keep the whole corpus until the commit.
    """
    buffered = getattr(writer, "docbuffer", None)
    if buffered is not None and len(buffered) >= writer.batchsize:
        writer._enqueue()


def commit(writer, folder):
    """Commit a writer, then derive the arrays of the segments it made (indexer/index/arrays.py)."""
    from . import arrays  # numpy: a rebuild that finds nothing changed starts faster without it
    writer.commit()
    arrays.derive(folder, BUILD_PROCESSES)


def link_or_save(folder, entry, report):
    """Put a report into a generation's store: a hard link to its clean file, else a new copy."""
    target = report_path(folder, entry.report_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    if entry.clean_file is None:
        save_report(folder, report)
        return
    try:
        # The clean file is only ever replaced by a rename, never rewritten in place.
        os.link(entry.clean_file, target)
    except OSError:
        save_report(folder, report)


def full_writer(folder):
    """Return the writer of a full build: one process per core, each writing its own segment."""
    index = whoosh_index.create_in(str(folder), paragraph_schema())
    if BUILD_PROCESSES < 2:
        return index.writer(limitmb=WRITER_LIMIT_MB)
    # Loaded once here, the dictionary is shared by the forked writer processes.
    segmenter().initialize()
    orphans_exit_once()
    # multisegment: each process's segment is kept as it is, not merged into one at the
    # end, which would redo in one process most of what the others did.
    return index.writer(procs=BUILD_PROCESSES, limitmb=WRITER_LIMIT_MB, multisegment=True)


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

    Whoosh's writer processes wait on a queue that never closes: a rebuild killed
    with kill -9 would otherwise leave them waiting forever.
    """
    os.register_at_fork(after_in_child=exit_when_orphaned)


def stop_writer(writer):
    """Stop a failed build's writer, ending its processes, which would otherwise wait forever."""
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join()
    writer.cancel()


def full_build(folder, entries, progress=None):
    """Index every report into an empty generation folder."""
    writer = full_writer(folder)
    try:
        for done, entry in enumerate(entries, 1):
            index_entry(folder, writer, entry)
            if progress:
                progress(done)
    except BaseException:
        stop_writer(writer)
        raise
    commit(writer, folder)


def changed_reports(entries, manifest):
    """Return (entries new or changed since the manifest, ids of reports gone from the corpus)."""
    changed = [entry for entry in entries if manifest.get(entry.report_id) != entry.sha1]
    return changed, sorted(set(manifest) - {entry.report_id for entry in entries})


def update_build(folder, live, changed, removed):
    """Make folder a copy of the live generation with changed reports replaced, removed ones gone."""
    link_copy(live, folder)
    writer = whoosh_index.open_dir(str(folder)).writer()
    for report_id in [entry.report_id for entry in changed] + removed:
        writer.delete_by_term("report_id", report_id)
    for entry in changed:
        report = entry.report()
        save_report(folder, report)
        add_report(writer, report)
    for report_id in removed:
        report_path(folder, report_id).unlink(missing_ok=True)
    # The changed documents go into a small segment of their own. Whoosh's default policy
    # (MERGE_SMALL) merges only small segments, never the full build's big one, so
    # updates stay cheap and their segments do not pile up.
    commit(writer, folder)


def write_build_info(folder, corpus, entries):
    """Record when, from what and by which code the generation was built, and its reports."""
    info = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": str(Path(corpus).resolve()),
        "reports": len(entries),
        "paragraphs": sum(entry.paragraphs for entry in entries),
        # The indexer's code: a changed cleaner or schema makes the index stale.
        "code": cleaner_fingerprint(),
    }
    write_json(Path(folder) / BUILD_INFO, info)
    write_json(Path(folder) / MANIFEST, {entry.report_id: entry.sha1 for entry in entries})


def reusable_manifest(live):
    """Return the live generation's manifest when an update can start from it, else None."""
    info = read_json(live / BUILD_INFO) if live else None
    if not info or info.get("code") != cleaner_fingerprint():
        return None
    return read_json(live / MANIFEST)


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


def index_entry(folder, writer, entry):
    """Index one clean report into a generation being built and keep its clean JSON there."""
    report = entry.report()
    link_or_save(folder, entry, report)
    add_report(writer, report)
    entry.release()


@contextmanager
def rare_cycle_collection():
    """Run the cycle collector seldom, and never over what exists already, for the block's time.

    A full build's writers hold millions of small posting tuples (no cycles among them):
    Python's collector would scan them, and jieba's dictionary, again and again.
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
    """Clean every page and index each report as soon as it is clean, in a new live generation.

    Cleaning runs in this process while the writer processes index what it already
    cleaned, so the cores are busy together instead of one after the other.
    """
    folder = new_folder(index_dir)
    try:
        writer = full_writer(folder)
        try:
            with rare_cycle_collection(), stage(progress, "cleaning and indexing", len(raw_files(corpus)),
                                                 "pages") as step:
                cleaning = clean_corpus(corpus, clean_dir(corpus), warn, step,
                                        accept=lambda entry: index_entry(folder, writer, entry))
        except BaseException:
            stop_writer(writer)
            raise
        commit(writer, folder)
        write_build_info(folder, corpus, cleaning.reports)
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cleaning


def update_in_place(corpus, index_dir, live, manifest, warn, progress=None):
    """Clean the corpus and re-index only what changed since the live generation; return (cleaning, mode)."""
    with stage(progress, "cleaning", len(raw_files(corpus)), "pages") as step:
        cleaning = clean_corpus(corpus, clean_dir(corpus), warn, step)
    changed, removed = changed_reports(cleaning.reports, manifest)
    if not (changed or removed):
        return cleaning, "nothing changed"
    folder = new_folder(index_dir)
    try:
        update_build(folder, live, changed, removed)
        write_build_info(folder, corpus, cleaning.reports)
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return cleaning, f"updated {len(changed)}, removed {len(removed)}"


def rebuild(corpus, index_dir, warn=lambda message: print(message, file=sys.stderr), full=False,
            progress=None):
    """Bring the index up to date with the corpus in a new generation, then switch to it.

    Only reports whose raw page changed are re-indexed, unless full is set or the
    indexer's code changed; with nothing changed, the live generation stays. progress,
    when given, starts the display of a stage: progress(name, total, unit).
    """
    started = time.perf_counter()
    with rebuild_lock(index_dir, warn):
        live = current_folder(index_dir)
        manifest = None if full else reusable_manifest(live)
        if manifest is None:
            cleaning, mode = clean_and_build(corpus, index_dir, warn, progress), "full build"
        else:
            cleaning, mode = update_in_place(corpus, index_dir, live, manifest, warn, progress)
        prune(index_dir)
    return BuildSummary(reports=len(cleaning.reports), paragraphs=cleaning.paragraphs,
                        seconds=time.perf_counter() - started, skipped=cleaning.skipped,
                        cleaning=cleaning.line(), mode=mode)


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


def build_info(index_dir):
    """Return what the live generation recorded about its build, or None when there is none."""
    live = current_folder(index_dir)
    return read_json(live / BUILD_INFO) if live else None


def is_stale(corpus, index_dir):
    """Tell whether the index is missing, built by other code or from another corpus, or older than a page."""
    info = build_info(index_dir)
    if info is None or info.get("code") != cleaner_fingerprint():
        return True
    if info.get("corpus") != str(Path(corpus).resolve()):
        return True
    built = (current_folder(index_dir) / BUILD_INFO).stat().st_mtime
    corpus_root = Path(corpus)
    newest = max((p.stat().st_mtime for p in raw_files(corpus_root)), default=0)
    folders = [corpus_root, corpus_root / "raw"]
    # A deleted page only shows in its folder's modification time.
    newest = max([newest] + [f.stat().st_mtime for f in folders if f.is_dir()])
    return newest > built
