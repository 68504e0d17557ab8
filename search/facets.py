"""Facet filters and counts over the matching paragraphs, from cached column arrays.

Facets are disjunctive: the counts of a facet apply every other selected filter but
not its own, so picking 浙江省 still shows how many hits 江苏省 would give. The region
facet shows one level at a time: provinces, then the cities of the selected provinces,
then counties, then townships.
"""
from collections import Counter
from dataclasses import dataclass

from indexer.report import REGION_LEVELS
from indexer.schema import SECTION_CLASSES, UNKNOWN

# Marks a paragraph that fails two or more filters: it counts in no facet.
FAILS_MANY = object()


@dataclass
class Check:
    """One filter in force: the facet it belongs to, the per-document values and the allowed ones."""

    facet: str
    values: object
    allowed: frozenset


def checks(columns, filters):
    """Return a Check for every filter in force."""
    found = []
    for level, names in filters.region.items():
        coded = columns.coded[level]
        codes = coded.code_of()
        found.append(Check(level, coded.codes, frozenset(codes[n] for n in names if n in codes)))
    if filters.years:
        years = {y for y in set(columns.year) if y != UNKNOWN and any(a <= y <= b for a, b in filters.years)}
        found.append(Check("year", columns.year, frozenset(years)))
    if filters.sections:
        coded = columns.coded["section_class"]
        codes = coded.code_of()
        found.append(Check("section", coded.codes, frozenset(codes[s] for s in filters.sections if s in codes)))
    return found


def split(docs, in_force):
    """Return (docs passing every filter, {facet: docs failing only that facet's filter})."""
    passing, near = [], {check.facet: [] for check in in_force}
    for doc in docs:
        failed = None
        for check in in_force:
            if check.values[doc] not in check.allowed:
                if failed is not None:
                    failed = FAILS_MANY
                    break
                failed = check.facet
        if failed is None:
            passing.append(doc)
        elif failed is not FAILS_MANY:
            near[failed].append(doc)
    return passing, near


def tally(docs, values, reports):
    """Return (paragraph count, report count) per value over docs."""
    paragraphs = Counter(values[d] for d in docs)
    pairs = {(values[d], reports[d]) for d in docs}
    per_report = Counter(value for value, _ in pairs)
    return {value: (count, per_report[value]) for value, count in paragraphs.items()}


def entries(counts, label, selected, order):
    """Return facet values as plain dicts, the selected ones kept even when they count zero."""
    rows = {}
    for value, (count, reports) in counts.items():
        name = label(value)
        if name:
            rows[name] = {"value": name, "count": count, "reports": reports, "selected": name in selected}
    for name in selected:
        rows.setdefault(name, {"value": name, "count": 0, "reports": 0, "selected": True})
    return sorted(rows.values(), key=order)


def by_count(row):
    """Order facet values by count, most first, then by name."""
    return (-row["count"], row["value"])


def region_level(filters):
    """Return the level the region facet shows: the one below the deepest selected level."""
    deepest = max((REGION_LEVELS.index(level) for level in filters.region), default=-1)
    return REGION_LEVELS[min(deepest + 1, len(REGION_LEVELS) - 1)]


def facet_docs(facet, passing, near):
    """Return the docs a facet counts: those passing all filters, plus those failing only its own."""
    return passing + near.get(facet, [])


def region_facet(columns, filters, passing, near):
    """Return the region facet: its level, the selected levels above it, and its values."""
    level = region_level(filters)
    coded = columns.coded[level]
    counts = tally(facet_docs(level, passing, near), coded.codes, columns.report.codes)
    selected = set(filters.region.get(level, ()))
    path = [{"level": upper, "values": list(filters.region[upper])}
            for upper in REGION_LEVELS[:REGION_LEVELS.index(level)] if upper in filters.region]
    return {"level": level, "path": path,
            "values": entries(counts, lambda code: coded.names[code], selected, by_count)}


def year_facet(columns, filters, passing, near):
    """Return the year facet values, newest year first."""
    counts = tally(facet_docs("year", passing, near), columns.year, columns.report.codes)
    counts.pop(UNKNOWN, None)
    singles = {str(a) for a, b in filters.years if a == b}
    rows = entries(counts, str, singles, lambda row: -int(row["value"]))
    for row in rows:
        row["selected"] = any(a <= int(row["value"]) <= b for a, b in filters.years)
    return rows


def section_facet(columns, filters, passing, near):
    """Return the section facet values in the canonical order of a report."""
    coded = columns.coded["section_class"]
    counts = tally(facet_docs("section", passing, near), coded.codes, columns.report.codes)
    rank = {name: i for i, name in enumerate(SECTION_CLASSES)}
    return entries(counts, lambda code: coded.names[code], set(filters.sections),
                   lambda row: (rank.get(row["value"], len(rank)), row["value"]))


def apply(columns, filters, docs):
    """Filter the matching docs and count the facets; return (passing docs, facets dict)."""
    passing, near = split(docs, checks(columns, filters))
    facets = {
        "region": region_facet(columns, filters, passing, near),
        "year": year_facet(columns, filters, passing, near),
        "section": section_facet(columns, filters, passing, near),
    }
    return passing, facets


def report_count(columns, docs):
    """Return how many distinct reports the docs come from."""
    codes = columns.report.codes
    return len({codes[d] for d in docs})
