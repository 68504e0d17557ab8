"""Markup a stored page's text kept: HTML entities and tags, read before any other stage.

A crawl's text dump is not always the rendered text: some copies keep the entities a template
wrote for spacing (`发布时间：2018-03-30&nbsp;&nbsp;来源：…`, `首页&nbsp;&gt;&nbsp;信息公开`), which glue a
field's value to the next label and make a breadcrumb's arrows unreadable, and some keep the page's
<meta> tags, where the site states the title, the date and the source that its visible text may not
print at all. Entities are decoded; tags are removed, and the guideline <meta> fields they carry are
the page's hints, read as an HTML page's are.
"""
import html
import re

from bs4 import BeautifulSoup

from .htmlpage import guideline_hints, meta_fields

# Named and numeric character references with their semicolon, and the spacing and escaping ones
# that templates and broken dumps also write without it ("2018-03-30&nbsp&nbsp来源"); html.unescape
# reads both. Another name without a semicolon ("R&D", "&copy") is left as text.
ENTITY = re.compile(r"&(?:#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};"
                    r"|(?:nbsp|amp|lt|gt|quot)(?![A-Za-z;]))")
# An element's opening or closing tag: a letter right after "<", so "优良率<85%" and "<<" stay text.
TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>")


def unmark(text):
    """Return (text without entities and tags, the hints of its guideline <meta> tags)."""
    tags = TAG.findall(text)
    hints = guideline_hints(meta_fields(BeautifulSoup("".join(tags), "html.parser"))) if tags else {}
    text = TAG.sub("", text) if tags else text
    return ENTITY.sub(lambda found: html.unescape(found.group()), text), hints
