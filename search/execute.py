"""Executing a Plan against one open generation: match, filter, count facets, rank, page, shape hits."""
import math
import time

import numpy as np

from model.report import REGION_LEVELS
from model.values import oldest_key

from . import facets
from .evaluate import match_docs, scores
from .nodes import Everything
from .spans import hit_spans, match_spans, snippet_window

# Hits folded under one that its folded_hits lists; its folded count says how many there are in all.
MAX_FOLDED_LISTED = 20


def page_of(docs, sort, columns, score, page, limit):
    """Return the docnums of one page in order (every document when limit is None).

    relevance: higher score first, then newer, then report and paragraph order;
    newest: newer first, by report year then publication date; oldest: older first; in both,
    a report without a date comes after the dated ones of its year, one without a year last;
    ties by report and paragraph.
    """
    docs = np.asarray(docs, dtype=np.int64)
    when = columns.when[docs]
    if sort == "relevance":
        first_key, second = -score, (-when,)
    elif sort == "newest":
        first_key, second = -when, ()
    else:
        first_key, second = oldest_key(when), ()
    wanted = len(docs) if limit is None else min(page * limit, len(docs))
    if 0 < wanted < len(docs):
        # Only what can reach the page is sorted in full: everything at or before the
        # wanted-th smallest first key (ties included, the full sort decides among them).
        bound = np.partition(first_key, wanted - 1)[wanted - 1]
        keep = first_key <= bound
        docs, first_key = docs[keep], first_key[keep]
        second = tuple(key[keep] for key in second)
    order = np.lexsort((columns.n[docs], columns.report.codes[docs], *second, first_key))
    if limit is not None:
        order = order[(page - 1) * limit:page * limit]
    return docs[order].tolist()


class Membership:
    """Whether a document is among those a match node selects; each node is answered once per search."""

    def __init__(self, arrays):
        self.arrays = arrays
        self.docs = {}

    def holds(self, node, doc):
        """Tell whether the node selects the document."""
        if isinstance(node, Everything):
            return True
        if node not in self.docs:
            self.docs[node] = match_docs(node, self.arrays)
        docs = self.docs[node]
        place = np.searchsorted(docs, doc)
        return bool(place < len(docs) and docs[place] == doc)

    def of(self, doc):
        """Return the holds() of one document, as the span finder asks it."""
        return lambda node: self.holds(node, doc)


def report_fields(report):
    """Return what a hit says of its report: title (and whether the cleaner composed it), issuer, level, region by
    level, year, publication date, 文号, source URL and whether its text was read by OCR."""
    return {"title": report.title, "title_composed": report.title_composed, "issuer": report.issuer,
            "level": report.level,
            "region": {level: (report.region or {}).get(level) or "" for level in REGION_LEVELS},
            "report_year": report.report_year or None, "pub_date": report.pub_date,
            "doc_number": report.doc_number, "source_url": (report.source or {}).get("url", ""), "ocr": report.ocr}


def paragraph_at(columns, doc):
    """Return where a document is (report id, paragraph number) with its report's fields."""
    report = columns.reports[columns.report.codes[doc]]
    return {"report_id": report.report_id, "n": int(columns.n[doc]), **report_fields(report)}


# A hit's reuse fields where nothing is known of its reuse (a backend without reuse data).
NO_REUSE_FIELDS = {"group": None, "earliest": None, "folded": 0, "folded_hits": []}


def reuse_fields(reuse, columns, doc, folding=None):
    """Return a hit's reuse fields: its group, the group's earliest paragraph, and the hits folded under it."""
    group = reuse.group_of(doc)
    folded = folding.folded(doc) if folding is not None else ()
    return {"group": reuse.group_id(group) if group >= 0 else None,
            "earliest": paragraph_at(columns, reuse.earliest(group)) if group >= 0 else None,
            "folded": len(folded), "folded_hits": [paragraph_at(columns, other) for other in folded[:MAX_FOLDED_LISTED]]}


def shape_hit(stored, report, compiled, holds=None):
    """Shape one stored paragraph and its report's metadata into a hit, with its match spans when holds is given."""
    text = stored["text"]
    title = report.title
    hit = {
        "report_id": stored["report_id"],
        "n": stored["n"],
        **report_fields(report),
        "section_class": stored.get("section_class", ""),
        "section_path": stored.get("section_path") or [],
        "heading": bool(stored.get("heading")),
        "text": text,
    }
    if holds is not None:
        spans = hit_spans(compiled.match, text, holds, compiled.needles)
        hit.update(spans=spans, snippet=snippet_window(text, spans),
                   title_spans=match_spans(title, compiled.title_needles))
    return hit


def empty_results(plan):
    """Return the results object of a plan before anything is matched."""
    return {
        "query": plan.text, "description": plan.description, "total": 0, "total_reports": 0, "distinct": 0,
        "fold": plan.fold, "page": plan.page, "pages": 0, "limit": plan.limit, "sort": plan.sort, "scope": plan.scope,
        "hits": [], "facets": facets.empty_facets(), "filters": plan.filters, "notices": list(plan.notices),
    }


def execute(plan, searcher, arrays, at_most=None, marks=True, report_id=None, browse=False, lazy=False):
    """Return the results object of a plan over one generation's searcher and arrays.

    at_most caps a whole-result plan (limit None) at that many hits, the first in order;
    marks=False leaves out match spans; report_id keeps only that report's paragraphs;
    browse runs a plan without text or filters over every paragraph; lazy=True gives the hits
    as an iterator, each read from the index when it is taken.
    """
    started = time.perf_counter()
    results = empty_results(plan)
    if plan.runs() or browse:
        run(plan, searcher, arrays, results, at_most, marks, report_id, lazy)
    results["notices"] = list(dict.fromkeys(results["notices"]))
    results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def first_of_each_report(docs, columns):
    """Return (the first of the sorted docs of each report, how many of the docs each report has)."""
    codes = columns.report.codes[docs]
    order = np.lexsort((docs, codes))
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1) != 0)
    return docs[order][starts], np.diff(np.append(starts, len(docs)))


def matching(plan, arrays, report_id=None):
    """Return (the documents a plan selects, ascending, as int64; the facet counts over its matches)."""
    compiled = plan.compiled
    docs = match_docs(compiled.match if compiled.match is not None else Everything(), arrays)
    if report_id is not None:
        docs = docs[np.isin(docs, arrays.of_reports([arrays.report_code(report_id)]))]
    passing, counted = facets.apply(arrays.columns, plan.choices, docs)
    return np.asarray(passing, dtype=np.int64), counted


def run(plan, searcher, arrays, results, at_most, marks, report_id, lazy=False):
    """Match, filter, count facets, fold, order and fetch one page into the results object."""
    columns = arrays.columns
    compiled = plan.compiled
    passing, results["facets"] = matching(plan, arrays, report_id)
    counts = folding = None
    if plan.scope == "title":
        # A title search finds reports: one row each, standing for its paragraphs that pass.
        results["total_paragraphs"] = len(passing)
        passing, counts = first_of_each_report(passing, columns)
        counts = dict(zip(passing.tolist(), counts.tolist()))
        results["fold"] = False
    else:
        folding = arrays.reuse.fold(passing)
    total = len(passing)
    # Folded, a page lists distinct texts: each group's earliest hit stands for the others.
    listed = folding.kept if folding is not None and plan.fold else passing
    limit = plan.limit
    results.update(total=total, total_reports=facets.report_count(columns, passing),
                   distinct=folding.distinct if folding is not None else total,
                   pages=(math.ceil(len(listed) / limit) if limit else 1) if total else 0)
    if total and plan.page > results["pages"]:
        results["notices"].append(f"第 {plan.page} 页超出范围：共 {results['pages']} 页。")
        return
    score = scores(compiled, listed, arrays, searcher) if plan.sort == "relevance" else None
    if limit is None and at_most is not None and len(listed) > at_most:
        results["notices"].append(f"共 {len(listed)} 条，只返回按当前排序的前 {at_most} 条。")
    shown = page_of(listed, plan.sort, columns, score, plan.page, at_most if limit is None else limit)
    hits = shaped_hits(shown, searcher, arrays, compiled, Membership(arrays) if marks else None, counts,
                       folding if results["fold"] else None)
    results["hits"] = hits if lazy else list(hits)


def shaped_hits(shown, searcher, arrays, compiled, membership, counts, folding):
    """Yield the hits of the shown docs in order, with match spans when membership is given, and their
    reuse fields (the hits folded under each from folding, when given)."""
    for doc in shown:
        fields = searcher.stored_fields(doc)
        hit = shape_hit(fields, arrays.report_of(fields["report_id"]), compiled,
                        membership.of(doc) if membership else None)
        hit.update(reuse_fields(arrays.reuse, arrays.columns, doc, folding))
        if counts is not None:
            hit["paragraphs"] = counts[doc]
        yield hit
