"""Report structure: headings (also inline ones), section paths and section classes."""
import re

from model.report import LEAD_CLASS, OTHER_CLASS, Paragraph
from model.text import SENTENCE_ENDS

CN_DIGITS = "一二三四五六七八九十"

# Heading numbers of official documents, outermost rank first: 第一部分 > 一、 > （一） > 1. > （1）.
HEADING_NUMBERS = (
    (0, re.compile(rf"^第[{CN_DIGITS}]+部分")),
    (1, re.compile(rf"^[{CN_DIGITS}]+\s*[、．.]")),
    (2, re.compile(rf"^[（(]\s*[{CN_DIGITS}]+\s*[）)]")),
    # "2.5万人" is a number, not an item: no digit may follow the dot.
    (3, re.compile(r"^[0-9０-９]{1,2}\s*[、．.](?![0-9０-９])")),
    (4, re.compile(r"^[（(]\s*[0-9０-９]{1,2}\s*[）)]")),
)
# In-paragraph enumerations ("一是…", "二是…", "第一，…") are not headings.
ENUMERATION = re.compile(rf"^(其)?[{CN_DIGITS}]+是|^第[{CN_DIGITS}]+[，,、]")
# "一是" starts an enumeration; "二是" and later continue one.
FIRST_ENUMERATION = re.compile(r"^(其)?一是")

# A heading line is short; a numbered line longer than this is a list item in the body.
HEADING_MAX_CHARS = 60
# An inline heading is the short first sentence of a numbered paragraph:
# "（一）加强组织领导，夯实法治政府建设根基。坚持…".
INLINE_HEADING_MAX_CHARS = 40
# The rest must be body text of its own, not a short afterthought of the heading.
INLINE_REST_MIN_CHARS = 15
# Items run inside one paragraph ("…高效。2.持续提升…"): the number follows a sentence end.
EMBEDDED_ITEM = re.compile(rf"(?<=[{re.escape(SENTENCE_ENDS)}])\s*(\d{{1,2}})\s*[.．、](?![0-9０-９])")

# Classes of top-level sections, tried in this order, first match wins. The duty of the
# principal leader and rectification come first because their headings also say
# 推进/情况/举措; problems before plans because "存在问题及下一步打算" reports problems.
SECTION_RULES = (
    ("负责人履职", re.compile(r"第一责任人|主要负责人履行|负责人履职")),
    ("整改落实", re.compile(r"督察|督查|整改")),
    ("存在问题", re.compile(r"问题|不足|短板|差距")),
    ("下一步计划", re.compile(r"下一步|工作思路|计划|安排|目标任务|打算|思路|展望")),
    ("成效举措", re.compile(r"主要工作|成效|举措|工作情况|工作内容|做法|进展|成绩|基本情况")),
)


def numbering_rank(text):
    """Return the rank of the heading number a text starts with, or None."""
    if ENUMERATION.match(text):
        return None
    for rank, pattern in HEADING_NUMBERS:
        if pattern.match(text):
            return rank
    return None


def is_heading(text):
    """Tell whether a whole line is a heading: numbered, short, at most one sentence, at its end."""
    if numbering_rank(text) is None or len(text) > HEADING_MAX_CHARS:
        return False
    return not any(char in SENTENCE_ENDS for char in text[:-1])


def split_inline_heading(text):
    """Return (heading, rest) of a numbered paragraph that opens with a heading sentence, or None."""
    if numbering_rank(text) is None:
        return None
    end = min((text.find(char) for char in SENTENCE_ENDS if char in text), default=-1)
    if end < 0 or end + 1 > INLINE_HEADING_MAX_CHARS:
        return None
    heading, rest = text[:end + 1], text[end + 1:].strip()
    if len(rest) < INLINE_REST_MIN_CHARS:
        return None
    return heading, rest


def split_embedded_items(text):
    """Split a paragraph opening with item 1 at each next item number (2., 3., …) inside it."""
    first = HEADING_NUMBERS[3][1].match(text)
    if not first or int(re.sub(r"\D", "", first.group())) != 1:
        return [text]
    cuts, expected = [], 2
    for match in EMBEDDED_ITEM.finditer(text):
        if int(match.group(1)) == expected:
            cuts.append(match.start(1))
            expected += 1
    bounds = [0] + cuts + [len(text)]
    return [text[start:end].strip() for start, end in zip(bounds, bounds[1:])]


def split_line(text):
    """Split one body line into its paragraphs: inline headings and embedded items apart."""
    if is_heading(text):
        return [text]
    # Items first: the inline heading of item 1 must not carry items 2, 3, … as its body.
    items = split_embedded_items(text)
    if len(items) > 1:
        return [piece for item in items for piece in split_line(item)]
    inline = split_inline_heading(text)
    if inline:
        return [inline[0]] + split_line(inline[1])
    return [text]


def section_class(heading):
    """Return the canonical class of a top-level section from its heading text."""
    for name, pattern in SECTION_RULES:
        if pattern.search(heading):
            return name
    return OTHER_CLASS


class _Outline:
    """The headings open at the current point of reading, outermost first."""

    def __init__(self):
        """Start before the first heading, with no enumeration running."""
        self.stack = []  # (rank, heading text)
        # Depth at which the current 一是/二是 enumeration runs: numbered items inside
        # "二是…" end when "三是…" continues the enumeration.
        self.enumeration_depth = None

    def open(self, rank, text):
        """Close the headings of the same or lower level and open this one."""
        while self.stack and self.stack[-1][0] >= rank:
            self.stack.pop()
        if self.enumeration_depth is not None and len(self.stack) < self.enumeration_depth:
            self.enumeration_depth = None
        self.stack.append((rank, text))

    def enumerate(self, text):
        """Note a 一是/二是 paragraph, closing numbered items opened inside the previous one."""
        depth = self.enumeration_depth
        continues = depth is not None and not FIRST_ENUMERATION.match(text)
        if continues and len(self.stack) > depth and all(rank >= 3 for rank, _ in self.stack[depth:]):
            del self.stack[depth:]
        elif not continues or len(self.stack) != depth:
            self.enumeration_depth = len(self.stack)

    def path(self):
        """Return the texts of the open headings, outermost first."""
        return [text for _, text in self.stack]

    def top_class(self):
        """Return the class of the open top-level section, 导语 before the first heading."""
        return section_class(self.stack[0][1]) if self.stack else LEAD_CLASS


def build_paragraphs(lines):
    """Turn body lines into numbered paragraphs with heading flags, section paths and classes."""
    outline, paragraphs = _Outline(), []
    for text in (piece for line in lines for piece in split_line(line)):
        heading = is_heading(text)
        if heading:
            outline.open(numbering_rank(text), text)
            path, path_class = outline.path()[:-1], outline.top_class()
        else:
            if ENUMERATION.match(text):
                outline.enumerate(text)
            path, path_class = outline.path(), outline.top_class()
        paragraphs.append(Paragraph(n=len(paragraphs) + 1, text=text, heading=heading,
                                    section_class=path_class, section_path=path))
    return paragraphs
