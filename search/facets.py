"""Facet filters and counts over the matching paragraphs, from cached column arrays.

Facets are disjunctive: the counts of a facet apply every other selected filter but
not its own, so picking 浙江省 still shows how many hits 江苏省 would give. The region
facet is a hierarchy shown level by level: provinces; once one is picked, also the
cities of the picked provinces; then counties; then townships. Each level's counts
apply the region choices above it, and none at or below it.
"""
from dataclasses import dataclass

import numpy as np

from indexer.report import REGION_LEVELS
from indexer.index.schema import SECTION_CLASSES, UNKNOWN

# A paragraph failing no region filter gets this "first failing level".
NO_REGION_FAILURE = len(REGION_LEVELS)
EMPTY = np.empty(0, np.int64)
# Largest (value, report) mask tally() marks distinct pairs in; beyond it, a sort is cheaper.
PAIR_MASK_CELLS = 1 << 22


@dataclass
class Check:
    """One filter in force: the facet it belongs to, the per-document values and the allowed ones."""

    facet: str
    values: object
    allowed: object  # numpy array of allowed values

    def passes(self, docs):
        """Return per doc whether its value is allowed."""
        return np.isin(self.values[docs], self.allowed)


@dataclass
class YearCheck:
    """The year filter: a report year inside any of the chosen ranges."""

    facet: str
    values: object
    ranges: list

    def passes(self, docs):
        """Return per doc whether its year lies in a chosen range."""
        years = self.values[docs]
        inside = np.zeros(len(docs), bool)
        for first, last in self.ranges:
            inside |= (years >= first) & (years <= last)
        return inside & (years != UNKNOWN)


def region_checks(columns, filters):
    """Return a Check per selected region level, from province down."""
    found = []
    for level in REGION_LEVELS:
        if level in filters.region:
            coded = columns.coded[level]
            codes = coded.code_of()
            allowed = np.array([codes[n] for n in filters.region[level] if n in codes], dtype=np.int64)
            found.append(Check(level, coded.codes, allowed))
    return found


def other_checks(columns, filters):
    """Return a check for the year and section filters in force."""
    found = []
    if filters.years:
        found.append(YearCheck("year", columns.year, list(filters.years)))
    if filters.sections:
        coded = columns.coded["section_class"]
        codes = coded.code_of()
        allowed = np.array([codes[s] for s in filters.sections if s in codes], dtype=np.int64)
        found.append(Check("section", coded.codes, allowed))
    return found


@dataclass
class Split:
    """The matching docs sorted by which filters they fail."""

    by_region_failure: list   # docs failing no other filter, by first failing region level
    near: dict                # facet -> docs failing only that (year or section) filter

    def passing(self):
        """Return the docs that pass every filter, ascending."""
        return self.by_region_failure[NO_REGION_FAILURE]

    def for_level(self, level):
        """Return the docs a region level counts: all other filters pass, and the levels above it."""
        first = REGION_LEVELS.index(level)
        return np.concatenate(self.by_region_failure[first:])

    def for_facet(self, facet):
        """Return the docs the year or section facet counts."""
        return np.concatenate([self.passing(), self.near.get(facet, EMPTY)])


def split(docs, columns, filters):
    """Sort the docs by the filters they fail, for the filtered hits and every facet's counts."""
    docs = np.asarray(docs, dtype=np.int64)
    regions, others = region_checks(columns, filters), other_checks(columns, filters)
    if not regions and not others:
        return Split([EMPTY] * NO_REGION_FAILURE + [docs], {})
    first_failure = np.full(len(docs), NO_REGION_FAILURE)
    # Deepest level first, so the highest failing level is what remains.
    for check in reversed(regions):
        first_failure[~check.passes(docs)] = REGION_LEVELS.index(check.facet)
    failed = {check.facet: ~check.passes(docs) for check in others}
    failures = sum(failed.values(), np.zeros(len(docs), np.int64))
    clean = failures == 0
    buckets = [docs[clean & (first_failure == level)] for level in range(NO_REGION_FAILURE + 1)]
    regions_pass = first_failure == NO_REGION_FAILURE
    near = {facet: docs[(failures == 1) & fails & regions_pass] for facet, fails in failed.items()}
    return Split(buckets, near)


def tally(docs, values, reports):
    """Return (paragraph count, report count) per value over docs."""
    per_doc = values[docs].astype(np.int64)
    if not len(per_doc):
        return {}
    paragraphs = np.bincount(per_doc)
    found = np.flatnonzero(paragraphs)
    width = int(reports.max()) + 1
    pairs = per_doc * width + reports[docs]
    if len(paragraphs) * width <= PAIR_MASK_CELLS:
        # A mask over every (value, report) pair marks the distinct ones without sorting.
        seen = np.zeros(len(paragraphs) * width, bool)
        seen[pairs] = True
        distinct = np.flatnonzero(seen)
    else:
        distinct = np.unique(pairs)
    per_report = np.bincount(distinct // width, minlength=len(paragraphs))
    return {int(value): (int(paragraphs[value]), int(per_report[value])) for value in found}


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
    seen = np.zeros(len(columns.report.names), bool)
    seen[columns.report.codes[np.asarray(docs, dtype=np.int64)]] = True
    return int(np.count_nonzero(seen))
