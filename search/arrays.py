"""What the query path reads from one index generation: the arrays of its segments.

indexer/index/format.py defines them and reads them, memory-mapped. An exact phrase is found
from the byte positions of its rarest bigram: the phrase's bytes are compared at all of them
at once, in numpy, over the normalized text. BM25 reads the jieba words' postings and field
lengths copied there from Whoosh.
"""
from bisect import bisect_left
from dataclasses import replace
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.index.derive import changes, leaves
from indexer.index.format import read_segment, segment_layout, word_hash
from model.report import Report
from model.text import normalize

from .columns import merge
from .opened import ReportTable, kept_path, opened
from .remember import Remembered
from .reuse import ReuseIndex
from .suggest import region_forms

EMPTY = np.empty(0, np.int64)
# Words whose counts in every title are remembered per generation (a few hundred KB each at 30,000 reports).
TITLE_WORDS_REMEMBERED = 64
# Plans whose matches and facet counts are remembered per generation: only those matching
# many paragraphs (execute.REMEMBERED_MATCHES), up to this many and this many bytes in all
# (plan_bytes: at most some 15 MB for a phrase matching 300,000 paragraphs).
# A count alone let the dozen common plans of a query mix at 10^6 push each other out in turn.
PLANS_REMEMBERED = 64
PLAN_BYTES_REMEMBERED = 96 << 20
# Byte widths a phrase is compared in, widest first (numpy's unsigned integers).
WORD_SIZES = (8, 4, 2, 1)
# Bytes in the aligned words a phrase is compared in first.
WORD = 8
# Blocks of 256 bytes, each with the paragraph holding its first byte (Segment.paragraph_of).
BLOCK_BITS = 8


def plan_bytes(counted):
    """Return at most how many bytes a remembered plan (search/execute.py's Counted) comes to hold: its passing
    documents, then their folding (kept, grouped members and three arrays per group: 3.5 times as many) and
    their scores (as many again)."""
    return int(counted.passing.nbytes * 5.5)


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


def distinct(sorted_values):
    """Return the distinct values of a sorted array."""
    return sorted_values[changes(sorted_values)] if len(sorted_values) else sorted_values


def overlaps_itself(word):
    """Tell whether two occurrences of a word can overlap (a proper prefix of it is also its suffix)."""
    return any(word[:size] == word[-size:] for size in range(1, len(word)))


class Texts:
    """Short texts (the report titles) laid end to end as code points, to count a word in all of them at once."""

    # Between two texts: no word looked for holds it.
    SEPARATOR = "\0"

    def __init__(self, texts):
        self.texts = texts
        self.codes = np.frombuffer(self.SEPARATOR.join(texts).encode("utf-32-le"), np.uint32)
        self.starts = np.cumsum([0, *(len(text) + 1 for text in texts[:-1])]) if texts else EMPTY

    def counts(self, word):
        """Return how many times the word occurs in each text, as str.count counts (occurrences apart), float64."""
        if not word or self.SEPARATOR in word or overlaps_itself(word):
            return np.array([text.count(word) for text in self.texts], np.float64)
        # Occurrences of a word that cannot overlap itself are all apart: each is found by its characters.
        needle = np.frombuffer(word.encode("utf-32-le"), np.uint32)
        found = np.flatnonzero(self.codes[:max(len(self.codes) - len(needle) + 1, 0)] == needle[0])
        for offset in range(1, len(needle)):
            found = found[self.codes[found + offset] == needle[offset]]
        text_of = np.searchsorted(self.starts, found, side="right") - 1
        return np.bincount(text_of, minlength=len(self.texts)).astype(np.float64)


class Segment:
    """One segment's text, bigram positions, sentence starts and word postings, at its docnum offset."""

    def __init__(self, arrays, offset):
        self.offset = offset
        self.arrays = arrays
        self.alphabet = arrays.alphabet
        self.keys = arrays.gram_keys
        self.key_offsets = arrays.gram_offsets
        self.starts = arrays.starts
        self.bytes = arrays.norm
        self.word_hashes = arrays.word_hashes
        # Every byte offset where a sentence begins, paragraph starts included, ascending.
        self.sentence_bounds = arrays.sentence_bounds
        # The text as unsigned ints of each width compare() reads (views, no copy).
        self.wide_views = {}

    def numbers(self, norm):
        """Return the alphabet numbers of norm's characters, or None when one never occurs here."""
        codes = np.array([ord(char) for char in norm], dtype=np.int64)
        where = np.minimum(np.searchsorted(self.alphabet, codes), max(len(self.alphabet) - 1, 0))
        if not len(self.alphabet) or np.any(self.alphabet[where] != codes):
            return None
        return where

    def positions(self, first, last):
        """Return the byte positions of the keys in [first, last), ascending per key."""
        low, high = np.searchsorted(self.keys, [first, last])
        return self.arrays.gram_positions[self.key_offsets[low]:self.key_offsets[high]]

    def occurrences(self, norm):
        """Return (byte positions ascending, local docnums) where norm starts inside one paragraph's text."""
        numbers = self.numbers(norm)
        if numbers is None:
            return EMPTY, EMPTY
        base = len(self.alphabet) + 1
        if len(norm) == 1:
            # Every key of one character is a run: its bigrams with anything, or its ending.
            starts = np.sort(np.asarray(self.positions(numbers[0] * base, (numbers[0] + 1) * base), np.int64))
            return starts, self.paragraph_of(starts)
        keys = numbers[:-1] * base + numbers[1:]
        low, high = np.searchsorted(self.keys, keys), np.searchsorted(self.keys, keys, side="right")
        if np.any(high == low):
            return EMPTY, EMPTY
        rarest = int(np.argmin(self.key_offsets[high] - self.key_offsets[low]))
        starts = np.asarray(self.positions(keys[rarest], keys[rarest] + 1), np.int64)
        if len(norm) == 2:
            # A bigram's positions are exactly where it occurs: a paragraph's last character
            # pairs with the end, never with the next paragraph's first.
            return starts, self.paragraph_of(starts)
        return self.compare(starts - len(norm[:rarest].encode("utf-8")), norm.encode("utf-8"))

    def compare(self, starts, needle):
        """Return (starts, local docnums) where the needle's bytes follow, within one paragraph's text."""
        width = len(needle)
        found = starts[(starts >= 0) & (starts + width <= len(self.bytes))]
        words, head = self.aligned
        spans = (WORD + width - 2) // WORD + 1  # at most how many aligned words a needle's bytes lie in
        within = (found >= head) & (found < head + (len(words) - spans + 1) * WORD)
        if np.all(within):
            found = self.compare_aligned(found, needle, words, head, spans)
        else:
            # Near either end of the text: the unaligned reads, for the few starts there.
            found = np.sort(np.concatenate([self.compare_aligned(found[within], needle, words, head, spans),
                                            self.compare_unaligned(found[~within], needle)]))
        paragraphs = self.paragraph_of(found)
        # A paragraph's text ends where the next begins: a match must not run across.
        inside = found + width <= self.starts[paragraphs + 1]
        return found[inside], paragraphs[inside]

    @staticmethod
    def compare_aligned(found, needle, words, head, spans):
        """Return the starts where the needle's bytes follow, read as the aligned 8-byte words they lie in.

        Aligned reads are several times cheaper in numpy than unaligned ones; each word is compared under a
        mask to the needle's bytes as they lie at the start's place in a word (one of eight), taken from a
        table, and the failed starts are dropped after each.
        """
        width = len(needle)
        expected, masks = np.zeros((WORD, spans), "<u8"), np.zeros((WORD, spans), "<u8")
        for shift in range(WORD):
            tail = bytes(spans * WORD - shift - width)
            expected[shift] = np.frombuffer(bytes(shift) + needle + tail, "<u8")
            masks[shift] = np.frombuffer(bytes(shift) + b"\xff" * width + tail, "<u8")
        for word in range(spans):
            at = found - head
            shift = at & (WORD - 1)
            found = found[(words[(at >> 3) + word] & masks[shift, word]) == expected[shift, word]]
        return found

    def compare_unaligned(self, found, needle):
        """Return the starts where the needle's bytes follow, read unaligned at each start."""
        # Up to eight bytes at a time: a phrase of six CJK characters is three gathers, not
        # eighteen; the last chunk overlaps the one before it so that it ends with the needle.
        width = len(needle)
        size = max(size for size in WORD_SIZES if size <= width)
        wide = self.wide(size)
        for offset in sorted({*range(0, width - size + 1, size), width - size}):
            found = found[wide[found + offset] == int.from_bytes(needle[offset:offset + size], "little")]
        return found

    @cached_property
    def aligned(self):
        """Return (the text as aligned little-endian 8-byte words, the byte where the first starts)."""
        head = min(-self.bytes.ctypes.data % WORD, len(self.bytes))
        count = (len(self.bytes) - head) // WORD
        return self.bytes[head:head + count * WORD].view("<u8"), head

    def wide(self, size):
        """Return the text as overlapping little-endian unsigned ints of size bytes, one starting at every byte."""
        if size not in self.wide_views:
            count = max(len(self.bytes) - size + 1, 0)
            self.wide_views[size] = (np.ndarray((count,), f"<u{size}", buffer=self.bytes, strides=(1,))
                                     if count else np.empty(0, f"<u{size}"))
        return self.wide_views[size]

    def between(self, left, right):
        """Return {character: occurrences} of the one character standing between left and right in this segment.

        One of left and right may be empty (the character before right, or after left);
        left, the character and right lie inside one paragraph's text.
        """
        if left:
            anchors = self.occurrences(left)[0] + len(left.encode("utf-8"))
        else:
            anchors = self.occurrences(right)[0]
            # Back to the start of the character before: UTF-8 continuation bytes are 10xxxxxx.
            anchors = anchors[anchors > 0] - 1
            for _ in range(3):
                inside = (anchors > 0) & ((self.bytes[np.maximum(anchors, 0)] & 0xC0) == 0x80)
                anchors = anchors - inside
        anchors = anchors[anchors < len(self.bytes)]
        if not len(anchors):
            return {}
        lead = self.bytes[anchors]
        width = np.select([lead < 0x80, lead < 0xE0, lead < 0xF0], [1, 2, 3], 4)
        needle = right.encode("utf-8")
        found = {}
        for size in np.unique(width).tolist():
            starts = anchors[width == size]
            # The paragraph of the character's first byte must hold the character and what follows.
            ends = self.starts[self.paragraph_of(starts) + 1]
            starts = starts[starts + size + len(needle) <= ends]
            same = np.ones(len(starts), bool)
            for offset, byte in enumerate(needle):
                same &= self.bytes[starts + size + offset] == byte
            starts = starts[same]
            if not len(starts):
                continue
            chunks = np.stack([self.bytes[starts + k] for k in range(size)], axis=1)
            values, counts = np.unique(chunks, axis=0, return_counts=True)
            for value, count in zip(values, counts.tolist()):
                char = bytes(value.tolist()).decode("utf-8", "replace")
                found[char] = found.get(char, 0) + count
        return found

    def paragraph_of(self, positions):
        """Return the local docnum whose text holds each byte position."""
        positions = np.asarray(positions)
        if not len(positions) or positions.min() < 0 or positions.max() >= len(self.bytes):
            return np.searchsorted(self.starts, positions, side="right") - 1
        # The paragraph at the start of the position's block, then the few paragraphs starting after it in the
        # block: three times cheaper than bisecting the paragraph starts.
        found = self.block_paragraphs[positions >> BLOCK_BITS].astype(np.int64)
        ahead = np.flatnonzero(self.starts[found + 1] <= positions)
        while len(ahead):
            found[ahead] += 1
            ahead = ahead[self.starts[found[ahead] + 1] <= positions[ahead]]
        return found

    @cached_property
    def block_paragraphs(self):
        """Return the local docnum holding the first byte of each block of 2 ** BLOCK_BITS bytes (made on first use)."""
        paragraphs = len(self.starts) - 1
        # The first block starting at or after each paragraph's start: from there on the blocks begin in it.
        firsts = (np.asarray(self.starts[:paragraphs], np.int64) + (1 << BLOCK_BITS) - 1) >> BLOCK_BITS
        blocks = (len(self.bytes) >> BLOCK_BITS) + 1
        return np.repeat(np.arange(paragraphs, dtype=np.int32), np.diff(np.append(firsts, blocks)))

    def containing(self, norm):
        """Return the global docnums, ascending, whose text contains norm."""
        return distinct(self.occurrences(norm)[1]) + self.offset

    def same_sentence(self, needles):
        """Return the global docnums, ascending, with one sentence holding every needle."""
        bounds = self.sentence_bounds
        common = None
        for needle in needles:
            starts = self.occurrences(needle)[0]
            first = np.searchsorted(bounds, starts, side="right")
            last = np.searchsorted(bounds, starts + len(needle.encode("utf-8")) - 1, side="right")
            sentences = np.unique(first[first == last])
            common = sentences if common is None else intersect([common, sentences])
        if common is None or not len(common):
            return EMPTY
        return distinct(self.paragraph_of(bounds[common - 1])) + self.offset

    def word(self, word):
        """Return (global docnums ascending, term frequencies) of a jieba word in this segment."""
        encoded = word.encode("utf-8")
        hashed = np.uint64(word_hash(encoded))
        first = np.searchsorted(self.word_hashes, hashed, side="left")
        last = np.searchsorted(self.word_hashes, hashed, side="right")
        for place in range(int(first), int(last)):
            # Equal hashes are checked against the word itself.
            if self.arrays.word_text(place) == encoded:
                low, high = self.arrays.word_offsets[place:place + 2]
                docs = np.asarray(self.arrays.word_docs[low:high], dtype=np.int64) + self.offset
                return docs, np.asarray(self.arrays.word_frequencies[low:high])
        return EMPTY, np.empty(0, np.float32)


def worked_out(reader, folder, placed):
    """Return what opening a generation works out of its segments (search/opened.py keeps it): each segment's
    layout and report table, the live mask, the merged columns, the titles, word lengths and reuse index."""
    count = reader.doc_count_all()
    known, live, segments = {}, None, []
    for (segment_id, paragraphs, offset), (_id, leaf, _offset) in zip(placed, leaves(reader)):
        layout, reports = segment_layout(folder, segment_id)
        known[segment_id] = (layout, ReportTable.of(reports))
        segments.append(read_segment(folder, segment_id, paragraphs, (layout, reports)))
        if leaf.has_deletions():
            if live is None:
                live = np.ones(count, bool)
            kept = np.fromiter(leaf.all_doc_ids(), dtype=np.int64)
            live[offset:offset + paragraphs] = False
            live[kept + offset] = True
    columns = merge(segments)
    # What a worker's first query with a place name would work out (search/suggest.py's places), kept with them.
    columns.cached("region_forms", region_forms)
    titles = [normalize(report.title) for report in columns.reports]
    reuse = ReuseIndex(Path(folder), placed, count, live, columns)
    return {"known": known, "live": live, "columns": replace(columns, reports=ReportTable.of(columns.reports)),
            "reuse": reuse, "titles": titles, "title_lengths": np.array([len(title) for title in titles], np.float64),
            "word_lengths": np.concatenate([s.word_lengths for s in segments] or [np.empty(0, np.float32)])}


class Arrays:
    """One generation's segments, live mask, columns, word lengths and reuse data."""

    def __init__(self, reader, folder):
        self.count = reader.doc_count_all()
        placed = [(segment_id, leaf.doc_count_all(), offset) for segment_id, leaf, offset in leaves(reader)]
        self.kept = kept_path(folder)
        state = opened(folder, lambda: worked_out(reader, folder, placed))
        self.segments = [Segment(read_segment(folder, segment_id, paragraphs, state["known"].get(segment_id)), offset)
                         for segment_id, paragraphs, offset in placed]
        self.live, self.columns, self.reuse = state["live"], state["columns"], state["reuse"]
        self.titles, self.title_lengths, self.word_lengths = state["titles"], state["title_lengths"], state["word_lengths"]
        self.title_word_counts = Remembered(TITLE_WORDS_REMEMBERED)
        # The matches of the commonest plans and their facets (search/execute.py's matching).
        self.matched = Remembered(PLANS_REMEMBERED, plan_bytes, PLAN_BYTES_REMEMBERED)

    def alive(self, docs):
        """Return the docs that are not deleted."""
        return docs if self.live is None else docs[self.live[docs]]

    def all_live(self):
        """Return every live docnum."""
        return np.flatnonzero(self.live) if self.live is not None else np.arange(self.count, dtype=np.int64)

    def where(self, mask):
        """Return the live docnums where a per-document mask is true."""
        return np.flatnonzero(mask if self.live is None else mask & self.live)

    def containing(self, norm):
        """Return the live docnums whose normalized text contains norm (one character or more)."""
        return self.alive(np.concatenate([s.containing(norm) for s in self.segments] or [EMPTY]))

    def same_sentence(self, needles):
        """Return the live docnums where every needle occurs inside one sentence."""
        return self.alive(np.concatenate([s.same_sentence(needles) for s in self.segments] or [EMPTY]))

    def between(self, left, right):
        """Return {character: occurrences} of the one character standing between left and right (see Segment.between)."""
        found = {}
        for segment in self.segments:
            for char, count in segment.between(left, right).items():
                found[char] = found.get(char, 0) + count
        return found

    def alphabet(self):
        """Return every character the normalized texts hold, as a string."""
        codes = np.unique(np.concatenate([s.alphabet for s in self.segments] or [np.empty(0, np.uint32)]))
        return "".join(map(chr, codes.tolist()))

    def title_counts(self, word):
        """Return how many times a word occurs in each report's normalized title, by report code."""
        counts = self.title_word_counts.get(word)
        if counts is None:
            counts = self.title_text.counts(word)
            counts.flags.writeable = False
            self.title_word_counts.put(word, counts)
        return counts

    @cached_property
    def title_text(self):
        """Return the normalized titles as one Texts (made on first use)."""
        return Texts(self.titles)

    def title_reports(self, norm):
        """Return the report codes whose normalized title contains norm."""
        return np.array([code for code, title in enumerate(self.titles) if norm in title], dtype=np.int64)

    def report_code(self, report_id):
        """Return the code of a report by its id, or -1 when the index does not hold it."""
        names = self.columns.report.names
        code = bisect_left(names, report_id)
        return code if code < len(names) and names[code] == report_id else -1

    def report_of(self, report_id):
        """Return the metadata of a report by its id, as a Report without paragraphs (one without metadata when not held)."""
        code = self.report_code(report_id)
        return self.columns.reports[code] if code >= 0 else Report.from_metadata(report_id, {})

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
