"""Turn one raw report page into a clean Report."""
from pathlib import Path

from .errors import BadPage
from .textpage import clean_text

__all__ = ["BadPage", "clean_file", "report_id_for"]


def report_id_for(path):
    """Return the stable id of the report read from path: its file name without suffix."""
    return Path(path).stem


def clean_file(path):
    """Read and clean one raw page, raising BadPage with the reason when it is unusable."""
    path = Path(path)
    data = path.read_bytes()
    if not data.strip():
        raise BadPage("empty file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise BadPage(f"not UTF-8 text ({error.reason} at byte {error.start})") from None
    report = clean_text(text, report_id_for(path))
    if not report.paragraphs:
        raise BadPage("no report text found")
    report.source = {"path": str(path)}
    return report
