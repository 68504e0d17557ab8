"""Build the Whoosh index from a corpus folder."""
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from whoosh import index as whoosh_index

from .cleancache import clean_corpus, cleaner_fingerprint
from .paths import clean_dir, raw_files
from .report import REGION_LEVELS
from .schema import date_key, paragraph_schema
from .store import save_report

BUILD_INFO = "build.json"


@dataclass
class BuildSummary:
    """What a rebuild did: counts, time and the files it skipped with reasons."""

    reports: int = 0
    paragraphs: int = 0
    seconds: float = 0.0
    skipped: list = field(default_factory=list)
    cleaning: str = ""

    def line(self):
        """Return the one-line summary printed after a rebuild."""
        text = f"indexed {self.reports} reports, {self.paragraphs} paragraphs in {self.seconds:.1f} s"
        return text + (f" ({self.cleaning})" if self.cleaning else "")


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
            heading=paragraph.heading, section_class=paragraph.section_class,
            section_path=paragraph.section_path, **shared,
        )


def build_into(folder, corpus, warn):
    """Clean the corpus (reusing unchanged reports) and index it into an empty folder."""
    cleaning = clean_corpus(corpus, clean_dir(corpus), warn)
    summary = BuildSummary(skipped=cleaning.skipped, cleaning=cleaning.line())
    ix = whoosh_index.create_in(str(folder), paragraph_schema())
    writer = ix.writer()
    for report in cleaning.reports:
        save_report(folder, report)
        add_report(writer, report)
        summary.reports += 1
        summary.paragraphs += len(report.paragraphs)
    writer.commit()
    return summary


def write_build_info(folder, corpus, summary):
    """Record when and from what the index was built."""
    info = {
        "built_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "corpus": str(Path(corpus).resolve()),
        "reports": summary.reports,
        "paragraphs": summary.paragraphs,
        # The indexer's code: a changed cleaner or schema makes the index stale.
        "code": cleaner_fingerprint(),
    }
    (Path(folder) / BUILD_INFO).write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")


def replace_folder(new, target):
    """Put the freshly built folder where the old index was."""
    target = Path(target)
    old = None
    if target.exists():
        old = target.with_name(target.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        target.rename(old)
    Path(new).rename(target)
    if old:
        shutil.rmtree(old, ignore_errors=True)


def rebuild(corpus, index_dir, warn=lambda message: print(message, file=sys.stderr)):
    """Rebuild the index of a corpus from scratch, beside the live one, then swap it in."""
    started = time.perf_counter()
    index_dir = Path(index_dir)
    index_dir.parent.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=index_dir.name + ".new-", dir=index_dir.parent))
    try:
        summary = build_into(folder, corpus, warn)
        summary.seconds = time.perf_counter() - started
        write_build_info(folder, corpus, summary)
        replace_folder(folder, index_dir)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return summary


def build_info(index_dir):
    """Return what write_build_info recorded, or None when there is no index."""
    path = Path(index_dir) / BUILD_INFO
    if not path.is_file():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def is_stale(corpus, index_dir):
    """Tell whether the index is missing, built by other code or from another corpus, or older than a page."""
    info = build_info(index_dir)
    if info is None or info.get("code") != cleaner_fingerprint():
        return True
    if info.get("corpus") != str(Path(corpus).resolve()):
        return True
    built = (Path(index_dir) / BUILD_INFO).stat().st_mtime
    corpus_root = Path(corpus)
    newest = max((p.stat().st_mtime for p in raw_files(corpus_root)), default=0)
    folders = [corpus_root, corpus_root / "raw"]
    # A deleted page only shows in its folder's modification time.
    newest = max([newest] + [f.stat().st_mtime for f in folders if f.is_dir()])
    return newest > built
