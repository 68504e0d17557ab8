"""Pair keys on disk: sorted runs written one after another, read back merged and distinct by ranges of keys.

The candidate pairs of a 10^6-paragraph corpus number tens of millions (a pair is a * n + b, eight
bytes), and the pairs compared before as many again; held in memory and merged band after band,
with their copies, they took gigabytes. Here each band writes its pairs to a scratch file as
sorted runs, and they are merged afterwards one range of keys at a time, a range's keys read from
every run, so memory follows a range, never the corpus.
"""
import os
import tempfile

import numpy as np

from indexer.index.derive import sorted_distinct

# Keys in one range read back at once, at most: some 8 bytes each, a few copies while merged.
RANGE_KEYS = 2_000_000
# Every FENCE-th key of a run is kept in memory to find ranges in it (8 KB of the file a fence).
FENCE = 1024


class PairRuns:
    """Runs of pair keys (each ascending, distinct within itself) in a scratch file, merged by ranges.

    Every FENCE-th key of each run is kept in memory: it finds where a range of keys lies in a
    run, which is then read with one pread, and it is the sample the ranges are cut from. The
    file is never mapped: a mapping's pages read (and the 64 KB the kernel maps around each)
    count as resident while it lives, and binary searches over hundreds of runs touch most of
    the file (the stage at 380,347 paragraphs peaked at 756 MB so, the file's size above its own).
    """

    def __init__(self, scratch=None):
        """Open an empty scratch file in the folder scratch (the system's temporary folder when None)."""
        self.file = tempfile.TemporaryFile(dir=scratch, prefix="pairs-")
        self.bounds = [0]
        self.fences = []

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
            keys = np.ascontiguousarray(keys, np.int64)
            self.file.write(keys.tobytes())
            self.bounds.append(self.bounds[-1] + len(keys))
            self.fences.append(keys[::FENCE].copy())

    def read(self, start, end):
        """Return the keys at places start..end-1 of the file."""
        data = os.pread(self.file.fileno(), (end - start) * 8, start * 8)
        return np.frombuffer(data, np.int64)

    def within(self, low, high):
        """Return the distinct keys of every run from low up to (not including) high, ascending."""
        self.file.flush()
        parts = [np.empty(0, np.int64)]
        for start, end, fence in zip(self.bounds[:-1], self.bounds[1:], self.fences):
            # The blocks of FENCE keys that can hold keys from low up to high.
            first = max(int(np.searchsorted(fence, low, side="right")) - 1, 0) * FENCE
            last = min(int(np.searchsorted(fence, high, side="left")) * FENCE, end - start)
            if first < last:
                block = self.read(start + first, start + last)
                parts.append(block[np.searchsorted(block, low):np.searchsorted(block, high)])
        return sorted_distinct(np.concatenate(parts))

    def cuts(self, most, alongside=None):
        """Return ascending keys cutting the key space into ranges of at most about most keys of all runs (of these
        and of the runs alongside, when given).

        Each fence key stands for the FENCE keys after it in its run; a range between two cuts
        holds its fence keys' blocks (half of most) and up to a block more of each run.
        """
        sample = np.sort(np.concatenate(self.fences + (alongside.fences if alongside is not None else [])))
        step = max(1, most // (2 * FENCE))
        return sample[step::step]

    def range_bounds(self, most=None, alongside=None):
        """Return (low, high) of ranges of keys covering every key, each holding at most about most keys (RANGE_KEYS)
        of these runs and of the runs alongside (PairRuns read with each range), when given."""
        if not len(self):
            return []
        cuts = self.cuts(most or RANGE_KEYS, alongside).tolist()
        return list(zip([np.iinfo(np.int64).min] + cuts, cuts + [np.iinfo(np.int64).max]))

    def ranges(self, most=None):
        """Yield the distinct keys of all runs, ascending, a range of about most keys (RANGE_KEYS) at a time, none empty."""
        for low, high in self.range_bounds(most):
            keys = self.within(low, high)
            if len(keys):
                yield keys
