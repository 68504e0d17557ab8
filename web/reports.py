"""The report page as plain data: facts, outline, and every paragraph with the query's matches marked."""
from pathlib import Path
from urllib.parse import urlsplit

from model.laws import short_name
from model.registry import CITES, DOC_NUMBER, ISSUER, LEVEL, PUBLISHED, REGION_FIELD, YEAR_FACET
from model.report import OCR_NOTE, REGION_LEVELS
from search.params import EXACT

from .citation import citation
from .dates import beijing_time
from .export import safe_name
from .marks import mark
from .state import SearchState, compare_url, report_url, url

# Heading depth (the length of a heading's section_path) to the HTML heading level; h1 is the title.
HEADING_TAGS = ("h2", "h3", "h4")


def region_text(region):
    """Return a region as 省 · 市 · 县 · 乡镇, a repeated name (上海市 · 上海市) shown once."""
    names = [(region or {}).get(level, "") for level in REGION_LEVELS]
    return " · ".join(dict.fromkeys(name for name in names if name))


def source_of(report):
    """Return where the report came from: its URL, site and when it was fetched when known, else the raw file's
    name; for a document, its kind, the page that linked it, and the OCR note when its text was read by OCR."""
    source = report.source or {}
    url = source.get("url", "")
    return {"url": url, "site": urlsplit(url).hostname or "", "fetched": beijing_time(source.get("fetched_at", "")),
            "file": Path(source.get("path", "")).name, "kind": source.get("kind", ""),
            "page": source.get("linked_from", ""), "ocr_note": OCR_NOTE if report.ocr else ""}


def facts(report):
    """Return the report's metadata as (label, value) pairs under the registry's labels, leaving out the unknown ones."""
    pairs = [
        (ISSUER.label, report.issuer),
        (LEVEL.label, LEVEL.display(report.level or "")),
        (REGION_FIELD.chip, region_text(report.region)),
        (YEAR_FACET.label, f"{report.report_year} 年度" if report.report_year else ""),
        (PUBLISHED.label, report.pub_date),
        (DOC_NUMBER.label, report.doc_number),
    ]
    return [(label, value) for label, value in pairs if value]


def report_metadata(report):
    """Return what a citation reads of a report, as a hit carries it."""
    return {"issuer": report.issuer, "title": report.title, "title_composed": report.title_composed,
            "doc_number": report.doc_number, "pub_date": report.pub_date,
            "source_url": (report.source or {}).get("url", "")}


def citer(report, site, today):
    """Return the function citing a report (n None) or one of its paragraphs: at its original page when known,
    else naming this site's copy as such."""
    metadata = report_metadata(report)

    def cite(n=None):
        """Return the citation of paragraph n, or of the whole report."""
        return citation(metadata, today.isoformat(), report_url(site, report.report_id, n=n), n)

    return cite


def file_name(report, extension):
    """Return the name a report downloads under: its title (else its id), safe for any file system."""
    return f"{safe_name(report.title) or report.report_id}.{extension}"


def cited_links(report, search_path):
    """Return the documents a report cites, each with the link filtering by it (the reports citing it, CITES) and
    the phrase search for its name as a reader types it (a national law by its short name, which its full name
    holds: 民法典 in 中华人民共和国民法典), which also finds it where it is named without 《》."""
    return [{"name": name, "url": url(search_path, SearchState().with_filter(CITES.name, (name,))),
             "search_url": url(search_path, SearchState(q=f'"{short_name(name)}"'))}
            for name in report.citations]


def report_links(rows, root, current, query, match=EXACT):
    """Return report rows with their link (carrying the query) and the link comparing them with the current report."""
    return [dict(row, url=report_url(root, row["report_id"], query, match=match), region_text=region_text(row["region"]),
                 compare_url=compare_url(root, current, row["report_id"], query, match))
            for row in rows]


def related_links(related, root, current, query, match=EXACT):
    """Return the report page's related reports, by kind (as the engine returns them), with their links."""
    return {kind: report_links(rows, root, current, query, match) for kind, rows in related.items()}


def paragraphs(report, matches, cite, notes=None):
    """Return every paragraph as a dict: number, heading tag, its citation, text escaped with its matches
    marked, and its reuse note.

    matches maps the numbers of the paragraphs a search found in this report to their match spans;
    cite(n) returns the citation of paragraph n; notes maps the numbers of paragraphs that other
    reports hold near-identical to how many reports do and the link showing them (web/reuse.py).
    """
    notes = notes or {}
    found = sorted(matches)
    place = {n: index for index, n in enumerate(found)}
    shown = []
    for paragraph in report.paragraphs:
        depth = len(paragraph.section_path)
        index = place.get(paragraph.n)
        shown.append({
            "n": paragraph.n, "text": paragraph.text, "html": mark(paragraph.text, matches.get(paragraph.n, [])),
            "matched": index is not None,
            # The match's place among the report's matches, and its neighbours to walk them in order.
            "match_no": index + 1 if index is not None else None,
            "previous": found[index - 1] if index else None,
            "next": found[index + 1] if index is not None and index + 1 < len(found) else None,
            "tag": HEADING_TAGS[min(depth, len(HEADING_TAGS) - 1)] if paragraph.heading else "p",
            "depth": depth, "heading": paragraph.heading, "section_class": paragraph.section_class,
            "citation": cite(paragraph.n),
            "similar": notes.get(paragraph.n),
        })
    return shown


def outline(shown):
    """Return the heading paragraphs as a nested list: [{n, text, children}], by section_path depth."""
    root = {"children": []}
    stack = [(-1, root)]
    for paragraph in shown:
        if not paragraph["heading"]:
            continue
        item = {"n": paragraph["n"], "text": paragraph["text"], "children": []}
        while stack[-1][0] >= paragraph["depth"]:
            stack.pop()
        stack[-1][1]["children"].append(item)
        stack.append((paragraph["depth"], item))
    return root["children"]
