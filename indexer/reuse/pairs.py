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

from .exact import ShingleSets, exact_check
from .forked import forked_map
from .groups import leaders
from .runs import PairRuns
from .settings import CROWD, NUM_PERM, PREFILTER_AGREEMENT, STAR_CENTRES, THRESHOLD
from .sketch import shingles

EMPTY = np.empty(0, np.int64)
# Pairs whose signatures are compared at once: bounds the memory of the gathered signatures
# (NUM_PERM bytes a text, of at most two texts a pair, then of both ends of each pair: some 20 MB each).
CHUNK = 50_000
# Rows of the signatures read at once through their mapping before its pages are let go: a chunk's
# pairs reach texts all over the corpus, and the mapped pages read stay resident until let go
# (the whole 10^6 corpus's signatures, 100 MB, for one chunk of 200,000 pairs read at once).
SIGNATURE_ROWS = 20_000
# Pairs of a band made at once, at most (but a centre's pairs together): some 50 bytes each while made.
PAIRS_MADE = 1_000_000


def run_pairs(order, sizes, centre, most=None):
    """Yield (first, second) positions in order of the pairs within runs of the given sizes whose first is a
    centre (centre marks positions of order): each centre pairs with the members after it in its run.

    Yielded at most about most pairs (PAIRS_MADE) at a time, a whole centre's pairs together: a
    crowd of thousands makes millions of pairs in one band.
    """
    most = most or PAIRS_MADE
    ends = np.repeat(np.cumsum(sizes), sizes)
    later = np.where(centre, ends - np.arange(len(order)) - 1, 0)
    made = np.cumsum(later)
    start = 0
    while start < len(order):
        end = max(int(np.searchsorted(made, made[start] - later[start] + most, side="right")), start + 1)
        counts = later[start:end]
        first = np.repeat(np.arange(start, end), counts)
        second = first + 1 + (np.arange(len(first)) - np.repeat(np.cumsum(counts) - counts, counts))
        yield order[first], order[second]
        start = end


def among(values, wanted):
    """Return the mask of values found among wanted, by binary search (np.isin compares every value with
    every wanted one when few are wanted)."""
    return among_sorted(values, sorted_distinct(wanted))


def among_sorted(values, wanted):
    """Return the mask of values found among wanted (distinct, ascending), by binary search."""
    if not len(wanted):
        return np.zeros(len(values), bool)
    return wanted[np.minimum(np.searchsorted(wanted, values), len(wanted) - 1)] == values


def centres(sizes, leads):
    """Return which members of runs (sorted by first appearance within each run) pair with those after them.

    In a run of at most CROWD texts every member does (all its pairs); in a crowded one its
    STAR_CENTRES earliest members and its CROWD earliest leaders of groups (leads, by member).
    """
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    place = np.arange(len(leads)) - starts
    led = np.cumsum(leads) - leads
    leaders_before = led - led[starts]
    crowded = np.repeat(sizes > CROWD, sizes)
    return ~crowded | (place < STAR_CENTRES) | (leads & (leaders_before < CROWD))


def band_pairs(keys, new, place, leads, led=None):
    """Return (the candidate pairs of one band as an iterator of chunks, whether a bucket was crowded).

    Texts with equal keys form a bucket; each pair of one holding a new text is a candidate
    when centres() pairs it, and at least one of them is new or leads a group. place is each
    text's place in order of first appearance (appearance_places()). led, when given, is who led
    in the search before (bucket_pairs()).
    """
    pool = np.arange(len(keys)) if new.all() else np.flatnonzero(among(keys, keys[new]))
    # Key (uint32, sketch.band_keys) and place in one 64-bit number, all distinct: one sort, a third of
    # np.lexsort's time on the two.
    order = pool[np.argsort((keys[pool].astype(np.uint64) << np.uint64(32)) | place[pool].astype(np.uint64))]
    sorted_keys = keys[order]
    starts = np.flatnonzero(np.diff(sorted_keys, prepend=sorted_keys[:1] ^ 1) != 0) if len(order) else EMPTY
    sizes = np.diff(np.append(starts, len(order)))
    shared = sizes > 1
    # The runs are contiguous in order: their members are those of the shared runs, in place.
    members, sizes = order[np.repeat(shared, sizes)], sizes[shared]
    return bucket_pairs(members, sizes, new, leads, led), bool((sizes > CROWD).any())


def bucket_pairs(members, sizes, new, leads, led=None):
    """Yield the candidate pairs of buckets (runs of members of the given sizes, by first appearance) as
    sorted arrays of a * n + b, a < b, some PAIRS_MADE at a time.

    A pair shares one key of a band at most, so the pairs of a band are distinct. With led (who
    led in the search before), a centre that was one then too, and new or leading, is left out:
    its pairs were all candidates then, and each was checked (or failed the prefilter, as it would
    again). So a search repeated for the leaders found makes the pairs of the new leaders only.
    """
    count = len(new)
    centre = centres(sizes, leads[members])
    if led is not None:
        centre &= ~(centres(sizes, led[members]) & (new[members] | led[members]))
    for first, second in run_pairs(members, sizes, centre):
        keep = new[first] | new[second] | leads[first]
        low, high = np.minimum(first[keep], second[keep]), np.maximum(first[keep], second[keep])
        yield np.sort(low.astype(np.int64) * count + high)


def appearance_places(seen):
    """Return each text's place (0, 1, ...) in order of first appearance (seen), ties in row order."""
    place = np.empty(len(seen), np.int64)
    place[np.argsort(seen, kind="stable")] = np.arange(len(seen))
    return place


def candidates(band_keys, new, place, leads, found, let_go=None, led=None):
    """Write to found (runs.PairRuns) the candidate pairs as a * n + b, a < b: texts sharing a band key
    (band_pairs(); with led, those the leaders found since bring); return whether a bucket was crowded.
    let_go(), when given, is called after each band.

    Bands are taken one at a time and their pairs written out as they are made: memory follows
    a chunk of one band's pairs, never the pairs of a band or of all bands together (the same
    pair from several bands is merged away when found is read back).
    """
    crowded = False
    for band in range(band_keys.shape[1]):
        chunks, crowd = band_pairs(np.ascontiguousarray(band_keys[:, band]), new, place, leads, led)
        for pairs in chunks:
            found.add(pairs)
        crowded = crowded or crowd
        if let_go:
            let_go()
    return crowded


def agreeing(first, second, signatures, let_go=None):
    """Return the mask of pairs whose signatures agree in at least PREFILTER_AGREEMENT places.

    let_go(), when given, is called after every SIGNATURE_ROWS rows of signatures read (the reuse
    stage then drops their mapped pages from its resident memory).
    """
    keep = np.zeros(len(first), bool)
    for start in range(0, len(first), CHUNK):
        end = start + CHUNK
        texts = sorted_distinct(np.concatenate([first[start:end], second[start:end]]))
        rows = gathered(signatures, texts, let_go)
        same = np.count_nonzero(rows[np.searchsorted(texts, first[start:end])]
                                == rows[np.searchsorted(texts, second[start:end])], axis=1)
        keep[start:end] = same >= PREFILTER_AGREEMENT
    return keep


def gathered(values, rows, let_go=None):
    """Return values[rows] (rows ascending), read SIGNATURE_ROWS rows of values at a time, let_go() called after each."""
    bounds = np.searchsorted(rows, np.arange(0, len(values) + SIGNATURE_ROWS, SIGNATURE_ROWS))
    found = np.empty((len(rows),) + values.shape[1:], values.dtype)
    for low, high in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        if low < high:
            found[low:high] = values[rows[low:high]]
            if let_go:
                let_go()
    return found


def shingle_rows(norms):
    """Return the texts' shingle sets as a sparse matrix (one row per text, one column per distinct shingle), and
    their sizes: for a few texts compared all with all (search/timeline.py); the reuse stage's exact check
    reads its sets back from a scratch file instead (exact.py)."""
    from scipy.sparse import csr_matrix  # only the reuse stage and the timeline need scipy
    sets = [shingles(norm) for norm in norms]
    sizes = np.array([len(found) for found in sets], np.int64)
    values = np.concatenate(sets) if sets else np.empty(0, np.uint64)
    distinct, columns = np.unique(values, return_inverse=True)
    return csr_matrix((np.ones(len(values), np.float32), columns.ravel(), np.append(0, np.cumsum(sizes))),
                      shape=(len(sets), len(distinct))), sizes


def near_pairs(band_keys, signatures, new, norm_of, seen=None, known=(EMPTY, EMPTY), scratch=None, let_go=None,
               processes=1):
    """Return (a, b, similarity) of the pairs of texts at least THRESHOLD similar, at least one of them new.

    band_keys and signatures hold a row per text (sketch.py); norm_of(i) gives text i's
    normalized text, read only for the texts of pairs that pass the prefilter; let_go(), when
    given, is called whenever a chunk of texts, a band's keys or a range's signatures has been
    read (the reuse stage drops what it read through memory maps from resident memory); seen orders the texts by first appearance (row order when
    None); known holds the near-identical pairs found before (an earlier generation's), which are
    not looked for again; scratch is the folder of the scratch files (runs.py, exact.py); up to
    processes processes check the ranges of candidates (Search.results()).

    Every such pair is found (but once in about 12,000, settings.py) unless both texts are in
    a crowd (settings.CROWD): there each text is paired with its bucket's earliest texts and
    with the texts leading groups, and since who leads depends on the pairs, the search is
    repeated with the leaders it found until they stay the same (each repetition making only the
    pairs the new leaders bring, bucket_pairs()). Then every text meets every earlier leader it
    shares a band with, so the groups are those all pairs would give.

    The candidates of each search and the pairs checked so far live on disk (runs.PairRuns) and
    are read back a range of keys at a time; memory holds the near-identical pairs found, a
    few arrays of a value per text, and one range a process.
    """
    count = len(band_keys)
    seen = np.arange(count) if seen is None else np.asarray(seen)
    place = appearance_places(seen)
    signatures = signatures.reshape(count, NUM_PERM)
    known_first, known_second = (np.asarray(ends, np.int64) for ends in known)
    near, similarity = [EMPTY], [np.empty(0)]
    leads, led = np.zeros(count, bool), None
    with PairRuns(scratch) as checked, ShingleSets(count, norm_of, scratch, let_go) as sets:
        checked.add(sorted_distinct(np.minimum(known_first, known_second) * count
                                    + np.maximum(known_first, known_second)))
        if new.all() and count > 1:
            # A full build: nearly every text is in a candidate. Their sets made in order, a chunk's
            # texts (runs of neighbours) are read back in a few spans instead of one a text, and
            # the processes checking ranges all read the one file.
            sets.compute(np.arange(count), processes)
        while new.any() and count > 1:
            with PairRuns(scratch) as found:
                crowded = candidates(band_keys, new, place, leads, found, let_go, led)
                search = Search(found, checked, signatures, sets, let_go)
                for fresh, exact in search.results(processes):
                    near.append(fresh[exact >= THRESHOLD])
                    similarity.append(exact[exact >= THRESHOLD])
                    checked.add(fresh)
            if not crowded:
                break
            near = [np.concatenate(near)]
            leader = leaders(seen, np.concatenate([known_first, near[0] // count]),
                             np.concatenate([known_second, near[0] % count]))
            if np.array_equal(leads, leader == np.arange(count)):
                break
            leads, led = leader == np.arange(count), leads
    near, similarity = np.concatenate(near), np.concatenate(similarity)
    return near // count, near % count, similarity


class Search:
    """One search's candidates (runs.PairRuns) checked a range of keys at a time: those not checked before whose
    signatures agree enough (agreeing()) get their exact similarity (exact.exact_check())."""

    def __init__(self, found, checked, signatures, sets, let_go=None):
        """Check the candidates found against the pairs checked before, with the texts' signatures and ShingleSets."""
        self.found, self.checked, self.signatures, self.sets, self.let_go = found, checked, signatures, sets, let_go

    def check(self, low, high):
        """Return (the candidates from low up to high that were never checked and pass the prefilter, their exact
        similarities)."""
        keys = self.found.within(low, high)
        if not len(keys):
            return EMPTY, np.empty(0)
        count = len(self.signatures)
        fresh = keys[~among_sorted(keys, self.checked.within(keys[0], keys[-1] + 1))]
        fresh = fresh[agreeing(fresh // count, fresh % count, self.signatures, self.let_go)]
        exact = exact_check(fresh, count, self.sets)
        if self.let_go:
            self.let_go()
        return fresh, exact

    def results(self, processes=1):
        """Yield check() of every range in order of keys, the ranges shared among up to processes forked processes
        (forked.forked_map(); each with ShingleSets of its own unless every set is made).

        The ranges are cut among the pairs checked before too (PairRuns.range_bounds()), so a range
        reads at most about RANGE_KEYS of them, however few the candidates.
        """
        self.found.file.flush()
        self.checked.file.flush()
        yield from forked_map(self.check_range, self.found.range_bounds(alongside=self.checked), processes,
                              self.own_sets)

    def check_range(self, bounds):
        """Return check() of one range (low, high)."""
        return self.check(*bounds)

    def own_sets(self):
        """Give a forked process ShingleSets of its own unless every set is made: their scratch file is written by one
        process only."""
        if not self.sets.complete():
            self.sets = self.sets.another()
