"""Facet filters and counts over the matching paragraphs, from cached column arrays.

Facets are disjunctive: the counts of a facet apply every other selected filter but
not its own, so picking 浙江省 still shows how many hits 江苏省 would give. The region
facet is a hierarchy shown level by level: provinces; once one is picked, also the
cities of the picked provinces; then counties; then townships. Each level's counts
apply the region choices above it, and none at or below it.
"""
from collections import Counter
from dataclasses import dataclass

from indexer.report import REGION_LEVELS
from indexer.schema import SECTION_CLASSES, UNKNOWN

# A paragraph failing no region filter gets this "first failing level".
NO_REGION_FAILURE = len(REGION_LEVELS)


@dataclass
class Check:
    """One filter in force: the facet it belongs to, the per-document values and the allowed ones."""

    facet: str
    values: object
    allowed: frozenset


def region_checks(columns, filters):
    """Return a Check per selected region level, from province down."""
    found = []
    for level in REGION_LEVELS:
        if level in filters.region:
            coded = columns.coded[level]
            codes = coded.code_of()
            allowed = frozenset(codes[n] for n in filters.region[level] if n in codes)
            found.append(Check(level, coded.codes, allowed))
    return found


def other_checks(columns, filters):
    """Return a Check for the year and section filters in force."""
    found = []
    if filters.years:
        years = {y for y in set(columns.year) if y != UNKNOWN and any(a <= y <= b for a, b in filters.years)}
        found.append(Check("year", columns.year, frozenset(years)))
    if filters.sections:
        coded = columns.coded["section_class"]
        codes = coded.code_of()
        found.append(Check("section", coded.codes, frozenset(codes[s] for s in filters.sections if s in codes)))
    return found


def first_region_failure(doc, checks):
    """Return the index of the highest region level whose filter the doc fails."""
    for check in checks:
        if check.values[doc] not in check.allowed:
            return REGION_LEVELS.index(check.facet)
    return NO_REGION_FAILURE


@dataclass
class Split:
    """The matching docs sorted by which filters they fail."""

    by_region_failure: list   # docs failing no other filter, by first failing region level
    near: dict                # facet -> docs failing only that (year or section) filter

    def passing(self):
        """Return the docs that pass every filter."""
        return self.by_region_failure[NO_REGION_FAILURE]

    def for_level(self, level):
        """Return the docs a region level counts: all other filters pass, and the levels above it."""
        first = REGION_LEVELS.index(level)
        return [doc for bucket in self.by_region_failure[first:] for doc in bucket]

    def for_facet(self, facet):
        """Return the docs the year or section facet counts."""
        return self.passing() + self.near.get(facet, [])


def split(docs, columns, filters):
    """Sort the docs by the filters they fail, for the filtered hits and every facet's counts."""
    regions, others = region_checks(columns, filters), other_checks(columns, filters)
    buckets = [[] for _ in range(NO_REGION_FAILURE + 1)]
    near = {check.facet: [] for check in others}
    if not regions and not others:
        buckets[NO_REGION_FAILURE] = list(docs)
        return Split(buckets, near)
    for doc in docs:
        failed = [check.facet for check in others if check.values[doc] not in check.allowed]
        if not failed:
            buckets[first_region_failure(doc, regions)].append(doc)
        elif len(failed) == 1 and first_region_failure(doc, regions) == NO_REGION_FAILURE:
            near[failed[0]].append(doc)
    return Split(buckets, near)


def tally(docs, values, reports):
    """Return (paragraph count, report count) per value over docs."""
    # map/zip keep the per-document work in C: this runs over every matching paragraph.
    per_doc = list(map(values.__getitem__, docs))
    paragraphs = Counter(per_doc)
    per_report = Counter(value for value, _ in set(zip(per_doc, map(reports.__getitem__, docs))))
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


def shown_levels(filters):
    """Return the region levels to show: down to the one below the deepest selected level."""
    deepest = max((REGION_LEVELS.index(level) for level in filters.region), default=-1)
    return REGION_LEVELS[:min(deepest + 2, len(REGION_LEVELS))]


def region_facet(columns, filters, parts):
    """Return the region facet: every shown level's values, and the deepest level's at the top."""
    levels = []
    for level in shown_levels(filters):
        coded = columns.coded[level]
        counts = tally(parts.for_level(level), coded.codes, columns.report.codes)
        values = entries(counts, lambda code, names=coded.names: names[code],
                         set(filters.region.get(level, ())), by_count)
        levels.append({"level": level, "values": values})
    return {"level": levels[-1]["level"], "values": levels[-1]["values"], "levels": levels}


def year_facet(columns, filters, parts):
    """Return the year facet values, newest year first."""
    counts = tally(parts.for_facet("year"), columns.year, columns.report.codes)
    counts.pop(UNKNOWN, None)
    singles = {str(a) for a, b in filters.years if a == b}
    rows = entries(counts, str, singles, lambda row: -int(row["value"]))
    for row in rows:
        row["selected"] = any(a <= int(row["value"]) <= b for a, b in filters.years)
    return rows


def section_facet(columns, filters, parts):
    """Return the section facet values in the canonical order of a report."""
    coded = columns.coded["section_class"]
    counts = tally(parts.for_facet("section"), coded.codes, columns.report.codes)
    rank = {name: i for i, name in enumerate(SECTION_CLASSES)}
    return entries(counts, lambda code: coded.names[code], set(filters.sections),
                   lambda row: (rank.get(row["value"], len(rank)), row["value"]))


def apply(columns, filters, docs):
    """Filter the matching docs and count the facets; return (passing docs, facets dict)."""
    parts = split(docs, columns, filters)
    facets = {
        "region": region_facet(columns, filters, parts),
        "year": year_facet(columns, filters, parts),
        "section": section_facet(columns, filters, parts),
    }
    return parts.passing(), facets


def report_count(columns, docs):
    """Return how many distinct reports the docs come from."""
    codes = columns.report.codes
    return len({codes[d] for d in docs})
