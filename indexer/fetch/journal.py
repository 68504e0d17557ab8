"""The crawl journal: what a crawl has asked for, so a crawl killed midway resumes without asking again.

One JSON line per list page read (its URL, its links, its further pages) and per report
URL that failed (with why), appended and flushed at once: a `kill -9` loses at most the
line being written, which the next run skips. Saved report pages need no journal: their
record beside them already says so. The journal belongs to one set of start URLs and is
deleted when their crawl finishes, so the next crawl reads the lists afresh and finds
the reports published since (and tries the failed ones again).
"""
import hashlib
import json
import os
from pathlib import Path

from .lists import ListPage

FOLDER = ".crawl"  # inside the output folder, beside the pages it resumes


class Journal:
    """The list pages a crawl of given start URLs has read, kept in <out>/.crawl/<key>.jsonl."""

    def __init__(self, out, start_urls):
        """Open (without reading) the journal of a crawl of start_urls into out."""
        key = hashlib.sha1("\n".join(sorted(start_urls)).encode("utf-8")).hexdigest()[:16]
        self.path = Path(out) / FOLDER / f"{key}.jsonl"
        self.stream = None

    def read(self):
        """Return ({list URL: ListPage}, {report URL: (state, detail, kind)}) of an unfinished earlier run."""
        pages, tried = {}, {}
        try:
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return pages, tried
        for line in lines:
            try:
                entry = json.loads(line)
                if "tried" in entry:
                    tried[entry["tried"]] = (entry["state"], entry["detail"], entry["kind"])
                else:
                    pages[entry["url"]] = ListPage.from_dict(entry)
            except (ValueError, KeyError, TypeError, AttributeError):
                continue  # the line a kill cut short: that page is asked for again
        return pages, tried

    def add(self, url, page):
        """Record that the list page at url was read and what it held."""
        self.write({"url": url, **page.to_dict()})

    def add_failure(self, outcome):
        """Record that a report URL was tried and failed, and why."""
        self.write({"tried": outcome.url, "state": outcome.state, "detail": outcome.detail,
                    "kind": outcome.kind})

    def write(self, entry):
        """Append one entry and hand it to the kernel."""
        if self.stream is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.stream = open(self.path, "a", encoding="utf-8")
            if self.stream.tell() and not self.path.read_bytes().endswith(b"\n"):
                self.stream.write("\n")  # end the line a kill cut short, so the next one stands alone
        self.stream.write(json.dumps(entry, ensure_ascii=False) + "\n")
        # Flushed to the kernel at once: a killed process loses nothing already written.
        self.stream.flush()

    def close(self, finished):
        """Close the journal; delete it when the crawl finished (nothing left to resume)."""
        if self.stream is not None:
            self.stream.close()
            self.stream = None
        if finished:
            try:
                os.remove(self.path)
                self.path.parent.rmdir()
            except OSError:
                pass  # another crawl's journal is still there, or there was none
