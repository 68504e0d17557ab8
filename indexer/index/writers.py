"""The writer processes of a full build: segments of bounded size, each with its arrays and sketches.

The rebuild sends each clean report (with the words its cleaner segmented) to one of
BUILD_PROCESSES writer processes, whole reports in batches. A writer indexes them into a Whoosh
segment of its own until the segment holds SEGMENT_TEXT_BYTES of normalized text, writes it
out, derives its arrays (derive.py) and its MinHash sketches (indexer/reuse/sketch.py) while
the other writers go on, and starts the next: what a writer holds is bounded by a segment's
size, whatever the corpus's. At the end the rebuild lists every segment in the index in one
commit; none is merged (merging would do in one process again what the writers did).
"""
import gc
import multiprocessing
import os
import queue
import traceback

from whoosh import index as whoosh_index

from indexer.libc import give_back_memory
from model.text import segmenter

from .derive import WORDS_FIELD, derive_segment, written_word_arrays
from .internals import commit_segments, finish_segment, segment_reader, segment_writer, writer_index
from .schema import NORM_FIELD
from .store import documents

# Normalized text (UTF-8 bytes) of one segment: 64 MB is about 21 million characters, 130,000
# report paragraphs. Deriving a segment's arrays takes a process to some 8 bytes per byte of text
# at its peak (495 MB for 64 MB, every array held before it is written), and a writer's postings
# about 1 KB per paragraph: each writer stays near half a GB. A corpus of 100,000 paragraphs keeps
# one segment per writer; 10^6 has about eight.
SEGMENT_TEXT_BYTES = 64 << 20
# Paragraphs sent to a writer at a time (whole reports), and batches waiting per writer:
# enough to keep the writers busy, few enough that the rebuild waits for slow writers
# rather than piling batches up in memory.
BATCH_PARAGRAPHS = 300
WAITING_BATCHES = 2
# Seconds between two checks that the writers are alive while the rebuild waits on them.
CHECK_S = 1.0


class WriterFailed(RuntimeError):
    """A writer process failed other than by an OSError: a bug, with the writer's traceback."""


def close_segment(index, folder, writer):
    """Write out a writer's segment, derive its arrays and its sketches; return the segment."""
    from indexer.reuse.stage import sketch_segment  # the reuse stage: only where sketches are made
    # The words' postings kept as written: reading them back from the segment's files took as long
    # as writing them.
    segment, written = finish_segment(writer, WORDS_FIELD)
    give_back_memory()  # the postings just written, before deriving takes its own
    leaf = segment_reader(index, segment)
    try:
        # Their arrays made before the text's, and what they were made from let go: the text's
        # arrays and the words' temporaries are never held at once.
        words = written_word_arrays(leaf, written)
        del written
        derive_segment(leaf, folder, segment.segment_id(), words)
    finally:
        leaf.close()
    sketch_segment(folder, segment.segment_id(), segment.doc_count_all())
    give_back_memory()
    return segment


def load_what_writers_share():
    """Load jieba's dictionary and datasketch in the rebuild, so that the writers forked next share them.

    Loaded in each writer instead, every full build paid for them once per writer: about a second
    for jieba's dictionary (a writer segments the reports read back from the clean cache) and most
    of one for datasketch's SciPy.
    """
    from indexer.reuse.sketch import minhash_maker  # datasketch: a rebuild that finds nothing changed starts without it
    segmenter().initialize()
    minhash_maker()


def write_segments(folder, jobs, results, text_limit, first_limit):
    """Index the batches of (report, words) from jobs until None, into segments of about text_limit bytes of
    text, the first of first_limit (runs in a writer process); put (its pid, "segments", [segment, ...]) into
    results, or what stopped it."""
    # What the rebuild had made before forking this process is never collected here: the
    # collector walking it would copy its pages (copy on write) into this process.
    gc.freeze()
    try:
        index = writer_index(folder)
        segments, writer, text, limit = [], None, 0, first_limit
        while (batch := jobs.get()) is not None:
            for report, words in batch:
                writer = writer or segment_writer(index)
                for document in documents(report, words):
                    writer.add_document(**document)
                    text += len(document[NORM_FIELD])
                # Only between reports: a report's metadata is stored with its first paragraph,
                # where its segment's arrays find it.
                if text >= limit:
                    segments.append(close_segment(index, folder, writer))
                    writer, text, limit = None, 0, text_limit
        if writer is not None:
            segments.append(close_segment(index, folder, writer))
        results.put((os.getpid(), "segments", segments))
    except OSError as error:
        results.put((os.getpid(), "failed", error.errno, error.strerror or str(error), error.filename))
    except BaseException:  # noqa: BLE001 - a bug: its traceback goes to the rebuild, which raises it
        results.put((os.getpid(), "error", traceback.format_exc()))


def raise_answer(kind, details):
    """Raise what a writer that did not finish answered: the OSError that stopped it, or WriterFailed."""
    if kind == "failed":
        errno, reason, filename = details
        raise OSError(errno, reason, filename)
    raise WriterFailed(f"a writer process failed:\n{details[0]}" if kind == "error" else f"a writer answered {kind}")


class Writers:
    """BUILD_PROCESSES writer processes filling an empty index in folder with the reports added to them."""

    def __init__(self, folder, processes, text_limit=None):
        """Start the writer processes of a new index in folder (whoosh.index.create_in made), each closing a
        segment once it holds text_limit bytes of text (SEGMENT_TEXT_BYTES when None)."""
        self.folder = folder
        text_limit = text_limit or SEGMENT_TEXT_BYTES
        load_what_writers_share()
        context = multiprocessing.get_context("fork")
        self.jobs, self.results = context.Queue(WAITING_BATCHES * processes), context.Queue()
        # The writers fill their segments alike: their first ones close at staggered sizes, so
        # that no two of them close a segment (their largest memory) at the same time.
        self.processes = [context.Process(target=write_segments, daemon=True, name="index-writer",
                                          args=(folder, self.jobs, self.results, text_limit,
                                                text_limit * (place + 1) // processes))
                          for place in range(processes)]
        for process in self.processes:
            process.start()
        self.batch, self.paragraphs = [], 0

    def add(self, report, words=None):
        """Index a report, with its paragraphs' words when the cleaner segmented them (store.documents())."""
        self.batch.append((report, words))
        self.paragraphs += len(report.paragraphs)
        if self.paragraphs >= BATCH_PARAGRAPHS:
            self.send(self.batch)
            self.batch, self.paragraphs = [], 0

    def send(self, job):
        """Queue a job for the writers, waiting while they are busy, and failing if one of them is gone."""
        while True:
            try:
                self.jobs.put(job, timeout=CHECK_S)
                return
            except queue.Full:
                found = self.answer_of_ended(self.processes)
                if found:  # a writer ends before its last job only when something stopped it
                    raise_answer(*found[1:2], found[2:])

    def answer_of_ended(self, processes):
        """Return the answer of one of processes that ended, if any did: it answered before it ended, or it died."""
        ended = [process for process in processes if process.exitcode is not None]
        if not ended:
            return None
        try:
            return self.results.get(timeout=CHECK_S)
        except queue.Empty:
            raise WriterFailed(f"a writer process ended with status {ended[0].exitcode} without an answer") from None

    def commit(self):
        """Send what is left, wait for every writer and list their segments in the index, in one commit."""
        if self.batch:
            self.send(self.batch)
        for _ in self.processes:
            self.send(None)
        pending, segments = {process.pid: process for process in self.processes}, []
        while pending:
            pid, kind, *details = self.answer(list(pending.values()))
            pending.pop(pid, None)
            if kind != "segments":
                raise_answer(kind, details)
            segments += details[0]
        for process in self.processes:
            process.join()
        commit_segments(whoosh_index.open_dir(str(self.folder)), segments)

    def answer(self, pending):
        """Return the next answer of a writer, checking meanwhile that none of those pending died."""
        while True:
            try:
                return self.results.get(timeout=CHECK_S)
            except queue.Empty:
                found = self.answer_of_ended(pending)
                if found:
                    return found

    def stop(self):
        """Stop the writers of a failed build."""
        for process in self.processes:
            process.kill()
            process.join()
        # Batches still waiting for the pipe would never be read: leaving, the rebuild waited for
        # them forever (a 10^6 build whose writer failed hung at exit).
        self.jobs.cancel_join_thread()
