"""What the index holds: its reports, and how many reports and paragraphs per year and province.

An empty query finds nothing by design, so the corpus page reads the cached columns instead.
"""
import numpy as np

from indexer.report import REGION_LEVELS
from indexer.schema import UNKNOWN


def first_docs(arrays):
    """Return [(first live document number, live paragraph count)] of each report."""
    docs = arrays.all_live()
    _codes, first, sizes = np.unique(arrays.columns.report.codes[docs], return_index=True, return_counts=True)
    return list(zip(docs[first].tolist(), sizes.tolist()))


def report_row(stored, paragraphs):
    """Shape a report's metadata, as stored on its paragraphs, into a plain dict."""
    return {
        "report_id": stored["report_id"],
        "title": stored.get("title", ""),
        "issuer": stored.get("issuer", ""),
        "region": {level: stored.get(level, "") for level in REGION_LEVELS},
        "report_year": stored.get("report_year") or None,
        "pub_date": stored.get("pub_date", ""),
        "paragraphs": paragraphs,
    }


def counts(reports, key):
    """Return [{value, reports, paragraphs}] per non-empty key of the reports."""
    rows = {}
    for report in reports:
        value = key(report)
        if value:
            row = rows.setdefault(value, {"value": value, "reports": 0, "paragraphs": 0})
            row["reports"] += 1
            row["paragraphs"] += report["paragraphs"]
    return list(rows.values())


def corpus_overview(searcher, arrays):
    """Return the reports of an index (newest year first) and their counts per year and province."""
    reports = [report_row(searcher.stored_fields(doc), size) for doc, size in first_docs(arrays)]
    reports.sort(key=lambda r: (-(r["report_year"] or UNKNOWN), r["region"]["province"], r["title"]))
    by_year = counts(reports, lambda r: str(r["report_year"] or ""))
    by_province = counts(reports, lambda r: r["region"]["province"])
    return {
        "reports": reports,
        "total_reports": len(reports),
        "total_paragraphs": sum(r["paragraphs"] for r in reports),
        "undated_reports": sum(1 for r in reports if not r["report_year"]),
        "by_year": sorted(by_year, key=lambda row: -int(row["value"])),
        "by_province": sorted(by_province, key=lambda row: (-row["reports"], -row["paragraphs"], row["value"])),
    }
