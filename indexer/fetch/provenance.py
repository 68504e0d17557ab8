"""The provenance record the fetcher writes beside each raw page, as <stem>.meta.json.

It says where and when the page was fetched (url, final url, time, status, content type,
declared and detected encoding) and, for a crawled report, where it was found: the list
page, the link's text and title, and the date the list shows (`found_on`). A report fetched
as a document (PDF, DOCX, DOC) says which (`document`) and, when a notice page linked it as
its 附件, that page: its url, title, publication date and issuer and the link's text
(`linked_from`); the notice page's own record names the attachment instead of a file
(`attachment`). The cleaner reads the page's URL, its declared encoding, the list's date and
the linking page's facts back through this module.
A page saved by a browser carries its URL in a `<!-- saved from url=(NNNN)… -->` line.
"""
import json
import re
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

from indexer.clean.encoding import charset_of
from model.jsonfile import write_json

SUFFIX = ".meta.json"
# The comment Internet Explorer, Edge and Chrome ("Save page as…") put on top of a saved
# page: the number in brackets is the URL's length.
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.I)
SAVED_FROM_WINDOW = 2048  # the comment sits on the first lines of the file
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


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


def fetch_record(url, final_url, status, content_type, found=None):
    """Return the record of one fetch: where from, when, and what the server said."""
    record = {
        "url": url, "final_url": final_url,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "status": status, "content_type": content_type,
        # The charset the HTTP header declared; a <meta> charset is found again when cleaning.
        "declared_encoding": charset_of(content_type),
        "detected_encoding": None,
    }
    if found:
        record["found_on"] = found
    return record


def found_on(list_url, text, title, date):
    """Return where a crawled report was found: the list page, the link's text and title, the list's date."""
    return {"list": list_url, "anchor": text, "title": title, "list_date": date}


def linking_facts(record):
    """Return what the link to a document said of it: the linking page's url, title, pub_date and issuer,
    else the list's title and date; only the known ones."""
    linked = record.get("linked_from")
    found = record.get("found_on")
    if isinstance(linked, dict):
        facts = {name: linked.get(name) for name in ("title", "pub_date", "issuer")}
        facts["url"] = web_url(linked.get("url"))
    elif isinstance(found, dict):
        facts = {"title": found.get("title") or found.get("anchor"), "pub_date": list_date(record)}
    else:
        facts = {}
    return {name: value.strip() for name, value in facts.items() if isinstance(value, str) and value.strip()}


def web_url(text):
    """Return text when it is an http(s) URL with a host, else "" (never a javascript: link)."""
    text = (text or "").strip() if isinstance(text, str) else ""
    parts = urlsplit(text)
    return text if parts.scheme.lower() in ("http", "https") and parts.hostname else ""


def page_url(record):
    """Return the URL a page was fetched from: its final URL after redirects, else the one asked for."""
    return web_url(record.get("final_url")) or web_url(record.get("url"))


def list_date(record):
    """Return the YYYY-MM-DD date the list showed beside a crawled report's link, or ""."""
    found = record.get("found_on")
    date = found.get("list_date") if isinstance(found, dict) else None
    return date if isinstance(date, str) and ISO_DATE.match(date) else ""


def saved_from_url(text):
    """Return the URL of a browser-saved page's `<!-- saved from url=(NNNN)… -->` line, or ""."""
    found = SAVED_FROM.search(text[:SAVED_FROM_WINDOW])
    return web_url(found.group(1)) if found else ""
