"""Clean a report page, given as text lines, into a structured Report.

Text enters here (clean_text), decoded again when it is a Chinese page read as ISO-8859-1
(encoding.reread_misdecoded), control characters removed (CONTROL_CHARACTERS). The stages,
in order (each in its own module):
0. compat.fold_compatible: radical and compatibility code points (PDF text: ⽩ for 白)
   folded into the ideographs they stand for, before any pattern reads the text;
   markup.unmark: entities and tags a stored copy kept decoded and removed, its <meta>
   fields taken as hints;
1. repair.remove_spam: injected gambling brands out first, since they hide in the
   title, the 来源 field and the signature as well as in the body;
   noise.remove_noise: copy sites' watermarks, pinyin glosses and spaced years, which
   break the names and years every later stage reads;
2. chrome.drop_chrome_lines: navigation, tools, metadata tables and footers out, their
   fields (文号, 发布机构, 来源, dates) kept;
3. frame.split_title / split_header / split_signature: the title and the header lines on
   top and the signature block at the bottom become metadata, not body;
4. repair.repair_dates, join_broken_lines, drop_repeats: the body text mended;
5. structure.build_paragraphs: headings, section paths and section classes;
6. metadata.read_metadata: title, issuer, report year, publication date, 文号;
7. gazetteer.resolve_region: province, city, county and township, and level.government_level;
   addressee.placed_by_addressee for a report sent to a superior government without naming itself.
"""
import re
from itertools import islice

from model.report import REGION_LEVELS, Report

from .addressee import placed_by_addressee, superior_salutations
from .citations import cited_documents
from .chrome import drop_chrome_lines
from .compat import fold_compatible
from .datablob import unblob
from .encoding import reread_misdecoded
from .errors import BadPage
from .frame import crumb_title, forget_lines, is_signature_line, split_header, split_signature, split_signature_lines, split_title
from .gazetteer import resolve_region
from .markup import unmark
from .level import government_level, government_name, is_central
from .metadata import TITLE_LABELS, PageFacts, place_of, read_metadata, region_evidence
from .noise import remove_noise
from .repair import drop_repeats, join_broken_lines, remove_spam, repair_dates, split_run_together
from .script import PageScript
from .sitehost import site_places
from .structure import build_paragraphs

# A page is a report only when its body holds sentences and enough Chinese text; a
# navigation page or an index of links has neither.
MIN_REPORT_CHINESE_CHARS = 200
CHINESE_CHAR = re.compile(r"[\u4e00-\u9fff]")
# Tried only where a sentence can start (the text's start or after a sentence end), so a
# long run without an end is scanned once, not once from each of its characters.
SENTENCE = re.compile(r"(?:^|[。！？])[^。！？\u4e00-\u9fff]*[\u4e00-\u9fff][^。！？]*[。！？]")

HINT_KEYS = ("title", "pub_date", "issuer", "url", "site_name", "column_name")
# Hint fields a Report holds directly, filled from the markup when the cleaner left them empty.
HINTED_FIELDS = ("title", "pub_date", "issuer")

# Control characters are never a report's text, and XML 1.0 cannot hold them at all: one \x08
# in a paragraph made every Excel export holding it fail (openpyxl's IllegalCharacterError), and
# titles of text pages kept \x01\x02. Those str.splitlines() ends a line at (vertical tab, form
# feed — pdftotext's page break —, the file, group and record separators) become a line break,
# so the page's lines stay as they were; the others, with the two non-characters XML refuses
# (U+FFFE, U+FFFF), are removed.
LINE_ENDING_CONTROLS = "\x0b\x0c\x1c\x1d\x1e"
# Zero-width characters (space, joiners, word joiner, byte order mark) are invisible: sites put them
# between characters against copying (洛\u200b阳市), which hides every name and year from the rules.
ZERO_WIDTH = (0x200b, 0x200c, 0x200d, 0x2060, 0xfeff)
CONTROL_CHARACTERS = {code: "\n" if chr(code) in LINE_ENDING_CONTROLS else None
                      for code in [*range(0x00, 0x09), 0x0b, 0x0c, *range(0x0e, 0x20), 0xfffe, 0xffff, *ZERO_WIDTH]}
# Any of them: most pages hold none, and a search in C tells so for a fraction of translate()'s cost.
ANY_CONTROL = re.compile("[%s]" % re.escape("".join(map(chr, CONTROL_CHARACTERS))))


# Runs of ideographic spaces standing where a flattened page's line breaks were (lost_breaks), and how many
# make a line a flattened page.
FLATTENED_BREAK = re.compile("\u3000{2,}")
FLATTENED_MIN_RUNS = 4


def without_controls(text):
    """Return text without control and zero-width characters (CONTROL_CHARACTERS); those ending a line
    become a line break."""
    return text.translate(CONTROL_CHARACTERS) if ANY_CONTROL.search(text) else text


def page_lines(text):
    """Split a page into stripped, non-empty lines, a flattened line at its lost breaks."""
    lines = (piece.replace("\u3000", " ").replace("\xa0", " ").strip()
             for line in text.splitlines() for piece in lost_breaks(line))
    return [line for line in lines if line]


def lost_breaks(line):
    """Return a line's pieces between its runs of ideographic spaces when it is a flattened page."""
    # The breaks a page dump lost often leave the ideographic spaces that indented the next paragraph or
    # set the next block apart: "站名　　首页　　政务公开　　某县…报告　　发布时间：…　　2018年，…。　　一、…".
    # Several such runs inside one line are its lines; one or two are a metadata line's field gaps.
    runs = FLATTENED_BREAK.findall(line.strip())
    return FLATTENED_BREAK.split(line) if len(runs) >= FLATTENED_MIN_RUNS else [line]


def chinese_count(text, limit=MIN_REPORT_CHINESE_CHARS):
    """Return how many Chinese characters text holds, counting no further than limit."""
    # The callers ask whether a text reaches the limit: findall() made a list of every character of the page.
    return sum(1 for _ in islice(CHINESE_CHAR.finditer(text), limit))


def check_report_text(lines):
    """Raise BadPage when the body lines cannot be a report, saying why."""
    if not lines:
        raise BadPage("not a report: no text left after removing navigation, tools and footers")
    body = "".join(lines)
    chinese = chinese_count(body)
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
    forget_lines()  # the previous page's
    hints = clean_hints(hints)
    lines, warnings = remove_spam(page_lines(text))
    lines, noise_warnings = remove_noise(lines)
    page = drop_chrome_lines(split_run_together(lines), keep=is_signature_line)
    frame, lines = split_title(page.lines, hints.get("title", ""), page.breaks)
    lines = split_header(frame, lines)
    lines, bottom = split_signature(lines)
    lines, date_warnings = repair_dates(lines)
    lines, repeat_warnings = drop_repeats(join_broken_lines(lines))
    check_report_text(lines)
    paragraphs = build_paragraphs(lines)
    names, dates = split_signature_lines(bottom)
    facts = PageFacts(title=frame.title, fields=page.fields + frame.fields, breadcrumbs=page.breadcrumbs,
                      signature=names, byline=frame.byline, signature_dates=frame.dates + dates,
                      accounts=frame.accounts, sites=frame.sites, hints=hints)
    if not facts.title and not facts.values(TITLE_LABELS):
        facts.title = crumb_title(facts.breadcrumbs)  # a title printed only as the trail's last step
    meta, meta_warnings = read_metadata(facts, paragraphs)
    report = Report(report_id=report_id, paragraphs=paragraphs,
                    warnings=warnings + noise_warnings + date_warnings + repeat_warnings + meta_warnings,
                    source={"url": hints["url"]} if "url" in hints else {}, **meta)
    return report, facts


def clean_text(text, report_id, hints=None):
    """Clean a report page's text into a Report, raising BadPage when it holds no report."""
    # hints: what the page's markup told (title, pub_date, issuer, url, site_name,
    # column_name), preferred to what the text implies.
    text, misdecoded_as = reread_misdecoded(text)
    text, markup_hints = unmark(unblob(fold_compatible(without_controls(text))))
    # What the caller knows (the markup of an HTML page, the crawl's URL) over the text's own tags.
    hints = {**markup_hints, **{key: value for key, value in (hints or {}).items() if value}}
    hints = {key: fold_compatible(without_controls(str(value))) for key, value in hints.items() if value}
    # Traditional pages are cleaned in simplified characters (converted once, here) and their
    # texts given back their own characters at the end.
    script = PageScript([text, *hints.values()])
    simple_text, *simple_hints = script.texts
    report, facts = read_page(simple_text, report_id, dict(zip(hints, simple_hints)))
    place_report(report, facts, site_places(hints.get("url")))
    restore_script(report, script)
    for name in HINTED_FIELDS:
        if not getattr(report, name) and hints.get(name):
            setattr(report, name, hints[name])
    # From the paragraphs as the page writes them: a local document keeps its own characters.
    report.citations = cited_documents(report.paragraphs, report.title)
    if misdecoded_as:
        report.warnings.append(f"页面曾按西文编码误解码为乱码，已按{misdecoded_as}重新解码")
    return report


def place_report(report, facts, scope):
    """Set the report's region and level from the page's evidence and whom it is sent to."""
    texts, strong = region_evidence(report, facts)
    # A superior government named in the salutation is where the report is sent, not its place.
    sent_to = set(superior_salutations(report.paragraphs))
    report.region = resolve_region([text for text in texts if text not in sent_to], strong, scope=scope)
    if is_central(report.issuer):
        report.region = dict.fromkeys(report.region, "")  # a ministry reports on the whole country
    report.level = government_level(report.issuer, report.region, report.paragraphs)
    placed = placed_by_addressee(report)
    if placed:
        report.region, report.level = placed
    # A report that names its sender only as 我市 (with a slogan, 法治温州) was placed by its evidence: its issuer
    # is the government of that place.
    issuer = report.issuer or (report.region.get(report.level, "") if report.level in REGION_LEVELS else "")
    report.issuer = government_name(issuer, report.region, report.level)


def restore_script(report, script):
    """Give the texts a reader sees back the page's own characters (traditional ones)."""
    if not script.changed:
        return
    issuer = script.restore(report.issuer)
    if report.title_composed:
        # The cleaner's own words after the issuer's place name, which is the page's.
        report.title = report.title.replace(place_of(report.issuer), place_of(issuer), 1)
    else:
        report.title = script.restore(report.title)
    report.issuer, report.doc_number = issuer, script.restore(report.doc_number)
    restored = {}  # simplified heading -> the page's own, for the section paths below it
    for paragraph in report.paragraphs:
        own = script.restore(paragraph.text)
        restored[paragraph.text] = own
        paragraph.text = own
        paragraph.section_path = [restored.get(heading, heading) for heading in paragraph.section_path]
