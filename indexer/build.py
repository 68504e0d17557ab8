"""Build the Whoosh index from a corpus folder: in full, or by updating the changed reports."""
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from .analysis import normalize
from .cleancache import clean_corpus, cleaner_fingerprint
from .paths import clean_dir, raw_files
from .report import REGION_LEVELS
from .generations import current_folder, link_copy, new_folder, prune, publish, rebuild_lock
from .schema import date_key, paragraph_schema
from .store import read_json, report_path, save_report, write_json

BUILD_INFO = "build.json"
# Which raw-page digest each indexed report was built from, for incremental updates.
MANIFEST = "manifest.json"


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


def add_report(writer, report):
    """Add one document per paragraph of a report to the index."""
    shared = {
        "report_id": report.report_id, "title": report.title, "title_words": report.title,
        "title_grams": report.title, "issuer": report.issuer, "pub_date": report.pub_date,
        "date_key": date_key(report.pub_date),
        **{level: (report.region or {}).get(level) or "" for level in REGION_LEVELS},
    }
    if report.report_year is not None:
        shared["report_year"] = report.report_year
    for paragraph in report.paragraphs:
        writer.add_document(
            n=paragraph.n, text=paragraph.text, words=paragraph.text, grams=paragraph.text,
            norm_text=normalize(paragraph.text).encode("utf-8"),
            heading=paragraph.heading, section_class=paragraph.section_class,
            section_path=paragraph.section_path, **shared,
        )


def full_build(folder, reports):
    """Index every report into an empty generation folder."""
    writer = whoosh_index.create_in(str(folder), paragraph_schema()).writer()
    for report in reports:
        save_report(folder, report)
        add_report(writer, report)
    writer.commit()


def changed_reports(reports, manifest):
    """Return (reports new or changed since the manifest, ids of reports gone from the corpus)."""
    digests = {report.report_id: report.source.get("sha1") for report in reports}
    changed = [report for report in reports if manifest.get(report.report_id) != digests[report.report_id]]
    return changed, sorted(set(manifest) - set(digests))


def update_build(folder, live, changed, removed):
    """Make folder a copy of the live generation with changed reports replaced, removed ones gone."""
    link_copy(live, folder)
    writer = whoosh_index.open_dir(str(folder)).writer()
    for report_id in [report.report_id for report in changed] + removed:
        writer.delete_by_term("report_id", report_id)
    for report in changed:
        save_report(folder, report)
        add_report(writer, report)
    for report_id in removed:
        report_path(folder, report_id).unlink(missing_ok=True)
    writer.commit()


def write_build_info(folder, corpus, reports):
    """Record when, from what and by which code the generation was built, and its reports."""
    info = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": str(Path(corpus).resolve()),
        "reports": len(reports),
        "paragraphs": sum(len(report.paragraphs) for report in reports),
        # The indexer's code: a changed cleaner or schema makes the index stale.
        "code": cleaner_fingerprint(),
    }
    write_json(Path(folder) / BUILD_INFO, info)
    write_json(Path(folder) / MANIFEST, {r.report_id: r.source.get("sha1") for r in reports})


def reusable_manifest(live):
    """Return the live generation's manifest when an update can start from it, else None."""
    info = read_json(live / BUILD_INFO) if live else None
    if not info or info.get("code") != cleaner_fingerprint():
        return None
    return read_json(live / MANIFEST)


def publish_reports(index_dir, reports, corpus=""):
    """Index the given reports in full as a new generation and make it live."""
    folder = new_folder(index_dir)
    try:
        full_build(folder, reports)
        write_build_info(folder, corpus, reports)
        publish(index_dir, folder)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise


def rebuild(corpus, index_dir, warn=lambda message: print(message, file=sys.stderr), full=False):
    """Bring the index up to date with the corpus in a new generation, then switch to it.

    Only reports whose raw page changed are re-indexed, unless full is set or the
    indexer's code changed; with nothing changed, the live generation stays.
    """
    started = time.perf_counter()
    with rebuild_lock(index_dir, warn):
        cleaning = clean_corpus(corpus, clean_dir(corpus), warn)
        reports = cleaning.reports
        summary = BuildSummary(reports=len(reports), paragraphs=sum(len(r.paragraphs) for r in reports),
                               skipped=cleaning.skipped, cleaning=cleaning.line())
        live = current_folder(index_dir)
        manifest = None if full else reusable_manifest(live)
        changed, removed = changed_reports(reports, manifest or {})
        if manifest is None:
            publish_reports(index_dir, reports, corpus)
        elif changed or removed:
            folder = new_folder(index_dir)
            try:
                update_build(folder, live, changed, removed)
                write_build_info(folder, corpus, reports)
                publish(index_dir, folder)
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
            summary.mode = f"updated {len(changed)}, removed {len(removed)}"
        else:
            summary.mode = "nothing changed"
        prune(index_dir)
    summary.seconds = time.perf_counter() - started
    return summary


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
