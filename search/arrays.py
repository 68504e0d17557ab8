"""What the query path reads from one index generation: the arrays of its segments.

Exact phrases come from the bigram posting arrays indexer/sidecar.py wrote beside each
Whoosh segment, verified by a substring search in C over the memory-mapped normalized
text; BM25 reads the jieba words' postings and field lengths copied there from Whoosh.
"""
import mmap
import threading
from bisect import bisect_right
from collections import OrderedDict

import numpy as np

from indexer import sidecar
from indexer.analysis import bigrams, normalize

from .columns import merge

# Candidates come from the intersection of this many rarest bigrams: more shrink the
# candidate list less than they cost to intersect, and the substring test is exact anyway.
CANDIDATE_BIGRAMS = 3
# Bytes of verified phrase matches kept per generation and process.
VERIFIED_CACHE_BYTES = 16 * 1024 * 1024
EMPTY = np.empty(0, np.int64)


def intersect(arrays):
    """Return the sorted docnums present in every sorted array, smallest array first."""
    arrays = sorted(arrays, key=len)
    found = arrays[0]
    for other in arrays[1:]:
        if not len(found) or not len(other):
            return found[:0]
        # Each of the few left looked up in the longer list: no sort of both together.
        where = np.minimum(np.searchsorted(other, found), len(other) - 1)
        found = found[other[where] == found]
    return found


def mapped(path):
    """Return a file's bytes as a read-only memory map (empty bytes for an empty file)."""
    with open(path, "rb") as handle:
        if not handle.seek(0, 2):
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


class BoundedCache:
    """A least-recently-used mapping of keys to numpy arrays, bounded by their bytes; thread-safe."""

    def __init__(self, limit):
        self.limit, self.used = limit, 0
        self._items = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key):
        """Return the array kept for key, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key, array):
        """Keep array for key, forgetting the least recently used ones beyond the limit."""
        with self._lock:
            if key in self._items or array.nbytes > self.limit:
                return
            self._items[key] = array
            self.used += array.nbytes
            while self.used > self.limit:
                _, old = self._items.popitem(last=False)
                self.used -= old.nbytes


class Segment:
    """One segment's bigram postings, normalized text and sentence starts, at its docnum offset."""

    def __init__(self, folder, segment_id, offset):
        found = sidecar.load_segment(folder, segment_id)
        self.offset = offset
        self.keys = np.asarray(found["gram_keys"])
        self.key_offsets = np.asarray(found["gram_offsets"])
        self.docs = found["gram_docs"]
        self.starts = np.asarray(found["starts"])
        self.sentence_starts = found["sentence_starts"]
        self.sentence_pointers = np.asarray(found["sentence_pointers"])
        self.text = mapped(found["norm_path"])
        self.word_hashes = np.asarray(found["word_hashes"])
        self.word_text_starts = np.asarray(found["word_text_starts"])
        self.word_texts = mapped(found["word_texts_path"])
        self.arrays = found

    def word(self, word):
        """Return (global docnums ascending, term frequencies) of a jieba word in this segment."""
        encoded = word.encode("utf-8")
        hashed = np.uint64(sidecar.word_hash(encoded))
        first = np.searchsorted(self.word_hashes, hashed, side="left")
        last = np.searchsorted(self.word_hashes, hashed, side="right")
        for place in range(int(first), int(last)):
            # Equal hashes are checked against the word itself.
            start, end = self.word_text_starts[place:place + 2]
            if self.word_texts[start:end] == encoded:
                low, high = self.arrays["word_offsets"][place:place + 2]
                docs = np.asarray(self.arrays["word_docs"][low:high], dtype=np.int64) + self.offset
                return docs, np.asarray(self.arrays["word_frequencies"][low:high])
        return EMPTY, np.empty(0, np.float32)

    def key_range(self, low, high):
        """Return the (first, last) positions of the keys in [low, high)."""
        return np.searchsorted(self.keys, [low, high])

    def frequency(self, low, high):
        """Return how many postings the keys in [low, high) hold here."""
        first, last = self.key_range(low, high)
        return int(self.key_offsets[last] - self.key_offsets[first])

    def postings(self, low, high):
        """Return the global docnums holding any key in [low, high), ascending, each once."""
        first, last = self.key_range(low, high)
        docs = np.asarray(self.docs[self.key_offsets[first]:self.key_offsets[last]], dtype=np.int64)
        if last - first > 1:
            docs = np.unique(docs)
        return docs + self.offset

    def containing(self, docs, needle):
        """Return the global docnums among docs (all in this segment) whose text contains needle."""
        local = docs - self.offset
        find, starts = self.text.find, self.starts
        kept = [d for d, s, e in zip(docs.tolist(), starts[local].tolist(), starts[local + 1].tolist())
                if find(needle, s, e) >= 0]
        return np.array(kept, dtype=np.int64)

    def sentences_of(self, doc, needle):
        """Return the numbers of the sentences of a global doc that hold the whole needle."""
        local = doc - self.offset
        start, end = int(self.starts[local]), int(self.starts[local + 1])
        marks = self.sentence_starts[self.sentence_pointers[local]:self.sentence_pointers[local + 1]].tolist()
        found, at = set(), self.text.find(needle, start, end)
        while at >= 0:
            first = bisect_right(marks, at - start)
            # Inside one sentence when no sentence starts after its first byte up to its last.
            if first == bisect_right(marks, at - start + len(needle) - 1):
                found.add(first)
            at = self.text.find(needle, at + 1, end)
        return found


class Arrays:
    """One generation's segments, live mask, columns, word lengths and cached word postings."""

    def __init__(self, searcher, folder):
        reader = searcher.reader()
        self.count = reader.doc_count_all()
        self.segments, self.live = [], None
        for segment_id, leaf, offset in sidecar.leaves(reader):
            self.segments.append(Segment(folder, segment_id, offset))
            if leaf.has_deletions():
                if self.live is None:
                    self.live = np.ones(self.count, bool)
                kept = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
                self.live[offset:offset + leaf.doc_count_all()] = False
                self.live[kept + offset] = True
        self.bounds = np.array([s.offset for s in self.segments] + [self.count], np.int64)
        self.columns = merge([s.arrays for s in self.segments])
        self.titles = [normalize(title) for title in self.columns.titles]
        # Verifying candidates is the one per-document Python loop of a search: a
        # needle's verified matches are kept for its next pages and facet clicks.
        self._verified = BoundedCache(VERIFIED_CACHE_BYTES)
        self.word_lengths = np.concatenate([np.asarray(s.arrays["word_lengths"]) for s in self.segments]
                                           or [np.empty(0, np.float32)])

    def alive(self, docs):
        """Return the docs that are not deleted."""
        return docs if self.live is None else docs[self.live[docs]]

    def all_live(self):
        """Return every live docnum."""
        return np.flatnonzero(self.live) if self.live is not None else np.arange(self.count, dtype=np.int64)

    def where(self, mask):
        """Return the live docnums where a per-document mask is true."""
        return np.flatnonzero(mask if self.live is None else mask & self.live)

    def keyed(self, low, high):
        """Return the live docnums holding any bigram key in [low, high)."""
        parts = [s.postings(low, high) for s in self.segments]
        return self.alive(np.concatenate(parts)) if parts else EMPTY

    def frequency(self, key):
        """Return how many paragraphs hold a bigram key, deleted ones included."""
        return sum(s.frequency(key, key + 1) for s in self.segments)

    def by_segment(self, docs):
        """Yield (segment, its share of the sorted docs)."""
        cuts = np.searchsorted(docs, self.bounds)
        for segment, first, last in zip(self.segments, cuts[:-1], cuts[1:]):
            if last > first:
                yield segment, docs[first:last]

    def containing(self, norm):
        """Return the live docnums whose normalized text contains norm (one character or more)."""
        return self.verify(self.candidates(norm), norm)

    def candidates(self, norm):
        """Return live docnums that may contain norm: all that do, and exactly those when verified() is true."""
        found = self._verified.get(norm)
        if found is not None:
            return found
        if len(norm) == 1:
            low = sidecar.gram_key(norm)
            return self.keyed(low, low + (1 << sidecar.CHAR_BITS))
        keys = sorted({sidecar.gram_key(gram) for gram in bigrams(norm)[:-1]}, key=self.frequency)
        return intersect([self.keyed(key, key + 1) for key in keys[:CANDIDATE_BIGRAMS]])

    def verified(self, norm):
        """Tell whether candidates(norm) is exact without a substring check."""
        return len(norm) <= 2 or self._verified.get(norm) is not None

    def verify(self, candidates, norm):
        """Return the candidates of norm whose text really contains it (in C), remembering full answers."""
        if self.verified(norm) or not len(candidates):
            return candidates
        needle = norm.encode("utf-8")
        found = [segment.containing(docs, needle) for segment, docs in self.by_segment(candidates)]
        found = np.concatenate(found) if found else EMPTY
        if len(candidates) == len(self.candidates(norm)):
            # All of norm's candidates were checked: this is its whole answer.
            self._verified.put(norm, found)
        return found

    def same_sentence(self, needles):
        """Return the live docnums where every needle occurs inside one sentence."""
        candidates = intersect([self.containing(needle) for needle in needles])
        encoded = [needle.encode("utf-8") for needle in needles]
        kept = []
        for segment, docs in self.by_segment(candidates):
            for doc in docs.tolist():
                common = segment.sentences_of(doc, encoded[0])
                for needle in encoded[1:]:
                    if not common:
                        break
                    common &= segment.sentences_of(doc, needle)
                if common:
                    kept.append(doc)
        return np.array(kept, dtype=np.int64)

    def title_reports(self, norm):
        """Return the report codes whose normalized title contains norm."""
        return np.array([code for code, title in enumerate(self.titles) if norm in title], dtype=np.int64)

    def of_reports(self, codes):
        """Return the live docnums of the reports with these codes."""
        return self.where(np.isin(self.columns.report.codes, codes))

    def words(self, word):
        """Return (live docnums ascending, term frequencies) of a jieba word."""
        found = [segment.word(word) for segment in self.segments]
        if not found:
            return EMPTY, np.empty(0, np.float32)
        docs, frequencies = np.concatenate([d for d, _ in found]), np.concatenate([f for _, f in found])
        if self.live is None:
            return docs, frequencies
        keep = self.live[docs]
        return docs[keep], frequencies[keep]


class ArrayCache:
    """Arrays per index generation folder, shared by all threads searching one index."""

    KEEP_GENERATIONS = 2

    def __init__(self):
        self._lock = threading.Lock()
        self._by_folder = {}

    def get(self, searcher, folder):
        """Return the arrays of a generation, reading them the first time."""
        found = self._by_folder.get(folder)
        if found is None:
            with self._lock:
                found = self._by_folder.get(folder)
                if found is None:
                    found = Arrays(searcher, folder)
                    self._by_folder[folder] = found
                    while len(self._by_folder) > self.KEEP_GENERATIONS:
                        self._by_folder.pop(next(iter(self._by_folder)))
        return found
