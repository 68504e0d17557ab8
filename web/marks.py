"""Marked text: the one place that makes markup from page text and match or difference spans."""
from markupsafe import Markup, escape

ELLIPSIS = "…"
# The elements spans are wrapped in: a query's matches, and what two near-identical paragraphs do
# not share (removed from this one, added in the other).
MATCH, REMOVED, ADDED = (Markup("<mark>%s</mark>"), Markup('<del class="diff">%s</del>'),
                         Markup('<ins class="diff">%s</ins>'))


def wrapped(text, spans, element):
    """Return text HTML-escaped, with each [start, end] span wrapped in one of the elements above."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(element % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def mark(text, spans):
    """Return text HTML-escaped, with each [start, end] span wrapped in <mark>."""
    return wrapped(text, spans, MATCH)


def removed(text, spans):
    """Return text HTML-escaped, with each [start, end] span (not in the text it is compared with) in <del>."""
    return wrapped(text, spans, REMOVED)


def added(text, spans):
    """Return text HTML-escaped, with each [start, end] span (not in the text it is compared with) in <ins>."""
    return wrapped(text, spans, ADDED)


def window(text, spans, start, end):
    """Return the part [start, end) of a text, escaped and marked, with an ellipsis where it is cut."""
    inside = [[max(s, start) - start, min(e, end) - start] for s, e in spans if e > start and s < end]
    body = mark(text[start:end], inside)
    return (Markup(ELLIPSIS) if start else Markup("")) + body + (Markup(ELLIPSIS) if end < len(text) else Markup(""))
