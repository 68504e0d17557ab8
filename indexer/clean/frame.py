"""The frame around a report's body: the title and header lines on top, the signature below.

Top of a page, after the chrome is gone: the site's name and column, the title (sometimes
broken over two or three lines, or headed by its 文号 or by the issuers' names), then a
header of short lines (a byline, the date, the title printed again, a description of the
page) until the body's first sentence. Bottom: the signature, names of the issuing bodies
and a date.
"""
import re
from dataclasses import dataclass, field
from functools import lru_cache

from model.text import SENTENCE_SPLIT, normalize

from .chrome import LIST_MARKER
from .gazetteer import gazetteer
from .level import is_party_body
from .metadata import DOC_NUMBER, INSTITUTION_SUFFIX, is_date_line, is_name, is_names
from .structure import ENUMERATION, numbering_rank

# A title names the report; it is short and carries no sentence punctuation.
TITLE_WORDS = re.compile(r"报告|情况|总结")
TITLE_MIN_CHARS = 6
TITLE_MAX_CHARS = 80
TITLE_STOPS = re.compile(r"[。；;！？!?]|[：:]$")
# Only the top of a page holds the title; past this many lines it is body text.
TITLE_SEARCH_LINES = 8
# A cell of a navigation column read into the title's row: a few words, no sentence, no date.
NAV_CELL = re.compile(r"^[^\d。！？，,；;：:]{0,12}$")
# A line inside the hinted title is that title's line only when it holds this much of it: the site's
# or the issuer's name alone ("国家林业和草原局" over "国家林业和草原局2022年…报告") is not.
HINT_LINE_MIN_SHARE = 0.5
# Where a broken title ends: the report's type ("…建设情况的报告").
TITLE_END = re.compile(r"(报告|总结|情况)$")
# The head of a title broken over lines names the year or starts with 关于, and has no
# punctuation: "关于某市某区2025年度法治政府" + "建设情况的报告".
TITLE_HEAD = re.compile(r"关于|(?:19|20)\d{2}\s*年")
# A title may be broken right after its 关于, the issuers' names and 关于 on the first line.
BROKEN_AFTER = "关于"
TITLE_PART_STOPS = re.compile(r"[，,。；;：:！？!?、]")
# A line that is only the report's type ends the title above it: "报告", "的报告", "工作报告".
TITLE_TYPE_ONLY = re.compile(r"^(?:的|工作)*(?:报告|总结)$")
# A title naming no year may print it in brackets on the line below: "某县法治政府建设情况报告" / "（2022年度）".
BRACKETED_YEAR = re.compile(r"^[（(]\s*(?:19|20)\d{2}\s*年度?\s*[）)]$")
# The tail of a broken title is short: "建设情况的报告", "工作情况的报告".
TITLE_TAIL_MAX_CHARS = 20
# What a headline wraps round the report's own title, each only where the rest reads as a title:
# the site's name after an underscore or a spaced bar or dash, as a browser title prints it
# ("某市2021年…年度报告_某市人民政府", "… | 某某网"), or after a bar no title holds, spaced or not
# ("…工作报告丨某县人民政府", 丨 U+4E28 and the full-width ｜); a column's tag in brackets before it
# ("【法治政府】某市2023年度…报告"), short and without a year; an editor's slogan before a dash
# ("法治护航 行稳致远——某区2022年…年度报告"), which names no report of its own.
TITLE_SITE_SUFFIX = re.compile(r"^(?P<title>.+?)\s*(?:_|[｜丨]|\s[|-]\s)\s*(?P<site>[^_|｜丨]{2,30})$")
SITE_NAME = re.compile(r"(?:网|网站|门户|平台|人民政府|政府)$")
COLUMN_TAG = re.compile(r"^[【\[]\s*[^【】\[\]\d]{2,8}\s*[】\]]\s*")
# An account's headline may tag the title before a bar instead ("权威发布丨某市2023年…报告", "重磅｜…").
BARRED_TAG = re.compile(r"^[^【】\[\]\d\s丨｜|]{2,8}\s*[丨｜|]\s*")
# A headline may wrap the whole title in title marks or quotes: "《某州2022年度法治政府建设情况报告》",
# or say after it which edition the page prints ("…年度报告（全文）"); neither is the report's title.
TITLE_WRAPS = {"《": "》", "「": "」", "『": "』", "“": "”", "〈": "〉", "【": "】"}
# A microblog post heads its text with its topics, each between two #s ("#法治政府建设# 【…报告】").
TOPIC_TAGS = re.compile(r"^(?:#[^#\s]{1,30}#\s*)+")
TITLE_EDITION = re.compile(r"\s*[（(【\[]\s*(?:全文|摘要|全文公开|公开版|节选|附全文)\s*[）)】\]]$")
SLOGAN_DASH = re.compile(r"\s*(?:——|--|－－)\s*")
# A title headed by its 文号 in brackets: "[某政发〔2026〕7号]某市人民政府关于…".
TITLE_DOC_NUMBER = re.compile(r"^[\[【［(（]?\s*(?P<number>[\u4e00-\u9fff]{1,12}\s*[〔\[［(（]\s*(?:19|20)\d{2}\s*"
                              r"[〕\]］)）]\s*\d+\s*号)\s*[\]】］)）]?\s*")
DOC_NUMBER_LABEL = "文号"
DOC_NUMBER_LINE = re.compile(rf"^[\u4e00-\u9fff]{{1,12}}\s*{DOC_NUMBER.pattern}$")
# The site's name printed above the title ("枣庄市市中区人民政府", "某市某区（高新区）门户网站") names the
# government whose site it is: the place of a report whose own name several places share (市中区).
SITE_LINE_MAX_CHARS = 30
# A column of a site's 政府信息公开 tree is named after a kind of report ("其他专题报告", "工作报告",
# "法治政府建设年度报告"): a line made of these words alone names nobody's report of no year, so
# it is never the title, however much it reads like one.
COLUMN_WORDS = ("其他", "其它", "专题", "综合", "年度", "工作", "部门", "政府", "法治", "建设", "依法行政",
                "依法治国", "情况", "总结", "报告", "年报", "主要", "重要", "信息", "公开", "专栏", "的")
COLUMN_WORD_RUN = "(?:%s)+" % "|".join(sorted(COLUMN_WORDS, key=len, reverse=True))
COLUMN_NAME = re.compile(rf"^{COLUMN_WORD_RUN}$")
# A title that names no author of its own ("2022年度法治政府建设报告", "关于…的报告") printed under
# a line of issuers' names ("中共某市某局党组", "某县人民政府") is one title on two lines; one that
# names its place ("2022年某市法治政府建设…") has its author, and the names above are the site's.
OWNERLESS_TITLE = re.compile(r"^(?:关于|(?:19|20)\d{2}年|法治|依法)")
# An encyclopedia-style mirror names the document only in its lead sentence: "《<title>》是
# 某市人民政府于2020年发布的报告。", the issuer after 是/由 and before 发布.
ENCYCLOPEDIA_LEAD = re.compile(r"^《(?P<title>[^《》]{6,80})》(?:是|为|系|由)")
LEAD_ISSUER = re.compile(r"^《[^《》]+》(?:是|为|系|由)(?:(?:19|20)\d{2}年(?:\d{1,2}月)?(?:\d{1,2}日)?)?"
                         r"(?P<issuer>[\u4e00-\u9fff]{2,30}?)(?:于[^。，,]{0,20}?)?(?:发布|印发|公布|制定|编制)")
# A cover letter sent with the report ("某县人民政府关于报送2022年度法治政府建设情况报告的报告",
# a salutation, "现将《…》报送你们", a signature and a date) stands above the report's own
# title; that title, printed below the letter within this many lines or quoted in it, is the report's.
# A notice that publishes or circulates the report ("关于公布《某县2023年…报告》的公告", "某县人民政府办公室关于
# 印发《…》的通知") heads it the same way.
COVER_LETTER = re.compile(r"关于(?:报送|呈报|上报|报请|提交)[^《》]*?的(?:报告|函)$"
                          r"|关于(?:报送|呈报|上报|提交|印发|公布|发布|公开|转发)《")
COVER_LETTER_MAX_LINES = 12
QUOTED_TITLE = re.compile(r"《(?P<title>[^《》]{6,80})》")
# The report's own title names a year or what it is about; a heading of the letter does not.
REPORT_TITLE_WORDS = re.compile(r"(?:19|20)\d{2}\s*年|法治|依法")
# The arrows between a breadcrumb's steps; a page that prints its title nowhere else may end its
# trail with it, the step a report's title when it reads as one (crumb_title).
CRUMB_ARROW = re.compile(r"\s*(?:->|>>|[>›»→])\s*")
# A news repost heads the report with the paper's headline ("某省公布2016年度法治政府建设报告") and
# names the report's own title under it: on a 原标题 (原题) line, or in 《》 in a lead announcing the full
# text ("近日，某区人民政府在门户网站公布了《…报告》，全文如下："). That title is the report's; the lead
# is header, and the body it names as publishing the report a byline.
ORIGINAL_TITLE = re.compile(r"^(?:原标题|原题|原文标题)\s*[:：]\s*(?P<title>.+)$")
FULL_TEXT_LEAD = re.compile(r"^[^《》。！？]{0,40}《(?P<title>[^《》]{6,80}(?:报告|总结|情况))》[^《》。！？]{0,30}?"
                            r"(?:全文|原文)如下\s*[：:。]?$")
# A government's account on a news or social platform is named after its place and 发布 ("深圳南山发布",
# "上海发布"); a repost prints it under the headline. Its name tells where the account's government is.
ACCOUNT_NAME = re.compile(r"^[\u4e00-\u9fff]{2,12}发布$")
LEAD_PUBLISHER = re.compile(rf"([\u4e00-\u9fff]{{2,30}}?{INSTITUTION_SUFFIX})(?=在|于|通过|正式|公布|发布|公开|印发)")

# The header between the title and the body: short lines without a sentence (site and column
# names, bylines, dates, the title again, broken over lines), at most this many of them. The
# body starts at a sentence, a heading, a long line or a line ending in a colon (a salutation
# "市委、市政府：" or a lead-in "现将有关情况报告如下：").
HEADER_MAX_LINES = 12
HEADER_LINE_MAX_CHARS = 50
LEAD_IN_END = re.compile(r"[：:]$")
# A page wrapped at a fixed width breaks its first sentence into short lines ("2023年，某镇坚持以
# 习近平新时代中国特色" / "社会主义思想为指导，…"): a clause break with text after it is a sentence's,
# never a header line's (names, dates and titles hold no comma).
CLAUSE_BREAK = re.compile(r"[，,][\u4e00-\u9fff“]")
# A repost's editor writes a note over the report it reposts ("编者按：…本网全文刊发。", "【导读】…"): the
# page's words about the report, not the report's.
EDITOR_NOTE_LABEL = r"(?:编者按|编者的话|编辑按|编者注|导读|导语)"
EDITOR_NOTE = re.compile(rf"^(?:[【\[［]\s*{EDITOR_NOTE_LABEL}\s*[】\]］]|{EDITOR_NOTE_LABEL}\s*[:：])")
# A page may say in one sentence over the report that it publishes it ("根据《…规定》，现将我街道2019年度法治
# 政府建设情况予以公布。"): the page's words, not the report's. A lead-in to what follows (…报告如下：,
# …公布如下：) is the report's own.
PUBLISHING_NOTE = re.compile(r"^[^。！？]{0,80}(?:予以公布|予以公开|予以公示|向社会公布|向社会公开)。?$")
# A salutation run into the first paragraph on one line ("株洲市人民政府：2023年，…", "省人民政府：　2023年…"):
# the names of bodies, parted by 、, and a colon, then the text. It stands on a line of its own, as elsewhere.
GLUED_SALUTATION = re.compile(r"^(?P<names>[^。！？，,；;：:\s]{2,40})(?P<colon>[:：])\s*(?P<text>\S.*)$")
# An encyclopedia mirror describes the page before the document: "《<title>》是…发布的报告。"
QUOTE_OPEN = "《"


@dataclass
class Frame:
    """The title of a page and what its header said (names, dates, fields)."""

    title: str = ""
    byline: list = field(default_factory=list)  # names printed between title and body
    dates: list = field(default_factory=list)  # date texts printed there
    fields: list = field(default_factory=list)  # (label, value): a 文号 heading the title
    accounts: list = field(default_factory=list)  # names of the platform accounts that posted the page
    sites: list = field(default_factory=list)  # the site's names printed above the title


def title_cell(line):
    """Return the title a table row holds in its last cell after a navigation column's words ("人事信息<TAB>
    某县2016年…报告", an old site laid out in a table and read row by row), else the line."""
    *before, last = line.split("\t")
    last = last.strip()
    if before and looks_like_title(last) and all(NAV_CELL.match(cell.strip()) for cell in before):
        return last
    return line


def looks_like_title(line):
    """Tell whether a line reads as a report title."""
    return (TITLE_MIN_CHARS <= len(line) <= TITLE_MAX_CHARS and bool(TITLE_WORDS.search(line))
            and not TITLE_STOPS.search(line) and numbering_rank(line) is None
            and not ENUMERATION.match(line) and not LIST_MARKER.match(line))


def crumb_title(breadcrumbs):
    """Return the title a breadcrumb trail ends with ("首页 > 信息公开 > 某县2022年…报告"), else ""."""
    for crumb in reversed(breadcrumbs):
        step = CRUMB_ARROW.split(crumb)[-1].strip()
        if looks_like_title(step) and REPORT_TITLE_WORDS.search(step) and not is_column_name(step):
            return step
    return ""


def is_column_name(line):
    """Tell whether a line only names a kind of report, as a site's column does ("其他专题报告")."""
    return bool(COLUMN_NAME.match(re.sub(r"\s+", "", line)))


def is_title_part(line):
    """Tell whether a line can be one piece of a title broken over lines."""
    return 0 < len(line) <= TITLE_MAX_CHARS and not TITLE_PART_STOPS.search(line) and not LIST_MARKER.match(line)


def names_no_author(title):
    """Tell whether a title leaves its author to a line above ("关于…", "2022年度…" naming no place)."""
    if title.startswith("关于"):
        return True
    return bool(OWNERLESS_TITLE.match(title)) and not any(gazetteer().find_names(title))


def issuers_above(lines, index):
    """Tell whether the line above lines[index] names the issuers of a title that names no author
    ("中共某市某局党组" above "关于…的报告" or "2022年度…报告"), maybe with the 关于 the title was broken after
    ("某市人民政府关于" above "2023年度…的报告")."""
    above = lines[index - 1] if index else ""
    names = above[:-len(BROKEN_AFTER)] if above.endswith(BROKEN_AFTER) else above
    return (bool(names) and is_title_part(above) and len(above) + len(lines[index]) <= TITLE_MAX_CHARS
            and names_no_author(lines[index]) and is_names(names))


def more_issuers_above(lines, first, last):
    """Tell whether the line above a title's issuers' line names one more of its issuers: a party body."""
    above = lines[first - 1]
    return (is_title_part(above) and is_names(above) and all(map(is_party_body, above.split()))
            and len(above) + sum(map(len, lines[first:last + 1])) <= TITLE_MAX_CHARS)


def title_text(pieces):
    """Join a title's lines: issuers' names on lines of their own spaced apart, the rest run together."""
    text = pieces[0]
    for above, piece in zip(pieces, pieces[1:]):
        text += (" " if is_names(above) and is_names(piece) else "") + piece
    return text


def is_title_tail(line):
    """Tell whether a line can end a title broken above it ("建设情况的报告", "工作情况的报告")."""
    return (bool(TITLE_END.search(line)) and is_title_part(line) and len(line) <= TITLE_TAIL_MAX_CHARS
            and not TITLE_HEAD.search(line))


def heads_broken_title(lines, index):
    """Tell whether a line heads a title broken so that neither piece reads as one alone
    ("关于2020年法治政府建设工作" above "情况的报告")."""
    line, below = lines[index], lines[index + 1] if index + 1 < len(lines) else ""
    return (bool(TITLE_HEAD.search(line)) and not TITLE_END.search(line) and is_title_part(line)
            and is_title_tail(below) and looks_like_title(line + below))


def joined_title(lines, index, breaks=frozenset()):
    """Return (first, last) indexes of the title around lines[index], joining its broken pieces; no
    piece is joined across a break (breaks: indexes of lines a trail or menu stood right above)."""
    first, last = index, index
    line = lines[index]
    above = lines[index - 1] if index else ""
    # "关于某区2025年度法治政府" above "建设情况的报告".
    head_above = (bool(above) and is_title_part(above) and len(above) + len(line) <= TITLE_MAX_CHARS
                  and len(line) <= TITLE_TAIL_MAX_CHARS and TITLE_HEAD.search(above)
                  and not TITLE_END.search(above) and not TITLE_HEAD.search(line) and not is_date_line(above))
    if head_above:
        first -= 1
    # The issuers' names may head the title's first piece, on lines of their own (three lines:
    # "某县人民政府" / "关于2019年度法治政府" / "建设情况的报告"; a party body and its government or
    # department: "中共某厅党组" / "某厅" / "关于2023年度…的报告"; the party body is named first, so a
    # site's name above the issuer, "某厅" / "中共某厅党组" / "2022年度…报告", stays the site's).
    # The site's name is not the title's issuer line when the site's trail stood between them ("某县人民政府" /
    # "首页 > 信息公开" / "关于某县2025年…的报告").
    if first not in breaks and issuers_above(lines, first):
        first -= 1
        while first and first not in breaks and more_issuers_above(lines, first, last):
            first -= 1
    below = lines[index + 1] if index + 1 < len(lines) else ""
    # "某县2023年度法治政府建设" + "工作情况的报告", or "…建设情况" + "报告".
    tail_below = (not TITLE_END.search(line) and TITLE_END.search(below)) or TITLE_TYPE_ONLY.match(below)
    if (below and tail_below and is_title_part(below) and len(below) <= TITLE_TAIL_MAX_CHARS
            and not TITLE_HEAD.search(below)):
        last += 1
    elif BRACKETED_YEAR.match(below) and not TITLE_HEAD.search(line):
        last += 1
    return first, last


def unwrapped(title):
    """Return a title without the title marks or quotes that wrap the whole of it, or an edition after it."""
    title = TITLE_EDITION.sub("", title)
    opening, inner = title[:1], title[1:-1]
    closing = TITLE_WRAPS.get(opening)
    if closing and title.endswith(closing) and opening not in inner and closing not in inner:
        return inner.strip()
    return title


def own_words(title):
    """Return a headline's title without the site's name after it, or a column tag or slogan before it,
    or the marks wrapping it, or a microblog's topics before it."""
    title = unwrapped(TOPIC_TAGS.sub("", title))
    site = TITLE_SITE_SUFFIX.match(title)
    if site and looks_like_title(site.group("title")) and (SITE_NAME.search(site.group("site"))
                                                           or is_names(site.group("site"))):
        title = site.group("title")
    tag = COLUMN_TAG.match(title) or BARRED_TAG.match(title)
    if tag and looks_like_title(title[tag.end():]):
        title = title[tag.end():]
    parts = SLOGAN_DASH.split(title, maxsplit=1)
    if (len(parts) == 2 and not TITLE_WORDS.search(parts[0]) and looks_like_title(parts[1])
            and REPORT_TITLE_WORDS.search(parts[1])):
        title = parts[1]
    return unwrapped(title)


def split_doc_number(title):
    """Return (title, 文号) of a title headed by its document number, else (title, "")."""
    found = TITLE_DOC_NUMBER.match(title)
    if not found or len(title) == found.end():
        return title, ""
    return title[found.end():], re.sub(r"\s+", "", found.group("number"))


def split_title(lines, hint="", breaks=frozenset()):
    """Return (Frame with the title, lines below it); lines above the title are the site's name,
    its menus and unlabelled metadata, of which only dates are kept. breaks: as joined_title's."""
    # A hinted title (from the page's markup) wins, but the text's title line is kept when
    # the hint contains it, since a markup title often carries the site's name too.
    hint = "" if is_column_name(hint) else hint
    hinted = normalize(hint)
    lines = [*map(title_cell, lines[:TITLE_SEARCH_LINES]), *lines[TITLE_SEARCH_LINES:]]
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        norm = normalize(line)
        matches_hint = bool(hinted) and (hinted in norm or (norm in hinted
                                                            and len(norm) >= HINT_LINE_MIN_SHARE * len(hinted)))
        lead = ENCYCLOPEDIA_LEAD.match(line)
        if lead and not matches_hint and looks_like_title(lead.group("title")):
            frame = Frame(title=lead.group("title"), byline=lead_issuer(line), dates=dates_above(lines[:index]))
            return frame, lines[index + 1:]
        if matches_hint or looks_like_title(line) or heads_broken_title(lines, index):
            first, last = joined_title(lines, index, breaks)
            text = title_text(lines[first:last + 1])
            if is_column_name(text) and not matches_hint:
                continue
            if hinted and normalize(text) not in hinted and norm not in hinted:
                text = hint
            title, number = split_doc_number(own_words(text))
            frame = Frame(title=title, dates=dates_above(lines[:first]), sites=sites_above(lines[:first]),
                          fields=[(DOC_NUMBER_LABEL, number)] if number else numbers_above(lines[:first]))
            rest = drop_title_again(lines[last + 1:], title)
            return own_title_below(frame, rest) if COVER_LETTER.search(title) else (frame, rest)
    return Frame(title=hint), lines


def dates_above(lines):
    """Return the dates printed alone above the title (unlabelled metadata)."""
    return [line for line in (LIST_MARKER.sub("", other) for other in lines) if is_date_line(line)]


def sites_above(lines):
    """Return the site's names printed alone above the title ("某县人民政府", "某市门户网站")."""
    return [line for line in lines if len(line) <= SITE_LINE_MAX_CHARS and not re.search(r"\d", line)
            and (is_names(line) or SITE_NAME.search(line))]


def numbers_above(lines):
    """Return the 文号 printed alone on a line above the title, as an official document prints it
    ("某府字[2021]6号" over "某市人民政府关于…"), as a field in a list (empty when there is none)."""
    alone = [line for line in (LIST_MARKER.sub("", other) for other in lines) if DOC_NUMBER_LINE.match(line)]
    return [(DOC_NUMBER_LABEL, re.sub(r"\s+", "", alone[-1]))] if alone else []


@lru_cache(maxsize=None)
def normalized_line(line):
    """Return normalize() of a line of the page being cleaned, remembered until the next page (forget_lines()).

    drop_title_again() and drop_repeats() fold the same body lines (99 % of them on the synthetic
    corpus), a dictionary lookup per character each time; hashing a line costs a fraction of that.
    """
    return normalize(line)


def forget_lines():
    """Forget the lines normalized_line() remembered: a page's lines stay in memory only while it is cleaned."""
    normalized_line.cache_clear()


def drop_title_again(lines, title):
    """Return the lines without those that print the title again."""
    norm = normalize(title)
    return [line for line in lines if normalized_line(line) != norm]


def lead_issuer(line):
    """Return, in a list, the issuer an encyclopedia's lead names ("…》是某市人民政府于2020年发布的")."""
    found = LEAD_ISSUER.match(line)
    return [found.group("issuer")] if found and is_name(found.group("issuer")) else []


def is_own_title(line):
    """Tell whether a line below a cover letter is the report's own title."""
    return (looks_like_title(line) and bool(REPORT_TITLE_WORDS.search(line)) and not is_column_name(line)
            and not COVER_LETTER.search(line))


def own_title_below(frame, lines):
    """Return (frame, body lines) of a page headed by a cover letter: the report's own title,
    printed below the letter or quoted in it, is the title, and the letter is header."""
    for index, line in enumerate(lines[:COVER_LETTER_MAX_LINES]):
        if is_own_title(line):
            first, last = joined_title(lines, index)
            read_header(frame, lines[:first])
            frame.title = title_text(lines[first:last + 1])
            return frame, drop_title_again(lines[last + 1:], frame.title)
    # No title below: the letter ends at its date, and names the report in 《》.
    end = next((index for index, line in enumerate(lines[:COVER_LETTER_MAX_LINES]) if is_date_line(line)), None)
    letter = lines[:end] if end is not None else []
    quoted = [found.group("title") for line in letter for found in QUOTED_TITLE.finditer(line)
              if is_own_title(found.group("title"))]
    if quoted:
        read_header(frame, lines[:end + 1])
        frame.title = quoted[0]
        return frame, lines[end + 1:]
    return frame, lines


def is_signature_line(line):
    """Tell whether a line belongs to a signature block: body names and a date."""
    if numbering_rank(line) is not None:
        return False
    parts = line.split()
    while parts and is_date_line(parts[-1]):
        parts.pop()
    return all(is_name(part) for part in parts) and (bool(parts) or is_date_line(line))


def split_signature_lines(lines):
    """Return (names, date texts) of signature lines."""
    names, dates = [], []
    for line in lines:
        for part in line.split() if not is_date_line(line) else [line]:
            (dates if is_date_line(part) else names).append(part)
    return names, dates


def split_signature(lines):
    """Return (body lines, signature lines): the issuing body and date under the report."""
    end = len(lines)
    while end and is_signature_line(lines[end - 1]):
        end -= 1
    return lines[:end], lines[end:]


def starts_body(line, title):
    """Tell whether a line below the title is report text rather than header."""
    if title and line.startswith(QUOTE_OPEN) and normalize(line).startswith(normalize(title)):
        return False
    return (bool(SENTENCE_SPLIT.search(line)) or numbering_rank(line) is not None
            or bool(ENUMERATION.match(line)) or len(line) > HEADER_LINE_MAX_CHARS
            or bool(LEAD_IN_END.search(line)) or bool(CLAUSE_BREAK.search(line)))


def split_header(frame, lines):
    """Add what the header below the title says to the frame; return the body lines after it."""
    title = frame.title
    start = next((index for index, line in enumerate(lines[:HEADER_MAX_LINES + 1])
                  if starts_body(line, title)), None)
    if start is None:
        # No body in sight: only the names and dates printed under the title are header.
        start = 0
        while start < len(lines) and is_signature_line(lines[start]):
            start += 1
    read_header(frame, lines[:start])
    if start < len(lines) and read_full_text_lead(frame, lines[start]):
        start += 1
    if start + 1 < len(lines) and (EDITOR_NOTE.match(lines[start]) or PUBLISHING_NOTE.match(lines[start])):
        start += 1
    if start + 1 < len(lines) and frame.title and normalized_line(lines[start]) == normalize(frame.title):
        start += 1  # the report's own title again, under the lead or note that announced it
    return [*salutation_apart(lines[start:start + 1]), *lines[start + 1:]]


def salutation_apart(lines):
    """Return a first body line as its salutation and its text when one runs into the other, else as it is."""
    glued = GLUED_SALUTATION.match(lines[0]) if lines else None
    if glued and all(is_name(name) for name in glued.group("names").split("、")):
        return [glued.group("names") + glued.group("colon"), glued.group("text")]
    return lines


def read_full_text_lead(frame, line):
    """Tell whether a line is a repost's lead naming the report in 《》 before its full text; if so,
    that title is the frame's and the body the lead names as publisher its byline."""
    lead = FULL_TEXT_LEAD.match(line)
    if not lead or not is_own_title(lead.group("title")):
        return False
    frame.title = lead.group("title")
    frame.byline.extend(name for name in LEAD_PUBLISHER.findall(line[:lead.start("title")]) if is_name(name))
    return True


def read_header(frame, lines):
    """Add the names, dates and 文号 that header lines print to the frame, and the report's own
    title a repost prints on a 原标题 line under its headline."""
    for line in lines:
        line = LIST_MARKER.sub("", line)
        original = ORIGINAL_TITLE.match(line)
        if original and is_own_title(original.group("title")):
            frame.title = original.group("title")
        if ACCOUNT_NAME.match(line):
            frame.accounts.append(line)
        if is_signature_line(line):
            names, dates = split_signature_lines([line])
            frame.byline.extend(names)
            frame.dates.extend(dates)
        number = DOC_NUMBER.search(line)
        if number:
            frame.fields.append((DOC_NUMBER_LABEL, doc_number_at(line, number)))


def doc_number_at(line, match):
    """Return the whole 文号 a DOC_NUMBER match ends: the issuer's code before the brackets."""
    head = re.search(r"[\u4e00-\u9fff]{1,12}\s*$", line[:match.start()])
    return re.sub(r"\s+", "", (head.group() if head else "") + match.group())
