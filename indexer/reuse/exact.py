"""The exact check of candidate pairs: the Jaccard similarity of their shingle sets, in bounded memory.

Every text a candidate pair involves has its shingle set (sketch.py shingles()) computed once and
written to a scratch file; the pairs are then compared a chunk at a time, each chunk reading back
only the sets of its own texts. Holding every set at once took about 1 KB a text: 925 MB for the
62,547 texts of 100,000 paragraphs, gigabytes at a million.

A chunk's sets are rows of a sparse matrix whose columns are the packed shingles themselves
(below 2^63 - 1, sketch.CODE_BITS), so no shingle needs numbering; the intersections of all its pairs
are one elementwise product of the two sides' rows (scipy merges two sorted rows in C++).
"""
import tempfile

import numpy as np

from indexer.index.derive import sorted_distinct

from .sketch import CODE_BITS, shingles
from .settings import SHINGLE_CHARS

# Pairs compared at once. Sorted by their first text, a chunk's pairs hold about a tenth as many
# first texts and up to as many second ones, each set some 150 shingles; gathering, the matrix
# and the rows multiplied take about 40 bytes a shingle: some 130 MB at the most.
PAIRS_CHUNK = 20_000
# Texts whose sets are computed before they are written out together.
TEXTS_CHUNK = 20_000
# Columns of a chunk's matrix, the largest number scipy takes: every packed shingle is below it
# (three code points, none above 0x10FFFF, in CODE_BITS bits each).
COLUMNS = (1 << (CODE_BITS * SHINGLE_CHARS)) - 1


class ShingleSets:
    """The shingle sets of texts (ascending ids), computed once into a scratch file and read back by rows."""

    def __init__(self, texts, norm_of, scratch=None):
        """Compute the sets of texts (norm_of(text) gives a text's normalized string) into a file in scratch."""
        self.file = tempfile.TemporaryFile(dir=scratch, prefix="shingles-")
        self.offsets = np.zeros(len(texts) + 1, np.int64)
        for start in range(0, len(texts), TEXTS_CHUNK):
            sets = [shingles(norm_of(int(text))) for text in texts[start:start + TEXTS_CHUNK]]
            self.offsets[start + 1:start + 1 + len(sets)] = [len(found) for found in sets]
            self.file.write(np.concatenate(sets).astype(np.uint64).tobytes() if sets else b"")
        np.cumsum(self.offsets, out=self.offsets)
        self.file.flush()
        self.sizes = np.diff(self.offsets)

    def __enter__(self):
        """Return the sets."""
        return self

    def __exit__(self, *exc):
        """Remove the scratch file."""
        self.file.close()

    def rows(self, rows):
        """Return the sets of rows (distinct, ascending) as a sparse matrix, one row each, columns the shingles."""
        from scipy.sparse import csr_matrix  # only the reuse stage needs scipy
        starts, sizes = self.offsets[rows], self.sizes[rows]
        bounds = np.append(0, np.cumsum(sizes))
        # The file's positions of every shingle of rows, one run per row, read in one gather.
        places = np.arange(bounds[-1]) - np.repeat(bounds[:-1] - starts, sizes)
        mapped = np.memmap(self.file, np.uint64, mode="r", shape=(int(self.offsets[-1]),)) if bounds[-1] else None
        # Below 2^63, a shingle is the same number as a signed one: a view, not a copy.
        columns = mapped[places].view(np.int64) if mapped is not None else np.empty(0, np.int64)
        del mapped  # unmapped at once: the pages read count as resident only while mapped
        return csr_matrix((np.ones(len(columns), np.float32), columns, bounds), shape=(len(rows), COLUMNS))

    def similarities(self, first, second):
        """Return the Jaccard similarity of the sets of each pair of rows (first[i], second[i])."""
        involved = sorted_distinct(np.concatenate([first, second]))
        matrix = self.rows(involved)
        left, right = np.searchsorted(involved, first), np.searchsorted(involved, second)
        shared = np.asarray(matrix[left].multiply(matrix[right]).sum(axis=1), np.float64).ravel()
        union = self.sizes[first] + self.sizes[second] - shared
        return np.divide(shared, union, out=np.zeros(len(first)), where=union > 0)


def exact_check(keys, count, norm_of, scratch=None):
    """Return the Jaccard similarity of each pair of texts (keys a * count + b), reading each text once.

    scratch is the folder of the scratch file (the system's temporary folder when None).
    """
    first, second = keys // count, keys % count
    involved = sorted_distinct(np.concatenate([first, second]))
    similarity = np.zeros(len(keys))
    with ShingleSets(involved, norm_of, scratch) as sets:
        for start in range(0, len(keys), PAIRS_CHUNK):
            end = start + PAIRS_CHUNK
            similarity[start:end] = sets.similarities(np.searchsorted(involved, first[start:end]),
                                                      np.searchsorted(involved, second[start:end]))
    return similarity
