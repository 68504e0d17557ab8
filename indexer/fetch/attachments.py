"""Reports published as attachments: which document a report page hands its report to, and what the page says of it.

Many columns list a notice page under the report's title that says only 详见附件 and links
the report as a PDF or Word file (with, now and then, other attachments beside it: a 工作要点,
a statistics table). The notice page and its attachment are one report: the attachment's
text is its body, the page gives the title, date and issuer the file may lack. A page that
holds the report text itself keeps it, and its attachments (a printable copy) are left alone.
"""
import re
from urllib.parse import unquote, urlsplit

from indexer.clean.errors import BadPage
from indexer.clean.htmlpage import extract
from indexer.clean.metadata import find_date
from indexer.clean.textpage import MIN_REPORT_CHINESE_CHARS, chinese_count

from .lists import base_url, links_in, parse

# The documents a report is published as, by the suffix of the link's path or text.
DOCUMENT_SUFFIX = re.compile(r"\.(pdf|docx?|wps)$", re.I)
# What a notice page says when its report is the attachment (详见附件, 全文见附件). A download
# label (附件下载, 点击下载) is not enough: pages holding the whole text offer a copy that way.
SEE_ATTACHMENT = re.compile(r"见附件")
# What an attachment link says before or around the document's name: 附件1：…, 下载, the suffix.
LINK_DECORATION = re.compile(r"^\s*(?:附件\s*\d*\s*[：:.、]?\s*)|\s*[（(]?\s*\d+(?:\.\d+)?\s*[KMG]B\s*[）)]?\s*$"
                             r"|\.(?:pdf|docx?|wps)\s*$", re.I)
# A link text naming no document: "附件", "附件1", "下载", "点击下载", a file name of digits.
GENERIC_NAME = re.compile(r"^(?:附件\s*\d*|(?:点击)?下载(?:附件)?|[A-Za-z0-9_.\-]*)$")


def is_document_link(link):
    """Tell whether a link leads to a document file (by its path's suffix, else its text's)."""
    path = unquote(urlsplit(link.url).path)
    return bool(DOCUMENT_SUFFIX.search(path) or any(DOCUMENT_SUFFIX.search(text.strip()) for text in link.texts()))


def document_name(link):
    """Return the name an attachment link gives its document ("" when it names none)."""
    for text in link.texts():
        name = LINK_DECORATION.sub("", text).strip()
        if name and not GENERIC_NAME.match(name):
            return name
    return ""


def page_facts(page):
    """Return what a notice page says of its report: its title, publication date and issuer."""
    hints = page.hints
    date = hints.get("pub_date") or next(filter(None, map(find_date, page.metadata + page.lines[:3])), "")
    facts = {"title": page.title, "pub_date": date, "issuer": hints.get("issuer", "")}
    return {name: value for name, value in facts.items() if value}


def hands_over(page):
    """Tell whether a page's report is in its attachment: too little text of its own, or it says 详见附件."""
    text = "".join(page.lines)
    return chinese_count(text) < MIN_REPORT_CHINESE_CHARS or bool(SEE_ATTACHMENT.search(text))


def report_attachment(url, html, matcher):
    """Return (the attachment Link holding a report page's report, the page's facts), or None.

    Of the page's document links, the first whose name is a report's title is taken; else,
    when only one names nothing (附件, 下载), that one. A link naming another kind of document
    (工作要点, 统计表) is never the report.
    """
    try:
        page = extract(html, url)
    except BadPage:
        return None
    if not hands_over(page):
        return None
    tree = parse(html)
    documents = [link for link in links_in(tree, base_url(tree, url)) if is_document_link(link)]
    named = [link for link in documents if document_name(link)]
    reports = [link for link in named if matcher.matches(document_name(link))]
    unnamed = [link for link in documents if not document_name(link)]
    chosen = reports[0] if reports else unnamed[0] if len(unnamed) == 1 else None
    return (chosen, page_facts(page)) if chosen else None
