"""The index format, defined once: the arrays beside each Whoosh segment, how they are written and read.

Whoosh is the index of record: the documents, deletions and statistics, the jieba words, the
stored paragraphs and each report's metadata (indexer/index/store.py). Beside each Whoosh
segment lie arrays derived from that segment alone (indexer/index/derive.py), which the
search core reads memory-mapped instead of asking Whoosh:

    arrays/<segment id>/data.bin      every array of SegmentArrays below, one after another,
                                      each at a multiple of ALIGNMENT bytes
    arrays/<segment id>/layout.json   the format version, the segment's paragraph count, where
                                      each array starts and how many values it holds, the
                                      segment's section names and its report table

Text reuse (indexer/reuse/) adds, in the same data.bin + layout.json form:

    sketches/<segment id>/            the MinHash sketches of the segment's eligible paragraphs
                                      (SegmentSketches), written once like its arrays
    reuse/                            the generation's near-identical pairs of texts and their
                                      groups (ReuseData), written again by every rebuild

This module is their only writer and their only reader. Arrays and sketches are written once,
when a segment is new, never rewritten, and shared by hard links between generations; being
derived, they can be written again from the Whoosh index alone (python -m indexer arrays).
FORMAT_VERSION is recorded with every generation (build.json) and in every layout, and a
generation of any other version is refused with the command that rebuilds it.
"""
from __future__ import annotations  # the arrays' annotations name numpy without importing it

import hashlib
import json
import mmap
import os
import shutil
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING

from model.report import Report

if TYPE_CHECKING:
    import numpy as np

# Bump whenever the Whoosh schema, the analyzer, the stored fields or the arrays change meaning:
# a generation built with another version is refused, and rebuild --if-stale replaces it.
# 1 (never recorded): an .npy file per array, values.json, and the clean reports copied beside.
# 2: arrays of each segment in one data.bin. 3: sketches of each segment and the reuse data.
# 4: the words field is analysis.WordsField (the same postings, counted faster).
FORMAT_VERSION = 4
REBUILD_COMMAND = ".venv/bin/python -m indexer rebuild"
FOLDER = "arrays"
SKETCHES_FOLDER = "sketches"
REUSE_FOLDER = "reuse"
DATA_FILE = "data.bin"
LAYOUT_FILE = "layout.json"
# Every array starts at a multiple of this many bytes, so that each is aligned for its type.
ALIGNMENT = 64
# Byte positions are stored in 32 bits: a segment's normalized text stays below 4 GB.
MAX_SEGMENT_BYTES = 1 << 32

# What one row of an array is: how many rows it has follows from the segment's paragraph
# count for the first two; the others have as many as their own content.
PARAGRAPH = "paragraph"
PARAGRAPH_BOUNDS = "paragraph, and one more for the end"
ROWS_OF_PARAGRAPHS = {PARAGRAPH: 0, PARAGRAPH_BOUNDS: 1}
SKETCHED = "sketched paragraph"
TEXT = "text"
PAIR = "near-identical pair"


def array(dtype, rows, meaning):
    """Declare one array of a segment: its numpy type's name, what one row is, and what a value means."""
    return field(metadata={"dtype": dtype, "rows": rows, "meaning": meaning})


@dataclass(frozen=True)
class SegmentArrays:
    """One segment's arrays (memory-mapped, read-only), section names and report table.

    Local document numbers are Whoosh's within the segment, deleted documents included
    (the search core masks them with Whoosh's deletions).
    """

    segment_id: str
    paragraphs: int
    # The section class of each code of the section_class array.
    section_names: list
    # The report table: one Report per row, everything of it but its paragraphs.
    reports: list
    # Per paragraph: the columns filters, facets, sorts and ranking read.
    report: np.ndarray = array("uint32", PARAGRAPH, "row of the paragraph's report in the report table")
    n: np.ndarray = array("int32", PARAGRAPH, "the paragraph's number in its report, from 1")
    heading: np.ndarray = array("bool", PARAGRAPH, "the paragraph is a heading")
    section_class: np.ndarray = array("uint32", PARAGRAPH, "code of the paragraph's section class")
    word_lengths: np.ndarray = array("float32", PARAGRAPH, "Whoosh's stored length of its words field (BM25)")
    # The normalized text: an exact phrase is a run of its bytes here.
    starts: np.ndarray = array("int64", PARAGRAPH_BOUNDS, "byte offset of the paragraph's text in norm")
    norm: np.ndarray = array("uint8", "byte of text", "every paragraph's normalized text, UTF-8, in order")
    sentence_bounds: np.ndarray = array("int64", "sentence", "byte offset in norm where a sentence begins"
                                        " (paragraph starts included), ascending")
    # Character bigrams: a key is a character's number times (len(alphabet) + 1) plus the next
    # character's number, or plus len(alphabet) when the character ends its paragraph.
    alphabet: np.ndarray = array("uint32", "distinct character", "code point; a character's number is its row")
    gram_keys: np.ndarray = array("int64", "distinct bigram", "its key, ascending")
    gram_offsets: np.ndarray = array("int64", "distinct bigram, and one more for the end",
                                     "first row of its positions in gram_positions")
    gram_positions: np.ndarray = array("uint32", "bigram occurrence", "byte offset in norm where it starts,"
                                       " ascending per bigram")
    # The jieba words Whoosh indexed, with their postings copied out of Whoosh's blocks.
    word_hashes: np.ndarray = array("uint64", "distinct word", "word_hash() of its UTF-8 text, ascending")
    word_text_starts: np.ndarray = array("int64", "distinct word, and one more for the end",
                                         "byte offset of its UTF-8 text in word_texts")
    word_texts: np.ndarray = array("uint8", "byte of text", "every word's UTF-8 text, in word_hashes order")
    word_offsets: np.ndarray = array("int64", "distinct word, and one more for the end",
                                     "first row of its postings in word_docs and word_frequencies")
    word_docs: np.ndarray = array("int32", "posting", "local document number holding the word, ascending per word")
    word_frequencies: np.ndarray = array("float32", "posting", "the word's frequency in that paragraph")

    def word_text(self, place):
        """Return the UTF-8 text of the word in row place of word_hashes."""
        start, end = self.word_text_starts[place:place + 2]
        return self.word_texts[start:end].tobytes()


@dataclass(frozen=True)
class SegmentSketches:
    """The MinHash sketches of one segment's paragraphs that reuse detection compares (indexer/reuse/).

    Eligible paragraphs only (indexer/reuse/sketch.py): not headings, long enough. A sketched
    paragraph's band keys and signature bytes are rows of settings["bands"] and settings["num_perm"].
    """

    segment_id: str
    settings: dict
    docs: np.ndarray = array("uint32", SKETCHED, "its local document number, ascending")
    text_hashes: np.ndarray = array("uint64", SKETCHED, "text_hash() of its normalized text")
    band_keys: np.ndarray = array("uint32", "sketched paragraph × band", "the LSH key of one band")
    signatures: np.ndarray = array("uint8", "sketched paragraph × permutation", "low byte of a MinHash value")


@dataclass(frozen=True)
class ReuseData:
    """A generation's near-identical texts: every text compared, its pairs, and the group of each.

    A text is a distinct normalized paragraph text of an eligible paragraph, known by its hash;
    pairs are rows of texts whose exact Jaccard similarity reached settings["threshold"].
    """

    settings: dict
    texts: np.ndarray = array("uint64", TEXT, "text_hash() of a text compared, ascending")
    leader: np.ndarray = array("int32", TEXT, "row of the earliest text of its group; -1 when no other"
                               " report holds it or a text near-identical to it")
    pair_first: np.ndarray = array("uint32", PAIR, "row of one text of the pair (the smaller row)")
    pair_second: np.ndarray = array("uint32", PAIR, "row of the other text")
    pair_similarity: np.ndarray = array("float32", PAIR, "the exact Jaccard similarity of their shingle sets")


# What a layout.json holds besides its version, and the type of each.
LAYOUT_KINDS = {"paragraphs": int, "arrays": dict, "section_names": list, "reports": list}
SKETCH_LAYOUT_KINDS = {"arrays": dict, "settings": dict}
REUSE_LAYOUT_KINDS = {"arrays": dict, "settings": dict}


def table(kind):
    """Return the arrays of a typed table: (name, numpy type, what one row is, what a value means), in file order."""
    return tuple((f.name, f.metadata["dtype"], f.metadata["rows"], f.metadata["meaning"])
                 for f in fields(kind) if "dtype" in f.metadata)


# numpy is imported only where arrays are read or written: a rebuild that finds nothing
# changed, which checks the record, starts faster without it.
ARRAYS = table(SegmentArrays)
SKETCHES = table(SegmentSketches)
REUSE = table(ReuseData)


class IndexUnusable(Exception):
    """A generation, or a file of it, that cannot be served: the message names the file, why, and the repair."""

    def __init__(self, path, reason):
        self.path, self.reason = Path(path), reason
        super().__init__(f"{path}: {reason}; rebuild the index with: {REBUILD_COMMAND}")


class OtherFormat(IndexUnusable):
    """A generation or segment written in another version of the index format, or with another schema."""


def version_mismatch(path, found):
    """Return the OtherFormat error of a file that records format version found (None: none recorded)."""
    built = f"format {found}" if found is not None else "an older format (before versions were recorded)"
    return OtherFormat(path, f"built in {built}, but this code reads index format {FORMAT_VERSION}")


def word_hash(encoded):
    """Return the 64-bit hash a jieba word (as UTF-8) is looked up by in word_hashes."""
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little")


def segment_folder(folder, segment_id):
    """Return where the arrays of one segment of a generation live."""
    return Path(folder) / FOLDER / segment_id


def report_table_entry(report):
    """Return a report's entry in a segment's report table, as the layout stores it: its id and metadata."""
    return dict(report.metadata(), report_id=report.report_id)


def write_table(target, arrays, header, values):
    """Write a folder of arrays (every one of the table arrays, by name) and its layout with header.

    They are written into a new folder renamed into place, so the arrays are either all
    there or not at all.
    """
    target = Path(target)
    partial = target.with_name(target.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    import numpy as np
    unknown = set(values) - {name for name, *_ in arrays}
    if unknown:
        raise ValueError(f"not arrays of the index format: {sorted(unknown)}")
    layout = {}
    with open(partial / DATA_FILE, "wb") as out:
        for name, dtype, _rows, _meaning in arrays:
            data = np.ascontiguousarray(values[name], dtype=dtype)
            out.write(b"\0" * (-out.tell() % ALIGNMENT))
            layout[name] = [out.tell(), len(data)]
            out.write(data)  # its buffer: tobytes() copied it, the segment's largest arrays twice over
    (partial / LAYOUT_FILE).write_text(json.dumps(dict(header, format=FORMAT_VERSION, arrays=layout),
                                                  ensure_ascii=False), encoding="utf-8")
    partial.rename(target)


def write_segment(folder, segment_id, section_names, reports, **values):
    """Write a segment's arrays (every one of ARRAYS, by name), section names and report table."""
    write_table(segment_folder(folder, segment_id), ARRAYS, {
        "segment": segment_id, "paragraphs": len(values["n"]), "section_names": list(section_names),
        "reports": [report_table_entry(report) for report in reports]}, values)


def sketches_folder(folder, segment_id):
    """Return where the sketches of one segment of a generation live."""
    return Path(folder) / SKETCHES_FOLDER / segment_id


def write_sketches(folder, segment_id, settings, **values):
    """Write the sketches of a segment (every one of SKETCHES, by name) and the settings they were made with."""
    write_table(sketches_folder(folder, segment_id), SKETCHES, {"segment": segment_id, "settings": settings}, values)


def write_reuse(folder, settings, **values):
    """Write a generation's reuse data (every one of REUSE, by name) and the settings it was computed with."""
    write_table(Path(folder) / REUSE_FOLDER, REUSE, {"settings": settings}, values)


def read_record(path, kinds):
    """Return a JSON object of the format (build.json, a layout) after checking its version and the type of each key of kinds.

    Raises IndexUnusable naming the file and what is wrong (OtherFormat for another version).
    """
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise IndexUnusable(path, "missing") from None
    except (OSError, ValueError) as error:
        raise IndexUnusable(path, f"unreadable ({error})") from None
    if not isinstance(data, dict):
        raise IndexUnusable(path, f"not a JSON object but {type(data).__name__}")
    if data.get("format") != FORMAT_VERSION:
        raise version_mismatch(path, data.get("format"))
    for key, kind in kinds.items():
        value = data.get(key)
        # bool is an int to Python, never to the format.
        if not isinstance(value, kind) or isinstance(value, bool):
            raise IndexUnusable(path, f"its {key} is missing or not a {kind.__name__}")
    return data


def mapped(path):
    """Return a file's bytes as a read-only memory map (empty bytes for an empty file) and its size."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        return (mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) if size else b""), size


def view(data, size, path, name, dtype, place):
    """Return one array as a view of the mapped data file, after checking it lies inside."""
    import numpy as np
    dtype = np.dtype(dtype)
    try:
        offset, count = (int(value) for value in place)
    except (TypeError, ValueError):
        raise IndexUnusable(path, f"the layout of {name} is not [offset, count]") from None
    if offset % ALIGNMENT or offset < 0 or count < 0 or offset + count * dtype.itemsize > size:
        raise IndexUnusable(path, f"{name} ({count} values at byte {offset}) does not fit in {size} bytes")
    return np.frombuffer(data, dtype, count, offset) if count else np.empty(0, dtype)


def check_rows(path, arrays):
    """Raise IndexUnusable unless every array has the rows its layout promises and codes stay in their tables."""
    for name, _dtype, rows, _meaning in ARRAYS:
        extra = ROWS_OF_PARAGRAPHS.get(rows)
        if extra is not None and len(getattr(arrays, name)) != arrays.paragraphs + extra:
            raise IndexUnusable(path, f"{name} has {len(getattr(arrays, name))} rows for"
                                      f" {arrays.paragraphs} paragraphs")
    for codes, names in ((arrays.report, arrays.reports), (arrays.section_class, arrays.section_names)):
        if len(codes) and int(codes.max()) >= len(names):
            raise IndexUnusable(path, f"a code points past its table of {len(names)}")


def read_table(where, arrays, kinds):
    """Return (layout, {name: view}) of a folder of arrays, memory-mapped, its layout checked against kinds.

    Raises IndexUnusable (OtherFormat for another version) naming the file and the problem.
    """
    layout = read_record(Path(where) / LAYOUT_FILE, kinds)
    return layout, mapped_views(where, arrays, layout)


def mapped_views(where, arrays, layout):
    """Return {name: view} of a folder's arrays, memory-mapped where its (checked) layout places them."""
    path = Path(where) / DATA_FILE
    try:
        data, size = mapped(path)
    except OSError as error:
        raise IndexUnusable(path, f"unreadable ({error.strerror or error})") from None
    return {name: view(data, size, path, name, dtype, layout["arrays"].get(name))
            for name, dtype, _rows, _meaning in arrays}


def read_segment(folder, segment_id, paragraphs, known=None):
    """Return the arrays of one segment of that many paragraphs, memory-mapped and checked.

    known is its (layout without the report table, report table) as segment_layout() read them
    before, kept by a server that opened the same generation (search/opened.py).
    Raises IndexUnusable (OtherFormat for another version) naming the file and the problem.
    """
    where = segment_folder(folder, segment_id)
    layout, reports = known or segment_layout(folder, segment_id)
    if layout["paragraphs"] != paragraphs:
        raise IndexUnusable(where / LAYOUT_FILE, f"arrays of {layout['paragraphs']} paragraphs for a Whoosh"
                                                 f" segment of {paragraphs}")
    arrays = SegmentArrays(segment_id=segment_id, paragraphs=layout["paragraphs"],
                           section_names=layout["section_names"], reports=reports,
                           **mapped_views(where, ARRAYS, layout))
    check_rows(where / DATA_FILE, arrays)
    return arrays


def segment_layout(folder, segment_id):
    """Return one segment's (layout without its report table, report table as Reports), checked."""
    where = segment_folder(folder, segment_id)
    layout = read_record(where / LAYOUT_FILE, LAYOUT_KINDS)
    try:
        reports = [Report.from_metadata(row["report_id"], row) for row in layout.pop("reports")]
    except (KeyError, TypeError) as error:
        raise IndexUnusable(where / LAYOUT_FILE, f"a report table row is unreadable ({error})") from None
    return layout, reports


def check_settings(path, layout, settings):
    """Raise OtherFormat unless a layout records the reuse settings this code computes with."""
    if layout["settings"] != settings:
        raise OtherFormat(path, f"computed with other reuse settings ({layout['settings']}) than this code's"
                                f" ({settings})")


def check_count(path, name, found, expected):
    """Raise IndexUnusable unless an array holds the number of values its table promises."""
    if found != expected:
        raise IndexUnusable(path, f"{name} has {found} values, {expected} expected")


def read_sketches(folder, segment_id, paragraphs, settings):
    """Return the sketches of one segment of that many paragraphs, memory-mapped and checked.

    Raises IndexUnusable (OtherFormat for another version or other settings) naming the file.
    """
    where = sketches_folder(folder, segment_id)
    layout, views = read_table(where, SKETCHES, SKETCH_LAYOUT_KINDS)
    check_settings(where / LAYOUT_FILE, layout, settings)
    sketches = SegmentSketches(segment_id=segment_id, settings=layout["settings"], **views)
    path, count = where / DATA_FILE, len(sketches.docs)
    check_count(path, "text_hashes", len(sketches.text_hashes), count)
    check_count(path, "band_keys", len(sketches.band_keys), count * settings["bands"])
    check_count(path, "signatures", len(sketches.signatures), count * settings["num_perm"])
    if count and int(sketches.docs[-1]) >= paragraphs:
        raise IndexUnusable(path, f"a sketched paragraph lies past the segment's {paragraphs}")
    return sketches


def read_reuse(folder, settings):
    """Return a generation's reuse data, memory-mapped and checked.

    Raises IndexUnusable (OtherFormat for another version or other settings) naming the file.
    """
    where = Path(folder) / REUSE_FOLDER
    layout, views = read_table(where, REUSE, REUSE_LAYOUT_KINDS)
    check_settings(where / LAYOUT_FILE, layout, settings)
    reuse = ReuseData(settings=layout["settings"], **views)
    path, texts, pairs = where / DATA_FILE, len(reuse.texts), len(reuse.pair_first)
    check_count(path, "leader", len(reuse.leader), texts)
    check_count(path, "pair_second", len(reuse.pair_second), pairs)
    check_count(path, "pair_similarity", len(reuse.pair_similarity), pairs)
    for codes in (reuse.pair_first, reuse.pair_second, reuse.leader):
        if len(codes) and int(codes.max()) >= texts:
            raise IndexUnusable(path, f"a text row points past its table of {texts}")
    return reuse
