"""The reuse stage of a rebuild: sketch the segments that have no sketches, compare only the texts
not compared before, and group every text under its earliest near-identical one.

A full build compares every text with every other (through the LSH bands); an update starts
from the live generation's reuse data: its pairs stand while both texts are still in the
corpus, and only the texts it did not hold are looked up, so changing a report compares about
that report's paragraphs. The groups are recomputed whole each time: a report added with an
earlier date can change which text came first.
"""
import mmap
import multiprocessing
import os
import shutil
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.index.derive import leaves, sorted_distinct
from indexer.index.format import (REUSE_FOLDER, SKETCHES_FOLDER, IndexUnusable, read_reuse, read_segment,
                                  read_sketches, sketches_folder, write_reuse, write_sketches)
from indexer.index.internals import reading_index

from .groups import first_appearance, leaders, paragraph_ranks, report_ranks, spanning
from .pairs import near_pairs
from .settings import BANDS, NUM_PERM, REUSE_SETTINGS, SETTINGS
from .sketch import eligible, sketch

# Texts whose band keys and signatures are copied to the scratch files at once (384 bytes each).
TEXTS_AT_ONCE = 50_000


@dataclass
class ReuseSummary:
    """What a reuse stage did: texts compared, new ones, near-identical pairs, and its time."""

    texts: int
    new: int
    pairs: int
    seconds: float

    def line(self):
        """Return the stage as a part of the rebuild's summary line."""
        return f"reuse: {self.pairs} near-identical pairs, {self.new} of {self.texts} texts compared, {self.seconds:.1f} s"


def paragraph_text(arrays, doc):
    """Return the normalized text of a segment's paragraph (local document number doc)."""
    start, end = arrays.starts[doc:doc + 2]
    return arrays.norm[start:end].tobytes().decode("utf-8")


def sketch_segment(folder, segment_id, paragraphs):
    """Write the sketches of one segment's eligible paragraphs, read from its arrays."""
    arrays = read_segment(folder, segment_id, paragraphs)
    docs, norms = [], []
    for doc in range(paragraphs):
        norm = paragraph_text(arrays, doc)
        if eligible(norm, bool(arrays.heading[doc])):
            docs.append(doc)
            norms.append(norm)
    write_sketches(folder, segment_id, SETTINGS, docs=np.array(docs, np.uint32), **sketch(norms))


def sketched(folder, segment_id, paragraphs):
    """Tell whether a segment has readable sketches made with this code's settings."""
    try:
        read_sketches(folder, segment_id, paragraphs, SETTINGS)
    except IndexUnusable:
        return False
    return True


def sketch_segments(folder, segments, processes=1):
    """Sketch every segment ((id, paragraphs) pairs) that has no usable sketches; remove those of gone segments."""
    missing = [(segment_id, paragraphs) for segment_id, paragraphs in segments
               if not sketched(folder, segment_id, paragraphs)]
    for segment_id, _paragraphs in missing:
        shutil.rmtree(sketches_folder(folder, segment_id), ignore_errors=True)
    if processes > 1 and len(missing) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(processes, len(missing)), mp_context=context) as pool:
            list(pool.map(sketch_segment, [folder] * len(missing), *zip(*missing)))
    else:
        for segment_id, paragraphs in missing:
            sketch_segment(folder, segment_id, paragraphs)
    root = Path(folder) / SKETCHES_FOLDER
    present = {segment_id for segment_id, _paragraphs in segments}
    for stale in root.iterdir() if root.is_dir() else ():
        if stale.name not in present:
            shutil.rmtree(stale, ignore_errors=True)


@dataclass
class Corpus:
    """The live sketched paragraphs of a generation, one row each, and where to read their texts."""

    hashes: np.ndarray       # text hash of each paragraph
    report_rank: np.ndarray  # its report's rank in publication order
    n: np.ndarray            # its number in its report
    segment: np.ndarray      # its segment's place in segments
    doc: np.ndarray          # its local document number there
    sketched: np.ndarray     # its row among its segment's sketches
    segments: list           # the arrays of each segment

    def text(self, row):
        """Return the normalized text of paragraph row."""
        return paragraph_text(self.segments[self.segment[row]], int(self.doc[row]))

    def let_go(self):
        """Drop the pages of the segments' arrays read so far from resident memory (the page cache keeps them).

        Texts are read through memory maps, whose pages stay resident while mapped: read for
        the exact check, they would add up to every text of the corpus (43 MB at 10^5
        paragraphs, ten times that at 10^6).
        """
        for arrays in self.segments:
            drop_pages(arrays.norm)


def live_paragraphs(folder, reader):
    """Return the Corpus of the live (not deleted) sketched paragraphs of a generation's segments.

    Only a few numbers a paragraph are kept: the band keys and signatures are read for the
    distinct texts only (text_sketches()).
    """
    parts, reports = [], {}
    for segment_id, leaf, _offset in leaves(reader):
        count = leaf.doc_count_all()
        arrays, sketches = read_segment(folder, segment_id, count), read_sketches(folder, segment_id, count, SETTINGS)
        docs = np.asarray(sketches.docs, np.int64)
        live = np.isin(docs, np.fromiter(leaf.all_doc_ids(), np.int64)) if leaf.has_deletions() else np.ones(len(docs), bool)
        codes = np.asarray(arrays.report)[docs[live]]
        for code in sorted_distinct(codes).tolist():
            # A report updated since the full build is live only in its newer segment.
            reports[arrays.reports[code].report_id] = arrays.reports[code]
        parts.append((arrays, docs[live], codes, np.flatnonzero(live), np.array(sketches.text_hashes)[live]))
    order = sorted(reports)
    rank = dict(zip(order, report_ranks([reports[report_id] for report_id in order]).tolist()))
    # Each segment's report table by rank (-1 for a report no live paragraph is compared in).
    ranks = [np.array([rank.get(report.report_id, -1) for report in part[0].reports], np.int64) for part in parts]

    def joined(values, empty):
        """Return per-segment arrays one after another."""
        return np.concatenate(values) if values else empty
    return Corpus(
        hashes=joined([hashes for *_, hashes in parts], np.empty(0, np.uint64)),
        report_rank=joined([table[codes] for table, (_a, _d, codes, *_r) in zip(ranks, parts)], np.empty(0, np.int64)),
        n=joined([np.asarray(arrays.n)[docs] for arrays, docs, *_ in parts], np.empty(0, np.int32)),
        segment=joined([np.full(len(docs), place) for place, (_a, docs, *_r) in enumerate(parts)], np.empty(0, np.int64)),
        doc=joined([docs for _a, docs, *_ in parts], np.empty(0, np.int64)),
        sketched=joined([rows for *_, rows, _hashes in parts], np.empty(0, np.int64)),
        segments=[arrays for arrays, *_ in parts],
    )


def text_sketches(folder, corpus, rows):
    """Return (band keys, signatures) of the paragraphs rows (one per distinct text) as arrays mapped from scratch
    files in folder: band keys a band after another (a band's keys are one run), signatures a text after another.

    Held in memory they took 384 bytes a text (a quarter of a GB at 10^6 paragraphs); mapped, only
    the pages read since the last let_go() are resident. They are copied TEXTS_AT_ONCE texts at a
    time, each block's rows gathered from every segment's sketches.
    """
    count = len(rows)
    keys_file = tempfile.TemporaryFile(dir=folder, prefix="band-keys-")
    signatures_file = tempfile.TemporaryFile(dir=folder, prefix="signatures-")
    keys_file.truncate(BANDS * count * 4)
    for start in range(0, count, TEXTS_AT_ONCE):
        block = rows[start:start + TEXTS_AT_ONCE]
        band_keys = np.empty((len(block), BANDS), np.uint32)
        signatures = np.empty((len(block), NUM_PERM), np.uint8)
        for place, arrays in enumerate(corpus.segments):
            mine = np.flatnonzero(corpus.segment[block] == place)
            sketches = read_sketches(folder, arrays.segment_id, arrays.paragraphs, SETTINGS)
            sketched = corpus.sketched[block[mine]]
            band_keys[mine] = np.asarray(sketches.band_keys).reshape(-1, BANDS)[sketched]
            signatures[mine] = np.asarray(sketches.signatures).reshape(-1, NUM_PERM)[sketched]
            del sketches  # unmapped: its pages read count as resident only while mapped
        for band in range(BANDS):
            os.pwrite(keys_file.fileno(), np.ascontiguousarray(band_keys[:, band]).tobytes(), (band * count + start) * 4)
        signatures_file.write(signatures.tobytes())
    signatures_file.flush()
    with keys_file, signatures_file:
        # Mapped with no rows, numpy refuses: empty arrays instead.
        if not count:
            return np.empty((0, BANDS), np.uint32), np.empty((0, NUM_PERM), np.uint8)
        return (np.memmap(keys_file, np.uint32, mode="r", shape=(BANDS, count)).T,
                np.memmap(signatures_file, np.uint8, mode="r", shape=(count, NUM_PERM)))


def drop_pages(array):
    """Drop the pages of the file an array is mapped from out of resident memory (the page cache keeps them)."""
    base = array
    while base is not None and not isinstance(base, (memoryview, mmap.mmap)):
        base = getattr(base, "_mmap", None) or base.base
    mapping = base.obj if isinstance(base, memoryview) else base
    if isinstance(mapping, mmap.mmap):
        mapping.madvise(mmap.MADV_DONTNEED)


def previous_pairs(previous, texts):
    """Return (texts compared before, kept pairs as rows of texts and similarities) from a previous generation.

    A pair stands while both its texts are still in the corpus; with no usable previous reuse
    data, nothing was compared before.
    """
    empty = (np.zeros(len(texts), bool), np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))
    if previous is None:
        return empty
    try:
        data = read_reuse(previous, REUSE_SETTINGS)
    except IndexUnusable:
        return empty
    known = np.isin(texts, data.texts)
    first, second = np.asarray(data.texts)[data.pair_first], np.asarray(data.texts)[data.pair_second]
    kept = np.isin(first, texts) & np.isin(second, texts)
    return (known, np.searchsorted(texts, first[kept]), np.searchsorted(texts, second[kept]),
            np.asarray(data.pair_similarity)[kept])


def find_reuse(folder, previous=None, processes=1):
    """Run the reuse stage on the generation in folder (its Whoosh index and arrays written); return a ReuseSummary.

    previous is the generation it was updated from, whose reuse data spares comparing again; up to processes
    processes sketch segments, make the texts' shingle sets and check candidates (pairs.near_pairs()).
    """
    started = time.perf_counter()
    with reading_index(folder).reader() as reader:
        sketch_segments(folder, [(segment_id, leaf.doc_count_all()) for segment_id, leaf, _ in leaves(reader)],
                        processes)
        corpus = live_paragraphs(folder, reader)
    texts, first_row, text_of = np.unique(corpus.hashes, return_index=True, return_inverse=True)
    text_of = text_of.ravel()
    known, old_first, old_second, old_similarity = previous_pairs(previous, texts)
    seen = first_appearance(text_of, paragraph_ranks(corpus.report_rank, corpus.n), len(texts))
    band_keys, signatures = text_sketches(folder, corpus, first_row)

    def let_go():
        """Drop what was read of the texts and of their sketches from resident memory."""
        corpus.let_go()
        drop_pages(band_keys)
        drop_pages(signatures)
    first, second, similarity = near_pairs(band_keys, signatures, ~known, lambda text: corpus.text(int(first_row[text])),
                                           seen, (old_first, old_second), scratch=folder, let_go=let_go,
                                           processes=processes)
    del band_keys, signatures, let_go
    if len(old_first):  # an update; a full build's pairs (5.9 M at 10^6 paragraphs) are not copied for nothing
        first, second = np.concatenate([old_first, first]), np.concatenate([old_second, second])
        similarity = np.concatenate([old_similarity, similarity])
    leader = spanning(leaders(seen, first, second), text_of, corpus.report_rank, len(texts))
    shutil.rmtree(Path(folder) / REUSE_FOLDER, ignore_errors=True)
    write_reuse(folder, REUSE_SETTINGS, texts=texts, leader=leader, pair_first=first, pair_second=second,
                pair_similarity=similarity)
    return ReuseSummary(texts=len(texts), new=int((~known).sum()), pairs=len(first),
                        seconds=time.perf_counter() - started)
