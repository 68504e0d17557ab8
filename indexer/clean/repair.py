"""Repairs of damaged report text: injected spam, broken dates, broken and repeated paragraphs.

Each repair takes lines and returns the repaired lines with the warnings (in Chinese) that
tell a reader what was changed.
"""
import re
from collections import Counter

from .chrome import FIELD_LABELS
from .frame import COLUMN_WORD_RUN, OWNERLESS_TITLE, looks_like_title, normalized_line
from .gazetteer import gazetteer
from .metadata import INSTITUTION_SUFFIX, TITLE_PLACE
from .nearrepeats import NEAR_REPEAT_MIN_CHARS, nearly_repeated
from .structure import CN_DIGITS, ENUMERATION, is_heading, numbering_rank

# Gambling-site brands injected into hacked government pages. These names mean nothing
# else, so they are spam wherever they stand.
SPAM_BRANDS_ANYWHERE = (
    "凯发一触即发", "凯发娱乐", "凯发官网", "凯发k8", "澳门新葡京", "新葡京", "澳门银河", "澳门金沙",
    "金沙娱乐", "威尼斯人娱乐", "澳门威尼斯人", "太阳城集团", "真人娱乐", "开元棋牌", "bet365",
    "亚博体育", "乐鱼体育", "天博体育", "万博体育", "开云体育", "必发娱乐",
)
# Brands that are also ordinary words or places (金沙县, 一触即发 the idiom, 打击网络博彩,
# 务必发挥): spam only where an institution name belongs or as a line of their own.
SPAM_BRANDS_IN_SLOT = (
    "凯发", "一触即发", "金沙", "威尼斯人", "太阳城", "博彩", "百家乐", "时时彩", "彩票平台",
    "亚博", "乐鱼", "必发", "天博", "万博", "开云",
)


def _alternatives(words):
    """Return a regex alternation of words, longest first so that brands match whole."""
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


ALL_BRANDS = _alternatives(SPAM_BRANDS_ANYWHERE + SPAM_BRANDS_IN_SLOT)
# The institution slot: right after a region name ("芙蓉区", "罗店镇", "湘桥街道") and before
# 关于, white space or the end of the line, as in "芙蓉区凯发一触即发关于…" and in a
# 来源 or signature line "长沙市芙蓉区凯发一触即发". The slot held the body's name.
SPAM_IN_SLOT = re.compile(rf"(?<=[\u4e00-\u9fff])(?P<region>街道|省|市|区|县|镇|乡)(?P<brand>{ALL_BRANDS})"
                          rf"(?=关于|\s|$)", re.IGNORECASE)
SPAM_ANYWHERE = re.compile(_alternatives(SPAM_BRANDS_ANYWHERE), re.IGNORECASE)
SPAM_LINE = re.compile(rf"^[\s\W]*(?:(?:{ALL_BRANDS})[\s\W_]*)+$", re.IGNORECASE)
# What a region's government is called: a 街道 has an office, every other level a 人民政府.
RESTORED_INSTITUTION = {"街道": "办事处"}
DEFAULT_INSTITUTION = "人民政府"

# A year run into its month: "20209月" for "2020年9月".
YEAR_WITHOUT_NIAN = re.compile(r"(?<![\d.])((?:19|20)\d{2})(1[0-2]|0?[1-9])月")

# Pages that lost their line breaks run the title, the salutation, headings and paragraphs
# into one long line, with a space where each break was: "…情况的报告 市委、市政府: 2024年,…
# 新成效。 一、主要举措 (一)强化…". Such a line is split again at the spaces before a heading
# number (第一部分, 一、, （一）, and 1. after a sentence), and its leading pieces are split off
# in turn: a breadcrumb trail, the issuers' names, the title, the page's metadata fields ("发布时间：2021-03-01
# 来源：某县司法局 浏览次数：12"), its tools ("【字体：大 中 小】 分享到："), a salutation, and
# whatever the site printed before the title (its name and menu: "某县人民政府 网站首页 政务公开
# 乡镇动态"). A line this long is a paragraph, never a menu.
RUN_TOGETHER_MIN_CHARS = 150
# The numbers a heading opens with (第一部分, 一、, （一）), and an item's (1.), which follows a sentence.
HEADING_NUMBER = (rf"第[{CN_DIGITS}]+部分|[{CN_DIGITS}]+、(?![{CN_DIGITS}])|[（(][{CN_DIGITS}]+[）)]")
ITEM_NUMBER = r"\d{1,2}[.．、](?!\d)"
RUN_TOGETHER_HEADING = re.compile(rf"\s+(?={HEADING_NUMBER})|(?<=[。；;])\s+(?={ITEM_NUMBER})")
# A heading runs into its paragraph the same way: "一、加强组织领导，压实责任 县政府常务会议…". A
# numbered piece whose first words (no sentence end, no longer than a heading) are followed by a
# space and Chinese text is split there.
RUN_TOGETHER_HEADING_TEXT = re.compile(r"^((?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])"
                                       r"\s*[^\s。；;：:！？]{2,30})\s+(?=[\u4e00-\u9fff“])")
_FIELD_LABEL = "|".join(map(re.escape, sorted(FIELD_LABELS, key=len, reverse=True)))
RUN_TOGETHER_CRUMB = re.compile(r"^(?:\S{0,6}位置\s*[:：]\s*)?(?:[^\s>›»→]{1,20}\s*(?:->|>>|[>›»→])\s*)+"
                                r"[^\s>›»→]{1,20}(?=\s)")
# The issuers' names printed above a title that names no author ("中共某县司法局党组 2019年度…").
RUN_TOGETHER_ISSUERS = re.compile(rf"^(?:\S{{2,30}}?{INSTITUTION_SUFFIX}\s+)*?\S{{2,30}}?{INSTITUTION_SUFFIX}"
                                  rf"(?=\s+(?:{OWNERLESS_TITLE.pattern.lstrip('^')}))")
# A title: words without punctuation ending in the report's type, before a space or a field, and
# not a column's name ("法治政府建设年度报告" above the report's own title); the issuers' names may
# head it, spaced ("中共某市委 某市人民政府关于…的报告").
_ISSUER_NAMES = rf"(?:\S{{2,30}}?{INSTITUTION_SUFFIX}\s+)*"
_TITLE_PIECE = (rf"(?!{COLUMN_WORD_RUN}\s)[^，,。；;：:！？|｜丨\s]{{6,80}}?(?:报告|总结|情况)"
                rf"(?=\s|(?:{_FIELD_LABEL})\s*[:：])")
RUN_TOGETHER_TITLE = re.compile(rf"^{_ISSUER_NAMES}{_TITLE_PIECE}")
# The page's tools: "【打印】【关闭】", "【字体：大 中 小】", "字号：大 中 小", "分享到：微信 微博", "打印本页".
_BRACKETED_TOOL = (r"[【\[]\s*(?:(?:打印|关闭)(?:本页|窗口)?|收藏|返回|大|中|小|(?:字体|字号)\s*[:：]?\s*大\s*中\s*小)"
                   r"\s*[】\]]")
_TOOL = (_BRACKETED_TOOL + r"|(?:字体|字号)\s*[:：]\s*大\s*中\s*小|(?:分享到|分享至|分享)\s*[:：]?(?:\s*(?:微信|微博|QQ空间|QQ|朋友圈|复制链接))*"
         r"|(?:打印|关闭)(?:本页|窗口)?")
# Tools ending in a bracket may run straight into the first paragraph ("【打印本页】【关闭窗口】2023年，…").
RUN_TOGETHER_TOOLS = re.compile(rf"^(?:{_TOOL})(?:\s*(?:{_TOOL}))*(?:(?=\s|$)|(?<=[】\]]))")
# Bracketed tools glued to a paragraph, at any line length: before its first words ("来源：某局 【关闭窗口】2023年，
# 某区…", the run standing apart from what precedes it) or after its last sentence ("…仍需增强。【打印本页】
# 【关闭窗口】"). They go on a line of their own; a bracketed word inside a sentence stays.
GLUED_TOOLS = re.compile(rf"(?:^|(?<=\s))(?:{_BRACKETED_TOOL})(?:\s*(?:{_BRACKETED_TOOL}))*(?=[\u4e00-\u9fff\d“])"
                         rf"|(?<=[。！？；”])(?:\s*(?:{_BRACKETED_TOOL}))+\s*$")
# Fields whose values have no spaces in them, a date's time of day apart; the last one ends at a space.
# A tool labelled like a field ("字号：大 中 小" after "来源：…") is the tools' piece, whose spaced
# sizes a field's value would cut in two ("字号：大" | "中 小 2024年，…").
RUN_TOGETHER_FIELDS = re.compile(rf"^(?:(?!{_TOOL})(?:{_FIELD_LABEL})\s*[:：]\s*"
                                 rf"(?:[^\s，。；]{{1,40}}(?:\s+\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?)?(?:\s+|$))+")
RUN_TOGETHER_SALUTATION = re.compile(r"^[^，,。；;！？\s]{2,40}[：:](?=\s)")
# Up to a dozen words without punctuation (a site's name, menu items, a breadcrumb) before the
# title; tried last, so that a line opening with any other piece is read as that piece. Menu items
# may be parted by bars instead of spaces ("某区人民政府丨首页丨政务公开丨法治政府建设 某街道2021年…"):
# 丨 (U+4E28) is a CJK character, but no report's word, so a run of items is not one long word.
_SITE_WORD = r"(?:[^\s，,。；;：:！？]{0,8}位置\s*[:：]\s*)?[^\s，,。；;：:！？|｜丨]{1,24}"
RUN_TOGETHER_SITE = re.compile(rf"^(?:{_SITE_WORD}(?:\s*[|｜丨]\s*|\s+)){{1,12}}?(?={_ISSUER_NAMES}{_TITLE_PIECE})")
# A heading printed as a list row shows its day at the line's far end, wide spaces between ("某市2023年法治
#政府建设年度报告　　　　2024-03-29"): the day goes on a line of its own, where a bare date is read as the page's.
TITLE_BESIDE_DATE = re.compile(r"^(?P<title>\S.{5,80}?(?:报告|总结|情况))\s{2,}"
                               r"(?P<date>(?:19|20)\d{2}(?:-\d{1,2}-\d{1,2}|年\d{1,2}月\d{1,2}日))$")
RUN_TOGETHER_LEADS = (RUN_TOGETHER_CRUMB, RUN_TOGETHER_FIELDS, RUN_TOGETHER_ISSUERS, RUN_TOGETHER_TITLE,
                      RUN_TOGETHER_TOOLS, RUN_TOGETHER_SALUTATION, RUN_TOGETHER_SITE)

# A page dumped with no separator at all, its text nodes joined as they stood ("首页>政务公开>法治政府建设
# 某市2022年…报告发布时间:2023-02-20来源:某局字号:大中小打印2022年,某市坚持…如下:一、主要举措(一)…"),
# gets its spaces back where the breaks must have been, so the pieces above are found. Such a line
# opens with a breadcrumb of two steps or more, or runs a title's last word into a field's label; a
# paragraph of a report (which has no spaces either) does neither. In its head (the text before the
# first clause break): between the breadcrumb's last step and the title, where a title opening with a
# known place, 关于, 中共 or a year begins; before each field label with its colon; after the fields,
# round the font tool and the print and close buttons. In the whole line: before the heading numbers
# that follow a sentence's end or a colon, and after a heading's words run into （一） or 一是.
HEAD_END = re.compile(r"[，,。；;！？]")
GLUED_CRUMB = re.compile(r"^(?:[^\s>›»→]{1,20}\s*(?:->|>>|[>›»→])\s*){2,}(?=\S)")
GLUED_TITLE_FIELD = re.compile(rf"(?:报告|总结|情况)(?:{_FIELD_LABEL})\s*[:：]")
GLUED_FIELD = re.compile(rf"(?<=\S)((?:{_FIELD_LABEL})\s*[:：])")
GLUED_TOOL = re.compile(r"((?:字体|字号)\s*[:：]\s*大\s*中\s*小|(?:打印|关闭)(?:本页|窗口)?)")
TITLE_OPENING = re.compile(r"^(?:关于|中共|(?:19|20)\d{2}\s*年)")
GLUED_HEADING = re.compile(rf"(?<=[。！？；;：:])(?={HEADING_NUMBER}|{ITEM_NUMBER})")
GLUED_SUBHEADING = re.compile(rf"((?:^|(?<=\s))[{CN_DIGITS}]+、[^\s，,。；;：:！？（(]{{2,30}}?)"
                              rf"(?=[（(][{CN_DIGITS}]+[）)]|其?一是)")

# A line ending like this ends its paragraph (closing quotes and brackets may follow);
# a colon ends a lead-in such as "主要表现在：".
PARAGRAPH_END = re.compile(r"[。！？；!?;：:…][”’」』）)》\s]*$")
# A short line with no punctuation at all is a caption, not half of a broken sentence.
CAPTION_MAX_CHARS = 25
PUNCTUATION = re.compile(r"[，。、；：！？,.;:!?]")

# Repeated paragraphs: pages that print the body twice. A short line (a heading) may recur
# legitimately, so it goes only together with the repeated line after it; a sentence-long
# line repeated exactly goes alone; a long paragraph goes when it is nearly the same.
REPEAT_MIN_CHARS = 6
REPEAT_ALONE_MIN_CHARS = 20


def _restore_slot(match):
    """Replace a brand in the institution slot by the institution name it displaced."""
    region = match.group("region")
    return region + RESTORED_INSTITUTION.get(region, DEFAULT_INSTITUTION)


def remove_spam(lines):
    """Remove injected gambling brands, restoring the institution name they displaced."""
    found, restored, kept = Counter(), {}, []
    for line in lines:
        if SPAM_LINE.match(line):
            found[re.sub(r"[\s\W_]+", "", line)] += 1
            continue
        # Each pattern is searched once more only on a line where it was found (few lines are).
        in_slot = list(SPAM_IN_SLOT.finditer(line))
        for match in in_slot:
            found[match.group("brand")] += 1
            restored[match.group()] = _restore_slot(match)
        if in_slot:
            line = SPAM_IN_SLOT.sub(_restore_slot, line)
        anywhere = [match.group() for match in SPAM_ANYWHERE.finditer(line)]
        found.update(anywhere)
        line = (SPAM_ANYWHERE.sub("", line) if anywhere else line).strip()
        if line:
            kept.append(line)
    return kept, _spam_warnings(found, restored)


def _spam_warnings(found, restored):
    """Return the tamper warning for the brands found and the names restored, if any."""
    if not found:
        return []
    # The brand itself is not repeated: a warning shown on the page must not advertise it.
    warning = f"页面疑遭篡改：发现并移除注入的赌博网站推广词（共{sum(found.values())}处）"
    names = sorted(set(restored.values()))
    if names:
        warning += "，被顶替的机构名已恢复为" + "、".join(f"“{name}”" for name in names)
    return [warning]


def opens_title(text):
    """Tell whether a text opens as a title does: 关于, 中共, a year, or a known place's name."""
    if TITLE_OPENING.match(text):
        return True
    place = TITLE_PLACE.match(text)
    return bool(place) and any(place.group(1).startswith(name) for name in gazetteer().find_names(place.group(1)))


def space_glued_crumb(head):
    """Put a space between a breadcrumb's last step and the title run into it ("…>法治政府建设某市2022年…")."""
    crumb = GLUED_CRUMB.match(head)
    step = re.match(r"\S+", head[crumb.end():]) if crumb else None
    if not step:
        return head
    for cut in range(1, len(step.group())):
        rest = step.group()[cut:]
        if looks_like_title(rest) and opens_title(rest):
            return head[:crumb.end() + cut] + " " + head[crumb.end() + cut:]
    return head


def glued_head(line):
    """Return the head of a line dumped with no separator at all (see GLUED_CRUMB), else ""."""
    if len(line) < RUN_TOGETHER_MIN_CHARS or re.search(r"\s", line):
        return ""
    end = HEAD_END.search(line)
    head = line[:end.start()] if end else line
    return head if GLUED_CRUMB.match(head) or GLUED_TITLE_FIELD.search(head) else ""


def space_glued(line, head):
    """Put the spaces back into a line dumped with no separator at all, given its head."""
    rest = line[len(head):]
    head = space_glued_crumb(head)
    field = GLUED_FIELD.search(head)
    if field:
        # Spaced as a whole (a label's lookbehind needs what stands before it); tools follow the fields.
        head = head[:field.start()] + GLUED_TOOL.sub(r" \1 ", GLUED_FIELD.sub(r" \1", head)[field.start():])
    return " ".join(GLUED_SUBHEADING.sub(r"\1 ", GLUED_HEADING.sub(" ", head + rest)).split())


def without_glued_tools(line):
    """Return the pieces of a line with its glued bracketed tools (GLUED_TOOLS) on lines of their own."""
    pieces = GLUED_TOOLS.sub(lambda tools: f"\n{tools.group()}\n", line).split("\n")
    return [piece.strip() for piece in pieces if piece.strip()]


def apart_from_date(line):
    """Return the pieces of a line with a title's day at its far end (TITLE_BESIDE_DATE) on lines of their own."""
    beside = TITLE_BESIDE_DATE.match(line)
    return [beside.group("title"), beside.group("date")] if beside else [line]


def split_run_together(lines):
    """Split lines that run a page's title, salutation and paragraphs together at their breaks."""
    split = []
    for line in (piece for line in lines for glued in without_glued_tools(line) for piece in apart_from_date(glued)):
        if len(line) < RUN_TOGETHER_MIN_CHARS:
            split.append(line)
            continue
        head = glued_head(line)
        if head:
            line = space_glued(line, head)
        leads = list(RUN_TOGETHER_LEADS)
        while leads:
            # Each kind of piece once, in whatever order the page printed them.
            found = next(((lead, match) for lead in leads for match in [lead.match(line)] if match), None)
            if found is None:
                break
            lead, match = found
            leads.remove(lead)
            split.append(match.group().strip())
            line = line[match.end():].strip()
        for piece in filter(None, RUN_TOGETHER_HEADING.split(line)):
            heading = RUN_TOGETHER_HEADING_TEXT.match(piece)
            split.extend([heading.group(1), piece[heading.end():]] if heading else [piece])
    return split


def repair_dates(lines):
    """Restore the 年 dropped between a year and its month ("20209月" → "2020年9月")."""
    repaired, warnings = [], []
    for line in lines:
        found = list(YEAR_WITHOUT_NIAN.finditer(line))
        for match in found:
            fixed = f"{match.group(1)}年{match.group(2)}月"
            warnings.append(f"日期疑有缺字：已将“{match.group()}”恢复为“{fixed}”")
        # Searched once: substituted only where found (a few lines of a page).
        repaired.append(YEAR_WITHOUT_NIAN.sub(r"\1年\2月", line) if found else line)
    return repaired, warnings


def ends_paragraph(line):
    """Tell whether a line ends where a paragraph may end."""
    if PARAGRAPH_END.search(line) or is_heading(line):
        return True
    # A bare caption ("存在的问题") stands alone; a broken sentence carries punctuation.
    return len(line) <= CAPTION_MAX_CHARS and not PUNCTUATION.search(line)


def starts_paragraph(line):
    """Tell whether a line opens a paragraph of its own: a heading or a list item."""
    return numbering_rank(line) is not None or bool(ENUMERATION.match(line))


def join_broken_lines(lines):
    """Re-join paragraphs that the page broke in mid-sentence."""
    joined = []
    for line in lines:
        if joined and not ends_paragraph(joined[-1]) and not starts_paragraph(line):
            joined[-1] += line
        else:
            joined.append(line)
    return joined


def drop_repeats(lines):
    """Drop paragraphs that repeat an earlier one exactly or nearly (long ones only)."""
    norms = [normalized_line(line) for line in lines]
    seen, repeated, compared = set(), [], []
    for index, norm in enumerate(norms):
        # An exact repeat needs no comparison, and is not compared again: a later line near it is
        # near its first copy. Comparing every copy with every earlier one made a page repeating a
        # paragraph 4,000 times take minutes.
        repeated.append(len(norm) >= REPEAT_MIN_CHARS and norm in seen)
        if len(norm) >= NEAR_REPEAT_MIN_CHARS and norm not in seen:
            compared.append(index)
        seen.add(norm)
    for index, near in zip(compared, nearly_repeated([norms[index] for index in compared])):
        repeated[index] = near
    kept = []
    for index, line in enumerate(lines):
        short = len(norms[index]) < REPEAT_ALONE_MIN_CHARS
        follows_repeat = index + 1 < len(lines) and repeated[index + 1]
        if repeated[index] and (not short or follows_repeat):
            continue
        kept.append(line)
    dropped = len(lines) - len(kept)
    warnings = [f"删除重复段落{dropped}处（页面重复显示了正文）"] if dropped else []
    return kept, warnings
