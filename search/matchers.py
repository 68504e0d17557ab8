"""Whoosh queries the library lacks: exact containment, a fixed score, and same-sentence."""
from bisect import bisect_right

from whoosh import matching
from whoosh import query as wq
from whoosh.matching.wrappers import WrappingMatcher
from whoosh.query.compound import DefaultOr
from whoosh.query.spans import Span, SpanWrappingMatcher, make_binary_tree

from indexer.analysis import SENTENCE_MARK, bigrams

TEXT_GRAMS = "grams"


def contains(norm, fieldname=TEXT_GRAMS):
    """Return the query matching documents whose normalized text contains norm.

    Positions in the bigram field are consecutive, so a run of its bigrams at
    consecutive positions is exactly a substring; one character is any bigram
    starting with it, or the unigram the analyzer adds for the last character of a text.
    """
    if len(norm) == 1:
        return wq.Prefix(fieldname, norm)
    grams = bigrams(norm)[:-1]
    if len(grams) == 1:
        return wq.Term(fieldname, grams[0])
    return Contains(norm, fieldname)


class Contains(wq.Query):
    """Documents holding a normalized text of two or more bigrams, checked on positions.

    Whoosh's Phrase does the same through span objects; this compares plain sets of
    start positions, several times faster on the many candidates a common phrase has.
    """

    def __init__(self, norm, fieldname=TEXT_GRAMS):
        self.norm = norm
        self.fieldname = fieldname

    def __repr__(self):
        return f"Contains({self.norm!r}, {self.fieldname!r})"

    def __eq__(self, other):
        return type(other) is type(self) and (self.norm, self.fieldname) == (other.norm, other.fieldname)

    def __hash__(self):
        return hash((self.norm, self.fieldname))

    def offsets(self):
        """Return each distinct bigram with its offsets inside the text."""
        found = {}
        for offset, gram in enumerate(bigrams(self.norm)[:-1]):
            found.setdefault(gram, []).append(offset)
        return found

    def estimate_size(self, ixreader):
        """At most as many documents as the rarest bigram."""
        return min(ixreader.doc_frequency(self.fieldname, gram) for gram in self.offsets())

    def matcher(self, searcher, context=None):
        """Return the matcher, or an empty one when a bigram occurs nowhere."""
        reader = searcher.reader()
        offsets = self.offsets()
        if any((self.fieldname, gram) not in reader for gram in offsets):
            return matching.NullMatcher()
        # The rarest bigram first: its positions give the fewest candidate starts.
        ordered = sorted(offsets, key=lambda gram: reader.doc_frequency(self.fieldname, gram))
        parts = [(wq.Term(self.fieldname, gram).matcher(searcher, searcher.boolean_context()), offsets[gram])
                 for gram in ordered]
        return ContainsMatcher(parts)


class ContainsMatcher(SpanWrappingMatcher):
    """Walks the documents holding every bigram; keeps those where they line up, one span per start."""

    def __init__(self, parts):
        self.parts = parts
        super().__init__(make_binary_tree(matching.IntersectionMatcher, [m for m, _ in parts]))

    def copy(self):
        """Return an independent copy."""
        return self.__class__([(m.copy(), offsets) for m, offsets in self.parts])

    def replace(self, minquality=0):
        """Never swap in a plain intersection: the position check would be lost."""
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self):
        """Containment is a filter, never a ranking signal."""
        return False

    def score(self):
        """Containment is a filter: ranking comes from the words field."""
        return 0.0

    def _get_spans(self):
        """Return a span at each character where the whole text starts (empty when none)."""
        starts = None
        for part, offsets in self.parts:
            positions = part.value_as("positions")
            for offset in offsets:
                here = {p - offset for p in positions}
                starts = here if starts is None else starts & here
                if not starts:
                    return []
        return [Span(start) for start in sorted(starts)]


class FixedScore(wq.WrappingQuery):
    """Matches what the child matches, every document with the same score.

    Whoosh's ConstantScoreQuery falls back to the child's own scores when the
    collector needs the current document; this one never does.
    """

    def __init__(self, child, score=0.0):
        super().__init__(child)
        self.score = score

    def __eq__(self, other):
        return type(other) is type(self) and (self.child, self.score) == (other.child, other.score)

    def __hash__(self):
        return hash(self.child) ^ hash(self.score)

    def _rewrap(self, child):
        """Return the same wrapper around another child."""
        return self.__class__(child, self.score)

    def matcher(self, searcher, context=None):
        """Return the child's matcher, unscored, wrapped to give the fixed score."""
        child = self.child.matcher(searcher, searcher.boolean_context())
        if not child.is_active():
            return matching.NullMatcher()
        return FixedScoreMatcher(child, self.score)


class FixedScoreMatcher(WrappingMatcher):
    """The matcher of FixedScore."""

    def __init__(self, child, score):
        super().__init__(child)
        self.fixed = score

    def copy(self):
        """Return an independent copy."""
        return self.__class__(self.child.copy(), self.fixed)

    def _replacement(self, newchild):
        """Wrap an optimized child the same way."""
        return self.__class__(newchild, self.fixed)

    def supports_block_quality(self):
        """Block skipping would need the child's scores, which are not used."""
        return False

    def max_quality(self):
        """The best score any document gets."""
        return self.fixed

    def score(self):
        """The fixed score."""
        return self.fixed


def occurrences(norm, reader, fieldname):
    """Return a query whose matcher reports a span at each start position of norm.

    Like contains(), but a one-character needle becomes a union of Term matchers
    (which report positions) instead of Whoosh's array union (which does not).
    """
    if len(norm) != 1:
        return contains(norm, fieldname)
    terms = [wq.Term(fieldname, text) for text in reader.expand_prefix(fieldname, norm)]
    if len(terms) < 2:
        return terms[0] if terms else wq.NullQuery
    return DefaultOr(terms)


class SameSentence(wq.Query):
    """Matches paragraphs where every needle occurs inside one and the same sentence.

    The bigram field holds a SENTENCE_MARK at the position of each sentence start;
    a needle occurrence at character s of length L lies inside a sentence when no mark
    falls in (s, s+L-1], and its sentence number is the count of marks at or before s.
    """

    def __init__(self, needles, fieldname=TEXT_GRAMS):
        self.needles = tuple(needles)
        self.fieldname = fieldname

    def __repr__(self):
        return f"SameSentence({self.needles!r}, {self.fieldname!r})"

    def __eq__(self, other):
        return type(other) is type(self) and (self.needles, self.fieldname) == (other.needles, other.fieldname)

    def __hash__(self):
        return hash((self.needles, self.fieldname))

    def is_leaf(self):
        """Whoosh treats it as one unit."""
        return True

    def estimate_size(self, ixreader):
        """At most as many documents as the rarest needle."""
        return min(contains(n, self.fieldname).estimate_size(ixreader) for n in self.needles)

    def matcher(self, searcher, context=None):
        """Return the matcher, or an empty one when a needle does not occur at all."""
        reader = searcher.reader()
        parts = [occurrences(n, reader, self.fieldname).matcher(searcher, searcher.boolean_context())
                 for n in self.needles]
        if not all(part.is_active() for part in parts):
            return matching.NullMatcher()
        marks = wq.Term(self.fieldname, SENTENCE_MARK).matcher(searcher, searcher.boolean_context())
        return SameSentenceMatcher(parts, [len(n) for n in self.needles], marks)


class SameSentenceMatcher(SpanWrappingMatcher):
    """Walks the documents holding every needle and keeps those with a common sentence."""

    def __init__(self, parts, lengths, marks):
        self.parts = parts
        self.lengths = lengths
        self.marks = marks
        every = make_binary_tree(matching.IntersectionMatcher, parts)
        super().__init__(matching.AndMaybeMatcher(every, marks))

    def copy(self):
        """Return an independent copy."""
        return self.__class__([p.copy() for p in self.parts], self.lengths, self.marks.copy())

    def replace(self, minquality=0):
        """Never swap in a plain intersection: the sentence check would be lost."""
        return self if self.is_active() else matching.NullMatcher()

    def supports_block_quality(self):
        """Used unscored only."""
        return False

    def _get_spans(self):
        """Return one span per sentence holding every needle (empty when there is none)."""
        marks = self.marks
        if marks.is_active() and marks.id() == self.child.id():
            starts = [span.start for span in marks.spans()]
        else:
            starts = []
        common = None
        for part, length in zip(self.parts, self.lengths):
            sentences = set()
            for span in part.spans():
                first = bisect_right(starts, span.start)
                if first == bisect_right(starts, span.start + length - 1):
                    sentences.add(first)
            common = sentences if common is None else common & sentences
            if not common:
                return []
        return [Span(number) for number in sorted(common)]
