"""Turn one raw report page (HTML or text, in any Chinese encoding) into a clean Report."""
import re
from pathlib import Path

from indexer.fetch.provenance import list_date, page_url, read_provenance, saved_from_url

from .encoding import decode_page
from .errors import BadPage
from .textpage import clean_text

__all__ = ["BadPage", "MAX_PAGE_BYTES", "check_page_file", "clean_file", "report_id_for"]

HTML_SUFFIXES = frozenset({".html", ".htm"})
# The largest raw page read. Real reports run 10–200 KB of HTML; the largest government
# pages seen with inline images stay under 5 MB. Above this a file is a dump, an archive
# or an attack, and reading it whole (bytes, decoded text, parse tree) would cost some
# ten times its size in memory, so it is refused from its size alone.
MAX_PAGE_BYTES = 10 * 1024 * 1024
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
    if size > MAX_PAGE_BYTES:
        raise BadPage(f"too large: {size:,} bytes, above the limit of {MAX_PAGE_BYTES:,} (MAX_PAGE_BYTES)")


def clean_file(path):
    """Read and clean one raw page, raising BadPage with the reason when it is unusable."""
    path = Path(path)
    check_page_file(path)
    data = path.read_bytes()
    if not data.strip():
        raise BadPage("empty file")
    provenance, warnings = read_provenance(path)
    url = page_url(provenance)
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
    else:
        body, hints = text, ({"url": url} if url else {})
    report = clean_text(body, report_id_for(path), hints)
    if not report.paragraphs:
        raise BadPage("no report text found")
    # A crawled page that shows no date of its own takes the one its column's list showed.
    report.pub_date = report.pub_date or list_date(provenance)
    report.source = {"path": str(path), "url": url, "fetched_at": str(provenance.get("fetched_at") or "")}
    report.warnings.extend(warnings)
    return report
