"""The clean reports kept beside the index, one JSON file per report."""
import json
from pathlib import Path

from .report import Report

REPORTS_FOLDER = "reports"


def save_report(index_dir, report):
    """Write one clean report into the index folder's report store."""
    folder = Path(index_dir) / REPORTS_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{report.report_id}.json"
    path.write_text(json.dumps(report.to_dict(), ensure_ascii=False), encoding="utf-8")


def load_report(index_dir, report_id):
    """Return the clean report with this id, or None when there is none."""
    if not report_id or "/" in report_id or "\\" in report_id or report_id.startswith("."):
        return None
    path = Path(index_dir) / REPORTS_FOLDER / f"{report_id}.json"
    if not path.is_file():
        return None
    return Report.from_dict(json.loads(path.read_text(encoding="utf-8")))
