"""Extract the title, metadata and body text blocks of a government web page.

The stages, in order: read the metadata the national government website guideline puts in
<meta> tags; drop elements that never hold text (scripts, forms, hidden elements); find the
article container (known CMS containers first, else the densest block of paragraphs);
strip chrome inside it (breadcrumbs, page tools, share bars, QR codes, related links,
metadata tables, link lists); turn each block element into one line of text.
"""
import re
import warnings
from dataclasses import dataclass, field
from datetime import date

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, NavigableString, XMLParsedAsHTMLWarning
from bs4.element import Comment, Declaration, Doctype, ProcessingInstruction

from .chrome import METADATA_LABELS, is_chrome, metadata_label
from .errors import BadPage
from .selectors import select_each
from .treetext import TreeText, collapse

# <meta name> fields of the 政府网站发展指引 (national government website guideline), which
# TRS, Hanweb and most provincial site systems fill in, mapped to our hint keys.
GUIDELINE_META = {
    "articletitle": "title",
    "pubdate": "pub_date",
    # The same date under the names news and Open Graph templates give it ("2024-03-05-10:21:33").
    "firstpublishedtime": "pub_date",
    "publishdate": "pub_date",
    "article:published_time": "pub_date",
    "contentsource": "issuer",
    "sitename": "site_name",
    "columnname": "column_name",
}
# Other places a title is stated, in order of trust, before the <title> tag.
TITLE_META = ("title", "og:title")
# "<title>关于…的报告_高台县人民政府</title>": the site name trails the page title after one of
# these separators; " - " and "--" need spaces or doubling so "2016-2020年" is left alone.
TITLE_SUFFIX_SEPARATOR = re.compile(r"\s*(?:_|\||｜|\s[-–—]\s|--|——)\s*")

# Elements removed with their content everywhere: code, embedded frames, forms and
# page-level landmarks, which hold navigation rather than article text.
DROP_TAGS = ("script", "style", "noscript", "iframe", "object", "embed", "svg", "canvas",
             "template", "form", "select", "button", "input", "textarea", "nav", "header",
             "footer", "aside", "map")
# Inline styles that hide an element (duplicate print copies, collapsed QR boxes).
HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# Words that, starting a part of an element's class or id, mark it as page chrome.
# Parts are split on '-', '_' and camelCase ("bdsharebuttonbox" starts with "bdshare").
CHROME_CLASS_WORDS = {
    "nav": "navigation bars (nav, navbar, subnav)",
    "menu": "menus",
    "breadcrumb": "breadcrumb trail 当前位置：首页 > …",
    "crumb": "breadcrumb trail, shortened",
    "position": "breadcrumb trail (TRS templates: class='position')",
    "location": "breadcrumb trail (Hanweb templates: class='location')",
    "dqwz": "breadcrumb trail, pinyin of 当前位置",
    "share": "share bars 分享到",
    "bdshare": "Baidu share widget",
    "fenxiang": "share bars, pinyin of 分享",
    "print": "print and close buttons 打印 关闭",
    "dayin": "print button, pinyin of 打印",
    "font": "font-size tools 字体：大 中 小",
    "tool": "article tool bars (font size, print, close, favourite)",
    "qrcode": "QR box 扫一扫在手机打开当前页",
    "ewm": "QR box, pinyin initials of 二维码",
    "erweima": "QR box, pinyin of 二维码",
    "related": "related articles 相关链接",
    "xgwz": "related articles, pinyin initials of 相关文章",
    "xglj": "related links, pinyin initials of 相关链接",
    "foot": "site footer 版权所有 / 网站标识码 / ICP备 / 主办单位",
    "copyright": "copyright line 版权所有",
    "banquan": "copyright line, pinyin of 版权",
    "sidebar": "side columns",
    "pager": "previous/next article links 上一篇 下一篇",
    "pagination": "page number links",
}
CLASS_PARTS = re.compile(r"[_\-]+|(?<=[a-z])(?=[A-Z])")
# Parts that make a class name styling or content although it starts with a chrome word:
# CSS utility classes ("font-weight-bold", "position-relative") and Word footnotes
# ("MsoFootnoteText"), which editors paste into report bodies.
NOT_CHROME_PARTS = frozenset({
    "weight", "bold", "italic", "family", "relative", "absolute", "static", "fixed", "sticky",
    "footnote",
})
# A chrome element is a small part of the page; one holding more than this share of the
# container's text is a wrapper with an unlucky class name, never removed.
CHROME_MAX_SHARE = 0.5
# Templates with meaningless class names still print their chrome in words ("2020-12-08
# 稿件作者: 浏览量: 【浏览字体:"): a short element whose whole text is a chrome line goes too.
CHROME_TEXT_MAX_CHARS = 100
# A block whose text is mostly link text is a list of links (related articles, attachments,
# column menus), not report prose.
LINK_LIST_DENSITY = 0.5
LINK_LIST_TAGS = ("ul", "ol", "dl", "div", "table", "p", "li")
# Metadata tables (索引号 / 文号 / 发布机构 / 发布日期 …) have at least this many label cells.
METADATA_MIN_LABELS = 2
METADATA_CELL_TAGS = ("td", "th", "li", "dt", "dd", "span", "p", "div", "b", "strong", "label")
METADATA_CELL_MAX_CHARS = 60
METADATA_LABEL_START = re.compile(
    "^(%s)" % "|".join(sorted(METADATA_LABELS, key=len, reverse=True)))

# Article containers of the site systems Chinese governments run, most specific first.
CONTENT_SELECTORS = (
    "div.TRS_Editor",        # TRS WCM, the most common government CMS: the editor's output
    "div.trs_editor_view",   # TRS WCM 8+, view mode of the same editor
    "div.TRS_UEDITOR",       # TRS with the UEditor plug-in (class "view TRS_UEDITOR")
    "#UCAP-CONTENT",         # Kaipu UCAP (开普云), many provincial and ministry sites
    "#zoom",                 # TRS and Hanweb (大汉) templates: the font-size zoom target
    "#Zoom",                 # the same, capitalised in older TRS templates
    "div.zoom",              # the same as a class
    "div.pages_content",     # gov.cn (中国政府网) policy pages
    "div.wzcon",             # county sites on the Kaipu/Dahan templates (文章内容)
    "div.con_text",          # Sudy and Zhengyuan templates
    "div.article-content",   # newer responsive templates
    "#content",              # generic templates, often the article itself
    "div.content",           # generic templates, sometimes a wrapper (chrome stripped after)
    "div.article",           # generic templates
    "article",               # HTML5 templates
)
# A selector match with less text than this is a shell or a widget (a generic ".content"
# box in a sidebar), not a report, which runs to thousands of characters.
MIN_CONTENT_CHARS = 100
# Among nested matches, an inner one holding this share of the outer's text is the article.
NESTED_SHARE = 0.8

# Density fallback: blocks of text counted as paragraphs (a <p>, or text held directly by
# one of the others, as old templates do), and the smallest that counts.
PARAGRAPH_TAGS = ("p", "div", "td", "li", "font", "span")
MIN_PARAGRAPH_CHARS = 20
CONTAINER_TAGS = ("div", "td", "article", "section", "main", "body", "table", "center", "font")

# Elements that start a new line of text; everything else is joined into the current line.
BLOCK_TAGS = frozenset({
    "p", "div", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6",
    "td", "th", "tr", "table", "tbody", "thead", "section", "article", "blockquote", "pre",
    "center", "hr", "main", "figure", "figcaption", "caption", "address",
})
# Not text: markup comments, doctype and processing instructions.
NON_TEXT_STRINGS = (Comment, Declaration, Doctype, ProcessingInstruction)
DATE_PARTS = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
# The most elements a page may hold. Report pages hold 500–10,000, Word exports with a
# <span> per run up to some 50,000. Parsing costs some 30 µs and a few KB an element, so a
# page far beyond that (10 MB of unclosed tags: a million of them, minutes and gigabytes)
# is refused from a count of its start tags before it is parsed.
MAX_ELEMENTS = 100_000
START_TAG = re.compile(r"<[a-zA-Z]")


@dataclass
class Page:
    """A web page's title, body text blocks in reading order, and hints for the cleaner."""

    title: str
    lines: list
    hints: dict = field(default_factory=dict)
    # The label and value texts of the page's metadata table (索引号, 文号, 发布机构 …), which
    # mostly stands outside the article container; the cleaner reads its fields from them.
    metadata: list = field(default_factory=list)


def parse_html(html):
    """Return the parse tree of a page, silencing Beautiful Soup's advice about its input."""
    # XHTML pages open with <?xml …?> and short pages can look like a URL; both are read
    # right as HTML, and the multi-line advice would bury the one line a rebuild prints per bad page.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        return BeautifulSoup(html, "lxml")


def extract(html, url=None):
    """Extract the title, body lines and metadata hints of an HTML page."""
    check_markup_size(html)
    soup = parse_html(html)
    meta = meta_fields(soup)
    hints = guideline_hints(meta)
    if not hints.get("title"):
        hints["title"] = title_of(soup, meta, hints.get("site_name", ""))
    if url:
        hints["url"] = url
    hints = {key: value for key, value in hints.items() if value}
    drop_invisible(soup)
    metadata = metadata_lines(soup)
    container = content_container(soup)
    lines = []
    if container is not None:
        remove_chrome_elements(container)
        lines = drop_title_line(block_lines(container), hints.get("title", ""))
    return Page(title=hints.get("title", ""), lines=lines, hints=hints, metadata=metadata)


def metadata_lines(soup):
    """Return the texts of the page's metadata labels, each a label alone followed by its value."""
    # One pass over the page's strings: a label cell ("文号：", "发 布 机 构") and the string
    # after it (the value cell), or a label and its value in one string.
    texts = [text for text in map(collapse, soup.find_all(string=True)) if text]
    lines = []
    for index, text in enumerate(texts):
        if len(text) > METADATA_CELL_MAX_CHARS or not METADATA_LABEL_START.match(re.sub(r"\s+", "", text)):
            continue
        lines.append(text)
        value = texts[index + 1] if index + 1 < len(texts) else ""
        if metadata_label(text) and value and not METADATA_LABEL_START.match(re.sub(r"\s+", "", value)):
            lines.append(value)
    return lines


def check_markup_size(html):
    """Raise BadPage when a page holds more elements than MAX_ELEMENTS, before parsing it."""
    if html.count("<") <= MAX_ELEMENTS:
        return  # the common case, told by a count in C
    elements = sum(1 for _ in START_TAG.finditer(html))
    if elements > MAX_ELEMENTS:
        raise BadPage(f"too much markup: {elements:,} tags, above the limit of {MAX_ELEMENTS:,}"
                      " (MAX_ELEMENTS)")


def meta_fields(soup):
    """Return the page's <meta name|property> contents by lower-cased name, first one winning."""
    fields = {}
    for tag in soup.find_all("meta"):
        name = (tag.get("name") or tag.get("property") or "").strip().lower()
        content = collapse(tag.get("content") or "")
        if name and content:
            fields.setdefault(name, content)
    return fields


def guideline_hints(meta):
    """Return the hints stated by the guideline <meta> tags, dates made ISO."""
    hints = {key: meta[name] for name, key in GUIDELINE_META.items() if meta.get(name)}
    if "pub_date" in hints:
        hints["pub_date"] = iso_date(hints["pub_date"])
    return hints


def iso_date(text):
    """Return the first valid date in text as YYYY-MM-DD, or "" when there is none."""
    found = DATE_PARTS.search(text)
    if not found:
        return ""
    try:
        return date(*map(int, found.groups())).isoformat()
    except ValueError:
        return ""


def title_of(soup, meta, site_name):
    """Return the page title from title meta tags, else <title> minus the site name, else <h1>."""
    for name in TITLE_META:
        if meta.get(name):
            return meta[name]
    if soup.title:
        title = strip_site_suffix(collapse(soup.title.get_text()), site_name)
        if title:
            return title
    heading = soup.find("h1")
    return collapse(heading.get_text()) if heading else ""


def strip_site_suffix(title, site_name):
    """Return a <title> text without the site name that trails it."""
    if site_name and title.endswith(site_name):
        title = title[: -len(site_name)]
    parts = [part for part in TITLE_SUFFIX_SEPARATOR.split(title) if part]
    title = parts[0] if parts else ""
    return "" if title == site_name else title


def drop_invisible(soup):
    """Remove elements that never show text: code, frames, forms, landmarks, hidden elements."""
    for tag in soup.find_all(DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(style=HIDDEN_STYLE):
        tag.decompose()
    for text in soup.find_all(string=lambda s: isinstance(s, NON_TEXT_STRINGS)):
        text.extract()


def content_container(soup):
    """Return the element holding the article: a known CMS container, else the densest block."""
    measure = TreeText(soup)
    found = select_each(soup, measure.tags[1:], CONTENT_SELECTORS)
    for selector in CONTENT_SELECTORS:
        matches = [tag for tag in found[selector] if measure.length(tag) >= MIN_CONTENT_CHARS]
        if matches:
            return innermost(max(matches, key=measure.length), matches, measure)
    return densest_block(soup)


def innermost(outer, matches, measure):
    """Return the deepest match inside outer that still holds most of its text."""
    best, enough = outer, NESTED_SHARE * measure.length(outer)
    for tag in matches:
        if tag is not best and measure.inside(tag, best) and measure.length(tag) >= enough:
            best = tag
    return best


def densest_block(soup):
    """Return the element whose paragraphs hold the most non-link text (readability-style)."""
    root = soup.body or soup
    remove_chrome_elements(root)
    measure = TreeText(root)
    holders, scores = {}, {}
    for block in root.find_all(PARAGRAPH_TAGS):
        own = own_text_length(block, measure)
        if own < MIN_PARAGRAPH_CHARS:
            continue
        # A paragraph scores for its parent in full and its grandparent in half, so the
        # element that directly holds most paragraphs wins over the page wrapper.
        for weight, holder in zip((1.0, 0.5), block.parents):
            if holder.name in CONTAINER_TAGS:
                holders[id(holder)] = holder
                scores[id(holder)] = scores.get(id(holder), 0.0) + weight * own
    if not scores:
        return root
    links = link_tally(measure)
    best = max(scores, key=lambda key: scores[key] * (1 - link_density(holders[key], measure, links)))
    return holders[best]


def own_text_length(tag, measure):
    """Return the length of a paragraph's text, or of the text a block holds directly."""
    if tag.name == "p":
        return measure.length(tag)
    own = (child for child in tag.children if isinstance(child, NavigableString))
    return len(collapse("".join(own)))


def remove_chrome_elements(container):
    """Remove the chrome elements inside an HTML container, in place: class-named widgets, metadata tables, link lists."""
    # Every question below is about a tag's subtree as the page came: a tag is visited
    # before its descendants and after what precedes it, so no removal has touched it yet.
    measure = TreeText(container)
    labels, links = label_tally(measure), link_tally(measure)
    total = measure.length(container) or 1
    removed_until = 0
    for tag in measure.tags[1:]:
        if measure.order(tag) <= removed_until:
            continue  # inside a removed tag
        if (is_chrome_element(tag) or is_metadata_block(tag, labels) or is_link_list(tag, measure, links)
                or is_chrome_text(tag, measure)):
            if measure.length(tag) <= CHROME_MAX_SHARE * total:
                removed_until = measure.last(tag)
                tag.decompose()


def is_chrome_element(tag):
    """Tell whether a tag's class or id names it as page chrome."""
    return any(is_chrome_name(name) for name in [*(tag.get("class") or []), tag.get("id") or ""])


def is_chrome_name(name):
    """Tell whether one class or id names chrome: a part starts with a chrome word."""
    parts = [part.lower() for part in CLASS_PARTS.split(name) if part]
    if NOT_CHROME_PARTS.intersection(parts):
        return False
    return any(part.startswith(word) for part in parts for word in CHROME_CLASS_WORDS)


def is_chrome_text(tag, measure):
    """Tell whether a short element's whole text is a chrome line (byline, page tools, footer)."""
    if tag.name not in BLOCK_TAGS:
        return False
    return 0 < measure.length(tag) <= CHROME_TEXT_MAX_CHARS and is_chrome(measure.text(tag))


def is_metadata_block(tag, labels):
    """Tell whether a tag is a table or list of metadata fields (索引号, 文号, 发布机构 …)."""
    return (tag.name in ("table", "ul", "dl", "div", "tbody", "tr")
            and labels.count(tag) >= METADATA_MIN_LABELS)


def label_tally(measure):
    """Return the Tally of metadata label cells: short cells whose text starts with a label."""
    def is_label(cell):
        """Return 1 for a label cell, None for any other tag."""
        if cell.name not in METADATA_CELL_TAGS:
            return None
        if not 0 < measure.compact_length(cell) <= METADATA_CELL_MAX_CHARS:
            return None
        return 1 if METADATA_LABEL_START.match(measure.compact(cell)) else None
    return measure.tally(is_label)


def link_tally(measure):
    """Return the Tally of links, weighed by the length of their text."""
    return measure.tally(lambda tag: measure.length(tag) if tag.name == "a" else None)


def is_link_list(tag, measure, links):
    """Tell whether a block is mostly links: related articles, attachments, menus."""
    return (tag.name in LINK_LIST_TAGS and links.count(tag) > 0
            and link_density(tag, measure, links) > LINK_LIST_DENSITY)


def link_density(tag, measure, links):
    """Return the share of a tag's text that sits inside links."""
    total = measure.length(tag)
    if not total:
        return 0.0
    return links.sum(tag) / total


def block_lines(root):
    """Return the text of the root, one line per block element or <br>-separated run."""
    lines, buffer = [], []

    def flush():
        """End the current line."""
        line = collapse("".join(buffer))
        buffer.clear()
        if line:
            lines.append(line)

    # An explicit stack instead of recursion, since old pages nest <font> tags hundreds
    # deep; flush itself is pushed around a block's children to mark where its lines end.
    stack = [root]
    while stack:
        node = stack.pop()
        if node is flush:
            flush()
        elif isinstance(node, NavigableString):
            buffer.append(str(node))
        elif node.name == "br":
            flush()
        elif node.name in BLOCK_TAGS or node is root:
            stack.extend([flush, *reversed(node.contents), flush])
        else:
            stack.extend(reversed(node.contents))
    flush()
    return lines


def drop_title_line(lines, title):
    """Remove the article heading from the top of the body when it repeats the title."""
    if title and lines and collapse(lines[0]) == collapse(title):
        return lines[1:]
    return lines

