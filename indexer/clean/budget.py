"""A per-page budget: pages are cleaned in worker processes, each stopped when its page takes too long.

Cleaning is near-linear in a page's size, but a page no one has seen yet may still find a
slow path (a regular expression, a near-repeat search, jieba's segmentation); it must not
stall the rebuild. The worker also segments every paragraph into words as the index will
(model/text.py words()), so the budget covers what indexing a page costs beyond writing it,
and hands the words back with the report: the index's writers take them as they are rather
than segmenting the page a second time (a page read back from the clean cache, whose
fingerprint covers words(), is segmented by the writers, which only ever see pages that were
segmented within budget, by this code). A
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
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from model.text import segmenter, word_line

from . import extratime
from .errors import BadPage
from .limits import PAGE_MEMORY_MB, PAGE_SECONDS, configured, die_with
from .rawfile import clean_file

# How often the budget is checked while a page is being cleaned; an answer ends the wait at once.
POLL_SECONDS = 0.1
# Workers cleaning pages side by side in a full clean: jieba's segmentation and the cleaning
# stages are pure Python in one thread, so one worker uses one core.
CLEANING_PROCESSES = os.cpu_count() or 1
# Pages taken ahead per worker of the one handed back next: the workers stay busy while the
# first page in the order takes longer than those after it.
LOOK_AHEAD = 4
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def resident_mb(pid):
    """Return the resident memory of a process in MB, or 0 where /proc cannot tell."""
    try:
        with open(f"/proc/{pid}/statm", encoding="ascii") as statm:
            return int(statm.read().split()[1]) * PAGE_SIZE / 2**20
    except (OSError, ValueError, IndexError):
        return 0


def warm():
    """Load what every page needs (the gazetteer, jieba's dictionary, scipy's sparse matrices for the near
    repeats) here, once, before forking a worker.

    A worker forked after this starts ready, so no page's budget pays for loading it, nor
    does every worker started after one was stopped. (The HTML parser is loaded by the
    first HTML page, in a tenth of a second that a corpus of text pages need not pay.)
    """
    import scipy.sparse  # noqa: F401 (nearrepeats.py)

    from .gazetteer import gazetteer
    gazetteer()
    segmenter().initialize()


def clean_and_segment(path):
    """Return (the clean Report of a raw page, each paragraph's words as the index takes them: word_line())."""
    report = clean_file(path)
    return report, [word_line(paragraph.text) for paragraph in report.paragraphs]


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
            answer = ("cleaned", clean_and_segment(path))
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
        self.process = self.connection = self.path = self.message = None
        self.deadline = self.allowed = 0.0

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
        return self.clean_and_segment(path)[0]

    def clean_and_segment(self, path):
        """Return (the clean Report of a raw page, its paragraphs' word lines); raise BadPage when it is
        unusable or over budget."""
        self.send(path)
        while not self.answered(POLL_SECONDS):
            pass
        return self.answer()

    def send(self, path):
        """Hand a raw page to the worker (starting it when there is none); its budget starts now."""
        if self.process is None:
            self._start()
        self.connection.send(str(path))
        self.path, self.allowed, self.message = path, self.seconds, None
        self.deadline = time.monotonic() + self.allowed

    def answered(self, timeout=0.0):
        """Tell whether the worker's answer to the page sent is there, waiting up to timeout seconds; raise
        BadPage, stopping the worker, when the page outran its time (with what its OCR asked for) or memory."""
        while self.connection.poll(timeout):
            kind, value = self.receive()
            if kind != "time":
                self.message = kind, value
                return True
            # The pages of a scan OCR is about to read (extratime.py): their time is the page's too.
            self.allowed += value
            self.deadline += value
            timeout = 0.0
        if time.monotonic() >= self.deadline:
            self._kill()
            raise BadPage(f"took longer than {self.allowed:g} s to clean and segment into words (PAGE_SECONDS"
                          f"{', with the time its OCR asked for' if self.allowed > self.seconds else ''}): stopped")
        if resident_mb(self.process.pid) > self.memory_mb:
            self._kill()
            raise BadPage(f"needed more than {self.memory_mb:g} MB of memory to clean and segment"
                          " into words (PAGE_MEMORY_MB): stopped")
        return False

    def receive(self):
        """Return the worker's next message (kind, value); raise BadPage when the worker died on the page."""
        try:
            return self.connection.recv()
        except (EOFError, OSError):
            self.process.join(timeout=1)
            code = self.process.exitcode
            self._kill()
            raise BadPage(f"the cleaner process died while reading it (exit code {code})") from None

    def answer(self):
        """Return the worker's answer to the page sent (answered() found it), (clean Report, word lines); raise
        BadPage when the page is unusable."""
        kind, value = self.message
        if kind == "cleaned":
            return value
        if kind == "refused":
            raise value
        raise CleanerFailed(f"cleaning {Path(self.path)} failed: {value}")


@dataclass
class Turn:
    """One page's place in the order of PageCleaners.in_order(): the page to clean (None: nothing to clean),
    what the caller attached, the cleaner working on it, and its outcome once known."""

    path: object
    item: object
    cleaner: PageCleaner = None
    outcome: object = None
    done: bool = False


class PageCleaners:
    """Workers cleaning pages side by side, each page within its budget, the outcomes handed back in order."""

    def __init__(self, processes=None, seconds=None, memory_mb=None):
        """Take the number of workers (CLEANING_PROCESSES when None) and the budget of PageCleaner; start none yet."""
        self.cleaners = [PageCleaner(seconds, memory_mb) for _ in range(processes or CLEANING_PROCESSES)]

    def __enter__(self):
        """Return the workers; each starts with its first page."""
        return self

    def __exit__(self, *exc):
        """Stop every worker."""
        for cleaner in self.cleaners:
            cleaner.close()

    def in_order(self, jobs):
        """Yield (item, outcome) for each (page or None, item) of jobs, in their order: outcome is (clean Report,
        word lines), the BadPage or OSError that stopped the page, or None when there was no page to clean.

        Up to LOOK_AHEAD jobs per worker are taken ahead of the one handed back, so that every
        worker has a page while the first one is still being cleaned.
        """
        jobs, turns, free, more = iter(jobs), deque(), list(self.cleaners), True
        while more or turns:
            while more and len(turns) < LOOK_AHEAD * len(self.cleaners):
                job = next(jobs, None)
                more = job is not None
                if more:
                    turns.append(Turn(*job, done=job[0] is None))
            for turn in turns:
                if not free:
                    break
                if not turn.done and turn.cleaner is None:
                    self.start(turn, free.pop())
            while turns and turns[0].done:
                turn = turns.popleft()
                yield turn.item, turn.outcome
            busy = [turn for turn in turns if turn.cleaner is not None]
            if busy:  # the first turn is not done: wait for a worker's answer
                wait([turn.cleaner.connection for turn in busy], timeout=POLL_SECONDS)
                for turn in busy:
                    free += self.collect(turn)

    @staticmethod
    def start(turn, cleaner):
        """Hand a turn's page to a free cleaner (a page that cannot be handed over is done, with the error)."""
        try:
            cleaner.send(turn.path)
            turn.cleaner = cleaner
        except OSError as error:
            cleaner.close()
            turn.outcome, turn.done = error, True

    @staticmethod
    def collect(turn):
        """Take a busy turn's outcome when its cleaner answered or its page outran its budget; return the
        cleaners freed ([] or [the one])."""
        cleaner = turn.cleaner
        try:
            if not cleaner.answered():
                return []
            turn.outcome = cleaner.answer()
        except BadPage as error:
            turn.outcome = error
        turn.cleaner, turn.done = None, True
        return [cleaner]
