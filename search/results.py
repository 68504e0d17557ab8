"""The results object of a search, written once for every backend: counts and pages from what a
backend matched (search/backend.py's Matched), the notices of paging, and the hits of the page."""
import math
import time

from . import facets


def empty_results(plan):
    """Return the results object of a plan before anything is matched."""
    return {
        "query": plan.text, "description": plan.description, "total": 0, "total_reports": 0, "distinct": 0,
        "fold": plan.fold, "page": plan.page, "pages": 0, "limit": plan.limit, "sort": plan.sort, "scope": plan.scope,
        "group": plan.group, "match": plan.match,
        "hits": [], "facets": facets.empty_facets(), "filters": plan.filters, "notices": list(plan.notices),
    }


def window(plan, at_most=None):
    """Return (offset, count) of the hits a plan lists: its page, or (limit None) every hit up to at_most
    (count None: every one)."""
    if plan.limit is None:
        return 0, at_most
    return (plan.page - 1) * plan.limit, plan.limit


def execute(backend, plan, at_most=None, marks=True, report_id=None, browse=False, lazy=False):
    """Return the results object of a plan answered by a backend.

    at_most caps a whole-result plan (limit None) at that many hits, the first in order;
    marks=False leaves out match spans; report_id keeps only that report's paragraphs;
    browse runs a plan without text or filters over every paragraph; lazy=True gives the hits
    as the backend reads them (an export streams them, never holding them all).
    """
    started = time.perf_counter()
    results = empty_results(plan)
    if plan.runs() or browse:
        fill(results, plan, backend.match(plan, window(plan, at_most), report_id), at_most, marks, lazy)
    results["notices"] = list(dict.fromkeys(results["notices"]))
    results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
    return results


def fill(results, plan, found, at_most, marks, lazy):
    """Put a Matched's counts, facets, pages and (when the page exists) hits into the results object."""
    limit = plan.limit
    if found.total_paragraphs is not None:
        results["total_paragraphs"] = found.total_paragraphs
    results.update(facets=found.facets, total=found.total, total_reports=found.total_reports, distinct=found.distinct,
                   fold=found.folded, pages=(math.ceil(found.listed / limit) if limit else 1) if found.total else 0)
    if found.total and plan.page > results["pages"]:
        results["notices"].append(f"第 {plan.page} 页超出范围：共 {results['pages']} 页。")
    elif found.total:
        if limit is None and at_most is not None and found.listed > at_most:
            unit = "篇报告" if plan.by_report else "条"
            results["notices"].append(f"共 {found.listed} {unit}，只返回按当前排序的前 {at_most} {unit}。")
        hits = found.hits(marks)
        results["hits"] = hits if lazy else list(hits)
    found.amend(results)
