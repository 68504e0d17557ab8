"""Where a query matches inside a text, and the window of a paragraph a snippet shows.

The marks of a hit are what made it a hit, by the query's own semantics: the match nodes
the index answered (search/nodes.py) are answered again on the one paragraph, keeping
the occurrences of the parts that hold (an OR's matching branches, a 同句's sentence, no
part under a NOT). The core returns them as character offsets; the web (web/marks.py)
and the command line render them.
"""

from bisect import bisect_right

from model.text import SENTENCE_ENDS, SENTENCE_SPLIT, normalize_with_map

from .nodes import TEXT, AllOf, AnyOf, Contains, SameSentence, Without

# About two lines of a result list.
SNIPPET_CHARS = 160
# Context shown before a match that lies deep inside a long sentence.
LEAD_CHARS = 40


class Folded:
    """A paragraph in its searchable form, with the way back to its characters and its sentences."""

    def __init__(self, text):
        self.norm, self.origin = normalize_with_map(text)
        # Where each sentence after the first starts: just past a 。！？；!?;.
        self.sentence_starts = [end.end() for end in SENTENCE_SPLIT.finditer(text)]

    def occurrences(self, needle):
        """Return the [start, end] character spans of the text where a normalized needle occurs."""
        spans = []
        start = self.norm.find(needle) if needle else -1
        while start != -1:
            spans.append([self.origin[start], self.origin[start + len(needle) - 1] + 1])
            start = self.norm.find(needle, start + 1)
        return spans

    def sentence_of(self, index):
        """Return the number of the sentence holding the character at index."""
        return bisect_right(self.sentence_starts, index)


def merged(spans):
    """Return spans sorted, overlapping and touching ones merged."""
    found = []
    for start, end in sorted(spans):
        if found and start <= found[-1][1]:
            found[-1][1] = max(end, found[-1][1])
        else:
            found.append([start, end])
    return found


def match_spans(text, needles):
    """Return merged [start, end] character spans of text where any normalized needle occurs."""
    folded = Folded(text)
    return merged([span for needle in set(needles) for span in folded.occurrences(needle)])


def same_sentence_spans(folded, needles):
    """Return the spans of the needles inside the sentences that hold every one of them, or None."""
    by_sentence = {}
    for place, needle in enumerate(needles):
        for start, end in folded.occurrences(needle):
            sentence = folded.sentence_of(start)
            if folded.sentence_of(end - 1) == sentence:
                by_sentence.setdefault(sentence, {}).setdefault(place, []).append([start, end])
    found = [span for each in by_sentence.values() if len(each) == len(needles)
             for spans in each.values() for span in spans]
    return found or None


def node_spans(node, folded, holds):
    """Return the spans that make a match node hold for one paragraph (Folded), or None when it does not.

    holds(node) answers the nodes that are not about the text (facets, the report's title,
    everything): whether the paragraph's document is among theirs.
    """
    if isinstance(node, Contains) and node.scope == TEXT:
        return folded.occurrences(node.norm) or None
    if isinstance(node, SameSentence):
        return same_sentence_spans(folded, node.needles)
    if isinstance(node, AllOf):
        parts = [node_spans(part, folded, holds) for part in node.parts]
        return None if any(part is None for part in parts) else [span for part in parts for span in part]
    if isinstance(node, AnyOf):
        parts = [part for part in (node_spans(p, folded, holds) for p in node.parts) if part is not None]
        return [span for part in parts for span in part] if parts else None
    if isinstance(node, Without):
        base = node_spans(node.base, folded, holds)
        return base if base is not None and node_spans(node.dropped, folded, holds) is None else None
    return [] if holds(node) else None


def hit_spans(match, text, holds, needles):
    """Return the merged spans of what made a paragraph a hit (its needles' occurrences if the query cannot say)."""
    found = node_spans(match, Folded(text), holds) if match is not None else None
    return merged(found) if found is not None else match_spans(text, needles)


def sentence_start(text, index):
    """Return where the sentence holding text[index] begins."""
    return max(text.rfind(c, 0, index) for c in SENTENCE_ENDS) + 1


def sentence_end(text, index):
    """Return the index just past the end of the sentence holding text[index], or -1 if it runs on."""
    ends = [i for i in (text.find(c, index) for c in SENTENCE_ENDS) if i != -1]
    return min(ends) + 1 if ends else -1


def snippet_window(text, spans, size=SNIPPET_CHARS):
    """Return the [start, end] of the part of a paragraph its snippet shows: around the first match, cut at sentence ends where it can be."""
    if len(text) <= size:
        return [0, len(text)]
    first, last = spans[0] if spans else (0, 0)
    start = sentence_start(text, first)
    if first - start > size // 2:
        # The match is deep inside a long sentence: start shortly before it instead.
        start = first - LEAD_CHARS
    end = max(start + size, last)
    # Finish the sentence the window cuts, when its end is near.
    cut = sentence_end(text, end - 1)
    if cut != -1 and cut - end < size // 2:
        end = cut
    return [start, min(end, len(text))]

