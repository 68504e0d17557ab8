"""What a backend holds: its reports, how many reports and paragraphs per year and province, and
which reports go together (the same government's other years, the same place's other reports).

Made from the overview rows of its reports (Backend.report_rows); an empty query finds nothing
by design, so the embedded index gives them from its cached columns.
"""
import numpy as np

from model.report import REGION_LEVELS
from model.text import normalize
from model.values import UNKNOWN

from .hits import copy, report_entry


def report_sizes(arrays):
    """Return [(report code, live paragraph count)] of every report with a live paragraph."""
    sizes = np.bincount(arrays.columns.report.codes[arrays.all_live()], minlength=len(arrays.columns.reports))
    return [(code, int(size)) for code, size in enumerate(sizes.tolist()) if size]


def overview_row(report, paragraphs, fields=None):
    """Return a report (a Report without paragraphs) as the overview lists it: as hits name it (its fields, when
    kept), with its paragraph count."""
    return dict(report_entry(report, fields), paragraphs=paragraphs)


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
    """Return the overview row of every report with a live paragraph, worked out once per generation (copies)."""
    def rows(columns):
        """Return the overview rows of the generation."""
        return [overview_row(columns.reports[code], size, columns.hit_fields(code)) for code, size in report_sizes(arrays)]
    return [copy(row) for row in arrays.columns.cached("overview_rows", rows)]


def overview_of(reports):
    """Return the overview of report rows (overview_row): newest year first, counts per year and province."""
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


def related_among(rows, report_id):
    """Return the reports that go with one among report rows: the same issuer's other years, and other reports of
    its place and level. Each list is newest first; a report is in one list only."""
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
