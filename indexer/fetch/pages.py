"""Fetched pages on disk: one file per URL in the output folder, its provenance record beside it.

A page is written first and its record second, each whole or not at all, and the page is
removed again when its record cannot be written: a record on disk means its page is
complete, which is how a later run knows not to fetch that URL again.
"""
import hashlib
import re
from urllib.parse import urlsplit

from indexer.clean.encoding import decode_page
from indexer.clean.errors import BadPage
from model.jsonfile import write_bytes

from .provenance import SUFFIX, fetch_record, read_record, write_record

# Media types worth keeping, and the suffix the cleaner reads each by.
PAGE_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}


def page_stem(url):
    """Return the stable file stem of a URL's page: <host>_<first 16 hex of sha1(url)>."""
    host = re.sub(r"[^a-z0-9.-]", "_", (urlsplit(url).hostname or "nohost").lower())
    return f"{host}_{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


def media_type(content_type):
    """Return the media type of a Content-Type header value, lower-cased, without parameters."""
    return (content_type or "").split(";")[0].strip().lower()


def is_page_type(content_type):
    """Tell whether a response of this Content-Type is a page to keep (no type at all may be one)."""
    media = media_type(content_type)
    return not media or media in PAGE_SUFFIXES


def earlier_fetch(out, url):
    """Return the provenance record of an earlier fetch of url into out, or None."""
    record, warnings = read_record(out / (page_stem(url) + SUFFIX))
    # A damaged record is no record: the URL is fetched again and a good one written.
    return record if record and not warnings else None


def earlier_reason(url, record):
    """Return why a URL fetched or skipped before is not fetched again."""
    if record.get("skipped"):
        return f"skipped earlier: {record['skipped']}"
    return f"already fetched ({page_stem(url)}{SUFFIX} exists)"


def save_page(out, url, final_url, status, content_type, body, found=None):
    """Write a fetched page and then its record (which marks it complete); return (path, record)."""
    path = out / (page_stem(url) + PAGE_SUFFIXES.get(media_type(content_type), ".html"))
    write_bytes(path, body)
    record = fetch_record(url, final_url, status, content_type, found)
    record.update(file=path.name, bytes=len(body))
    try:
        _, record["detected_encoding"] = decode_page(body, record["declared_encoding"],
                                                     is_html=path.suffix == ".html")
    except BadPage as error:
        record["decode_error"] = str(error)
    try:
        write_record(out / (page_stem(url) + SUFFIX), record)
    except OSError:  # a full disk: a page without its record would be indexed without its source
        path.unlink(missing_ok=True)
        raise
    return path, record


def save_skip(out, url, reason, final_url="", status=None, content_type="", found=None):
    """Record that url was deliberately not kept (too large, not a page), so later runs skip it too."""
    record = fetch_record(url, final_url or url, status, content_type, found)
    record["skipped"] = reason
    write_record(out / (page_stem(url) + SUFFIX), record)
