"""Pair keys on disk: sorted runs written one after another, read back merged and distinct by ranges of keys.

The candidate pairs of a 10^6-paragraph corpus number tens of millions (a pair is a * n + b, eight
bytes), and the pairs compared before as many again; held in memory and merged band after band,
with their copies, they took gigabytes. Here each band writes its pairs to a scratch file as
sorted runs, and they are merged afterwards one range of keys at a time: a range's keys from every
run, read through a mapping dropped at once (its pages count as resident only while mapped), so
memory follows a range, never the corpus.
"""
import tempfile

import numpy as np

from indexer.index.derive import sorted_distinct

# Keys in one range read back at once, at most: some 8 bytes each, a few copies while merged.
RANGE_KEYS = 2_000_000


class PairRuns:
    """Runs of pair keys (each ascending, distinct within itself) in a scratch file, merged by ranges."""

    def __init__(self, scratch=None):
        """Open an empty scratch file in the folder scratch (the system's temporary folder when None)."""
        self.file = tempfile.TemporaryFile(dir=scratch, prefix="pairs-")
        self.bounds = [0]

    def __enter__(self):
        """Return the runs."""
        return self

    def __exit__(self, *exc):
        """Remove the scratch file."""
        self.file.close()

    def __len__(self):
        """Return how many keys the runs hold together (a key in two runs counts twice)."""
        return self.bounds[-1]

    def add(self, keys):
        """Write one run of keys (ascending, distinct) after the others."""
        if len(keys):
            self.file.write(np.ascontiguousarray(keys, np.int64).tobytes())
            self.bounds.append(self.bounds[-1] + len(keys))

    def mapped(self):
        """Return every key written, as one mapped array (drop it soon: its pages read count as resident)."""
        self.file.flush()
        return np.memmap(self.file, np.int64, mode="r", shape=(len(self),))

    def within(self, low, high):
        """Return the distinct keys of every run from low up to (not including) high, ascending."""
        if not len(self):
            return np.empty(0, np.int64)
        keys = self.mapped()
        parts = []
        for start, end in zip(self.bounds[:-1], self.bounds[1:]):
            run = keys[start:end]
            first, last = np.searchsorted(run, [low, high])
            parts.append(np.array(run[first:last]))
        del keys  # unmapped: only the keys copied stay resident
        return sorted_distinct(np.concatenate(parts))

    def cuts(self, most):
        """Return ascending keys cutting the key space into ranges of at most about most keys of all runs.

        Every stride-th key of each run is sampled; a range between two cuts holds its samples'
        keys (half of most) and up to a stride more of each run (a quarter of most over all runs).
        """
        runs = len(self.bounds) - 1
        stride = max(1, most // (4 * max(runs, 1)))
        keys = self.mapped()
        sample = np.sort(np.concatenate([np.array(keys[start:end:stride])
                                         for start, end in zip(self.bounds[:-1], self.bounds[1:])]))
        del keys
        return sample[max(1, most // (2 * stride))::max(1, most // (2 * stride))]

    def ranges(self, most=None):
        """Yield the distinct keys of all runs, ascending, a range of about most keys (RANGE_KEYS) at a time, none empty."""
        if not len(self):
            return
        cuts = self.cuts(most or RANGE_KEYS).tolist()
        for low, high in zip([np.iinfo(np.int64).min] + cuts, cuts + [np.iinfo(np.int64).max]):
            keys = self.within(low, high)
            if len(keys):
                yield keys
