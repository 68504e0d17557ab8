"""A hit as plain data, for every backend: its paragraph, what the registry's fields say of its report
and paragraph (model/registry.py's HIT_FIELDS), and where the query matched it.

A field of a hierarchy (the region's levels) is a key of its hierarchy's object (hit["region"]["city"]);
any other is a key of the hit. A field added to the registry reaches every hit, the API and the
exports from here.
"""
from model.registry import HIT_FIELDS

from .spans import hit_spans, match_spans, snippet_window

# A hit's reuse fields where nothing is known of its reuse (a backend without reuse data).
NO_REUSE_FIELDS = {"group": None, "earliest": None, "folded": 0, "folded_hits": []}
# Matching paragraphs a report's row shows in full (snippet, marks, link) when results are grouped by report;
# the row names every other by its number.
MATCHES_SHOWN = 3


def place(found, field, value):
    """Put a field's value into a hit (or a report's entry), under its hierarchy's object when it has one."""
    if field.hierarchy:
        found.setdefault(field.hierarchy, {})[field.name] = value
    else:
        found[field.key] = value


def value_in(hit, field):
    """Return a field's value in a hit (None when the hit lacks it)."""
    return (hit.get(field.hierarchy) or {}).get(field.name) if field.hierarchy else hit.get(field.key)


def hit_keys():
    """Return the keys the registry's fields take in a hit, in order (a hierarchy once)."""
    return tuple(dict.fromkeys(field.hierarchy or field.key for field in HIT_FIELDS))


def report_keys():
    """Return the keys the registry's fields of a report (not of a paragraph) take in a hit, in order."""
    return tuple(dict.fromkeys(field.hierarchy or field.key for field in HIT_FIELDS if field.source.per_report))


def report_fields(report):
    """Return what a hit says of its report: every field of the registry whose value is its report's.

    Worked out field by field from the registry, it takes some 20 µs: callers showing many hits of
    few reports keep it per report (Columns.hit_fields, a cluster page) and give each hit a copy().
    """
    found = {}
    for field in HIT_FIELDS:
        if field.source.per_report:
            place(found, field, field.hit_value(field.source.of(report)))
    return found


def copy(fields):
    """Return a copy of a report's fields kept for many hits, its objects (a hierarchy's) copied too."""
    return {key: dict(value) if isinstance(value, dict) else value for key, value in fields.items()}


def paragraph_fields(report, paragraph):
    """Return what a hit says of one paragraph (its stored fields by name): every field of the registry whose
    value is the paragraph's own."""
    found = {}
    for field in HIT_FIELDS:
        if not field.source.per_report:
            place(found, field, field.hit_value(field.source.value(report, paragraph)))
    return found


def report_entry(report, fields=None):
    """Return a report as hits and lists name it: its id and the fields a hit says of it (fields, when kept)."""
    return {"report_id": report.report_id, **(fields if fields is not None else report_fields(report))}


def shape_hit(stored, report, compiled, holds=None, fields=None):
    """Shape one stored paragraph and its report's metadata into a hit, with its match spans when holds is given.

    fields: the report's fields (report_fields), when the caller keeps them.
    """
    text = stored["text"]
    hit = {
        "report_id": stored["report_id"],
        "n": stored["n"],
        **(fields if fields is not None else report_fields(report)),
        **paragraph_fields(report, stored),
        "section_path": stored.get("section_path") or [],
        "heading": bool(stored.get("heading")),
        "text": text,
    }
    if holds is not None:
        spans = hit_spans(compiled.match, text, holds, compiled.needles)
        hit.update(spans=spans, snippet=snippet_window(text, spans),
                   title_spans=match_spans(report.title, compiled.title_needles))
    return hit


def report_row(report_id, fields, numbers, matches):
    """Return a report as results grouped by report list it: its id and fields (report_fields), how many of its
    paragraphs match, their numbers in reading order, and its first MATCHES_SHOWN matches as hits, in the search's
    order (its title marked as they mark it)."""
    row = {"report_id": report_id, **fields, "paragraphs": len(numbers), "numbers": sorted(numbers),
           "matches": matches}
    if matches and "title_spans" in matches[0]:
        row["title_spans"] = matches[0]["title_spans"]
    return row
