"""The brute-force truth reuse detection is tested against: every pair of texts compared exactly.

Independent of indexer/reuse/: shingles are Python substrings, and the similarity of every pair
comes from one sparse matrix product (the size of each pair's intersection).
"""
import numpy as np
from scipy.sparse import csr_matrix

from indexer.reuse.settings import SHINGLE_CHARS, THRESHOLD


def shingle_set(norm):
    """Return the set of SHINGLE_CHARS-character substrings of a normalized text."""
    return {norm[i:i + SHINGLE_CHARS] for i in range(len(norm) - SHINGLE_CHARS + 1)}


def similarities(norms):
    """Return (first, second, Jaccard similarity) arrays of every pair i < j of texts sharing at least one shingle."""
    vocabulary, sets = {}, [shingle_set(norm) for norm in norms]
    columns = [vocabulary.setdefault(shingle, len(vocabulary)) for shingles in sets for shingle in shingles]
    rows = np.repeat(np.arange(len(norms)), [len(shingles) for shingles in sets])
    matrix = csr_matrix((np.ones(len(rows)), (rows, columns)), shape=(len(norms), len(vocabulary)))
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    shared = (matrix @ matrix.T).tocoo()
    upper = shared.row < shared.col
    first, second, both = shared.row[upper], shared.col[upper], shared.data[upper]
    return first, second, both / (sizes[first] + sizes[second] - both)


def all_similarities(norms):
    """Return {(i, j): Jaccard similarity} of every pair i < j of texts sharing at least one shingle."""
    first, second, similarity = similarities(norms)
    return dict(zip(zip(first.tolist(), second.tolist()), similarity.tolist()))


def near_identical(norms, threshold=THRESHOLD):
    """Return the set of pairs (i, j), i < j, of texts at least threshold similar, by brute force."""
    first, second, similarity = similarities(norms)
    close = similarity >= threshold
    return set(zip(first[close].tolist(), second[close].tolist()))
