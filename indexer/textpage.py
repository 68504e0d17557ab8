"""Clean a text dump of a report page into title and body paragraphs."""
import re

from .chrome import DATE_LINE, SIGNATURE_LINE, is_chrome, metadata_label
from .report import Paragraph, Report

# A title names the report; it is short and carries no sentence punctuation.
TITLE_WORDS = re.compile(r"报告|情况|总结")
TITLE_MAX_CHARS = 80
# Only the top of a page holds the title; past this many lines it is body text.
TITLE_SEARCH_LINES = 8
SENTENCE_END = "。！？；;!?"


def page_lines(text):
    """Split a page into stripped, non-empty lines."""
    lines = (line.replace("\u3000", " ").strip() for line in text.splitlines())
    return [line for line in lines if line]


def drop_metadata_block(lines):
    """Remove metadata-table labels and the value line that follows each label."""
    kept, expect_value = [], False
    for line in lines:
        if metadata_label(line):
            expect_value = True
            continue
        if expect_value and len(line) <= 40 and not line.endswith(tuple(SENTENCE_END)):
            expect_value = False
            continue
        expect_value = False
        kept.append(line)
    return kept


def looks_like_title(line):
    """Tell whether a line reads as a report title."""
    return (len(line) <= TITLE_MAX_CHARS and bool(TITLE_WORDS.search(line))
            and not line.endswith(tuple(SENTENCE_END + "：:")))


def split_title(lines):
    """Return (title, body lines): the title line and what follows it, or no title."""
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        if looks_like_title(line):
            # Lines above the title are site name and navigation.
            return line, lines[index + 1:]
    return "", lines


def drop_signature(lines):
    """Remove the trailing signature block: the issuing body and the date."""
    while lines and (DATE_LINE.match(lines[-1]) or SIGNATURE_LINE.match(lines[-1])):
        lines = lines[:-1]
    return lines


def clean_text(text, report_id, hints=None):
    """Clean a text dump of a report page into a Report.

    hints holds what a page's markup already told (keys title, pub_date, issuer, url,
    site_name, column_name); the cleaner prefers them to what it infers from the text.
    """
    lines = [line for line in drop_metadata_block(page_lines(text)) if not is_chrome(line)]
    title, body = split_title(lines)
    body = drop_signature(body)
    paragraphs = [Paragraph(n=n, text=line) for n, line in enumerate(body, start=1)]
    return Report(report_id=report_id, title=title, paragraphs=paragraphs)
