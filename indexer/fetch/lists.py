"""Read a list page of a government site: its article links (text, title, date) and its further pages.

Nearly every Chinese government site runs on one of a few CMS families, each paging its
columns its own way:

- TRS WCM writes static pages index.html, index_1.html, … and draws the pager with
  `createPageHTML(total, current, "index", "html")` (some templates put a pager id first
  and the record count last);
- Hanweb (大汉) jcms keeps a column's records inside `<script type="text/xml">` as
  `<recordset><record><![CDATA[<li><a …>…</a><span>date</span></li>]]></record>…`, with
  `<totalpage>` beside them, and serves the further pages at `?uid=<unit>&pageNum=<n>`;
- the rest link their pages: a `下一页` / `next` link, or numbered links that differ from
  the current URL only in a page parameter (`?page=2`).

All are read here from the page's text alone, so a crawl can replay a list page it read
before without fetching it again, in time linear in the page's size: at most MAX_LIST_LINKS
links of a page are read, and a pager's claimed total is capped at MAX_CLAIMED_PAGES before
any URL is built (politeness.py); a ListPage's notes say when either cut in.
"""
import math
import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urldefrag, urlencode, urljoin, urlsplit, urlunsplit

from lxml import html as lxml_html

from .politeness import ALLOWED_SCHEMES, MAX_CLAIMED_PAGES, MAX_LIST_LINKS

# createPageHTML(3, 0, "index", "html") or createPageHTML('page_div', 3, 0, 'index', 'html', 48)
TRS_PAGER = re.compile(r"createPageHTML\s*\(([^)]*)\)")
TRS_ARGUMENT = re.compile(r"""\s*(?:(?P<number>\d+)|["'](?P<text>[^"']*)["'])\s*""", re.A)
PAGE_EXTENSIONS = ("html", "shtml", "htm", "jhtml")
HANWEB_DATA = re.compile(r"<datastore>.*?</datastore>", re.S | re.I)
HANWEB_RECORD = re.compile(r"<record>\s*<!\[CDATA\[(.*?)\]\]>\s*</record>", re.S | re.I)
HANWEB_TOTAL_PAGES = re.compile(r"<totalpage>\s*(\d+)\s*</totalpage>", re.I | re.A)
HANWEB_TOTAL_RECORDS = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.I | re.A)
HANWEB_UNIT = re.compile(r"unitid=(\d+)", re.I)
# The link texts of a "next page" link.
NEXT_TEXTS = frozenset({"下一页", "下页", "后一页", "下一頁", "next", "nextpage", ">", "›", "»", ">>"})
# Query parameters that number a list's pages.
PAGE_PARAMETERS = frozenset({"page", "pageno", "pagenum", "pageindex", "curpage", "currentpage",
                             "pn", "p", "pagenumber", "page_no"})
# A list date: 2024-03-28, 2024/3/28, 2024.03.28, 2024年3月28日, in brackets or not.
DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
# Numbers longer than this are read as "more than any limit" (Python refuses to read very long ones).
MAX_DIGITS = 18
# Paths of list pages rather than articles: a column's index, its pages, a Hanweb column.
LIST_PATH = re.compile(r"(?:/|/index(?:_\d+)?\.\w+|/col/col\d+/[^/]*)$", re.I)


@dataclass(frozen=True)
class Link:
    """One article link of a list page: absolute URL, its text, its title attribute, the date beside it."""

    url: str
    text: str
    title: str = ""
    date: str = ""  # YYYY-MM-DD, or "" when the list shows none

    def texts(self):
        """Return the texts that may hold the article's title: title attribute first (it is not cut short)."""
        return [text for text in (self.title, self.text) if text]


@dataclass
class ListPage:
    """What a list page holds: its article links, the URLs of further list pages, and what was left unread."""

    links: list = field(default_factory=list)
    pages: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # why part of the page was not read, one line each

    def to_dict(self):
        """Return the page as plain data (for the crawl journal)."""
        # vars(), not asdict(): a Link holds only strings, and asdict copies each deeply.
        return {"links": [vars(link) for link in self.links], "pages": list(self.pages), "notes": list(self.notes)}

    @classmethod
    def from_dict(cls, data):
        """Return the page written by to_dict."""
        return cls([Link(**link) for link in data["links"]], list(data["pages"]), list(data.get("notes", [])))


def read_list(url, text):
    """Return the ListPage of a list page's HTML text found at url."""
    tree = parse(text)
    base = base_url(tree, url)
    records = [parse(fragment) for fragment in hanweb_records(text)]
    own = list(tree.iter("a"))  # the page's own links, then its Hanweb records'
    anchors = own + [anchor for record in records for anchor in record.iter("a")]
    notes = []
    if len(anchors) > MAX_LIST_LINKS:
        notes.append(f"only its first {MAX_LIST_LINKS} of {len(anchors)} links read (MAX_LIST_LINKS)")
        anchors = anchors[:MAX_LIST_LINKS]
    targets = [absolute(base, anchor.get("href")) for anchor in anchors]  # once each: the costly part
    links = links_of(anchors, targets, (tree, *records))
    trs, trs_claim = trs_pages(text, url)
    hanweb, hanweb_claim = hanweb_pages(text, url, len(records))
    for claim in (trs_claim, hanweb_claim):
        if claim > MAX_CLAIMED_PAGES:
            notes.append(f"its pager claims {claim} pages: only the first {MAX_CLAIMED_PAGES} named"
                         " (MAX_CLAIMED_PAGES)")
    pages = trs + hanweb + linked_pages(anchors[:len(own)], targets, url)
    return ListPage(unique(links, key=lambda link: link.url), unique(pages), notes)


def parse(text):
    """Return the lxml tree of an HTML page or fragment (an empty one when there is nothing to parse)."""
    # lxml refuses a str that declares its encoding (XHTML pages start with <?xml … encoding=…?>).
    text = XML_DECLARATION.sub("", text or "", count=1)
    try:
        return lxml_html.fromstring(text or "<html></html>")
    except (ValueError, lxml_html.etree.ParserError):
        return lxml_html.fromstring("<html></html>")


def base_url(tree, url):
    """Return the URL links are relative to: the page's <base href>, else its own URL."""
    bases = tree.xpath("//base/@href")
    return urljoin(url, bases[0].strip()) if bases else url


def absolute(base, href):
    """Return the absolute http(s) URL of a link without its #fragment, or "" for anything else."""
    href = (href or "").strip()
    if not href or href.startswith("#"):
        return ""
    url = urldefrag(urljoin(base, href)).url
    return url if urlsplit(url).scheme.lower() in ALLOWED_SCHEMES else ""


def links_in(tree, base):
    """Return the Links of the <a href> of a page's tree (its first MAX_LIST_LINKS anchors)."""
    anchors = list(tree.iter("a"))[:MAX_LIST_LINKS]
    return links_of(anchors, [absolute(base, anchor.get("href")) for anchor in anchors], (tree,))


def links_of(anchors, targets, trees):
    """Return the Links of the anchors whose target is an http(s) URL, each with the date beside it in its tree."""
    held = {}
    for tree in trees:
        held.update(anchors_held(tree))
    links = []
    for anchor, url in zip(anchors, targets):
        if url:
            text = " ".join(anchor.text_content().split())
            links.append(Link(url, text, " ".join((anchor.get("title") or "").split()), date_beside(anchor, held)))
    return links


def anchors_held(tree):
    """Return {element: how many <a> it holds, itself included} for every element of a tree's document, in one pass."""
    held = {}
    # A fragment's element sits in a document lxml made for it: its parents count too.
    # In reverse document order every child comes before its parent, so each sum is ready.
    for element in reversed(list(tree.getroottree().getroot().iter())):
        held[element] = (element.tag == "a") + sum(held[child] for child in element)
    return held


def date_beside(anchor, held):
    """Return the date a list shows in a link's entry (the largest element holding only this link).

    Entries of different links never overlap, so dating every link of a page reads each
    element once at most.
    """
    entry = anchor
    while entry.getparent() is not None and held[entry.getparent()] == 1:
        entry = entry.getparent()
    own = anchor.text_content()
    found = DATE.search(entry.text_content().replace(own, " ", 1))
    if not found:
        return ""
    year, month, day = (int(part) for part in found.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def whole_number(digits):
    """Return the number a string of ASCII digits spells; one too long to matter reads as 10^MAX_DIGITS."""
    return int(digits) if len(digits) <= MAX_DIGITS else 10 ** MAX_DIGITS


def page_numbers(claimed, current, first=0):
    """Return the numbers of the other pages of a pager claiming `claimed` pages, at most MAX_CLAIMED_PAGES."""
    return (n for n in range(first, first + min(claimed, MAX_CLAIMED_PAGES)) if n != current)


def trs_pages(text, url):
    """Return (the other pages of a TRS list, the page total its createPageHTML(...) call claims)."""
    call = TRS_PAGER.search(text)
    if not call:
        return [], 0
    numbers, texts = [], []
    for argument in call.group(1).split(","):
        found = TRS_ARGUMENT.fullmatch(argument)
        if found and found.group("number") is not None:
            numbers.append(whole_number(found.group("number")))
        elif found:
            texts.append(found.group("text"))
    extension = next((t for t in texts if t.lower() in PAGE_EXTENSIONS), None)
    if len(numbers) < 2 or extension is None or texts.index(extension) == 0:
        return [], 0
    name = texts[texts.index(extension) - 1]
    total, current = numbers[0], numbers[1]
    return [urljoin(url, f"{name}.{extension}" if n == 0 else f"{name}_{n}.{extension}")
            for n in page_numbers(total, current)], total


def hanweb_records(text):
    """Return the HTML fragments of a Hanweb page's <record> entries."""
    data = HANWEB_DATA.search(text)
    return HANWEB_RECORD.findall(data.group(0)) if data else []


def hanweb_pages(text, url, records):
    """Return (the other pages of a Hanweb column, ?uid=<unit>&pageNum=<n>, the page total it claims)."""
    data = HANWEB_DATA.search(text)
    if not data or not records:
        return [], 0
    query = dict(parse_qsl(urlsplit(url).query))
    unit = query.get("uid") or hanweb_unit(text, data)
    if not unit:
        return [], 0
    current = page_number(query.get("pageNum", "")) or 1
    total_pages = HANWEB_TOTAL_PAGES.search(data.group(0))
    total_records = HANWEB_TOTAL_RECORDS.search(data.group(0))
    if total_pages:
        total = whole_number(total_pages.group(1))
    elif total_records and current == 1:
        total = math.ceil(whole_number(total_records.group(1)) / records)
    else:
        total = current + 1  # no count given: try the next page while pages hold records
    parts = urlsplit(url)
    # Pages are numbered from 1; the first is the column's own URL, not named again.
    return [urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode({"uid": unit, "pageNum": n}), ""))
            for n in page_numbers(total, current, first=1) if n > 1], total


def hanweb_unit(text, data):
    """Return the unit id of a Hanweb column: the id of the element holding its data, or the data's unitid."""
    holder = re.search(r"<div[^>]*\bid=[\"']?(\d+)[\"']?[^>]*>\s*<script[^>]*text/xml", text, re.I)
    if holder:
        return holder.group(1)
    found = HANWEB_UNIT.search(data.group(0))
    return found.group(1) if found else ""


def linked_pages(anchors, targets, url):
    """Return the list pages these anchors link to (their targets): 下一页/next links, later pages (?page=N)."""
    pages = []
    here = page_parameter(url)
    for anchor, target in zip(anchors, targets):
        if not target:
            continue
        label = "".join(anchor.text_content().split()).lower()
        if label in NEXT_TEXTS or "next" in (anchor.get("rel") or "").lower().split():
            pages.append(target)
            continue
        if "?" not in target:
            continue  # no page number: the list's first page, never a later one
        there = page_parameter(target)
        if there[0] == here[0] and there[1] > here[1]:
            pages.append(target)
    return [page for page in pages if page != url]


def page_parameter(url):
    """Return (the URL without its page number, the page number) of a list URL.

    A URL without a page parameter counts as the first page of its list, so that
    list.asp?classid=23 and list.asp?classid=23&page=2 are pages of one list.
    """
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    numbered = [page_number(value) for name, value in query if name.lower() in PAGE_PARAMETERS]
    numbered = [number for number in numbered if number is not None]
    rest = tuple((name, value) for name, value in query if name.lower() not in PAGE_PARAMETERS)
    number = numbered[0] if numbered else 1
    return (parts.scheme, parts.netloc, parts.path, rest), number


def page_number(value):
    """Return the page number a query value holds (ASCII digits only), or None."""
    return whole_number(value) if value.isascii() and value.isdigit() else None


def looks_like_list(url):
    """Tell whether a URL is a column or list page rather than an article."""
    parts = urlsplit(url)
    query = {name.lower() for name, _ in parse_qsl(parts.query)}
    return bool(LIST_PATH.search(parts.path or "/")) or bool(query & PAGE_PARAMETERS) or "uid" in query


def unique(items, key=lambda item: item):
    """Return items without repeats, in their first order."""
    seen, kept = set(), []
    for item in items:
        if key(item) not in seen:
            seen.add(key(item))
            kept.append(item)
    return kept
