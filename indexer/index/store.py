"""A clean report as Whoosh documents, and back: the index of record holds every report whole.

One document per paragraph carries the paragraph (its number, text, heading flag and
section) and the report id; the report's first paragraph also carries everything else of
the report (Report.metadata(): title, issuer, region, year, date, 文号, source, warnings and
any field the cleaner adds), stored once. The arrays' report table and the report page are
read back from these stored fields.
"""
from array import array

from model.report import Paragraph, Report
from model.text import sentence_offsets

from .schema import NORM_FIELD, REPORT_FIELD, SENTENCES_FIELD

# The stored fields of a paragraph document that make its Paragraph.
PARAGRAPH_FIELDS = ("n", "text", "heading", "section_class", "section_path")


def documents(report):
    """Return the Whoosh documents of a report's paragraphs, its metadata on the first."""
    found = []
    for place, paragraph in enumerate(report.paragraphs):
        norm, sentences = sentence_offsets(paragraph.text)
        document = {
            "report_id": report.report_id, "n": paragraph.n, "text": paragraph.text, "words": paragraph.text,
            "heading": paragraph.heading, "section_class": paragraph.section_class,
            "section_path": paragraph.section_path,
            NORM_FIELD: norm, SENTENCES_FIELD: array("I", sentences).tobytes(),
        }
        if not place:
            document[REPORT_FIELD] = report.metadata()
        found.append(document)
    return found


def report_metadata(stored):
    """Return the report metadata a paragraph's stored fields carry (only the first paragraph's do), or None."""
    metadata = stored.get(REPORT_FIELD)
    return metadata if isinstance(metadata, dict) else None


def report_from_stored(report_id, stored_paragraphs):
    """Return the Report whose paragraphs' stored fields are given (in any order), or None when there are none."""
    if not stored_paragraphs:
        return None
    stored_paragraphs = sorted(stored_paragraphs, key=lambda stored: stored.get("n") or 0)
    metadata = next(filter(None, map(report_metadata, stored_paragraphs)), {})
    paragraphs = [Paragraph(**{name: stored[name] for name in PARAGRAPH_FIELDS if name in stored})
                  for stored in stored_paragraphs]
    return Report.from_metadata(report_id, metadata, paragraphs)
