"""A per-page budget: pages are cleaned in a worker process, stopped when one takes too long.

Cleaning is near-linear in a page's size, but a page no one has seen yet may still find a
slow path (a regular expression, a near-repeat search, jieba's segmentation); it must not
stall the rebuild. The worker also segments every paragraph into words as the index will
(model/text.py words()), so the budget covers what indexing a page costs beyond writing it:
the index's writers segment only pages that did this within budget (the clean cache's
fingerprint covers words(), so a page cleaned by other code is cleaned and segmented again). A
signal cannot interrupt a parse or a regular expression running in C, so each page goes
to a forked worker process, which is killed when the page outruns its time or memory;
the page is then skipped with the reason, and the next one goes to a fresh worker. A
page within budget costs one round trip through a pipe (well under a millisecond).
A scanned PDF asks for more time once it knows how many pages OCR must read (extratime.py).
"""
import gc
import multiprocessing
import os
import signal
import time
import traceback
from collections import deque
from pathlib import Path

from model.text import segmenter, words

from . import extratime
from .errors import BadPage
from .limits import PAGE_MEMORY_MB, PAGE_SECONDS, configured, die_with
from .rawfile import clean_file

# How often the budget is checked while a page is being cleaned; an answer ends the wait at once.
POLL_SECONDS = 0.1
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
def resident_mb(pid):
    """Return the resident memory of a process in MB, or 0 where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE / 2**20
    except (OSError, ValueError, IndexError):
        return 0


def warm():
    """Load what every page needs (the gazetteer, jieba's dictionary) here, once, before forking a worker.

    A worker forked after this starts ready, so no page's budget pays for loading it, nor
    does every worker started after one was stopped. (The HTML parser is loaded by the
    first HTML page, in a tenth of a second that a corpus of text pages need not pay.)
    """
    from .gazetteer import gazetteer
    gazetteer()
    segmenter().initialize()


def clean_and_segment(path):
    """Return the clean Report of a raw page, once its paragraphs have been segmented as the index will."""
    report = clean_file(path)
    for paragraph in report.paragraphs:
        deque(words(paragraph.text), maxlen=0)
    return report


def serve(connection, parent_end, parent):
    """Clean the pages the parent sends until it closes the pipe (runs in the worker process)."""
    die_with(parent)
    # What the parent loaded is never collected here: the collector walking it would copy
    # every page of it (copy on write) into this process.
    gc.freeze()
    parent_end.close()  # so that the parent's exit shows here as the end of the pipe
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which stops us
    extratime.listen(lambda seconds: connection.send(("time", seconds)))
    while True:
        try:
            path = connection.recv()
        except (EOFError, OSError):
            return
        try:
            answer = ("report", clean_and_segment(path))
        except (BadPage, OSError) as error:
            answer = ("refused", error)
        except RecursionError:
            answer = ("refused", BadPage("markup nested too deeply to read"))
        except Exception as error:  # a bug: re-raised in the parent with this traceback
            answer = ("failed", f"{type(error).__name__}: {error}\n{traceback.format_exc()}")
        connection.send(answer)


class CleanerFailed(RuntimeError):
    """The cleaner raised something other than BadPage: a bug, reported with its traceback."""


class PageCleaner:
    """Cleans raw pages one at a time in a worker process, each within the per-page budget."""

    def __init__(self, seconds=None, memory_mb=None):
        """Take the budget (else $PAGE_SECONDS / $PAGE_MEMORY_MB, else the defaults); start no process yet."""
        self.seconds = seconds or configured("PAGE_SECONDS", PAGE_SECONDS)
        self.memory_mb = memory_mb or configured("PAGE_MEMORY_MB", PAGE_MEMORY_MB)
        self.process = self.connection = None

    def __enter__(self):
        """Return the cleaner; its worker starts with the first page."""
        return self

    def __exit__(self, *exc):
        """Stop the worker."""
        self.close()

    def _start(self):
        """Fork the worker, which shares what this process has loaded (the parser, the gazetteer)."""
        warm()
        context = multiprocessing.get_context("fork")
        parent_end, child_end = context.Pipe()
        self.process = context.Process(target=serve, args=(child_end, parent_end, os.getpid()), daemon=True,
                                       name="page-cleaner")
        self.process.start()
        child_end.close()
        self.connection = parent_end

    def close(self):
        """Stop the worker: it ends by itself when the pipe closes, or is killed."""
        if self.process is None:
            return
        self.connection.close()
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = self.connection = None

    def _kill(self):
        """Kill the worker at once (it is over budget or broken); the next page starts a new one."""
        self.process.kill()
        self.process.join()
        self.close()

    def clean(self, path):
        """Return the clean Report of a raw page; raise BadPage when it is unusable or over budget."""
        if self.process is None:
            self._start()
        self.connection.send(str(path))
        allowed = self.seconds
        deadline = time.monotonic() + allowed
        while True:
            kind, value = self.answer(deadline, allowed)
            if kind != "time":
                break
            allowed += value  # the pages of a scan OCR is about to read
            deadline += value
        if kind == "report":
            return value
        if kind == "refused":
            raise value
        raise CleanerFailed(f"cleaning {Path(path)} failed: {value}")

    def answer(self, deadline, allowed):
        """Return the worker's next message (kind, value), stopping it when it outruns deadline or its memory."""
        while not self.connection.poll(POLL_SECONDS):
            if time.monotonic() >= deadline:
                self._kill()
                raise BadPage(f"took longer than {allowed:g} s to clean and segment into words (PAGE_SECONDS"
                              f"{', with the time its OCR asked for' if allowed > self.seconds else ''}): stopped")
            if resident_mb(self.process.pid) > self.memory_mb:
                self._kill()
                raise BadPage(f"needed more than {self.memory_mb:g} MB of memory to clean and segment"
                              " into words (PAGE_MEMORY_MB): stopped")
        try:
            return self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=1)
            code = self.process.exitcode
            self._kill()
            raise BadPage(f"the cleaner process died while reading it (exit code {code})") from None
