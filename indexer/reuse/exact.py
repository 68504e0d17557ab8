"""The exact check of candidate pairs: the Jaccard similarity of their shingle sets, in bounded memory.

Every text a candidate pair involves has its shingle set (sketch.py many_shingles()) computed once, when
a pair first needs it, and written to a scratch file that lasts the whole reuse stage; the pairs
are compared a chunk at a time, each chunk reading back only the sets of its own texts. Holding
every set at once took about 1 KB a text: 925 MB for the 62,547 texts of 100,000 paragraphs,
gigabytes at a million.

A chunk's sets are rows of a sparse matrix whose columns are the packed shingles themselves
(below 2^63 - 1, model.text.CODE_POINT_BITS), so no shingle needs numbering; the intersections of all its pairs
are one elementwise product of the two sides' rows (scipy merges two sorted rows in C++).
"""
import os
import tempfile
from functools import partial

import numpy as np

from indexer.index.derive import sorted_distinct
from model.text import CODE_POINT_BITS

from .forked import forked_map
from .sketch import many_shingles
from .settings import SHINGLE_CHARS, THRESHOLD

# Pairs compared at once. Sorted by their first text, a chunk's pairs hold about a tenth as many
# first texts and up to as many second ones, each set some 150 shingles; gathering, the matrix
# and the rows multiplied take about 40 bytes a shingle: some 130 MB at the most.
PAIRS_CHUNK = 20_000
# Texts whose sets are computed before they are written out together, and whose pages of the
# index are let go after: each text read through the segments' memory maps brings up to 64 KB of
# them with it (the kernel maps around a fault), resident while mapped; 20,000 texts at a time
# made all of a 10^6 corpus's text resident at once (0.5 GB), 2,000 up to 190 MB at 3 of its
# segments; 500 bound it to 32 MB.
TEXTS_CHUNK = 500
# Shingles of a chunk's pairs (both sides) multiplied at once: some 30 bytes each while the rows
# are gathered and multiplied, about 120 MB; a chunk of long texts is cut further.
SHINGLES_AT_ONCE = 4_000_000
# Shingles (8 bytes each) between two sets read back in one pread rather than two: 4 KB.
SPAN_GAP = 512
# Columns of a chunk's matrix, the largest number scipy takes: every packed shingle is below it
# (three code points, none above 0x10FFFF, in CODE_POINT_BITS bits each).
COLUMNS = (1 << (CODE_POINT_BITS * SHINGLE_CHARS)) - 1


class ShingleSets:
    """The shingle sets of texts 0..count-1, each computed once into a scratch file when first needed, read back by rows."""

    def __init__(self, count, norm_of, scratch=None, let_go=None):
        """Prepare for texts 0..count-1 (norm_of(text) gives a text's normalized string) with a file in scratch.

        let_go(), when given, is called after each chunk of texts is read: the reuse stage drops
        from its resident memory the pages of the index it read them from.
        """
        self.file = tempfile.TemporaryFile(dir=scratch, prefix="shingles-")
        self.norm_of, self.scratch, self.let_go = norm_of, scratch, let_go
        self.starts = np.full(count, -1, np.int64)
        self.sizes = np.zeros(count, np.int64)
        self.written = 0

    def __enter__(self):
        """Return the sets."""
        return self

    def __exit__(self, *exc):
        """Remove the scratch file."""
        self.file.close()

    def another(self):
        """Return empty ShingleSets of the same texts with a scratch file of their own (for another process)."""
        return ShingleSets(len(self.starts), self.norm_of, self.scratch, self.let_go)

    def complete(self):
        """Tell whether the set of every text is made (read only from now on)."""
        return bool((self.starts >= 0).all())

    def compute(self, texts, processes=1):
        """Write the sets of those of texts (distinct, ascending) not computed yet, made TEXTS_CHUNK texts at a time in
        up to processes forked processes."""
        texts = texts[self.starts[texts] < 0]
        chunks = [texts[start:start + TEXTS_CHUNK] for start in range(0, len(texts), TEXTS_CHUNK)]
        self.file.flush()
        for chunk, (sets, sizes) in zip(chunks, forked_map(self.made, chunks, processes)):
            self.starts[chunk] = self.written + np.cumsum(sizes) - sizes
            self.sizes[chunk] = sizes
            self.written += int(sizes.sum())
            self.file.write(sets.tobytes())
        self.file.flush()

    def made(self, texts):
        """Return the sets of texts (one array, set after set) and their sizes, then let go of the pages read."""
        found = many_shingles([self.norm_of(text) for text in texts.tolist()])
        if self.let_go:
            self.let_go()
        return found

    def rows(self, rows):
        """Return the sets of rows (distinct, ascending, computed) as a sparse matrix, one row each, columns the shingles."""
        from scipy.sparse import csr_matrix  # only the reuse stage needs scipy
        sizes = self.sizes[rows]
        bounds = np.append(0, np.cumsum(sizes))
        # Below 2^63, a shingle is the same number as a signed one: a view, not a copy.
        columns = self.read(self.starts[rows], sizes).view(np.int64)
        return csr_matrix((np.ones(len(columns), np.float32), columns, bounds), shape=(len(rows), COLUMNS))

    def read(self, starts, sizes):
        """Return the shingles of the sets at starts (sizes long) of the file, one set after another, read with pread.

        The file is never mapped: a chunk's sets lie all over it, and the pages a gather
        touches (with the 64 KB the kernel maps around each) would count as resident while
        mapped, up to the whole file (some 1.2 KB a text). Sets lying close together in the
        file are read in one span.
        """
        self.file.flush()
        if not len(starts):
            return np.empty(0, np.uint64)
        order = np.argsort(starts, kind="stable")
        first, ends = starts[order], starts[order] + sizes[order]
        reach = np.maximum.accumulate(ends)
        opens = np.flatnonzero(np.append(True, first[1:] > reach[:-1] + SPAN_GAP))
        span_starts, span_ends = first[opens], np.maximum.reduceat(ends, opens)
        # One pread a span, called by map: a Python frame a span cost more than the read.
        data = np.frombuffer(b"".join(map(partial(os.pread, self.file.fileno()), ((span_ends - span_starts) * 8).tolist(),
                                          (span_starts * 8).tolist())), np.uint64)
        # Where each set lies in data: its span's place there, plus its offset within the span.
        span_places = np.append(0, np.cumsum(span_ends - span_starts)[:-1])
        placed = np.empty(len(starts), np.int64)
        placed[order] = np.repeat(span_places - span_starts, np.diff(np.append(opens, len(order)))) + first
        bounds = np.append(0, np.cumsum(sizes))
        return data[np.arange(bounds[-1]) - np.repeat(bounds[:-1] - placed, sizes)]

    def similarities(self, first, second):
        """Return the Jaccard similarity of the sets of each pair of texts (first[i], second[i]), computing them as needed;
        0 for a pair whose sizes alone keep it below THRESHOLD.

        Two sets are at most as similar as the smaller's size over the larger's (the similarity when
        one holds the other): pairs whose sizes differ more than that are never multiplied. At 10^6
        paragraphs three in four pairs that pass the prefilter fall below THRESHOLD.
        """
        self.compute(sorted_distinct(np.concatenate([first, second])))
        similarity = np.zeros(len(first))
        smaller = np.minimum(self.sizes[first], self.sizes[second])
        larger = np.maximum(self.sizes[first], self.sizes[second])
        # The same division as the similarity's: what it can reach, rounded the same way.
        possible = np.flatnonzero(np.divide(smaller, larger, out=np.zeros(len(first)), where=larger > 0) >= THRESHOLD)
        first, second = first[possible], second[possible]
        involved = sorted_distinct(np.concatenate([first, second]))
        matrix = self.rows(involved)
        left, right = np.searchsorted(involved, first), np.searchsorted(involved, second)
        shared = np.zeros(len(first))
        for low, high in spans(self.sizes[first] + self.sizes[second], SHINGLES_AT_ONCE):
            part = slice(low, high)
            shared[part] = np.asarray(matrix[left[part]].multiply(matrix[right[part]]).sum(axis=1), np.float64).ravel()
        union = self.sizes[first] + self.sizes[second] - shared
        similarity[possible] = np.divide(shared, union, out=np.zeros(len(first)), where=union > 0)
        return similarity

def spans(weights, most):
    """Yield (low, high) cutting range(len(weights)) into runs whose weights add up to about most (at least one item each)."""
    totals = np.cumsum(weights)
    low = 0
    while low < len(weights):
        high = max(low + 1, int(np.searchsorted(totals, (totals[low - 1] if low else 0) + most, side="right")))
        yield low, high
        low = high


def exact_check(keys, count, sets):
    """Return the Jaccard similarity of each pair of texts (keys a * count + b), PAIRS_CHUNK pairs at a time.

    sets are the ShingleSets of the texts 0..count-1: a text's set is computed the first time a
    pair needs it, and read back from their scratch file after. The pairs are taken in order of
    their second text: keys in order (a range of candidates) hold a few first texts and second
    texts from all over the corpus, so every chunk read one set a pread, scattered over the file
    (a third of the stage's time at 10^6 paragraphs); ordered by the second text, a chunk's texts
    on both sides are few runs of neighbouring texts, which the file holds close together (their
    sets are written a chunk at a time, in order), read in a few spans.
    """
    order = np.argsort(keys % count, kind="stable")
    similarity = np.zeros(len(keys))
    for start in range(0, len(keys), PAIRS_CHUNK):
        chunk = order[start:start + PAIRS_CHUNK]
        similarity[chunk] = sets.similarities(keys[chunk] // count, keys[chunk] % count)
    return similarity
