"""A search's every hit as CSV (for Excel) or JSON, with absolute links to the paragraphs."""
import csv
import io
import re
from datetime import date
from urllib.parse import quote

from indexer.report import REGION_LEVELS

from .state import report_url

CSV_COLUMNS = ("report_id", "n", "title", "issuer", "province", "city", "county", "township",
               "report_year", "pub_date", "section_class", "text", "url",
               "reuse_group", "earliest_report_id", "earliest_n", "earliest_url")
# Excel reads a CSV as the local ANSI code page unless it starts with a UTF-8 byte order mark.
CSV_ENCODING = "utf-8-sig"
# Characters a file name must not hold on Windows, macOS or Linux, and control characters.
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# A cell starting with one of these runs as a formula in Excel; a scraped page must not get to.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# The CSV columns holding page text, where such a cell could come from.
TEXT_COLUMNS = ("title", "issuer", "province", "city", "county", "township", "section_class", "text")
# Longest part of the query kept in a file name.
NAME_QUERY_CHARS = 30


def exported_hit(hit, base_url):
    """Return one hit with its report metadata, paragraph text and absolute link, and its reuse: its group
    of near-identical paragraphs and the earliest of them (its likely source), with its link."""
    # Reuse fields are additive: a hit without them (another backend's) exports none.
    earliest = hit.get("earliest")
    return {
        "report_id": hit["report_id"], "n": hit["n"], "title": hit["title"], "issuer": hit["issuer"],
        "region": hit["region"], "report_year": hit["report_year"], "pub_date": hit["pub_date"],
        "section_class": hit["section_class"], "section_path": hit["section_path"],
        "heading": hit["heading"], "text": hit["text"],
        "url": report_url(base_url.rstrip("/"), hit["report_id"], n=hit["n"]),
        "reuse_group": hit.get("group"),
        "earliest": earliest and {"report_id": earliest["report_id"], "n": earliest["n"], "title": earliest["title"],
                                  "issuer": earliest["issuer"], "pub_date": earliest["pub_date"],
                                  "url": report_url(base_url.rstrip("/"), earliest["report_id"], n=earliest["n"])},
    }


def json_hits(hits, base_url):
    """Return the hits as the JSON export's list."""
    return [exported_hit(hit, base_url) for hit in hits]


def inert(cell):
    """Return a text cell that Excel shows as text: a leading formula character gets a quote before it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_bytes(hits, base_url):
    """Return the hits as CSV bytes in UTF-8 with a byte order mark, one row per hit."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for hit in json_hits(hits, base_url):
        row = dict(hit, **{level: hit["region"].get(level, "") for level in REGION_LEVELS})
        earliest = hit["earliest"] or {}
        row.update(reuse_group=hit["reuse_group"] or "", earliest_report_id=earliest.get("report_id", ""),
                   earliest_n=earliest.get("n", ""), earliest_url=earliest.get("url", ""))
        row["report_year"] = row["report_year"] or ""
        writer.writerow(dict(row, **{name: inert(row[name]) for name in TEXT_COLUMNS}))
    return out.getvalue().encode(CSV_ENCODING)


def export_name(query, extension, today=None):
    """Return the download's file name, e.g. 法治报告检索-枫桥经验-2024-05-01.csv."""
    words = UNSAFE_NAME.sub(" ", query).strip()[:NAME_QUERY_CHARS].strip()
    parts = ["法治报告检索", words or "全部", (today or date.today()).isoformat()]
    return "-".join(parts) + "." + extension


def attachment(query, extension, today=None):
    """Return the Content-Disposition of a download: the Chinese name (RFC 6266), an ASCII one for old clients."""
    fallback = f"search-results-{(today or date.today()).isoformat()}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(export_name(query, extension, today))}"
