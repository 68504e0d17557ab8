"""The clean corpus: one JSON file per report, reused while its raw page is unchanged."""
import hashlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .analysis import normalize
from .clean import BadPage, check_page_file, clean_file, provenance_path, report_id_for
from .paths import raw_files
from .store import read_report, write_json


@dataclass
class CleanSummary:
    """What cleaning a corpus did: reports cleaned anew or reused, files skipped with reasons."""

    reports: list = field(default_factory=list)
    cleaned: int = 0
    reused: int = 0
    kept: int = 0
    skipped: list = field(default_factory=list)

    @property
    def warned(self):
        """The number of reports that carry warnings."""
        return sum(bool(report.warnings) for report in self.reports)

    def line(self):
        """Return the one-line summary of the cleaning run."""
        text = (f"cleaned {self.cleaned}, reused {self.reused}, skipped {len(self.skipped)},"
                f" warned {self.warned}")
        return text + (f", kept {self.kept} earlier clean versions" if self.kept else "")


@lru_cache(maxsize=1)
def cleaner_fingerprint():
    """Return a digest of the cleaner's own code, so that changing the cleaner re-cleans everything."""
    digest = hashlib.sha1()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.read_bytes())
    return digest.hexdigest()


def source_digest(path):
    """Return the SHA-1 of what a clean report depends on: the page, its sidecar, the cleaner."""
    digest = hashlib.sha1(cleaner_fingerprint().encode())
    digest.update(Path(path).read_bytes())
    sidecar = provenance_path(path)
    if sidecar.is_file():
        digest.update(sidecar.read_bytes())
    return digest.hexdigest()


def clean_path(folder, report_id):
    """Return where the clean JSON of a report lives."""
    return Path(folder) / f"{report_id}.json"


def clean_one(path, folder, summary, warn):
    """Return the clean report of one raw page: reused, cleaned anew, or the earlier version."""
    report_id = report_id_for(path)
    previous = read_report(clean_path(folder, report_id))
    try:
        # Name and size first: an oversized page is refused before it is read to be hashed.
        check_page_file(path)
        digest = source_digest(path)
        if previous and previous.source.get("sha1") == digest:
            summary.reused += 1
            return previous
        report = clean_file(path)
    except (BadPage, OSError) as error:
        summary.skipped.append((str(path), str(error)))
        if previous is None:
            warn(f"skipped {path}: {error}")
            return None
        # A page that broke since it was last cleaned keeps its earlier clean version.
        warn(f"skipped {path}: {error}; keeping its earlier clean version")
        summary.kept += 1
        return previous
    report.source["sha1"] = digest
    write_json(clean_path(folder, report.report_id), report.to_dict())
    summary.cleaned += 1
    return report


def body_digest(report):
    """Return the SHA-1 of a report's normalized paragraphs: equal for the same report text."""
    digest = hashlib.sha1()
    for paragraph in report.paragraphs:
        digest.update(normalize(paragraph.text).encode("utf-8") + b"\n")
    return digest.hexdigest()


def clean_corpus(corpus, folder, warn):
    """Clean every raw page of a corpus into the clean folder, reusing unchanged ones.

    A page whose report text equals an earlier page's (the same report saved twice,
    under another name or from another site) is skipped: the first by file name wins.
    Its clean file stays, so that it is not cleaned again next time.
    """
    summary = CleanSummary()
    paths = raw_files(corpus)
    first_of = {}
    for path in paths:
        report = clean_one(path, folder, summary, warn)
        if report is None:
            continue
        body = body_digest(report)
        if body in first_of:
            original = first_of[body]
            reason = f"duplicate of report {original.report_id} ({original.source.get('path', '')}): same paragraphs"
            summary.skipped.append((str(path), reason))
            warn(f"skipped {path}: {reason}")
            continue
        first_of[body] = report
        summary.reports.append(report)
    # Clean files of pages removed from the corpus would resurface otherwise.
    wanted = {report_id_for(path) for path in paths}
    for stale in Path(folder).glob("*.json") if Path(folder).is_dir() else ():
        if stale.stem not in wanted:
            stale.unlink()
    return summary
