"""Marked text: the one place that makes markup from page text and match spans."""
from markupsafe import Markup, escape

ELLIPSIS = "…"


def mark(text, spans):
    """Return text HTML-escaped, with each [start, end] span wrapped in <mark>."""
    parts, position = [], 0
    for start, end in spans:
        parts.append(escape(text[position:start]))
        parts.append(Markup("<mark>%s</mark>") % text[start:end])
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


def window(text, spans, start, end):
    """Return the part [start, end) of a text, escaped and marked, with an ellipsis where it is cut."""
    inside = [[max(s, start) - start, min(e, end) - start] for s, e in spans if e > start and s < end]
    body = mark(text[start:end], inside)
    return (Markup(ELLIPSIS) if start else Markup("")) + body + (Markup(ELLIPSIS) if end < len(text) else Markup(""))
