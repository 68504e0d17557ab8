"""A search's every hit as CSV or an Excel workbook (Chinese headers) or JSON, with links and citations.

The columns are the registry's hit fields (model/registry.py's HIT_FIELDS: the title, every
facet, the source's address, each under its label), then the paragraph, its links, citation
and reuse: a field added to the registry is exported by all three. Grouped by report, a row is a
report: the registry's fields of a report, then its link, how many of its paragraphs match, their
numbers and links, and the text of its first match. CSV and JSON are written
as a stream of pieces, a batch of hits each, so that an export of 20,000 paragraphs is never
held whole; the workbook, a zip, is written in openpyxl's write-only mode and sent when done.
ExportSlots bounds how many exports run at once. A cell from a page, a file name or the query is
text in both tables, never a formula: typed as text in the workbook (text_cell), after an
apostrophe in the CSV (inert), which has no types.
"""
import csv
import io
import json
import re
import threading
from dataclasses import dataclass
from functools import cache
from itertools import islice
from urllib.parse import quote

from model.registry import HIT_FIELDS
from search.hits import hit_keys, report_keys, value_in
from search.params import MATCH_NOTES

from .citation import citation
from .dates import beijing_today
from .state import report_url

# Excel reads a CSV as the local ANSI code page unless it starts with a UTF-8 byte order mark.
CSV_ENCODING = "utf-8-sig"
# Characters a file name must not hold on Windows, macOS or Linux, and control characters.
UNSAFE_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')
# A text cell starting with one of these runs as a formula in Excel; a scraped page must not get to.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Text starting so may be one of Excel's error values (#N/A), which openpyxl writes as an error cell.
ERROR_START = "#"
# Longest part of the query kept in a file name.
NAME_QUERY_CHARS = 30
# Hits written per piece of a streamed export: pieces of some 100 KB.
BATCH_HITS = 200
# Exports one server process runs at once: an export takes a core for a second or more,
# and searches must keep theirs. A further export waits for its turn, up to
# EXPORT_WAIT_SECONDS, then is answered 503; beyond EXPORT_QUEUE waiting ones it is answered
# 503 at once, since each waiting request holds one of the process's threads (gunicorn.conf.py).
EXPORT_SLOTS = 1
EXPORT_WAIT_SECONDS = 60.0
EXPORT_QUEUE = 24
# The workbook's sheets, and the width of its columns in characters (the paragraph and citation wide).
SHEET_TITLE = "检索结果"
ABOUT_TITLE = "检索条件"
WIDE_COLUMNS = {"text": 80, "citation": 60, "section_path": 30, "title": 30, "first_text": 80, "paragraph_urls": 50}
NARROW_WIDTH = 12
# The workbook's columns of addresses, written as links a click opens.
LINK_COLUMNS = ("url", "source_url", "earliest_url")
LINK_STARTS = ("http://", "https://")
# Excel reads at most 65,530 links in a sheet and calls a workbook with more damaged; past this, addresses
# are text (an export of 20,000 hits has at most 60,000).
MAX_SHEET_LINKS = 65000


@dataclass(frozen=True)
class Column:
    """One column of a tabular export: the key of its cell in an exported hit, and the header a reader sees."""

    key: str
    header: str


# The columns after the registry's fields: the paragraph, its link and citation, its report's id, and its
# reuse (the group of near-identical paragraphs, empty when no other report holds one, and its earliest).
PARAGRAPH_COLUMNS = (
    Column("section_path", "所在标题"), Column("n", "段落序号"), Column("text", "段落文本"), Column("url", "段落链接"),
    Column("citation", "引用"), Column("report_id", "报告编号"),
    Column("reuse_group", "相似段落组"), Column("earliest_title", "最早出处"), Column("earliest_url", "最早出处链接"),
)


# The columns of an export grouped by report after the registry's fields of a report: its id and link, how many of
# its paragraphs match, their numbers and their links (in reading order), and its first match in the export's order.
REPORT_COLUMNS = (
    Column("report_id", "报告编号"), Column("url", "报告链接"), Column("paragraphs", "匹配段落数"),
    Column("numbers", "匹配段落序号"), Column("paragraph_urls", "匹配段落链接"), Column("first_text", "首条匹配段落"),
)
# How a list is written in one cell: a heading path with arrows, paragraph numbers with 、, links one per line.
JOINED = {"section_path": " › ", "numbers": "、", "paragraph_urls": "\n"}
# Excel holds at most 32,767 characters in a cell (and calls a longer one damage): a longer list is cut.
MAX_CELL_CHARS = 32_767


def cell_key(field):
    """Return the key of a registry field's cell in a table row: a hierarchy's level by its own name."""
    return field.name if field.hierarchy else field.key


def exported_fields(grouped=False):
    """Return the registry's fields an export holds: every hit field, or (grouped by report) those of a report."""
    return tuple(field for field in HIT_FIELDS if field.source.per_report or not grouped)


def columns(grouped=False):
    """Return the columns of the CSV and the workbook, in order: the registry's hit fields, then the paragraph's
    (grouped by report: the registry's fields of a report, then the report's)."""
    return (*(Column(cell_key(field), field.label) for field in exported_fields(grouped)),
            *(REPORT_COLUMNS if grouped else PARAGRAPH_COLUMNS))


def reuse_cells(hit, site):
    """Return an exported hit's reuse: its group and its group's earliest paragraph (its likely source) with
    its link; empty for a hit without reuse fields (another backend's)."""
    earliest = hit.get("earliest") or {}
    return {"reuse_group": hit.get("group") or "", "earliest_report_id": earliest.get("report_id", ""),
            "earliest_n": earliest.get("n", ""), "earliest_title": earliest.get("title", ""),
            "earliest_url": report_url(site, earliest["report_id"], n=earliest["n"]) if earliest else ""}


def exported_hit(hit, site, today, keys):
    """Return one hit with its registry fields (their keys in a hit: search/hits.py's hit_keys), paragraph text,
    absolute link, citation and reuse."""
    link = report_url(site, hit["report_id"], n=hit["n"])
    return {
        "report_id": hit["report_id"], "n": hit["n"], **{key: hit.get(key) for key in keys},
        "section_path": hit["section_path"], "heading": hit["heading"], "text": hit["text"], "url": link,
        "citation": citation(hit, today.isoformat(), link, hit["n"]),
        **reuse_cells(hit, site),
    }


def exported_report(row, site, keys):
    """Return one report of results grouped by report with its registry fields (their keys: search/hits.py's
    report_keys), absolute link, count, its matching paragraphs' numbers and links, and its first match's text."""
    return {
        "report_id": row["report_id"], **{key: row.get(key) for key in keys}, "url": report_url(site, row["report_id"]),
        "paragraphs": row["paragraphs"], "numbers": row["numbers"],
        "paragraph_urls": [report_url(site, row["report_id"], n=n) for n in row["numbers"]],
        "first_text": row["matches"][0]["text"] if row["matches"] else "",
    }


def json_hits(hits, base_url, today=None, grouped=False):
    """Return the hits (grouped: the reports) as the JSON export's list."""
    site = base_url.rstrip("/")
    if grouped:
        keys = report_keys()
        return [exported_report(row, site, keys) for row in hits]
    keys, today = hit_keys(), today or beijing_today()
    return [exported_hit(hit, site, today, keys) for hit in hits]


def batches(items, size=BATCH_HITS):
    """Yield lists of up to size items from an iterable."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def with_nulls(value):
    """Return an exported value with null for every missing one ("" in a table's cell), in dicts as well."""
    if isinstance(value, dict):
        return {key: with_nulls(inner) for key, inner in value.items()}
    return None if value == "" else value


def json_pieces(hits, base_url, grouped=False):
    """Yield the JSON export, a list of hits (grouped: of reports; null for a value the report does not give), as
    UTF-8 pieces of BATCH_HITS each."""
    today = beijing_today()
    yield b"["
    separator = ""
    for batch in batches(hits):
        # Flask's JSON settings: keys sorted, no spaces, Chinese as itself.
        listed = json.dumps([with_nulls(hit) for hit in json_hits(batch, base_url, today, grouped)], ensure_ascii=False,
                            sort_keys=True, separators=(",", ":"))
        yield (separator + listed[1:-1]).encode("utf-8")
        separator = ","
    yield b"]\n"


@cache
def refused_characters():
    """Return the pattern of the characters openpyxl refuses in a cell (control characters but tab and line breaks)."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE  # openpyxl loaded by the first export
    return ILLEGAL_CHARACTERS_RE


def sheet_value(cell):
    """Return a cell's value fit for a spreadsheet: text without the control characters a workbook cannot hold.

    The cleaner removes them where text enters (indexer/clean/), but an index built before it
    did, or any stored value, must still export rather than fail the whole workbook.
    """
    return refused_characters().sub("", cell) if isinstance(cell, str) else cell


def runs_as_formula(cell):
    """Tell whether a spreadsheet would read a text cell as a formula (or an error value) rather than as text."""
    return isinstance(cell, str) and (cell.startswith(FORMULA_STARTS) or cell.startswith(ERROR_START))


def inert(cell):
    """Return a CSV cell as a spreadsheet must show it: text it would run as a formula gets a quote before it
    (a CSV has no types; the workbook types such a cell as text instead: text_cell)."""
    return "'" + cell if runs_as_formula(cell) else cell


def text_cell(sheet, cell):
    """Return a workbook cell as a spreadsheet must show it: text it would run as a formula typed as text, with the
    quote prefix Excel keeps when the cell is edited (shown nowhere); any other value as it is."""
    if not runs_as_formula(cell):
        return cell
    from openpyxl.cell import WriteOnlyCell

    typed = WriteOnlyCell(sheet, value=cell)
    typed.data_type = "s"  # openpyxl types text starting with = as a formula and #N/A as an error
    typed.quotePrefix = True
    return typed


def field_cell(field, hit):
    """Return a registry field's cell of an exported hit: its value as a page shows it (a level's label), "" for none."""
    value = value_in(hit, field)
    return "" if value is None else field.display(value)


def joined(values, separator):
    """Return a list as one cell's text, cut at the last whole item that fits in MAX_CELL_CHARS, saying so."""
    text = separator.join(map(str, values))
    if len(text) <= MAX_CELL_CHARS:
        return text
    note = f"{separator}……（共 {len(values)} 项，其余见报告链接）"
    return text[:MAX_CELL_CHARS - len(note)].rsplit(separator, 1)[0] + note


def table_row(hit, listed, fields):
    """Return the values of an exported hit (or report) in the order of the listed columns, as a reader reads them
    (text without the characters a workbook refuses: sheet_value); fields are the registry's, each with the key of
    its cell (cell_key)."""
    cells = dict(hit, **{key: joined(hit[key], separator) for key, separator in JOINED.items() if key in hit})
    for key, field in fields:
        cells[key] = field_cell(field, hit)
    return [sheet_value(cells[column.key]) for column in listed]


def table_rows(hits, base_url, grouped=False):
    """Yield the header row, then a row per hit (grouped: per report), in batches of BATCH_HITS (one list of rows each)."""
    listed, fields = columns(grouped), [(cell_key(field), field) for field in exported_fields(grouped)]
    yield [[column.header for column in listed]]
    today = beijing_today()
    for batch in batches(hits):
        yield [table_row(hit, listed, fields) for hit in json_hits(batch, base_url, today, grouped)]


def csv_pieces(hits, base_url, grouped=False):
    """Yield the CSV export in UTF-8 with a byte order mark, one row per hit (grouped: per report), BATCH_HITS rows
    a piece."""
    out = io.StringIO()
    writer = csv.writer(out)
    for number, rows in enumerate(table_rows(hits, base_url, grouped)):
        out.seek(0)
        out.truncate()
        writer.writerows([inert(cell) for cell in row] for row in rows)
        # The byte order mark before the header row only.
        yield out.getvalue().encode(CSV_ENCODING if number == 0 else "utf-8")


def csv_bytes(hits, base_url):
    """Return the hits as CSV bytes in UTF-8 with a byte order mark, one row per hit."""
    return b"".join(csv_pieces(hits, base_url))


class SheetLinks:
    """Makes a workbook's address cells links a click opens, up to MAX_SHEET_LINKS in a sheet."""

    def __init__(self, sheet):
        """Start counting the links of one write-only sheet."""
        self.sheet, self.made = sheet, 0

    def cell(self, value):
        """Return an address as a link cell (styled as links are); once the sheet holds enough, or for a value that is
        no address, the cell text_cell makes."""
        from openpyxl.cell import WriteOnlyCell

        if not (isinstance(value, str) and value.startswith(LINK_STARTS)) or self.made >= MAX_SHEET_LINKS:
            return text_cell(self.sheet, value)
        self.made += 1
        cell = WriteOnlyCell(self.sheet, value=value)
        cell.hyperlink = value
        cell.style = "Hyperlink"
        return cell


def xlsx_pieces(hits, base_url, about=(), grouped=False):
    """Yield the Excel workbook of the hits (grouped: of the reports) as one piece: a sheet of them (Chinese headers,
    text kept as text, addresses as links, a filter on every column) and a sheet saying what was searched (about:
    (label, value) rows)."""
    from openpyxl import Workbook  # loaded by the one request that needs it
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET_TITLE)
    listed = columns(grouped)
    for place, column in enumerate(listed, 1):
        sheet.column_dimensions[get_column_letter(place)].width = WIDE_COLUMNS.get(column.key, NARROW_WIDTH)
    sheet.freeze_panes = "A2"
    links = SheetLinks(sheet)
    linked = [place for place, column in enumerate(listed) if column.key in LINK_COLUMNS]
    written = 0
    for rows in table_rows(hits, base_url, grouped):
        for row in rows:
            if written:
                row = [links.cell(cell) if place in linked else text_cell(sheet, cell) for place, cell in enumerate(row)]
            sheet.append(row)
            written += 1
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(listed))}{written}"
    if about:
        described = book.create_sheet(ABOUT_TITLE)
        described.column_dimensions["A"].width, described.column_dimensions["B"].width = 14, 90
        about_links = SheetLinks(described)
        exported = ("导出的报告", f"{written - 1} 篇") if grouped else ("导出的段落", f"{written - 1} 段")
        for label, value in [*about, (exported[0], f"{exported[1]}，见“{SHEET_TITLE}”表")]:
            described.append([label, about_links.cell(sheet_value(value))])
    out = io.BytesIO()
    book.save(out)
    yield out.getvalue()


def about_rows(results, chips, sort, search_url, when):
    """Return what the workbook's 检索条件 sheet says of the search: (label, value) rows.

    results is the search's results object, chips the filters as a page shows them, sort its label,
    search_url the results page's address, when the time of the export as a reader reads it.
    """
    return [
        ("检索式", results["query"] or "（无，只按筛选条件）"),
        ("检索说明", results["description"] or "（无）"),
        ("匹配方式", MATCH_NOTES[results["match"]]),
        ("筛选条件", "；".join(chips) or "（无）"),
        ("排序", sort),
        ("命中", f"{results['total']} 个段落，来自 {results['total_reports']} 篇报告；"
                 + ("按报告分组，每篇报告一行，列出它的全部匹配段落" if results.get("group") == "report"
                    else "相似段落不折叠，每段一行")),
        ("检索网址", search_url),
        ("导出时间", when),
    ]


def export_name(query, extension, today=None):
    """Return the download's file name, dated in Beijing time, e.g. 法治报告检索-枫桥经验-2024-05-01.csv."""
    words = safe_name(query)[:NAME_QUERY_CHARS].strip()
    parts = ["法治报告检索", words or "全部", (today or beijing_today()).isoformat()]
    return "-".join(parts) + "." + extension


def download_disposition(name, fallback):
    """Return the Content-Disposition of a download named name (RFC 6266), with an ASCII fallback for old clients."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def safe_name(text):
    """Return text fit for a file name on Windows, macOS and Linux: unsafe characters made spaces, trimmed."""
    return UNSAFE_NAME.sub(" ", text).strip()


def attachment(query, extension, today=None):
    """Return the Content-Disposition of an export: the Chinese name, an ASCII one for old clients."""
    fallback = f"search-results-{(today or beijing_today()).isoformat()}.{extension}"
    return download_disposition(export_name(query, extension, today), fallback)


class ExportsBusy(RuntimeError):
    """Every export slot stayed taken for the whole wait; the message says so in Chinese."""


class ExportSlots:
    """At most `slots` exports at once in this process; up to `queue` more wait, each at most `wait` seconds."""

    def __init__(self, slots=EXPORT_SLOTS, wait=EXPORT_WAIT_SECONDS, queue=EXPORT_QUEUE):
        """Make the slots and the places in the queue, all free."""
        self.slots, self.wait, self.queue = slots, wait, queue
        self.free = threading.BoundedSemaphore(slots)
        self.room = threading.BoundedSemaphore(slots + queue)

    def take(self):
        """Return a Slot once one is free; raise ExportsBusy when the queue is full or the wait ran out."""
        if not self.room.acquire(blocking=False):
            raise ExportsBusy(f"正在进行和排队的导出已满（每个服务进程 {self.slots} 个进行、{self.queue} 个排队）。"
                              "请稍后再试，检索不受影响。")
        if not self.free.acquire(timeout=self.wait):
            self.room.release()
            raise ExportsBusy(f"同时进行的导出已达上限（每个服务进程 {self.slots} 个），"
                              f"等待 {self.wait:g} 秒后仍无空位。请稍后再试，检索不受影响。")
        return Slot(self.free, self.room)


class Slot:
    """One taken export slot (and its place in the queue), given back once however often released."""

    def __init__(self, *semaphores):
        """Hold one unit of each semaphore."""
        self.semaphores, self.lock, self.held = semaphores, threading.Lock(), True

    def release(self):
        """Give the slot back, the first time only."""
        with self.lock:
            if self.held:
                self.held = False
                for semaphore in self.semaphores:
                    semaphore.release()

    def stream(self, pieces):
        """Yield the pieces of a response, giving the slot back when they end (or the stream is closed)."""
        try:
            yield from pieces
        finally:
            self.release()
