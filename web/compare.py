"""对比阅读: two reports side by side, section class by section class, the query marked in both; and the reports
to choose from."""
from dataclasses import dataclass, field

from model.report import SECTION_CLASSES
from model.text import normalize
from search.params import EXACT

from .marks import mark
from .state import compare_url

# Reports of the corpus the picker lists beyond the related and the matching ones; more are found by a part of
# their title or issuer (find=), so a national corpus never lists a million links.
PICKER_OTHERS = 200


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


@dataclass
class Choices:
    """The reports to compare one with, each listed once: related, holding the query, and the rest of the corpus."""

    related: list = field(default_factory=list)
    matching: list = field(default_factory=list)   # each with "paragraphs": how many of its paragraphs the query finds
    others: list = field(default_factory=list)     # at most PICKER_OTHERS, those a find names when one is given
    unlisted: int = 0                              # the others left out by PICKER_OTHERS or by the find


def found_per_report(hits):
    """Return {report_id: how many hits} of a search's hits, in the order their reports first come."""
    counts = {}
    for hit in hits:
        counts[hit["report_id"]] = counts.get(hit["report_id"], 0) + 1
    return counts


def holds(row, find):
    """Tell whether a report row's title or issuer holds a text (folded as searches fold); any row for no text."""
    wanted = normalize(find)
    return not wanted or wanted in normalize(row["title"]) or wanted in normalize(row["issuer"])


def choices(left_id, related, found, corpus, root, query, find="", match=EXACT):
    """Return the Choices of reports to compare a report with, linked: its related reports (by kind, as the engine
    returns them), the reports a query finds (found: its hits' report ids with their counts) and every other report
    of the corpus (its overview rows), those holding find in their title or issuer."""
    def linked(row, **extra):
        """Return a report row with its link to the side-by-side view."""
        return dict(row, url=compare_url(root, left_id, row["report_id"], query, match), **extra)

    listed = {left_id}
    picked = Choices()
    for row in (row for rows in related.values() for row in rows):
        if row["report_id"] not in listed:
            listed.add(row["report_id"])
            picked.related.append(linked(row, paragraphs=found.get(row["report_id"], 0)))
    rows = {row["report_id"]: row for row in corpus}
    for report_id, paragraphs in found.items():
        if report_id not in listed and report_id in rows:
            listed.add(report_id)
            picked.matching.append(linked(rows[report_id], paragraphs=paragraphs))
    rest = [row for row in corpus if row["report_id"] not in listed]
    shown = [row for row in rest if holds(row, find)][:PICKER_OTHERS]
    picked.others = [linked(row) for row in shown]
    picked.unlisted = len(rest) - len(shown)
    return picked
