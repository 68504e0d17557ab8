"""Markup a stored page's text kept: HTML entities and tags, read before any other stage.

A crawl's text dump is not always the rendered text: some copies keep the entities a template
wrote for spacing (`发布时间：2018-03-30&nbsp;&nbsp;来源：…`, `首页&nbsp;&gt;&nbsp;信息公开`), which glue a
field's value to the next label and make a breadcrumb's arrows unreadable, and some keep the page's
<meta> tags, where the site states the title, the date and the source that its visible text may not
print at all, and some keep comments and style rules. Entities are decoded; comments, style rules and
the tags of the page's structure are removed, and the guideline <meta> fields the tags carry are the
page's hints, read as an HTML page's are. Other markup (a script or an image written out) is text.
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
TAG = re.compile(r"</?(?P<name>[A-Za-z][A-Za-z0-9]*)(?:\s[^<>]*)?/?>")
# Tags that end a line where the page showed them (a paragraph's, a line break's, a table row's), so a
# dump that kept "…如下。<br>一、…" keeps its lines apart; a cell's tag leaves a space.
LINE_TAGS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "title", "table",
                       "ul", "ol", "section", "article", "dd", "dt"})
CELL_TAGS = frozenset({"td", "th"})
# Only the tags of a page's structure and formatting are removed; other markup in a text (a script, an
# image, a link written out) is what the page shows as text, kept and escaped wherever it is shown.
STRUCTURE_TAGS = LINE_TAGS | CELL_TAGS | {"meta", "span", "font", "b", "strong", "em", "i", "u", "center",
                                          "tbody", "thead", "dl", "html", "head", "body"}
# Comments, which Hanweb and other site systems put round the article ("<!--ZJEG_RSS.content.begin-->",
# "<!--<$[信息内容]>begin-->"), and a line of style rules an editor's <style> leaves in the text
# (TRS: ".TRS_Editor P{margin-top:0px;…font-family:宋体;}"): selectors are ASCII, no report's words.
COMMENT = re.compile(r"<!--.*?-->", re.S)
STYLE_RULES = re.compile(r"(?m)^[ \t]*(?:[.#@]?[A-Za-z_*][A-Za-z0-9_\-.#:,>*+~=\[\]\"' \t]*\{[^{}\n]*\}[ \t]*)+$")


def tag_break(found):
    """Return what a tag leaves in the text: a line break, a space, nothing, or the tag (no structure's)."""
    name = found.group("name").lower()
    if name not in STRUCTURE_TAGS:
        return found.group()
    return "\n" if name in LINE_TAGS else " " if name in CELL_TAGS else ""


def unmark(text):
    """Return (text without entities and structure tags, the hints of its guideline <meta> tags)."""
    text = STYLE_RULES.sub("", COMMENT.sub("", text)) if "<!--" in text or "{" in text else text
    tags = [found.group() for found in TAG.finditer(text) if found.group("name").lower() in STRUCTURE_TAGS]
    hints = guideline_hints(meta_fields(BeautifulSoup("".join(tags), "html.parser"))) if tags else {}
    text = TAG.sub(tag_break, text) if tags else text
    return ENTITY.sub(lambda found: html.unescape(found.group()), text), hints
