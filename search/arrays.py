"""What the fast query path reads from one index generation, as compact numpy arrays.

Whoosh walks postings and scores matches one document at a time in Python; this module
reads whole posting lists (document numbers and term frequencies) in blocks instead,
and keeps the normalized text of every paragraph as one UTF-8 byte string, so an exact
phrase is checked by a substring search in C.
"""
import threading
from collections import OrderedDict

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

NORM_FIELD = "norm_text"
# Bytes of posting lists kept per generation and process: the words and bigrams of many
# queries, bounded because a common bigram's list holds nearly one entry per paragraph.
POSTING_CACHE_BYTES = 32 * 1024 * 1024
# Whoosh stores a field length as one byte; this table decodes all 256 of them at once.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


def leaf_postings(leaf, fieldname, text):
    """Return (docnums, weights) of a term in one segment, deleted documents included."""
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids, weights = [], []
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time: each block's ids and weights are decoded arrays already.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
    else:
        # Short lists stored inline in the term index.
        found = []
        while matcher.is_active():
            found.append((matcher.id(), matcher.weight()))
            matcher.next()
        if found:
            ids.append(np.array([d for d, _ in found], dtype=np.int32))
            weights.append(np.array([w for _, w in found], dtype=np.float32))
    if not ids:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    return np.concatenate(ids), np.concatenate(weights)


def leaf_lengths(leaf, fieldname):
    """Return the stored length of a field for every document of one segment."""
    count = leaf.doc_count_all()
    column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN) if hasattr(leaf, "_perdoc") else None
    if column is None:
        return np.ones(count, np.float32)
    return LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=count)]


def leaf_texts(leaf):
    """Return (UTF-8 bytes of every normalized text, start offset of each document) of one segment."""
    count = leaf.doc_count_all()
    column = leaf.column_reader(NORM_FIELD, translate=False) if leaf.has_column(NORM_FIELD) else None
    if column is None:
        raise LookupError(f"the index has no {NORM_FIELD} column; rebuild it")
    lengths = np.asarray(column._lengths, dtype=np.int64)[:count]
    # The values are written back to back, so the whole column is one read.
    blob = column._dbfile.get(column._basepos, int(lengths.sum()))
    starts = np.zeros(count + 1, np.int64)
    np.cumsum(lengths, out=starts[1:])
    return blob, starts


def live_leaves(searcher):
    """Return the (segment reader, docnum offset) pairs of a searcher that hold documents."""
    return [(leaf, offset) for leaf, offset in searcher.reader().leaf_readers() if leaf.doc_count_all()]


class Arrays:
    """One generation's live mask, heading mask, field lengths, texts and cached posting lists."""

    def __init__(self, searcher):
        leaves = live_leaves(searcher)
        self.count = searcher.reader().doc_count_all()
        self.live = np.ones(self.count, bool)
        blobs, starts = [], []
        base = 0
        for leaf, offset in leaves:
            if leaf.has_deletions():
                kept = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
                self.live[offset:offset + leaf.doc_count_all()] = False
                self.live[kept + offset] = True
            blob, leaf_starts = leaf_texts(leaf)
            blobs.append(blob)
            starts.append(leaf_starts[:-1] + base)
            base += len(blob)
        self.blob = b"".join(blobs)
        starts.append(np.array([base], np.int64))
        self.starts = np.concatenate(starts)
        self._lengths = {}
        self._postings = OrderedDict()
        self._cached_bytes = 0
        self._lock = threading.Lock()
        self.heading = np.zeros(self.count, bool)
        self.heading[self.docs(searcher, "heading", True)[0]] = True

    def lengths(self, searcher, fieldname):
        """Return every document's stored length of a field, read once."""
        found = self._lengths.get(fieldname)
        if found is None:
            found = np.concatenate([leaf_lengths(leaf, fieldname) for leaf, _ in live_leaves(searcher)] or
                                   [np.empty(0, np.float32)])
            self._lengths[fieldname] = found
        return found

    def docs(self, searcher, fieldname, text):
        """Return (live docnums ascending, term frequencies) of a term, cached.

        The postings are read through the caller's own searcher: Whoosh readers are
        not shared between threads.
        """
        key = (fieldname, text)
        with self._lock:
            found = self._postings.get(key)
            if found is not None:
                self._postings.move_to_end(key)
                return found
        ids, weights = [], []
        for leaf, offset in live_leaves(searcher):
            if (fieldname, text) in leaf:
                leaf_ids, leaf_weights = leaf_postings(leaf, fieldname, text)
                ids.append(leaf_ids + np.int32(offset))
                weights.append(leaf_weights)
        if ids:
            docs, tf = np.concatenate(ids), np.concatenate(weights)
            keep = self.live[docs]
            found = (docs[keep], tf[keep])
        else:
            found = (np.empty(0, np.int32), np.empty(0, np.float32))
        with self._lock:
            self._postings[key] = found
            self._cached_bytes += found[0].nbytes + found[1].nbytes
            while self._cached_bytes > POSTING_CACHE_BYTES and len(self._postings) > 1:
                _, (old_ids, old_tf) = self._postings.popitem(last=False)
                self._cached_bytes -= old_ids.nbytes + old_tf.nbytes
        return found

    def containing(self, candidates, norm):
        """Return the candidate docnums whose normalized text contains norm (exact, in C)."""
        needle = norm.encode("utf-8")
        find, starts = self.blob.find, self.starts
        ends = starts[candidates + 1].tolist()
        kept = [d for d, s, e in zip(candidates.tolist(), starts[candidates].tolist(), ends)
                if find(needle, s, e) >= 0]
        return np.array(kept, dtype=np.int64)

    def all_live(self):
        """Return every live docnum."""
        return np.flatnonzero(self.live)


class ArrayCache:
    """Arrays per index generation, shared by all threads searching one index."""

    KEEP_GENERATIONS = 2

    def __init__(self):
        self._lock = threading.Lock()
        self._by_generation = {}

    def get(self, searcher, key):
        """Return the arrays of the generation named by key, reading them the first time."""
        found = self._by_generation.get(key)
        if found is None:
            with self._lock:
                found = self._by_generation.get(key)
                if found is None:
                    found = Arrays(searcher)
                    self._by_generation[key] = found
                    while len(self._by_generation) > self.KEEP_GENERATIONS:
                        self._by_generation.pop(next(iter(self._by_generation)))
        return found
