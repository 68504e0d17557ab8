"""What reuse data says about a report, a paragraph, a passage or a set of paragraphs, as plain data.

A passage is a group of near-identical texts (search/reuse.py) under its earliest: how many
reports print it, where and when it first appeared, and how it spread by province and year.
Who borrows from whom: a paragraph is borrowed when the earliest paragraph near-identical to
it (its own text or a near-identical one) lies in an earlier report; that report is its source.
"""
from collections import Counter

import numpy as np

from indexer.index.derive import sorted_distinct
from indexer.reuse.groups import distinct_pairs

from .execute import paragraph_at
from .hits import report_entry

# Near-identical paragraphs one paragraph's side-by-side view shows, earliest first.
MAX_SIMILAR = 50
# Passages the reuse view lists, and paragraphs of one passage its page lists.
MAX_PASSAGES = 20
MAX_MEMBERS = 500
# Sources a selection borrows from that the reuse view lists, with this many of their reports each.
MAX_SOURCES = 10
SOURCE_REPORTS = 3
# Provinces of a passage's spread shown before the rest are summed up.
SPREAD_PROVINCES = 8
UNKNOWN = "（未知）"


def doc_of(arrays, report_id, n):
    """Return the live document of paragraph n of a report, or None."""
    code = arrays.report_code(report_id)
    if code < 0:
        return None
    docs = arrays.of_reports([code])
    found = docs[arrays.columns.n[docs] == n]
    return int(found[0]) if len(found) else None


def report_reuse(arrays, report_id):
    """Return what a report shares: per paragraph number how many other reports hold a near-identical
    paragraph and how many of them came earlier; the paragraphs compared; the earlier reports it shares with."""
    reuse, columns = arrays.reuse, arrays.columns
    code = arrays.report_code(report_id)
    docs = arrays.of_reports([code]) if code >= 0 else np.empty(0, np.int64)
    paragraphs, sources = {}, Counter()
    compared = docs[reuse.doc_text[docs] >= 0]
    for doc in compared.tolist():
        reports = {int(columns.report.codes[other]): reuse.report_rank(other) for other, _ in reuse.similar(doc)}
        if not reports:
            continue
        earlier = [other for other, rank in reports.items() if rank < reuse.report_rank(doc)]
        paragraphs[int(columns.n[doc])] = {"reports": len(reports), "earlier": len(earlier)}
        sources.update(earlier)
    order = sorted(sources, key=lambda other: (-sources[other], other))
    return {"paragraphs": paragraphs, "compared": len(compared),
            "shared_earlier": sum(1 for found in paragraphs.values() if found["earlier"]),
            "sources": [dict(report_entry(columns.reports[other], columns.hit_fields(other)), paragraphs=sources[other])
                        for other in order]}


def similar_paragraphs(arrays, searcher, report_id, n):
    """Return a paragraph (with its text) and the near-identical paragraphs of other reports, earliest first."""
    doc = doc_of(arrays, report_id, n)
    if doc is None:
        return None
    reuse = arrays.reuse
    found = reuse.similar(doc)
    rank = reuse.report_rank(doc)
    group = reuse.group_of(doc)
    return {
        "paragraph": dict(paragraph_at(arrays.columns, doc), text=searcher.stored_fields(doc)["text"]),
        "total": len(found), "group": reuse.group_id(group) if group >= 0 else None,
        "similar": [dict(paragraph_at(arrays.columns, other), text=searcher.stored_fields(other)["text"],
                         similarity=round(similarity, 3), earlier=reuse.report_rank(other) < rank)
                    for other, similarity in found[:MAX_SIMILAR]],
    }


def spread(columns, docs):
    """Return how the reports of some documents spread: reports per province and per report year."""
    codes = sorted_distinct(columns.report.codes[docs])
    reports = [columns.reports[code] for code in codes.tolist()]
    provinces = Counter((report.region or {}).get("province") or UNKNOWN for report in reports)
    years = Counter(report.report_year for report in reports if report.report_year)
    return {"reports": len(reports), "provinces": provinces.most_common(SPREAD_PROVINCES),
            "other_provinces": sum(provinces.values()) - sum(count for _n, count in provinces.most_common(SPREAD_PROVINCES)),
            "years": sorted(years.items())}


def passage(arrays, searcher, group, selected=None):
    """Return one passage: its name, first appearance (with its text), its paragraphs and their spread,
    and how many of them (and of their reports) lie among the selected documents when given."""
    reuse, columns = arrays.reuse, arrays.columns
    first, docs = reuse.earliest(group), reuse.group_docs(group)
    found = {"group": reuse.group_id(group), "paragraphs": len(docs),
             "first": dict(paragraph_at(columns, first), text=searcher.stored_fields(first)["text"]),
             **spread(columns, docs)}
    if selected is not None:
        found.update(selected_paragraphs=len(selected), selected_reports=len(sorted_distinct(columns.report.codes[selected])))
    return found


def passages(arrays, searcher, docs, limit=MAX_PASSAGES):
    """Return the most reused passages among some documents: by how many of their reports print them,
    then by how many reports print them in all."""
    reuse, columns = arrays.reuse, arrays.columns
    groups = reuse.doc_group[docs]
    docs, groups = docs[groups >= 0], groups[groups >= 0]
    if not len(docs):
        return []
    named, selected = np.unique(distinct_pairs(groups, columns.report.codes[docs])[0], return_counts=True)
    earliest = reuse.rank[[reuse.earliest(group) for group in named.tolist()]]
    order = np.lexsort((earliest, -reuse.group_reports()[named], -selected))
    return [passage(arrays, searcher, group, docs[groups == group]) for group in named[order][:limit].tolist()]


def group_page(arrays, searcher, name):
    """Return one passage by its name, with every paragraph of it (earliest first) and its similarity to the first; None when unknown."""
    reuse = arrays.reuse
    group = reuse.group_by_id(name)
    if group < 0:
        return None
    docs = reuse.group_docs(group)
    similar = dict(reuse.similar(reuse.earliest(group)))
    members = [dict(paragraph_at(arrays.columns, doc), similarity=round(similar.get(doc, 1.0), 3))
               for doc in docs[:MAX_MEMBERS].tolist()]
    return dict(passage(arrays, searcher, group), members=members)


def borrowed_from(arrays, docs, limit=MAX_SOURCES):
    """Return whom the reports of some documents borrow from most: per source issuer the paragraphs borrowed.

    Each borrowed paragraph counts once, for the report of its source; a source issuer that is
    the borrower's own (an earlier year's report of the same government) is flagged own.
    """
    reuse, columns = arrays.reuse, arrays.columns
    docs = docs[reuse.doc_text[docs] >= 0]
    source = reuse.sources()[reuse.doc_text[docs]]
    codes, source_codes = columns.report.codes[docs], columns.report.codes[source]
    borrowed = (reuse.rank[source] < reuse.rank[docs]) & (source_codes != codes)
    tally, reports = Counter(), {}
    for code, source_code in zip(codes[borrowed].tolist(), source_codes[borrowed].tolist()):
        origin, borrower = columns.reports[source_code], columns.reports[code]
        key = (origin.issuer or origin.title, bool(origin.issuer) and origin.issuer == borrower.issuer)
        tally[key] += 1
        reports.setdefault(key, Counter())[source_code] += 1
    return {"compared": len(docs), "borrowed": int(borrowed.sum()),
            "sources": [{"issuer": issuer, "own": own, "paragraphs": count,
                         "reports": [report_entry(columns.reports[code], columns.hit_fields(code))
                                     for code, _ in reports[(issuer, own)].most_common(SOURCE_REPORTS)]}
                        for (issuer, own), count in tally.most_common(limit)]}
