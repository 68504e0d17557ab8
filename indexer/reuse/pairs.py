"""Near-identical pairs of texts: candidates from equal LSH band keys, each verified exactly.

A pair of texts is a candidate when their MinHash signatures (sketch.py, datasketch) agree on
every value of at least one band: the banding of MinHash LSH. The bands are kept as plain
sorted columns rather than datasketch's MinHashLSH, whose dictionary of a Python set per
bucket took 3.2 s and 200 MB to index 10,000 paragraphs (about 2 GB at 100,000) and has to be
refilled whole before a rebuild can look up one changed report in it; equal keys are found
here by sorting, and an update compares only its new texts. Candidates whose signatures agree
in too few places are dropped (settings.PREFILTER_AGREEMENT), and every remaining one is kept
only if the exact Jaccard similarity of the two shingle sets reaches settings.THRESHOLD.
"""
import numpy as np

from indexer.index.derive import sorted_distinct

from .settings import NUM_PERM, PREFILTER_AGREEMENT, THRESHOLD
from .sketch import shingles

EMPTY = np.empty(0, np.int64)
# Pairs compared at once: bounds the memory of the gathered signatures (NUM_PERM bytes a text)
# and shingle rows (about 150 shingles a text, 8 bytes each).
CHUNK = 200_000
ROWS_CHUNK = 50_000


def run_pairs(order, sizes):
    """Return (first, second) positions in order of every pair within runs of the given sizes."""
    starts = np.cumsum(sizes) - sizes
    place = np.arange(sizes.sum()) - np.repeat(starts, sizes)
    # Each member pairs with the members after it in its run.
    later = np.repeat(sizes, sizes) - place - 1
    first = np.repeat(np.arange(sizes.sum()), later)
    second = first + 1 + (np.arange(later.sum()) - np.repeat(np.cumsum(later) - later, later))
    return order[first], order[second]


def among(values, wanted):
    """Return the mask of values found among wanted, by binary search (np.isin compares every value with
    every wanted one when few are wanted)."""
    wanted = sorted_distinct(wanted)
    if not len(wanted):
        return np.zeros(len(values), bool)
    return wanted[np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)] == values


def band_pairs(keys, new):
    """Return the pairs (a < b, as a * n + b) of texts with equal keys in one band, at least one of them new."""
    count = len(keys)
    pool = np.arange(count) if new.all() else np.flatnonzero(among(keys, keys[new]))
    order = pool[np.argsort(keys[pool], kind="stable")]
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.diff(sorted_keys, prepend=sorted_keys[:1] ^ 1) != 0) if len(order) else EMPTY
    sizes = np.diff(np.append(starts, len(order)))
    shared = sizes > 1
    if not shared.any():
        return EMPTY
    # The runs are contiguous in order: their members are those of the shared runs, in place.
    first, second = run_pairs(order[np.repeat(shared, sizes)], sizes[shared])
    keep = new[first] | new[second]
    low, high = np.minimum(first[keep], second[keep]), np.maximum(first[keep], second[keep])
    return low.astype(np.int64) * count + high


def candidates(band_keys, new):
    """Return the candidate pairs (a, b), a < b, of texts sharing a band key, at least one of them new.

    band_keys holds one row of BANDS keys per text; new marks the texts not compared before.
    """
    count = len(band_keys)
    if not new.any() or count < 2:
        return EMPTY, EMPTY
    found = sorted_distinct(np.concatenate([band_pairs(np.ascontiguousarray(band_keys[:, band]), new)
                                            for band in range(band_keys.shape[1])]))
    return found // count, found % count


def agreeing(first, second, signatures):
    """Return the mask of pairs whose signatures agree in at least PREFILTER_AGREEMENT places."""
    keep = np.zeros(len(first), bool)
    for start in range(0, len(first), CHUNK):
        end = start + CHUNK
        same = (signatures[first[start:end]] == signatures[second[start:end]]).sum(axis=1)
        keep[start:end] = same >= PREFILTER_AGREEMENT
    return keep


def shingle_rows(norms):
    """Return the texts' shingle sets as a sparse matrix (one row per text, one column per distinct shingle)."""
    from scipy.sparse import csr_matrix  # only the reuse stage needs scipy
    sets = [shingles(norm) for norm in norms]
    sizes = np.array([len(found) for found in sets], np.int64)
    values = np.concatenate(sets) if sets else np.empty(0, np.uint64)
    distinct, columns = np.unique(values, return_inverse=True)
    return csr_matrix((np.ones(len(values), np.float32), columns.ravel(), np.append(0, np.cumsum(sizes))),
                      shape=(len(sets), len(distinct))), sizes


def similarities(first, second, rows, sizes):
    """Return the exact Jaccard similarity of the shingle sets of each pair (rows from shingle_rows)."""
    shared = np.zeros(len(first), np.float64)
    for start in range(0, len(first), ROWS_CHUNK):
        end = start + ROWS_CHUNK
        both = rows[first[start:end]].multiply(rows[second[start:end]])
        shared[start:end] = np.asarray(both.sum(axis=1)).ravel()
    union = sizes[first] + sizes[second] - shared
    return np.divide(shared, union, out=np.zeros(len(first)), where=union > 0)


def near_pairs(band_keys, signatures, new, norm_of):
    """Return (a, b, similarity) of every pair of texts at least THRESHOLD similar, at least one of them new.

    band_keys and signatures hold a row per text (sketch.py); norm_of(i) gives text i's
    normalized text, read only for the texts of pairs that pass the prefilter.
    """
    first, second = candidates(band_keys, new)
    keep = agreeing(first, second, signatures.reshape(len(band_keys), NUM_PERM))
    first, second = first[keep], second[keep]
    involved = sorted_distinct(np.concatenate([first, second]))
    rows, sizes = shingle_rows([norm_of(int(text)) for text in involved])
    local_first, local_second = np.searchsorted(involved, first), np.searchsorted(involved, second)
    similarity = similarities(local_first, local_second, rows, sizes)
    near = similarity >= THRESHOLD
    return first[near], second[near], similarity[near]
