"""What a generation records about itself in build.json, and its files checked against that record.

build.json says when, from which corpus, by which cleaner code and in which index format the
generation was built, how many reports and paragraphs it holds, and the size and SHA-256 of
every other file in it (the Whoosh index, the arrays, the manifest). A generation whose files
differ from its record is damaged: the server refuses what it cannot trust (sizes, cheaply),
`python -m indexer check` names every difference (digests), and rebuild repairs it.

Reading every file at every rebuild would cost a rebuild that finds nothing changed most of its
time on a large index, so a generation also remembers (in a hidden file, never recorded) the
inode, size and modification time of each file whose content was last found right: a rebuild
reads again only the files whose stat changed since. `check` always reads everything.
"""
import hashlib
import os
import time
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timezone
from pathlib import Path

from indexer.racy import settled
from model.jsonfile import read_json, write_json

from .format import (FOLDER as ARRAYS_FOLDER, FORMAT_VERSION, REUSE_FOLDER, SKETCHES_FOLDER, IndexUnusable,
                     read_record)
from .generations import NOT_COPIED, current_folder

BUILD_INFO = "build.json"
# Which raw-page digest each indexed report was built from, for incremental updates.
MANIFEST = "manifest.json"
# What a damaged file means for a rebuild: arrays are derived again from the Whoosh index, the
# reuse data (sketches and pairs) computed again from the arrays; anything else (the Whoosh
# index, the record, the manifest) means building in full.
ARRAYS, REUSE, WHOOSH, RECORD = "arrays", "reuse", "whoosh", "record"
# The parts a rebuild repairs without indexing again: each damaged folder is made again.
DERIVED = (ARRAYS, REUSE)
# The stat of each file of a generation whose content was last found right.
VERIFIED = ".verified.json"


@dataclass(frozen=True)
class BuildInfo:
    """A generation's build.json: how it was built, and the [size, SHA-256] of each file by relative path."""

    built_at: str
    corpus: str
    reports: int
    paragraphs: int
    code: str
    format: int
    files: dict

    def as_dict(self):
        """Return the record as plain JSON-ready data."""
        return asdict(self)


@dataclass(frozen=True)
class Problem:
    """One way a generation differs from its record: the file (relative path), why, and what it belongs to."""

    path: str
    reason: str
    part: str

    def line(self):
        """Return the problem as one line for people."""
        return f"{self.path}: {self.reason}"

    def folder(self):
        """Return the derived folder the file belongs to, made again whole to repair it: a segment's
        arrays or sketches (arrays/<segment>, sketches/<segment>), or reuse; "" for other files."""
        parts = self.path.split("/")
        if parts[0] in (ARRAYS_FOLDER, SKETCHES_FOLDER) and len(parts) > 2:
            return "/".join(parts[:2])
        return REUSE_FOLDER if parts[0] == REUSE_FOLDER else ""


def part_of(relative):
    """Return which part of a generation a file (relative path) belongs to."""
    if relative.startswith(ARRAYS_FOLDER + "/"):
        return ARRAYS
    if relative.startswith((SKETCHES_FOLDER + "/", REUSE_FOLDER + "/")):
        return REUSE
    return RECORD if relative in (BUILD_INFO, MANIFEST) else WHOOSH


def file_digest(path):
    """Return the SHA-256 of a file's content, as hex."""
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def recorded_files(folder):
    """Return the relative paths of every file a generation records: all but build.json and Whoosh's locks."""
    root = os.fspath(folder)
    found = []
    for where, _folders, names in os.walk(root):
        for name in names:
            relative = os.path.relpath(os.path.join(where, name), root).replace(os.sep, "/")
            if relative != BUILD_INFO and not name.endswith(NOT_COPIED) and not name.startswith("."):
                found.append(relative)
    return sorted(found)


def stat_key(stat):
    """Return what tells a file unchanged without reading it: its inode, size and modification time."""
    return [stat.st_ino, stat.st_size, stat.st_mtime_ns]


def remembered(folder):
    """Return the stat keys a generation remembers of its files last found right ({} when none)."""
    found = read_json(Path(folder) / VERIFIED)
    return found if isinstance(found, dict) else {}


def remember(folder, keys):
    """Remember the stat keys of a generation's files found right (a generation pruned meanwhile is left alone)."""
    if keys != remembered(folder):
        try:
            write_json(Path(folder) / VERIFIED, keys)
        except OSError:
            pass


def record_files(folder, verified=None):
    """Return {relative path: [size, SHA-256]} of a generation's files, and remember them as found right.

    verified, when given, is (folder, BuildInfo) of a generation whose digests were just
    checked: a file hard-linked from it (the same inode) keeps its digest without being read.
    """
    started = time.time_ns()
    carried = remembered(verified[0]) if verified else {}
    records, keys = {}, {}
    for relative in recorded_files(folder):
        stat = os.stat(Path(folder) / relative)
        digest = linked_digest(relative, stat, verified)
        if digest is None:
            digest = file_digest(Path(folder) / relative)
            if settled(stat.st_mtime_ns, started):
                keys[relative] = stat_key(stat)
        elif carried.get(relative) == stat_key(stat):
            keys[relative] = stat_key(stat)
        records[relative] = [stat.st_size, digest]
    remember(folder, keys)
    return records


def linked_digest(relative, stat, verified):
    """Return the verified generation's digest of a file when it is the same inode, else None."""
    if verified is None:
        return None
    source, info = verified
    known = info.files.get(relative)
    try:
        same = os.stat(Path(source) / relative).st_ino == stat.st_ino
    except OSError:
        return None
    return known[1] if same and known and known[0] == stat.st_size else None


def write_build_info(folder, corpus, reports, paragraphs, code, verified=None):
    """Record how the generation in folder was built and every file it holds (see record_files)."""
    info = BuildInfo(built_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
                     corpus=str(Path(corpus).resolve()), reports=reports, paragraphs=paragraphs,
                     code=code, format=FORMAT_VERSION, files=record_files(folder, verified))
    write_json(Path(folder) / BUILD_INFO, info.as_dict())
    return info


def read_build_info(folder):
    """Return a generation's BuildInfo; raises IndexUnusable naming what is wrong (OtherFormat for a version)."""
    path = Path(folder) / BUILD_INFO
    data = read_record(path, {field.name: field.type for field in fields(BuildInfo)})
    for relative, record in data["files"].items():
        if not (isinstance(record, list) and len(record) == 2 and isinstance(record[0], int)
                and isinstance(record[1], str)):
            raise IndexUnusable(path, f"its record of {relative} is not [size, digest]")
    return BuildInfo(**{field.name: data[field.name] for field in fields(BuildInfo)})


def build_info(index_dir):
    """Return what the live generation recorded about its build (a dict), or None when there is none or it is unreadable."""
    live = current_folder(index_dir)
    try:
        return read_build_info(live).as_dict() if live else None
    except IndexUnusable:
        return None


def size_problems(folder, info):
    """Return a Problem for each recorded file of a generation missing or not of its recorded size."""
    problems = []
    for relative, (recorded, _digest) in sorted(info.files.items()):
        try:
            size = os.stat(Path(folder) / relative).st_size
        except FileNotFoundError:
            problems.append(Problem(relative, "missing", part_of(relative)))
            continue
        except OSError as error:
            problems.append(Problem(relative, f"unreadable ({error.strerror})", part_of(relative)))
            continue
        if size != recorded:
            problems.append(Problem(relative, f"{size} bytes, {recorded} recorded", part_of(relative)))
    return problems


def verify(folder, trust_unchanged=False):
    """Return every Problem of a generation: its record unreadable, a file missing, resized or altered.

    With trust_unchanged, a file whose stat is the one remembered when it was last found right
    is not read again, and the files found right are remembered for next time.
    """
    started = time.time_ns()
    try:
        info = read_build_info(folder)
    except IndexUnusable as error:
        return [Problem(BUILD_INFO, error.reason, RECORD)]
    problems = size_problems(folder, info)
    resized = {problem.path for problem in problems}
    known = remembered(folder) if trust_unchanged else {}
    keys = {}
    for relative, (_size, digest) in sorted(info.files.items()):
        if relative in resized:
            continue
        stat = os.stat(Path(folder) / relative)
        key = stat_key(stat)
        if known.get(relative) == key:
            keys[relative] = key
        elif file_digest(Path(folder) / relative) == digest:
            if settled(stat.st_mtime_ns, started):
                keys[relative] = key
        else:
            problems.append(Problem(relative, "content differs from its recorded digest", part_of(relative)))
    if trust_unchanged and not problems:
        remember(folder, keys)
    return problems
