"""Clean a report page, given as text lines, into a structured Report.

The stages, in order (each in its own module):
1. repair.remove_spam: injected gambling brands out first, since they hide in the
   title, the 来源 field and the signature as well as in the body;
2. chrome.strip_chrome: navigation, tools, metadata tables and footers out, their
   fields (文号, 发布机构, 来源, dates) kept;
3. split_title / split_signature (here): the title line on top and the signature block at
   the bottom become metadata, not body;
4. repair.repair_dates, join_broken_lines, drop_repeats: the body text mended;
5. structure.build_paragraphs: headings, section paths and section classes;
6. metadata.read_metadata: title, issuer, report year, publication date, 文号;
7. gazetteer.resolve_region: province, city, county and township.
"""
import re

from indexer.report import Report
from indexer.text import normalize

from .chrome import strip_chrome
from .errors import BadPage
from .gazetteer import resolve_region
from .metadata import PageFacts, is_date_line, is_name, read_metadata, region_evidence
from .repair import drop_repeats, join_broken_lines, remove_spam, repair_dates
from .structure import ENUMERATION, build_paragraphs, numbering_rank

# A title names the report; it is short and carries no sentence punctuation.
TITLE_WORDS = re.compile(r"报告|情况|总结")
TITLE_MIN_CHARS = 6
TITLE_MAX_CHARS = 80
TITLE_STOPS = re.compile(r"[。；;！？!?]|[：:]$")
# Only the top of a page holds the title; past this many lines it is body text.
TITLE_SEARCH_LINES = 8

# A page is a report only when its body holds sentences and enough Chinese text; a
# navigation page or an index of links has neither.
MIN_REPORT_CHINESE_CHARS = 200
CHINESE_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Tried only where a sentence can start (the text's start or after a sentence end), so a
# long run without an end is scanned once, not once from each of its characters.
SENTENCE = re.compile(r"(?:^|[。！？])[^。！？\u4e00-\u9fff]*[\u4e00-\u9fff][^。！？]*[。！？]")

HINT_KEYS = ("title", "pub_date", "issuer", "url", "site_name", "column_name")


def page_lines(text):
    """Split a page into stripped, non-empty lines."""
    lines = (line.replace("\u3000", " ").replace("\xa0", " ").strip() for line in text.splitlines())
    return [line for line in lines if line]


def looks_like_title(line):
    """Tell whether a line reads as a report title."""
    return (TITLE_MIN_CHARS <= len(line) <= TITLE_MAX_CHARS and bool(TITLE_WORDS.search(line))
            and not TITLE_STOPS.search(line) and numbering_rank(line) is None
            and not ENUMERATION.match(line))


def split_title(lines, hint=""):
    """Return (title, lines below it); lines above the title are the site's name and menus."""
    # A hinted title (from the page's markup) wins, but the text's title line is kept when
    # the hint contains it, since a markup title often carries the site's name too.
    hinted = normalize(hint)
    for index, line in enumerate(lines[:TITLE_SEARCH_LINES]):
        norm = normalize(line)
        matches_hint = bool(hinted) and (norm in hinted or hinted in norm)
        if matches_hint or looks_like_title(line):
            title = line if not hinted or norm in hinted else hint
            rest = [other for other in lines[index + 1:] if normalize(other) != norm]
            return title, rest
    return hint, lines


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


def split_subtitle(lines):
    """Return (subtitle lines, body lines): the issuer and date printed under a title."""
    start = 0
    while start < len(lines) and is_signature_line(lines[start]):
        start += 1
    return lines[:start], lines[start:]


def check_report_text(lines):
    """Raise BadPage when the body lines cannot be a report, saying why."""
    if not lines:
        raise BadPage("not a report: no text left after removing navigation, tools and footers")
    body = "".join(lines)
    chinese = len(CHINESE_CHAR.findall(body))
    if chinese < MIN_REPORT_CHINESE_CHARS:
        raise BadPage(f"not a report: only {chinese} Chinese characters of body text "
                      f"(a report has at least {MIN_REPORT_CHINESE_CHARS})")
    if not SENTENCE.search(body):
        raise BadPage("not a report: no sentence in the body text")


def clean_hints(hints):
    """Return the known, non-empty hints, with spam removed from the texts a page shows."""
    cleaned = {key: str(hints[key]).strip() for key in HINT_KEYS if hints and hints.get(key)}
    for key in ("title", "issuer"):
        if key in cleaned:
            repaired, _ = remove_spam([cleaned[key]])
            cleaned[key] = repaired[0] if repaired else ""
    return {key: value for key, value in cleaned.items() if value}


def read_page(text, report_id, hints=None):
    """Clean a page into (Report, PageFacts): the report, and what the page said around it."""
    hints = clean_hints(hints)
    lines, warnings = remove_spam(page_lines(text))
    page = strip_chrome(lines, keep=is_signature_line)
    title, lines = split_title(page.lines, hints.get("title", ""))
    top, lines = split_subtitle(lines) if title else ([], lines)
    lines, bottom = split_signature(lines)
    lines, date_warnings = repair_dates(lines)
    lines, repeat_warnings = drop_repeats(join_broken_lines(lines))
    check_report_text(lines)
    paragraphs = build_paragraphs(lines)
    names, dates = split_signature_lines(bottom + top)
    facts = PageFacts(title=title, fields=page.fields, breadcrumbs=page.breadcrumbs,
                      signature=names, signature_dates=dates, hints=hints)
    meta, meta_warnings = read_metadata(facts, paragraphs)
    report = Report(report_id=report_id, paragraphs=paragraphs,
                    warnings=warnings + date_warnings + repeat_warnings + meta_warnings,
                    source={"url": hints["url"]} if "url" in hints else {}, **meta)
    return report, facts


def clean_text(text, report_id, hints=None):
    """Clean a report page's text into a Report, raising BadPage when it holds no report."""
    # hints: what the page's markup told (title, pub_date, issuer, url, site_name,
    # column_name), preferred to what the text implies.
    report, facts = read_page(text, report_id, hints)
    report.region = resolve_region(*region_evidence(report, facts))
    return report
