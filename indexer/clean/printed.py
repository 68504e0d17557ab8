"""Lines placed on printed pages (a PDF's text layer, a scan read by OCR) into the paragraphs they print.

A PDF holds no paragraphs, only lines where the page ran out of width, each page with its
running header and footer and a page number (— 3 —). Read as lines, a sentence broken at a
line's end is two paragraphs and a phrase across the break is never found. The page's
geometry tells what the text cannot: a line that reaches the right edge of the text
column wraps into the next one unless that one is indented (the 2em indent of a Chinese
paragraph); a line ending short of the edge ends its paragraph. A line that stands at the
top or the bottom of most pages is a running header or footer, and a lone number there a
page number; both are dropped before the lines are joined, so a sentence broken by a page
break is joined too.
"""
import re
from collections import Counter
from dataclasses import dataclass
from statistics import median

from .repair import PARAGRAPH_END
from .structure import is_heading, numbering_rank

# Page numbers as printed: "— 3 —", "- 3 -", "3", "第3页", "第 3 页 共 12 页", "3 / 12".
PAGE_NUMBER = re.compile(r"^[\s—–\-－―_·•一]*(?:第\s*)?\d{1,4}\s*页?\s*(?:(?:/|共)\s*\d{1,4}\s*页?)?[\s—–\-－―_·•一]*$")
# How many lines at each end of a page may be a header, a footer or a page number.
EDGE_LINES = 2
# A line at a page's edge on at least this share of the pages (and on two pages at least)
# is running matter: a document title repeated in the header, the issuer in the footer.
RUNNING_SHARE = 0.5
# A line ending this close to the column's right edge (in character heights) fills its line.
# Chinese text breaks anywhere and so ends within a character of the edge, except where a
# punctuation mark may not start the next line and takes the last character along: such a
# line ends up to LOOSE_LINE_SLACK short, which a whole heading may too, so it is one only
# when it is not a heading.
FULL_LINE_SLACK = 0.5
LOOSE_LINE_SLACK = 1.5
# A line starting this many character heights right of the column's left edge is indented
# (a paragraph's first line is indented 2em).
INDENT_SLACK = 1.0
# Spaces a PDF's character spacing or OCR puts between Chinese characters, which the text has not.
WIDE = r"\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f“”‘’"
SPACE_IN_CHINESE = re.compile(rf"(?<=[{WIDE}])[ \t\u00a0\u3000]+(?=[{WIDE}])")
DIGITS = re.compile(r"\d+")


@dataclass(frozen=True)
class Line:
    """One printed line: its text and where it stands on its page (in points or pixels, top down)."""

    text: str
    left: float
    right: float
    top: float
    height: float


def tidy(text):
    """Return a printed line's text without the spaces set between Chinese characters."""
    return SPACE_IN_CHINESE.sub("", " ".join(text.split()))


def running_key(line):
    """Return what a running header or footer keeps from page to page: its text (the page number
    aside) and its place on the page, in line heights."""
    return DIGITS.sub("#", re.sub(r"\s+", "", line.text)), round(line.top / (line.height or 1.0))


def drop_running_matter(pages):
    """Return the pages without page numbers and the headers and footers repeated at their edges."""
    edges = [page[:EDGE_LINES] + page[-EDGE_LINES:] for page in pages]
    counts = Counter(key for edge in edges for key in {running_key(line) for line in edge})
    least = max(2, RUNNING_SHARE * len(pages))

    def running(line):
        """Tell whether a line at a page's edge stands at the same place, with the same text, on most pages."""
        text, place = running_key(line)
        # A scan's lines shift by a few pixels from page to page: the neighbouring places count too.
        return sum(counts[text, near] for near in (place - 1, place, place + 1)) >= least

    kept = []
    for page, edge in zip(pages, edges):
        at_edge = {id(line) for line in edge}
        kept.append([line for line in page
                     if id(line) not in at_edge or not (PAGE_NUMBER.match(line.text) or running(line))])
    return kept


def paragraphs_of(pages):
    """Return the paragraphs printed on pages of Lines (each page top down), in reading order."""
    pages = [[line for line in page if tidy(line.text)] for page in pages]
    lines = [line for page in drop_running_matter(pages) for line in page]
    if not lines:
        return []
    size = median(line.height for line in lines) or 1.0
    right = max(line.right for line in lines)
    left = min(line.left for line in lines)
    paragraphs, wrapping = [], False
    for line in lines:
        text = tidy(line.text)
        indented = line.left > left + INDENT_SLACK * size
        if wrapping and not indented and not (PARAGRAPH_END.search(paragraphs[-1])
                                              and numbering_rank(text) is not None):
            paragraphs[-1] += text
        else:
            paragraphs.append(text)
        short = right - line.right
        wrapping = short <= FULL_LINE_SLACK * size or (short <= LOOSE_LINE_SLACK * size and not is_heading(text))
    return paragraphs
