"""Every element's text, measured in one walk of a parse tree instead of one get_text() each.

get_text() reads an element's whole subtree, so asking it of every element costs the page
size times its nesting depth: a 10 KB page of unclosed <div>s took half a minute, a
nested 10 MB one never finished. One walk in document order gives each element its span
of the page's text and its range of descendants; the whitespace-collapsed length of any
element, and tallies over the elements inside it, are then a few bisections.
"""
import re
from bisect import bisect_left, bisect_right
from itertools import accumulate

from bs4 import NavigableString
from bs4.element import CData, Tag

# A line break in the source before a CJK character, after another one or after punctuation
# (pages mix in ASCII commas), is not a space: Chinese has none (the CSS Text 3 rule).
WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f"
CJK_SEGMENT_BREAK = re.compile(rf"(?<=[{WIDE},.;:!?)\]])[ \t\r\f]*\n\s*(?=[{WIDE}])")
WHITESPACE = re.compile(r"\s+")
# The strings get_text() returns for an ordinary element (not comments, scripts, <rt>).
TEXT_TYPES = (NavigableString, CData)
# What an ordinary element's get_text() reads; <rt> and <rp> read only their own kind of string.
ORDINARY = Tag.MAIN_CONTENT_STRING_TYPES


def collapse(text):
    """Collapse whitespace (ideographic and no-break spaces included) and strip the ends."""
    text = CJK_SEGMENT_BREAK.sub("", text)
    return WHITESPACE.sub(" ", text).strip()


class TreeText:
    """The text of a tree's elements as it stands when measured (remeasure after removing any)."""

    def __init__(self, root):
        """Walk the tree under root once, recording each element's text span and descendant range."""
        pieces, self.tags, self.spans, self.unusual = [], [], {}, set()
        offset = 0
        # An explicit stack, since old pages nest tags thousands deep; a tag's own entry is
        # pushed again below its children to mark where its subtree ends.
        stack = [root]
        while stack:
            node = stack.pop()
            if type(node) in TEXT_TYPES:
                pieces.append(node)
                offset += len(node)
            elif isinstance(node, tuple):
                tag, start, order = node
                self.spans[id(tag)] = (start, offset, order, len(self.tags) - 1)
            elif not isinstance(node, NavigableString):
                if node.interesting_string_types is not ORDINARY:
                    self.unusual.add(id(node))
                stack.append((node, offset, len(self.tags)))
                self.tags.append(node)
                stack.extend(reversed(node.contents))
        self.full = "".join(pieces)
        self._index_whitespace()

    def _index_whitespace(self):
        """Record every whitespace run, and which of them collapse to a space rather than to nothing."""
        runs = [match.span() for match in WHITESPACE.finditer(self.full)]
        self.run_starts = [start for start, _ in runs]
        self.run_ends = [end for _, end in runs]
        self.spaces_before = [0, *accumulate(end - start for start, end in runs)]
        # A run that a CJK segment break removes whole adds nothing; any other run between two
        # characters adds one space (a break removing part of a run leaves the rest as one).
        breaks = {match.span() for match in CJK_SEGMENT_BREAK.finditer(self.full)}
        kept = [run for run in runs if run not in breaks]
        self.kept_starts = [start for start, _ in kept]
        self.kept_ends = [end for _, end in kept]

    def _whitespace_before(self, offset):
        """Return how many whitespace characters the text holds before offset."""
        runs = bisect_right(self.run_starts, offset)
        if not runs:
            return 0
        return self.spaces_before[runs - 1] + min(offset, self.run_ends[runs - 1]) - self.run_starts[runs - 1]

    def _raw(self, tag):
        """Return tag.get_text(): its span of the page's text for an ordinary tag."""
        if id(tag) in self.unusual:
            return tag.get_text()  # a ruby annotation or the like: short, read as such
        start, end, _, _ = self.spans[id(tag)]
        return self.full[start:end]

    def compact_length(self, tag):
        """Return the number of non-whitespace characters in a tag's text."""
        if id(tag) in self.unusual:
            return len(self.compact(tag))
        start, end, _, _ = self.spans[id(tag)]
        return end - start - (self._whitespace_before(end) - self._whitespace_before(start))

    def length(self, tag):
        """Return len(collapse(tag.get_text())): its characters, plus one per inner whitespace run."""
        if id(tag) in self.unusual:
            return len(self.text(tag))
        start, end, _, _ = self.spans[id(tag)]
        # Runs with a character of the tag's text on both sides; those at its ends are stripped.
        inner = bisect_left(self.kept_ends, end) - bisect_right(self.kept_starts, start)
        return self.compact_length(tag) + max(inner, 0)

    def text(self, tag):
        """Return collapse(tag.get_text())."""
        return collapse(self._raw(tag))

    def compact(self, tag):
        """Return a tag's text with all whitespace removed."""
        return "".join(self._raw(tag).split())

    def order(self, tag):
        """Return the tag's place in document order (the root is 0)."""
        return self.spans[id(tag)][2]

    def last(self, tag):
        """Return the place in document order of the tag's last descendant (itself when it has none)."""
        return self.spans[id(tag)][3]

    def inside(self, tag, outer):
        """Tell whether tag is a descendant of outer."""
        return self.order(outer) < self.order(tag) <= self.last(outer)

    def tally(self, weigh):
        """Return a Tally of weigh(tag) over the tags, for sums over any tag's descendants."""
        return Tally(self, [(order, weigh(tag)) for order, tag in enumerate(self.tags)])


class Tally:
    """Counts and sums of a weight over the measured tags, asked of any tag's descendants."""

    def __init__(self, measure, weights):
        """Keep the (order, weight) pairs whose weight is not None, as prefix sums."""
        self.measure = measure
        kept = [(order, weight) for order, weight in weights if weight is not None]
        self.orders = [order for order, _ in kept]
        self.sums = [0, *accumulate(weight for _, weight in kept)]

    def _range(self, tag):
        """Return the index range of the kept tags that are descendants of tag."""
        return (bisect_right(self.orders, self.measure.order(tag)),
                bisect_right(self.orders, self.measure.last(tag)))

    def count(self, tag):
        """Return how many kept tags lie inside tag (itself excluded)."""
        low, high = self._range(tag)
        return high - low

    def sum(self, tag):
        """Return the sum of the weights of the kept tags inside tag (itself excluded)."""
        low, high = self._range(tag)
        return self.sums[high] - self.sums[low]
