"""The open index generation: its Whoosh index, a searcher per thread, its arrays, checked before every query.

A generation is opened whole before it replaces the one in use: its record (build.json) read,
every file it serves held open and checked against its recorded size (so no file shorter than
recorded is ever memory-mapped), its Whoosh index and its arrays opened. A failed opening
leaves the previous state untouched and is tried again on the next request, so a server
recovers by itself as soon as a rebuild makes a good generation current. Before every query
the files it serves are checked again with fstat (size and modification time, microseconds):
damage found then or at opening raises IndexDamaged, which the web answers with a 503 naming
the repair command, never with a wrong count.
"""
import os
import threading
from pathlib import Path

from whoosh.filedb.filestore import FileStorage

from indexer.index.buildinfo import BUILD_INFO, MANIFEST, read_build_info
from indexer.index.format import REBUILD_COMMAND, IndexUnusable, OtherFormat
from indexer.index.generations import current_folder
from indexer.index.schema import paragraph_schema
from indexer.index.store import report_from_stored

from .arrays import Arrays


class IndexMissing(RuntimeError):
    """There is no usable index to search; the message names the command that builds one."""

    title = "索引尚未建立"

    def __init__(self, index_dir, problem="no search index"):
        super().__init__(f"{problem} at {index_dir}; build it with: {REBUILD_COMMAND}")


class IndexOutdated(IndexMissing):
    """The live index was built in another version of the index format: it has to be rebuilt."""

    title = "索引需要重建"

    def __init__(self, index_dir, error):
        RuntimeError.__init__(self, f"the index at {index_dir} was {error.reason}; it is not served until it is"
                                    f" rebuilt with: {REBUILD_COMMAND}")


class IndexDamaged(IndexMissing):
    """A file of the live index is missing, damaged or changed while served: the message names it and the repair."""

    title = "索引已损坏"

    def __init__(self, index_dir, error):
        where = os.path.relpath(error.path, index_dir)
        RuntimeError.__init__(self, f"the index at {index_dir} is damaged ({where}: {error.reason});"
                                    f" repair it with: {REBUILD_COMMAND}")


class Guard:
    """The files a generation serves, held open: their size checked against the record, then watched by fstat."""

    def __init__(self, folder, info):
        # The manifest only serves rebuilds; build.json records the others and itself is watched as opened.
        served = [relative for relative in info.files if relative != MANIFEST] + [BUILD_INFO]
        self.files = []
        try:
            for relative in served:
                handle = open(Path(folder) / relative, "rb")
                stat = os.fstat(handle.fileno())
                self.files.append((handle, handle.fileno(), stat.st_size, stat.st_mtime_ns))
                recorded = info.files.get(relative, [stat.st_size])[0]
                if stat.st_size != recorded:
                    raise IndexUnusable(Path(folder) / relative, f"{stat.st_size} bytes, {recorded} recorded")
        except OSError as error:
            self.close()
            reason = "missing" if isinstance(error, FileNotFoundError) else f"unreadable ({error.strerror})"
            raise IndexUnusable(error.filename or folder, reason) from None
        except IndexUnusable:
            self.close()
            raise

    def check(self):
        """Raise IndexUnusable when a file served changed size, was written or was deleted since it was opened."""
        for handle, descriptor, size, mtime_ns in self.files:
            stat = os.fstat(descriptor)
            if stat.st_size != size or stat.st_mtime_ns != mtime_ns:
                raise IndexUnusable(Path(handle.name), f"changed while served ({stat.st_size} bytes, {size} recorded)")
            if not stat.st_nlink:
                raise IndexUnusable(Path(handle.name), "deleted while served")

    def close(self):
        """Close the files held open."""
        for handle, _descriptor, _size, _mtime in self.files:
            handle.close()


def open_whoosh(folder):
    """Open a generation's Whoosh index; raises IndexUnusable (OtherFormat for another schema)."""
    # Plain file reads, not mmap: every mapped page a query touches would count in each
    # worker's resident memory, and a common term's postings span much of the index.
    try:
        index = FileStorage(str(folder), supports_mmap=False, readonly=True).open_index()
    except (AttributeError, ImportError):
        # Its pickled schema names analyzers this code no longer has.
        raise OtherFormat(folder, "built with a Whoosh schema this code no longer reads") from None
    except Exception as error:  # noqa: BLE001 - whatever Whoosh raises on a file it cannot parse
        raise IndexUnusable(folder, f"Whoosh cannot read it ({type(error).__name__}: {error})") from None
    if set(index.schema.names()) != set(paragraph_schema().names()):
        raise OtherFormat(folder, "built with another Whoosh schema than this code's")
    return index


class Generation:
    """One open index generation: its Whoosh index and arrays, its guarded files, a searcher per thread."""

    def __init__(self, folder):
        self.folder = Path(folder)
        info = read_build_info(folder)
        self.guard = Guard(folder, info)
        try:
            self.index = open_whoosh(folder)
            with self.index.reader() as reader:
                self.arrays = Arrays(reader, folder)
        except IndexUnusable:
            self.guard.close()
            raise
        except Exception as error:  # noqa: BLE001 - a file that passed the size check but does not parse
            self.guard.close()
            raise IndexUnusable(folder, f"unreadable ({type(error).__name__}: {error})") from None
        self._local = threading.local()

    def searcher(self):
        """Return this thread's searcher of the generation, opening it the first time."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            searcher = self._local.searcher = self.index.searcher()
        return searcher

    def release(self):
        """Close this thread's searcher of the generation, if it opened one."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None:
            self._local.searcher = None
            searcher.close()

    def report(self, report_id):
        """Return the Report with this id, read whole from Whoosh's stored fields, or None."""
        searcher = self.searcher()
        stored = [searcher.stored_fields(doc) for doc in searcher.document_numbers(report_id=report_id)]
        return report_from_stored(report_id, stored)

    def close(self):
        """Let go of the generation's files (threads close their own searchers when they move on)."""
        self.guard.close()


class LiveGeneration:
    """The generation an index folder's `current` link points to, opened on first use and whenever it moves."""

    # Generations kept open: the live one, and the one threads may still be finishing a query on.
    KEEP = 2

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self._lock = threading.Lock()
        self._opened = {}

    def get(self):
        """Return the live generation, opened and checked; raises IndexMissing, IndexOutdated or IndexDamaged."""
        folder = current_folder(self.index_dir)
        if folder is None:
            raise IndexMissing(self.index_dir)
        generation = self._opened.get(folder) or self._open(folder)
        try:
            generation.guard.check()
        except IndexUnusable as error:
            # A rebuild may have replaced and removed it meanwhile: then the new one is served.
            if current_folder(self.index_dir) != folder:
                return self.get()
            raise IndexDamaged(self.index_dir, error) from None
        return generation

    def _open(self, folder):
        """Open the generation in folder, once for all threads, and forget the oldest beyond KEEP."""
        with self._lock:
            generation = self._opened.get(folder)
            if generation is None:
                try:
                    generation = Generation(folder)
                except OtherFormat as error:
                    raise IndexOutdated(self.index_dir, error) from None
                except IndexUnusable as error:
                    raise IndexDamaged(self.index_dir, error) from None
                self._opened[folder] = generation
                while len(self._opened) > self.KEEP:
                    self._opened.pop(next(iter(self._opened))).close()
        return generation
