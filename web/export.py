"""A search's every hit as CSV (for Excel) or JSON, with absolute links to the paragraphs.

Both are written as a stream of pieces, a batch of hits each, so that an export of 20,000
paragraphs is never held whole; ExportSlots bounds how many run at once.
"""
import csv
import io
import json
import re
import threading
from datetime import date
from itertools import islice
from urllib.parse import quote

from indexer.report import REGION_LEVELS

from .state import report_url

CSV_COLUMNS = ("report_id", "n", "title", "issuer", "province", "city", "county", "township",
               "report_year", "pub_date", "section_class", "text", "url")
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
# Hits written per piece of a streamed export: pieces of some 100 KB.
BATCH_HITS = 200
# Exports one server process runs at once: an export takes a core for a second or more,
# and searches must keep theirs. A further export waits for its turn, up to
# EXPORT_WAIT_SECONDS, then is answered 503; beyond EXPORT_QUEUE waiting ones it is answered
# 503 at once, since each waiting request holds one of the process's threads (gunicorn.conf.py).
EXPORT_SLOTS = 1
EXPORT_WAIT_SECONDS = 60.0
EXPORT_QUEUE = 24


def exported_hit(hit, base_url):
    """Return one hit with its report metadata, paragraph text and absolute link."""
    return {
        "report_id": hit["report_id"], "n": hit["n"], "title": hit["title"], "issuer": hit["issuer"],
        "region": hit["region"], "report_year": hit["report_year"], "pub_date": hit["pub_date"],
        "section_class": hit["section_class"], "section_path": hit["section_path"],
        "heading": hit["heading"], "text": hit["text"],
        "url": report_url(base_url.rstrip("/"), hit["report_id"], n=hit["n"]),
    }


def json_hits(hits, base_url):
    """Return the hits as the JSON export's list."""
    return [exported_hit(hit, base_url) for hit in hits]


def batches(items, size=BATCH_HITS):
    """Yield lists of up to size items from an iterable."""
    items = iter(items)
    while batch := list(islice(items, size)):
        yield batch


def json_pieces(hits, base_url):
    """Yield the JSON export, a list of hits, as UTF-8 pieces of BATCH_HITS hits each."""
    yield b"["
    separator = ""
    for batch in batches(hits):
        # Flask's JSON settings: keys sorted, no spaces, Chinese as itself.
        listed = json.dumps(json_hits(batch, base_url), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        yield (separator + listed[1:-1]).encode("utf-8")
        separator = ","
    yield b"]\n"


def inert(cell):
    """Return a text cell that Excel shows as text: a leading formula character gets a quote before it."""
    return "'" + cell if cell.startswith(FORMULA_STARTS) else cell


def csv_row(hit):
    """Return the CSV row of an exported hit: region levels in columns, text cells made inert."""
    row = dict(hit, **{level: hit["region"].get(level, "") for level in REGION_LEVELS})
    row["report_year"] = row["report_year"] or ""
    return dict(row, **{name: inert(row[name]) for name in TEXT_COLUMNS})


def csv_pieces(hits, base_url):
    """Yield the CSV export in UTF-8 with a byte order mark, one row per hit, BATCH_HITS rows a piece."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    yield out.getvalue().encode(CSV_ENCODING)  # the byte order mark, then the header row
    for batch in batches(hits):
        out.seek(0)
        out.truncate()
        writer.writerows(csv_row(hit) for hit in json_hits(batch, base_url))
        yield out.getvalue().encode("utf-8")


def csv_bytes(hits, base_url):
    """Return the hits as CSV bytes in UTF-8 with a byte order mark, one row per hit."""
    return b"".join(csv_pieces(hits, base_url))


def export_name(query, extension, today=None):
    """Return the download's file name, e.g. 法治报告检索-枫桥经验-2024-05-01.csv."""
    words = UNSAFE_NAME.sub(" ", query).strip()[:NAME_QUERY_CHARS].strip()
    parts = ["法治报告检索", words or "全部", (today or date.today()).isoformat()]
    return "-".join(parts) + "." + extension


def attachment(query, extension, today=None):
    """Return the Content-Disposition of a download: the Chinese name (RFC 6266), an ASCII one for old clients."""
    fallback = f"search-results-{(today or date.today()).isoformat()}.{extension}"
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(export_name(query, extension, today))}"


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
