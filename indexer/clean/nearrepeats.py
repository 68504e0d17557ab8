"""Near repeats among a page's long lines: which line nearly equals a line before it.

A line nearly repeats an earlier one when their similarity ratio (difflib's SequenceMatcher)
reaches NEAR_REPEAT_RATIO. The ratio is slow, so it is computed only for candidates: pairs
sharing at least NEAR_REPEAT_SHARED_GRAMS of the character 4-grams of the line with fewer,
and no fewer than the shortest compared line could share. The shared 4-grams of every pair
are counted for the whole page at once (a sparse product of lines by 4-grams), not 4-gram by
4-gram in Python: the counting took a quarter of the cleaning.
"""
from difflib import SequenceMatcher

from model.text import CODE_POINT_BITS, code_points

NEAR_REPEAT_MIN_CHARS = 60
NEAR_REPEAT_RATIO = 0.9
# Candidates for the (slow) similarity ratio share this part of their character 4-grams;
# a 0.9 ratio leaves at least about half of them intact even when the edits are scattered.
NEAR_REPEAT_GRAM = 4
NEAR_REPEAT_SHARED_GRAMS = 0.4
# No line sharing fewer 4-grams than this part of the shortest compared line's can pass.
LEAST_SHARED_GRAMS = NEAR_REPEAT_SHARED_GRAMS * (NEAR_REPEAT_MIN_CHARS - NEAR_REPEAT_GRAM + 1)
# Lines whose shared counts are taken at once: a page of thousands of long lines sharing the
# genre's words is counted in slices of this many rows (each row at most one count per line).
ROWS_AT_ONCE = 64


def gram_sets(norms):
    """Return (line, 4-gram number) of each distinct 4-gram of each line, as two arrays."""
    import numpy as np  # here, like scipy below: a rebuild with nothing to clean need not load them
    codes = [code_points(norm).astype(np.uint64) for norm in norms]
    # A 4-gram is two numbers of two code points each; numbered in the order of all of the page's, sorted.
    high = np.concatenate([(c[:-3] << CODE_POINT_BITS) | c[1:-2] for c in codes])
    low = np.concatenate([(c[2:-1] << CODE_POINT_BITS) | c[3:] for c in codes])
    lines = np.repeat(np.arange(len(norms)), [len(c) - NEAR_REPEAT_GRAM + 1 for c in codes])
    order = np.lexsort((lines, low, high))
    high, low, lines = high[order], low[order], lines[order]
    new_gram = np.ones(len(order), bool)
    new_gram[1:] = (high[1:] != high[:-1]) | (low[1:] != low[:-1])
    new_pair = new_gram.copy()
    new_pair[1:] |= lines[1:] != lines[:-1]  # a 4-gram a line holds twice counts once
    return lines[new_pair], (np.cumsum(new_gram) - 1)[new_pair]


def nearly_repeated(norms):
    """Return, for each of distinct normalized lines of NEAR_REPEAT_MIN_CHARS or more in page order,
    whether it nearly equals a line before it."""
    if len(norms) < 2:
        return [False] * len(norms)
    import numpy as np
    from scipy import sparse
    lines, grams = gram_sets(norms)
    sizes = np.bincount(lines, minlength=len(norms))
    incidence = sparse.csr_matrix((np.ones(len(lines), np.int32), (lines, grams)), shape=(len(norms), grams.max() + 1))
    found = [False] * len(norms)
    for first in range(0, len(norms), ROWS_AT_ONCE):
        shared = (incidence[first:first + ROWS_AT_ONCE] @ incidence.T).tocoo()
        line, earlier, counts = shared.row + first, shared.col, shared.data
        passing = ((earlier < line) & (counts >= LEAST_SHARED_GRAMS)
                   & (counts >= NEAR_REPEAT_SHARED_GRAMS * np.minimum(sizes[line], sizes[earlier])))
        # By line, and within a line most shared first: the likeliest repeat is compared first.
        order = np.lexsort((-counts[passing], line[passing]))
        for one, other in zip(line[passing][order].tolist(), earlier[passing][order].tolist()):
            found[one] = found[one] or is_near(norms[one], norms[other])
    return found


def is_near(norm, earlier):
    """Tell whether a normalized line's similarity ratio with an earlier one reaches NEAR_REPEAT_RATIO."""
    matcher = SequenceMatcher(None, norm, earlier, autojunk=False)
    # ratio() is slow; its upper bounds (from the lengths, then the characters) rule
    # out most candidates, which share their genre's words but are no repeat.
    return (matcher.real_quick_ratio() >= NEAR_REPEAT_RATIO and matcher.quick_ratio() >= NEAR_REPEAT_RATIO
            and matcher.ratio() >= NEAR_REPEAT_RATIO)
