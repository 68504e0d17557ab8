"""What opening a generation works out of its segments, kept mapped in the user's cache folder.

Opening a generation merges its segments' report tables and columns and lays its reuse data
over the document numbers: per-report Python work that grows with the reports (some 8 s of
CPU at 10^6 paragraphs, 33,000 reports). A generation never changes, so the result is worked
out once and kept in one file, named by the generation's build.json and this code: a pickle
whose numpy arrays lie out of band, after it, each at a multiple of ALIGNMENT bytes. Opened
again, the pickle is read and every array is a read-only view of the mapped file: no copy,
and one copy in memory for a server's master and all its workers, also for a generation a
worker opens after a rebuild. The report table is kept as its JSON rows, each made a Report
when first asked for.
"""
import hashlib
import json
import mmap
import os
import pickle
import struct
from pathlib import Path

import numpy as np

from indexer.index.buildinfo import BUILD_INFO
from indexer.index.format import report_table_entry
from model.cachefile import cache_path, keep_newest
from model.registry import FACETS
from model.report import Report

# Every array starts at a multiple of this many bytes in the file, aligned for its type.
ALIGNMENT = 64
# Plans kept at most, of every generation: the least recently written go first. An opened generation is kept
# as long as its folder exists (beside it, a file names the folder).
PLANS_KEPT = 512
# The file begins with the pickle's length and the number of arrays after it (little-endian).
HEADER = struct.Struct("<QQ")
# Each array's place in the file: its offset and length in bytes.
PLACE = struct.Struct("<QQ")
ROOT = Path(__file__).resolve().parent.parent
# The code whose change may change what is kept (a generation opened, a plan's matches): the file is
# named by it. Whole packages rather than a list of modules, so that a module added to them, or one
# a listed module starts to import, cannot leave a stale file served; a change elsewhere in them only
# costs one opening worked out again.
CODE = sorted([*ROOT.glob("model/**/*.py"), *ROOT.glob("model/*.txt"), *ROOT.glob("search/*.py"),
               *ROOT.glob("indexer/index/*.py"), *ROOT.glob("indexer/reuse/*.py")])


class ReportTable:
    """A generation's report table by report code: each row kept as JSON, made a Report (once) when asked for."""

    def __init__(self, rows, offsets):
        """Hold the rows' UTF-8 JSON bytes end to end and where each row starts (one more offset than rows)."""
        self.rows, self.offsets = rows, offsets
        self.made = {}

    @classmethod
    def of(cls, reports):
        """Return the table of a list of Reports, in their order."""
        encoded = [json.dumps(report_table_entry(report), ensure_ascii=False).encode("utf-8") for report in reports]
        offsets = np.zeros(len(encoded) + 1, np.int64)
        np.cumsum([len(row) for row in encoded], out=offsets[1:])
        return cls(np.frombuffer(b"".join(encoded), np.uint8).copy(), offsets)

    def __len__(self):
        """Return the number of reports in the table."""
        return len(self.offsets) - 1

    def __getitem__(self, code):
        """Return the Report of a report code, without its paragraphs."""
        code = int(code)
        if code < 0:
            code += len(self)
        if not 0 <= code < len(self):
            raise IndexError(f"report code {code} of a table of {len(self)}")
        report = self.made.get(code)
        if report is None:
            row = json.loads(self.rows[self.offsets[code]:self.offsets[code + 1]].tobytes())
            report = self.made[code] = Report.from_metadata(row["report_id"], row)
        return report

    def __iter__(self):
        """Yield the Report of every code, in code order."""
        return (self[code] for code in range(len(self)))

    def __getstate__(self):
        """Pickle the rows, not the Reports made from them."""
        return {"rows": self.rows, "offsets": self.offsets, "made": {}}


def kept_path(folder):
    """Return where the opened state of the generation in folder is kept."""
    path = cache_path(Path(folder).resolve() / BUILD_INFO, "opened", CODE)
    # The facets registered when it runs make the columns as much as the code does (a test registers one more).
    facets = hashlib.sha1(repr([facet.name for facet in FACETS]).encode("utf-8")).hexdigest()[:8]
    return path.with_name(f"{path.stem}{facets}.bin")


def plan_path(opened_path, key):
    """Return where the matches of a plan (its key) over the generation opened at opened_path are kept."""
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    return opened_path.with_name(f"plan-{opened_path.stem.partition('-')[2]}-{digest}.bin")


def shared(path, work_out):
    """Return the state kept at path, or work_out() kept there and read back mapped."""
    state = read(path)
    return state if state is not None else kept(path, work_out())


def kept(path, state):
    """Keep a state at path and return it read back, mapped (the state itself when it cannot be written)."""
    try:
        write(path, state)
    except OSError:
        return state  # no writable cache folder: worked out again next time
    back = read(path)
    return state if back is None else back


def write(path, state):
    """Write a state to path (whole or not at all): its pickle, then its numpy arrays out of band, aligned."""
    buffers = []
    pickled = pickle.dumps(state, protocol=5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    start = HEADER.size + PLACE.size * len(views) + len(pickled)
    places = []
    for view in views:
        start += -start % ALIGNMENT
        places.append((start, view.nbytes))
        start += view.nbytes
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    with open(partial, "wb") as out:
        out.write(HEADER.pack(len(pickled), len(views)))
        out.writelines(PLACE.pack(*place) for place in places)
        out.write(pickled)
        for (offset, _size), view in zip(places, views):
            out.write(b"\0" * (offset - out.tell()))
            out.write(view)
    partial.replace(path)  # a reader never sees half a file
    if path.name.startswith("plan-"):
        keep_newest(path.parent, "plan-*.bin", PLANS_KEPT)


def forget_removed(cache):
    """Remove what is kept of generations whose folder is gone (a rebuild removes the generation before last)."""
    for named in cache.glob("opened-*.folder"):
        try:
            gone = not Path(named.read_text(encoding="utf-8")).is_dir()
        except OSError:
            continue  # removed meanwhile by another process
        if gone:
            key = named.stem.partition("-")[2]
            for stale in [named.with_suffix(".bin"), *cache.glob(f"plan-{key}-*.bin"), named]:
                stale.unlink(missing_ok=True)


def read(path):
    """Return the state kept at path, its arrays read-only views of the mapped file; None when there is none
    or it is not a whole file of ours."""
    try:
        with open(path, "rb") as handle:
            data = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):
        return None  # none yet (or empty)
    try:
        memory = memoryview(data)
        size, count = HEADER.unpack_from(memory)
        places = [PLACE.unpack_from(memory, HEADER.size + PLACE.size * row) for row in range(count)]
        start = HEADER.size + PLACE.size * count
        if start + size > len(data) or any(offset + length > len(data) for offset, length in places):
            return None
        return pickle.loads(memory[start:start + size], buffers=[memory[offset:offset + length]
                                                                 for offset, length in places])
    except (struct.error, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError, TypeError,
            ValueError):
        return None  # not a whole file of ours: worked out again


def opened(folder, work_out):
    """Return the opened state of the generation in folder: kept, or work_out() and kept (then read back mapped)."""
    path = kept_path(folder)

    def named_and_worked_out():
        """Name the folder beside what is kept of it (forgetting what is kept of removed ones), then work it out."""
        try:
            forget_removed(path.parent)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.with_suffix(".folder").write_text(str(Path(folder).resolve()), encoding="utf-8")
        except OSError:
            pass  # no writable cache folder: kept() keeps nothing either
        return work_out()
    return shared(path, named_and_worked_out)
