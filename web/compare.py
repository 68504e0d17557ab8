"""对比阅读: two reports side by side, section class by section class, the query marked in both."""
from model.report import SECTION_CLASSES

from .marks import mark
from .state import compare_url


def sections(report, matches):
    """Return {section class: [paragraph dicts]} of a report, each paragraph with its text marked."""
    found = {}
    for paragraph in report.paragraphs:
        found.setdefault(paragraph.section_class, []).append({
            "n": paragraph.n, "heading": paragraph.heading,
            "html": mark(paragraph.text, matches.get(paragraph.n, [])), "matched": paragraph.n in matches,
        })
    return found


def aligned(left, right, left_matches, right_matches):
    """Return the rows of the side-by-side view: per section class, in a report's reading order, both reports' paragraphs."""
    ours, theirs = sections(left, left_matches), sections(right, right_matches)
    return [{"section": name, "left": ours.get(name, []), "right": theirs.get(name, [])}
            for name in SECTION_CLASSES if name in ours or name in theirs]


def choices(left_id, related, found, root, query):
    """Return the reports to compare a report with, once each and linked: its related reports (by kind, as the
    engine returns them), then the reports of a query's hits."""
    rows = [row for rows in related.values() for row in rows]
    rows += [{"report_id": hit["report_id"], "title": hit["title"], "report_year": hit["report_year"],
              "issuer": hit["issuer"]} for hit in found if hit["report_id"] != left_id]
    unique = {row["report_id"]: row for row in rows}  # in the place of its first listing, as last listed
    return [dict(row, url=compare_url(root, left_id, row["report_id"], query)) for row in unique.values()]
