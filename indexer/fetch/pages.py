"""Fetched pages on disk: one file per URL in the output folder, its provenance record beside it.

A page is written first and its record second, each whole or not at all, and the page is
removed again when its record cannot be written: a record on disk means its page is
complete, which is how a later run knows not to fetch that URL again.
"""
import hashlib
import os
import re
from urllib.parse import unquote, urlsplit

from indexer.clean.encoding import decode_page
from indexer.clean.errors import BadPage
from model.jsonfile import write_bytes

from .provenance import SUFFIX, fetch_record, read_record, write_record

# Media types worth keeping, and the suffix the cleaner reads each by.
PAGE_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}
# The documents reports are published as, kept when a report's link leads to one.
DOCUMENT_SUFFIXES = {"application/pdf": ".pdf", "application/msword": ".doc",
                     "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx"}
DOCUMENT_NAMES = {".pdf": "PDF", ".doc": "DOC", ".docx": "DOCX"}
# Types servers send any download under: the URL's suffix then tells which document it is.
UNTYPED = frozenset({"", "application/octet-stream", "application/x-download", "application/download",
                     "application/force-download", "binary/octet-stream"})


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


def document_suffix(content_type, url):
    """Return the suffix of the document a response of this type from this URL is (.pdf, .docx, .doc), or ""."""
    media = media_type(content_type)
    if media in DOCUMENT_SUFFIXES:
        return DOCUMENT_SUFFIXES[media]
    suffix = os.path.splitext(unquote(urlsplit(url).path))[1].lower()
    return suffix if media in UNTYPED and suffix in DOCUMENT_NAMES else ""


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


def save_page(out, url, final_url, status, content_type, body, found=None, linked=None):
    """Write a fetched page or document and then its record (which marks it complete); return (path, record).

    linked: what the page that linked a document said of it (provenance.linked_from).
    """
    document = document_suffix(content_type, final_url)
    path = out / (page_stem(url) + (document or PAGE_SUFFIXES.get(media_type(content_type), ".html")))
    write_bytes(path, body)
    record = fetch_record(url, final_url, status, content_type, found)
    record.update(file=path.name, bytes=len(body))
    if document:
        record["document"] = DOCUMENT_NAMES[document]
        if linked:
            record["linked_from"] = linked
    else:
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


def save_notice(out, url, final_url, status, content_type, found, attachment):
    """Record a notice page whose report is its attachment, without keeping the page as a report of its own.

    attachment: the attachment's url and what the page said of it; a later crawl reading this
    record fetches the attachment when it has no record yet.
    """
    record = fetch_record(url, final_url, status, content_type, found)
    record["attachment"] = attachment
    write_record(out / (page_stem(url) + SUFFIX), record)
    return record


def save_skip(out, url, reason, final_url="", status=None, content_type="", found=None):
    """Record that url was deliberately not kept (too large, not a page), so later runs skip it too."""
    record = fetch_record(url, final_url or url, status, content_type, found)
    record["skipped"] = reason
    write_record(out / (page_stem(url) + SUFFIX), record)
