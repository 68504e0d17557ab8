"""Facet filters and counts over the matching paragraphs, for every facet of model/registry.py.

Facets are disjunctive: the counts of a facet apply every other chosen filter but not its
own, so picking 浙江省 still shows how many hits 江苏省 would give. A hierarchy (the region)
is shown level by level: provinces; once one is picked, also the cities; then counties;
then townships. Each level's counts apply the choices above it, and none at or below it.
"""
import numpy as np

from model.registry import BY_NAME, FACETS, deeper, hierarchy_of

# Largest (value, report) mask tally() marks distinct pairs in; beyond it, a sort is cheaper.
PAIR_MASK_CELLS = 1 << 22


def selects(columns, field, choice, docs=None):
    """Return per document (all, or the given docs) whether a facet's or query field's choice takes it in."""
    found = None
    for facet in (BY_NAME[name] for name in field.facets):
        column = columns.facets[facet.name]
        taken = field.selects(column, choice, column.codes if docs is None else column.codes[docs])
        found = taken if found is None else found | taken
    return found


def tally(docs, column, reports, held=None):
    """Return (paragraph count, report count) per code of a column over docs, as two arrays.

    held (optional) is how many of the docs each report holds (report_paragraphs), shared by the facets counted
    over the same docs.
    """
    if not len(docs):
        return np.empty(0, np.int64), np.empty(0, np.int64)
    if column.per_report is not None:
        # A report's value: each report's paragraphs among the docs count under it, and the report once. One pass
        # over the reports (some 30,000 at 10^6 paragraphs), not over the docs (a common phrase's 300,000).
        held = report_paragraphs(docs, reports, len(column.per_report)) if held is None else held
        paragraphs = np.bincount(column.per_report, held).astype(np.int64)
        # As long as the highest code among the docs, as a count over the docs' own codes is.
        size = int(np.flatnonzero(paragraphs)[-1]) + 1
        return per_name(column, paragraphs[:size], np.bincount(column.per_report[held > 0], minlength=size)[:size])
    per_doc = column.codes[docs].astype(np.int64)
    paragraphs = np.bincount(per_doc)
    width = int(reports.max()) + 1
    pairs = per_doc * width + reports[docs]
    if len(paragraphs) * width <= PAIR_MASK_CELLS:
        # A mask over every (value, report) pair marks the distinct ones without sorting.
        seen = np.zeros(len(paragraphs) * width, bool)
        seen[pairs] = True
        distinct = np.flatnonzero(seen)
    else:
        distinct = np.unique(pairs)
    return paragraphs, np.bincount(distinct // width, minlength=len(paragraphs))


def report_paragraphs(docs, reports, count):
    """Return how many of the docs each of count reports holds (reports: each document's report code)."""
    return np.bincount(reports[docs], minlength=count)


def per_name(column, *counts):
    """Return counts per code as counts per name: the same, or for sets of names (column.members) each set's count
    added to every name it holds (a report citing two laws counts under both)."""
    if column.members is None:
        return counts
    sets = column.members.shape[0]
    return tuple(column.members.T @ np.pad(count, (0, sets - len(count))).astype(np.int64) for count in counts)


def shown(choices):
    """Return the facets to show: every facet, a hierarchy down to one below its deepest chosen level."""
    found = []
    for facet in (facet for facet in FACETS if facet.counted):
        levels = hierarchy_of(facet)
        chosen = [place for place, level in enumerate(levels) if level.name in choices]
        if levels.index(facet) <= max(chosen, default=-1) + 1:
            found.append(facet)
    return found


def grouped(rows_by_facet):
    """Return the facets object of a results object: a hierarchy as its levels, any other facet as its rows."""
    facets = {}
    for facet in FACETS:
        if facet.name not in rows_by_facet:
            continue
        if not facet.hierarchy:
            facets[facet.name] = rows_by_facet[facet.name]
            continue
        group = facets.setdefault(facet.hierarchy, {"levels": []})
        group["levels"].append({"level": facet.name, "values": rows_by_facet[facet.name]})
        group["level"], group["values"] = facet.name, rows_by_facet[facet.name]
    return facets


def copied(facets):
    """Return a copy of a facets object its caller may change without changing the original (rows are flat)."""
    rows = {}
    for name, value in facets.items():
        levels = value["levels"] if isinstance(value, dict) else [{"level": name, "values": value}]
        rows.update((level["level"], [dict(row) for row in level["values"]]) for level in levels)
    return grouped(rows)


def empty_facets():
    """Return the facets object of a search that matched nothing."""
    return grouped({facet.name: [] for facet in shown({})})


def apply(columns, choices, docs):
    """Filter the matching docs and count the facets; return (passing docs, facets object).

    choices maps facet names to their Choice, in force together (AND across facets).
    """
    docs = np.asarray(docs, dtype=np.int64)
    fails = {name: ~selects(columns, BY_NAME[name], choice, docs) for name, choice in choices.items()}
    failures = sum(fails.values(), np.zeros(len(docs), np.int64))
    passing = docs[failures == 0] if fails else docs
    rows = {}
    reports = columns.report.codes
    # How many passing paragraphs each report holds, worked out once for every facet counted over them.
    held = report_paragraphs(passing, reports, len(columns.report.names))
    for facet in shown(choices):
        ignored = [fails[other.name] for other in (facet, *deeper(facet)) if other.name in fails]
        counted = docs[(failures - sum(ignored)) == 0] if ignored else passing
        column = columns.facets[facet.name]
        # The column it counts by, worked out once per generation (the date facet's years of every paragraph).
        tallied = columns.cached(("tallied", facet.name), lambda _columns, facet=facet, column=column: facet.tallied(column))
        counts = tally(counted, tallied, reports, None if ignored else held)
        rows[facet.name] = facet.rows(counts, column, choices.get(facet.name))
    return passing, grouped(rows)


def report_count(columns, docs):
    """Return how many distinct reports the docs come from."""
    seen = np.zeros(len(columns.report.names), bool)
    seen[columns.report.codes[np.asarray(docs, dtype=np.int64)]] = True
    return int(np.count_nonzero(seen))
