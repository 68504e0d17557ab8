"""Clean reports as JSON files: the clean corpus and the copy each index generation serves."""
import json
import os
from pathlib import Path

from .report import Report

REPORTS_FOLDER = "reports"


def write_json(path, data):
    """Write JSON atomically: a new file renamed over the old, never a half-written one.

    The rename also gives the path a new inode, so a hard-linked copy elsewhere keeps
    its own content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    partial.replace(path)


def read_json(path):
    """Return the JSON data of a file, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def read_report(path):
    """Return the Report stored at path, or None when it is missing or unreadable."""
    data = read_json(path)
    try:
        return Report.from_dict(data) if isinstance(data, dict) else None
    except (TypeError, KeyError):
        return None


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
