"""Where a query matches inside a text, and the window of a paragraph a snippet shows.

The core returns these as character offsets; the web (web/marks.py) and the command line
render them.
"""
from indexer.text import SENTENCE_ENDS, normalize_with_map

# About two lines of a result list.
SNIPPET_CHARS = 160
# Context shown before a match that lies deep inside a long sentence.
LEAD_CHARS = 40


def match_spans(text, needles):
    """Return merged [start, end] character spans of text where any normalized needle occurs."""
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
            merged[-1][1] = max(end, merged[-1][1])
        else:
            merged.append([start, end])
    return merged


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

