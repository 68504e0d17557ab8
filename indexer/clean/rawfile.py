"""Turn one raw report file (an HTML or text page in any Chinese encoding, a PDF, DOCX or DOC) into a clean Report."""
import re
from pathlib import Path

from indexer.fetch.provenance import linking_facts, list_date, page_url, read_provenance, saved_from_url

from .documents import is_document, read_document
from .encoding import decode_page
from .errors import BadPage
from .level import government_level
from .metadata import place_of, title_issuer
from .datablob import article_in_scripts
from .textpage import MIN_REPORT_CHINESE_CHARS, chinese_count, clean_text

__all__ = ["BadPage", "MAX_PAGE_BYTES", "check_page_file", "clean_file", "report_id_for"]

HTML_SUFFIXES = frozenset({".html", ".htm"})
# The largest raw page read. Real reports run 10–200 KB of HTML; the largest government
# pages seen with inline images stay under 5 MB. Above this a file is a dump, an archive
# or an attack, and reading it whole (bytes, decoded text, parse tree) would cost some
# ten times its size in memory, so it is refused from its size alone.
MAX_PAGE_BYTES = 10 * 1024 * 1024
# What the page or list that linked a document may give its report when the file does not.
LINKED_FIELDS = ("title", "pub_date", "issuer")
# The largest document read: a report of 60 pages scanned at 300 dpi is some 30 MB.
MAX_DOCUMENT_BYTES = 64 * 1024 * 1024
# Characters a report id (the file name) cannot hold: it is the path of the report's
# link, /report/<id>#p-<n>, where # and ? would end the path and % would be decoded.
UNLINKABLE = re.compile(r"[#?%\x00-\x1f\x7f]")
# A page cut off in transfer (a dropped connection, a full disk) ends before its closing
# tags. What it holds is still indexed, with a warning that the report may be incomplete.
HTML_END = re.compile(r"</(?:html|body)\s*>", re.I)
TRUNCATED_WARNING = "页面不完整：没有 </body> 或 </html> 结尾（可能下载中断），只索引了已有的文字"


def report_id_for(path):
    """Return the stable id of the report read from path: its file name without suffix."""
    return Path(path).stem


def check_page_file(path):
    """Raise BadPage when a raw page's name or size rules it out, before reading any of it."""
    name = Path(path).name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        # A name the file system gave as undecodable bytes cannot be stored in JSON or linked.
        raise BadPage(f"file name is not valid UTF-8 ({ascii(name)})") from None
    if name.startswith("."):
        raise BadPage("hidden file (name starts with '.'), whose report could not be linked")
    if UNLINKABLE.search(report_id_for(path)):
        raise BadPage("file name holds #, ?, % or a control character, which a report link cannot carry")
    size = Path(path).stat().st_size
    limit, name = (MAX_DOCUMENT_BYTES, "MAX_DOCUMENT_BYTES") if is_document(Path(path)) else (MAX_PAGE_BYTES,
                                                                                            "MAX_PAGE_BYTES")
    if size > limit:
        raise BadPage(f"too large: {size:,} bytes, above the limit of {limit:,} ({name})")


def clean_file(path):
    """Read and clean one raw page, raising BadPage with the reason when it is unusable."""
    path = Path(path)
    check_page_file(path)
    data = path.read_bytes()
    if not data.strip():
        raise BadPage("empty file")
    provenance, warnings = read_provenance(path)
    url = page_url(provenance)
    if is_document(path):
        return clean_document(path, data, provenance, url, warnings)
    is_html = path.suffix.lower() in HTML_SUFFIXES
    text, encoding = decode_page(data, provenance.get("declared_encoding"), is_html=is_html)
    if is_html and not url:
        url = saved_from_url(text)  # a page saved from a browser names where it came from
    if is_html and not HTML_END.search(text):
        warnings.append(TRUNCATED_WARNING)
    replaced = text.count("\ufffd")
    if replaced:
        warnings.append(f"页面有 {replaced} 个字节无法解码，已替换（按 {encoding} 读取）")
    if is_html:
        # Imported here: BeautifulSoup and lxml take a tenth of a second to load, which a
        # rebuild that finds nothing to clean need not pay.
        from .htmlpage import extract
        page = extract(text, url or None)
        # The text pipeline reads a page the way the seeds are dumped: title line on top, under
        # the metadata table's labels and values (whose fields the chrome stage keeps).
        body, hints = "\n".join([*page.metadata, page.title, *page.lines]), page.hints
        shown = chinese_count("".join(page.lines))
        data_page = article_in_scripts(text) if shown < MIN_REPORT_CHINESE_CHARS else ""
        if data_page:
            # A page a script renders shows no article until it runs: the article is in its data, whose
            # title is the article's own (the shell's <title> names the site).
            body, hints = data_page, {key: value for key, value in hints.items() if key != "title"}
    else:
        body, hints = text, ({"url": url} if url else {})
    report = clean_text(body, report_id_for(path), hints)
    return finish(report, path, url, provenance, warnings)


def fill_in(report, linked):
    """Give a document's report the title, date and issuer its linking page or list gave, where it found none."""
    for name in LINKED_FIELDS:
        if linked.get(name) and (not getattr(report, name) or name == "title" and report.title_composed):
            setattr(report, name, linked[name])
            report.title_composed = report.title_composed and name != "title"


def finish(report, path, url, provenance, warnings):
    """Complete a clean report with the list's date, its source and the warnings of reading it."""
    if not report.paragraphs:
        raise BadPage("no report text found")
    # A crawled page that shows no date of its own takes the one its column's list showed.
    report.pub_date = report.pub_date or list_date(provenance)
    report.source = {"path": str(path), "url": url, "fetched_at": str(provenance.get("fetched_at") or "")}
    report.warnings.extend(warnings)
    return report


def prefer_typed_issuer(report):
    """Give a report read by OCR the issuer its typed title names when the OCR-read one names another place.

    A scan's signature is read by OCR like the rest (嘉善县 as 带善只), and the signature comes
    first among the issuer's sources; the title the link gave was typed.
    """
    named = title_issuer(report.title)
    if named and place_of(named) not in report.issuer:
        report.issuer = named
        report.level = government_level(report.issuer, report.region, report.paragraphs)


def clean_document(path, data, provenance, url, warnings):
    """Clean a document file: its own text first, the page or list that linked it filling in what it lacks."""
    document = read_document(path, data)
    linked = linking_facts(provenance)
    # Read by OCR, the title line may be misread: the title the link was typed under is preferred.
    hints = {"url": url, "title": linked.get("title", "")} if document.ocr else {"url": url}
    report = clean_text("\n".join(document.paragraphs), report_id_for(path), hints)
    fill_in(report, linked)
    if document.ocr:
        prefer_typed_issuer(report)
    report.ocr = document.ocr
    report = finish(report, path, url, provenance, warnings + document.warnings)
    report.source.update(kind=document.kind, **({"linked_from": linked["url"]} if linked.get("url") else {}))
    return report
