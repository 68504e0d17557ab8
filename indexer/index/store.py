"""Clean reports as JSON files: the clean corpus and the copy each index generation serves."""
from pathlib import Path

from indexer.jsonfile import write_json
from indexer.report import read_report

REPORTS_FOLDER = "reports"


def report_path(folder, report_id):
    """Return where a generation folder keeps the report it serves."""
    return Path(folder) / REPORTS_FOLDER / f"{report_id}.json"


def save_report(folder, report):
    """Write one clean report into a generation folder's report store."""
    write_json(report_path(folder, report.report_id), report.to_dict())


def load_report(folder, report_id):
    """Return the clean report with this id from a generation folder, or None."""
    if not report_id or "/" in report_id or "\\" in report_id or report_id.startswith("."):
        return None
    return read_report(report_path(folder, report_id))
