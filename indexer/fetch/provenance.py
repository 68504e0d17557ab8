"""The provenance record the fetcher writes beside each raw page, as <stem>.meta.json.

It says where and when the page was fetched (url, final url, time, status, content type,
declared and detected encoding); the cleaner reads the URL and the declared encoding back.
"""
import json
from pathlib import Path

from indexer.jsonfile import write_json

SUFFIX = ".meta.json"


def provenance_path(page):
    """Return where the provenance record of a raw page lives."""
    page = Path(page)
    return page.with_name(page.stem + SUFFIX)


def read_record(path):
    """Return (record, warnings) of a provenance file; an empty record when absent or unreadable."""
    path = Path(path)
    if not path.is_file():
        return {}, []
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        return {}, [f"provenance {path.name} unreadable ({error}); ignored"]
    if not isinstance(record, dict):
        return {}, [f"provenance {path.name} is not a JSON object; ignored"]
    return record, []


def read_provenance(page):
    """Return (record, warnings) from the provenance of a raw page."""
    return read_record(provenance_path(page))


def write_record(path, record):
    """Write a provenance record whole or not at all."""
    write_json(path, record)
