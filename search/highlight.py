"""Highlight marks and snippets: the one place that makes trusted markup from page text."""
from markupsafe import Markup, escape

from indexer.text import SENTENCE_ENDS, normalize_with_map

# About two lines of a result list.
SNIPPET_CHARS = 160
# Context shown before a match that lies deep inside a long sentence.
LEAD_CHARS = 40


def match_spans(text, needles):
    """Return merged (start, end) character spans of text where any normalized needle occurs."""
    norm, origin = normalize_with_map(text)
    spans = []
    for needle in set(needles):
        start = norm.find(needle) if needle else -1
        while start != -1:
            end = start + len(needle)
            spans.append((origin[start], origin[end - 1] + 1))
            start = norm.find(needle, start + 1)
    merged = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def mark(text, spans):
    """Return text HTML-escaped, with each span wrapped in <mark>."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def sentence_start(text, index):
    """Return where the sentence holding text[index] begins."""
    return max(text.rfind(c, 0, index) for c in SENTENCE_ENDS) + 1


def sentence_end(text, index):
    """Return the index just past the end of the sentence holding text[index], or -1 if it runs on."""
    ends = [i for i in (text.find(c, index) for c in SENTENCE_ENDS) if i != -1]
    return min(ends) + 1 if ends else -1


def sentence_window(text, spans, size=SNIPPET_CHARS):
    """Return the (start, end) window around the first match, cut at sentence ends where it can be."""
    if len(text) <= size:
        return 0, len(text)
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
    return start, min(end, len(text))


def snippet(text, spans):
    """Return the marked, escaped snippet of a paragraph around its first match span."""
    start, end = sentence_window(text, spans)
    inside = [(max(s, start) - start, min(e, end) - start) for s, e in spans if e > start and s < end]
    body = mark(text[start:end], inside)
    return (Markup("…") if start else Markup("")) + body + (Markup("…") if end < len(text) else Markup(""))


def marked(text, needles):
    """Return (snippet, whole paragraph) of a paragraph, escaped, with every match marked."""
    spans = match_spans(text, needles)
    return snippet(text, spans), mark(text, spans)


def highlight(text, needles):
    """Return the whole paragraph, escaped, with every match marked."""
    return mark(text, match_spans(text, needles))
