"""The clean corpus: one JSON file per report, reused while its raw page is unchanged.

A manifest beside the clean files records, per report, the raw page's size and
modification time with what the index needs (digest, paragraph count, body digest), so
a rebuild with nothing changed neither hashes nor parses a page, and loads a clean
report only when it is indexed.
"""
import hashlib
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from indexer.fetch.provenance import provenance_path
from model.jsonfile import read_json, write_json
from indexer.paths import scan_raw
from indexer.racy import settled
from model.report import read_report
from model.text import normalize

from .budget import PageCleaners
from .rawfile import BadPage, check_page_file, report_id_for

# The clean folder's manifest. Hidden and without a .json suffix, so that no report id
# (file names starting with '.' are refused) can collide with it.
MANIFEST = ".manifest"
# Modules outside indexer/clean/ whose code shapes a clean report, from the project's root:
# its fields, the text folding of its digest, and the provenance it reads.
CLEANER_SHARED_MODULES = ("model/report.py", "model/text.py", "model/laws.py", "model/laws.txt",
                          "indexer/fetch/provenance.py")


@dataclass
class CleanEntry:
    """One clean report as the index needs it, its paragraphs loaded only on demand."""

    report_id: str
    sha1: str
    paragraphs: int
    body: str
    warned: bool
    path: str
    clean_file: Path
    report_object: object = None
    # Each paragraph's words (model/text.py word_line()) when the page was just cleaned and
    # segmented; None for a report read back from the clean cache, which the writers segment.
    words: list = None

    def report(self):
        """Return the clean Report, read from its JSON file the first time it is asked for."""
        if self.report_object is None:
            self.report_object = read_report(self.clean_file)
        return self.report_object

    def release(self):
        """Forget the loaded Report (when it can be read again) and its words, so a corpus need not fit in memory."""
        self.words = None
        if self.clean_file is not None:
            self.report_object = None

    def record(self, stat, clean):
        """Return the manifest record of this entry for the raw page's stat and its clean file's (clean_stat)."""
        return {"size": stat[0], "mtime_ns": stat[1], "sidecar": stat[2], "sha1": self.sha1,
                "paragraphs": self.paragraphs, "body": self.body, "warned": self.warned,
                "path": self.path, "clean": clean}


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
        return sum(entry.warned for entry in self.reports)

    @property
    def paragraphs(self):
        """The number of paragraphs of all reports."""
        return sum(entry.paragraphs for entry in self.reports)

    def line(self):
        """Return the one-line summary of the cleaning run."""
        text = (f"cleaned {self.cleaned}, reused {self.reused}, skipped {len(self.skipped)},"
                f" warned {self.warned}")
        return text + (f", kept {self.kept} earlier clean versions" if self.kept else "")


def cleaner_modules():
    """Return the source files a clean report depends on: the cleaning stages, their data (gazetteer_more.txt)
    and what they read."""
    package = Path(__file__).parent
    shared = [package.parent.parent / name for name in CLEANER_SHARED_MODULES]
    return sorted(package.glob("*.py")) + sorted(package.glob("*.txt")) + shared


@lru_cache(maxsize=1)
def cleaner_fingerprint():
    """Return a digest of the cleaner's own code, so that changing the cleaner re-cleans everything."""
    digest = hashlib.sha1()
    for module in cleaner_modules():
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


def page_stat(path):
    """Return what tells a raw page unchanged without reading it: size, mtime, its sidecar's."""
    stat = os.stat(path)
    sidecar = provenance_path(path)
    try:
        side = os.stat(sidecar)
        side_key = [side.st_size, side.st_mtime_ns]
    except FileNotFoundError:
        side_key = None
    return [stat.st_size, stat.st_mtime_ns, side_key]


def clean_stat(clean_json):
    """Return what tells a clean file unchanged since it was written (size, mtime), or None when it is gone."""
    try:
        stat = os.stat(clean_json)
    except FileNotFoundError:
        return None
    return [stat.st_size, stat.st_mtime_ns]


def unaltered(previous, record, digest):
    """Tell whether a clean report read back is the one the manifest recorded for this page (same body)."""
    return record is None or record["sha1"] != digest or body_digest(previous) == record["body"]


def entry_for(report, clean_json, words=None):
    """Return the CleanEntry of a Report held in memory (with its paragraphs' words when just segmented)."""
    return CleanEntry(report.report_id, report.source.get("sha1", ""), len(report.paragraphs),
                      body_digest(report), bool(report.warnings), report.source.get("path", ""),
                      clean_json and Path(clean_json), report, words)


def trusted_entry(record, stat, clean_json, report_id, scanned_at):
    """Return the CleanEntry a manifest record vouches for when the page's stat is unchanged, else None."""
    if not record or [record["size"], record["mtime_ns"], record["sidecar"]] != stat:
        return None
    # A clean file changed since it was written (damaged, edited) is read again, not trusted.
    # A page modified just before the scan may change again unseen: it is hashed, not trusted (indexer/racy.py).
    if not settled(record["mtime_ns"], scanned_at) or record.get("clean") != clean_stat(clean_json):
        return None
    return CleanEntry(report_id, record["sha1"], record["paragraphs"], record["body"],
                      record["warned"], record["path"], clean_json)


@dataclass
class LookedUp:
    """What is known of a raw page before any cleaning: its clean file, its stat and digest, its earlier
    clean version, and the entry that can be reused (with its manifest record) or the error met."""

    path: Path
    report_id: str
    clean_json: Path
    stat: list = None
    digest: str = None
    previous: object = None
    reused: CleanEntry = None
    record: dict = None
    error: Exception = None


def look_up(path, folder, warn, manifest):
    """Return (the page when it must be cleaned anew, else None; its LookedUp): reused, failed, or to clean."""
    report_id = report_id_for(path)
    page = LookedUp(path, report_id, clean_path(folder, report_id))
    if page.clean_json.is_symlink():
        # Read as the report, a link here would have whatever it points to indexed and served.
        page.clean_json.unlink()
        warn(f"removed {page.clean_json}: a symbolic link where a clean report belongs; cleaning {path} again")
    try:
        # Name and size first: an oversized page is refused before it is read to be hashed.
        check_page_file(path)
        page.stat = page_stat(path)
        record = manifest["reports"].get(report_id)
        page.reused = trusted_entry(record, page.stat, page.clean_json, report_id, manifest["scanned_at_ns"])
        if page.reused:
            page.record = record
            return None, page
        # An unreadable clean file reads as None and its page is cleaned again.
        page.previous = read_report(page.clean_json)
        page.digest = source_digest(path)
        if (page.previous and page.previous.source.get("sha1") == page.digest
                and unaltered(page.previous, record, page.digest)):
            page.reused = entry_for(page.previous, page.clean_json)
            page.record = page.reused.record(page.stat, clean_stat(page.clean_json))
            return None, page
    except (BadPage, OSError) as error:
        page.error = error
        return None, page
    return path, page


def settle(page, cleaned, summary, warn, manifest, records):
    """Return the clean entry of a looked-up page, given what cleaning it gave ((report, words), the error
    that stopped it, or None when it was not cleaned); None when there is none."""
    if page.reused:
        summary.reused += 1
        records[page.report_id] = page.record
        return page.reused
    if page.error or isinstance(cleaned, Exception):
        return earlier_version(page, page.error or cleaned, summary, warn, manifest, records)
    report, words = cleaned
    report.source["sha1"] = page.digest
    write_json(page.clean_json, report.to_dict())
    summary.cleaned += 1
    entry = entry_for(report, page.clean_json, words)
    records[page.report_id] = entry.record(page.stat, clean_stat(page.clean_json))
    return entry


def earlier_version(page, error, summary, warn, manifest, records):
    """Return the entry of a page's earlier clean version when it could not be cleaned (error), or None."""
    summary.skipped.append((str(page.path), str(error)))
    previous = page.previous or read_report(page.clean_json)
    if previous is None:
        warn(f"skipped {page.path}: {error}")
        return None
    # A page that broke since it was last cleaned keeps its earlier clean version;
    # its manifest record stays as it was, so the page is tried again next time.
    warn(f"skipped {page.path}: {error}; keeping its earlier clean version")
    summary.kept += 1
    if page.report_id in manifest["reports"]:
        records[page.report_id] = manifest["reports"][page.report_id]
    return entry_for(previous, page.clean_json)


def body_digest(report):
    """Return the SHA-1 of a report's normalized paragraphs: equal for the same report text."""
    digest = hashlib.sha1()
    for paragraph in report.paragraphs:
        digest.update(normalize(paragraph.text).encode("utf-8") + b"\n")
    return digest.hexdigest()


def read_manifest(folder):
    """Return the clean folder's manifest, or an empty one when missing, unreadable or by other code."""
    data = read_json(Path(folder) / MANIFEST)
    if (not isinstance(data, dict) or data.get("code") != cleaner_fingerprint()
            or not isinstance(data.get("reports"), dict)):
        return {"code": cleaner_fingerprint(), "scanned_at_ns": 0, "reports": {}}
    return data


def holder_of(report_id, group, folder):
    """Return the page of group that holds report_id: the one its clean report was read from, else the first."""
    previous = read_json(clean_path(folder, report_id))
    source = previous.get("source") if isinstance(previous, dict) else None
    held = source.get("path") if isinstance(source, dict) else None
    if isinstance(held, str):
        for path in group:
            if Path(held).resolve() == path.resolve():
                return path
    return group[0]


def claim_ids(paths, folder):
    """Return (pages keeping their report id, (page, reason) for those refused for an id taken).

    A report's id is its file name without suffix, so dup.txt, dup.html and sub/dup.txt
    would be one report overwriting itself. The page that held the id at the last cleaning
    keeps it, so its links keep pointing at it, else the first by path; the others are
    refused, named, until renamed.
    """
    groups = defaultdict(list)
    for path in paths:
        groups[report_id_for(path)].append(path)
    holders = {report_id: holder_of(report_id, group, folder)
               for report_id, group in groups.items() if len(group) > 1}
    kept, refused = [], []
    for path in paths:
        holder = holders.get(report_id_for(path), path)
        if holder == path:
            kept.append(path)
        else:
            refused.append((path, f"report id {report_id_for(path)!r} is taken by {holder} (a report's id is its"
                                  " file name without suffix): rename this file to index it"))
    return kept, refused


def clean_corpus(corpus, folder, warn, progress=None, accept=None):
    """Clean every raw page of a corpus into the clean folder, reusing unchanged ones.

    A page whose report text equals an earlier page's (the same report saved twice,
    under another name or from another site) is skipped: the first by file name wins.
    Its clean file stays, so that it is not cleaned again next time. progress, when
    given, is called with the number of pages done after each page; accept with each
    report kept, as soon as it is (so a full build can index while cleaning goes on).
    """
    summary = CleanSummary()
    paths, refused = scan_raw(corpus)
    paths, taken = claim_ids(paths, folder)
    for path, reason in refused + taken:
        summary.skipped.append((str(path), reason))
        warn(f"skipped {path}: {reason}")
    manifest = read_manifest(folder)
    # Taken before any page is read: a page modified after it is never trusted from its stat.
    scanned_at = time.time_ns()
    records = {}
    first_of = {}
    with PageCleaners() as cleaners:
        # Pages are looked up and cleaned ahead, side by side, and settled in their order.
        pages = cleaners.in_order(look_up(path, folder, warn, manifest) for path in paths)
        for done, (page, cleaned) in enumerate(pages, 1):
            entry = settle(page, cleaned, summary, warn, manifest, records)
            path = page.path
            if progress:
                progress(done)
            if entry is None:
                continue
            if entry.body in first_of:
                original = first_of[entry.body]
                reason = f"duplicate of report {original.report_id} ({original.path}): same paragraphs"
                summary.skipped.append((str(path), reason))
                warn(f"skipped {path}: {reason}")
                continue
            first_of[entry.body] = entry
            summary.reports.append(entry)
            if accept:
                accept(entry)
    # Clean files of pages removed from the corpus would resurface otherwise.
    wanted = {report_id_for(path) for path in paths}
    for stale in Path(folder).glob("*.json") if Path(folder).is_dir() else ():
        if stale.stem not in wanted:
            stale.unlink()
    if Path(folder).is_dir() or records:
        write_json(Path(folder) / MANIFEST, {"code": cleaner_fingerprint(), "scanned_at_ns": scanned_at,
                                             "reports": records})
    return summary
