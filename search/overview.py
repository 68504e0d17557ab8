"""What the index holds: its reports, how many reports and paragraphs per year and province, and
which reports go together (the same government's other years, the same place's other reports).

An empty query finds nothing by design, so the corpus page reads the cached columns instead.
"""
import numpy as np

from model.report import REGION_LEVELS
from model.text import normalize
from model.values import UNKNOWN


def report_sizes(arrays):
    """Return [(report code, live paragraph count)] of every report with a live paragraph."""
    sizes = np.bincount(arrays.columns.report.codes[arrays.all_live()], minlength=len(arrays.columns.reports))
    return [(code, int(size)) for code, size in enumerate(sizes.tolist()) if size]


def report_row(report, paragraphs):
    """Shape a report's id, metadata (a Report without paragraphs) and paragraph count into a plain dict."""
    return {
        "report_id": report.report_id,
        "title": report.title,
        "issuer": report.issuer,
        "region": {level: (report.region or {}).get(level) or "" for level in REGION_LEVELS},
        "report_year": report.report_year or None,
        "pub_date": report.pub_date,
        "level": report.level,
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


def report_rows(arrays):
    """Return the row (report_row) of every report with a live paragraph."""
    return [report_row(arrays.columns.reports[code], size) for code, size in report_sizes(arrays)]


def corpus_overview(arrays):
    """Return the reports of an index (newest year first) and their counts per year and province."""
    return overview_of(report_rows(arrays))


def overview_of(reports):
    """Return the overview of report rows (report_row): newest year first, counts per year and province."""
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


def deepest_place(row):
    """Return the name of a report's deepest region level, or ""."""
    names = [row["region"][level] for level in REGION_LEVELS if row["region"][level]]
    return names[-1] if names else ""


def related_reports(arrays, report_id):
    """Return the reports that go with one: the same issuer's other years, and other reports of its place and level.

    Each list is newest first; a report is in one list only.
    """
    return related_among(report_rows(arrays), report_id)


def related_among(rows, report_id):
    """Return the same issuer's other years and the same place's other reports among report rows (see related_reports)."""
    this = next((row for row in rows if row["report_id"] == report_id), None)
    if this is None:
        return {"same_issuer": [], "same_place": []}
    others = [row for row in rows if row["report_id"] != report_id]
    issuer = normalize(this["issuer"])
    same_issuer = [row for row in others if issuer and normalize(row["issuer"]) == issuer]
    place = deepest_place(this)
    same_place = [row for row in others if row not in same_issuer and place and deepest_place(row) == place
                  and row["level"] == this["level"]]
    return {"same_issuer": sorted(same_issuer, key=newest_first), "same_place": sorted(same_place, key=newest_first)}


def newest_first(row):
    """Order report rows by year, newest first, then by title."""
    return -(row["report_year"] or UNKNOWN), row["title"]
