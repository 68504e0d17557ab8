"""The search engine of one index folder: its live generation opened per thread, searches planned and run."""
import threading
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from indexer.index.generations import current_folder
from indexer.index.schema import paragraph_schema
from indexer.index.store import load_report

from .arrays import ArrayCache
from .execute import execute
from .overview import corpus_overview
from .params import DEFAULT_LIMIT
from .plan import plan
from .suggest import places, spellings

REBUILD_COMMAND = ".venv/bin/python -m indexer rebuild"


class IndexMissing(RuntimeError):
    """There is no usable index to search; the message names the command that builds one."""

    def __init__(self, index_dir, problem="no search index"):
        super().__init__(f"{problem} at {index_dir}; build it with: {REBUILD_COMMAND}")


class SearchEngine:
    """Searches one index folder; shared by threads, each thread gets its own searcher."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self._local = threading.local()
        self._arrays = ArrayCache()

    def _searcher(self):
        """Return this thread's searcher of the live generation, reopened when it is replaced."""
        folder = current_folder(self.index_dir)
        searcher = getattr(self._local, "searcher", None)
        if searcher is not None and getattr(self._local, "folder", None) == folder:
            return searcher
        if folder is None or not whoosh_index.exists_in(str(folder)):
            raise IndexMissing(self.index_dir)
        ix = self._open(folder)
        if searcher is not None:
            searcher.close()
        self._local.searcher, self._local.folder = ix.searcher(), folder
        return self._local.searcher

    def _open(self, folder):
        """Open a generation's index; raises IndexMissing when its schema is out of date."""
        # Plain file reads, not mmap: every mapped page a query touches would count in each
        # worker's resident memory, and a common term's postings span much of the index.
        try:
            ix = FileStorage(str(folder), supports_mmap=False, readonly=True).open_index()
        except (AttributeError, ImportError, EOFError):
            # Its pickled schema names analyzers this code no longer has.
            raise IndexMissing(self.index_dir, "an index from an older version of the schema") from None
        if set(ix.schema.names()) != set(paragraph_schema().names()):
            # Built before a schema change: its answers would be silently wrong.
            raise IndexMissing(self.index_dir, "an index from an older version of the schema")
        return ix

    def _arrays_of(self, searcher):
        """Return the arrays of the searcher's generation; raises IndexMissing when they are gone."""
        try:
            return self._arrays.get(searcher, self._local.folder)
        except FileNotFoundError:
            raise IndexMissing(self.index_dir, "an incomplete index (its arrays are missing)") from None

    def open(self):
        """Open this thread's searcher of the live generation now; True when there was an index.

        A server worker calls it before its first request, which then only searches.
        """
        try:
            self._arrays_of(self._searcher())
        except IndexMissing:
            return False
        return True

    def warm(self):
        """Read the live generation's columns and arrays now; True when there was an index.

        Called in the server's master process before it forks its workers, so the
        workers share these arrays instead of each reading its own copy.
        """
        folder = current_folder(self.index_dir)
        if folder is None or not whoosh_index.exists_in(str(folder)):
            return False
        try:
            ix = self._open(folder)
            # A searcher of its own, closed again: a forked worker must open its own files.
            with ix.searcher() as searcher:
                self._arrays.get(searcher, folder)
        except (IndexMissing, FileNotFoundError):
            # Searches will say what is wrong and which command repairs it.
            return False
        return True

    def report(self, report_id):
        """Return the clean report with this id from the live generation, or None."""
        folder = current_folder(self.index_dir)
        return load_report(folder, report_id) if folder else None

    def overview(self):
        """Return what the index holds: its reports, and report and paragraph counts per year and province."""
        searcher = self._searcher()
        return corpus_overview(self._arrays_of(searcher))

    def search(self, q="", filters=None, sort="relevance", page=1, limit=DEFAULT_LIMIT, scope="all",
               at_most=None, marks=True, lazy=False):
        """Return the results object of a query; raises BadParameter for unusable parameters.

        filters maps facet names (search/registry.py) to lists of values (OR within one,
        AND across them); sort is relevance, newest or oldest; limit is clamped to 1..100,
        and None returns every hit on one page (for export), or the first at_most of them;
        marks=False leaves out the match spans; lazy=True gives the hits as an iterator reading
        each from the index when it is taken (an export streams them, never holding them all);
        scope "title" looks for the query's words and phrases in the report titles only.
        """
        planned = plan(q, filters, sort, page, limit, scope)
        searcher = self._searcher()
        arrays = self._arrays_of(searcher)
        results = execute(planned, searcher, arrays, at_most, marks, lazy=lazy)
        if marks:
            results["places"] = places(planned, arrays.columns)
            results["suggestions"] = [
                {"query": other.text, "total": found["total"], "total_reports": found["total_reports"]}
                for other in map(planned.with_query, spellings(planned, arrays, results["total"]))
                for found in [execute(other, searcher, arrays, marks=False)]
                if found["total"] > results["total"]]
        return results

    def report_matches(self, report_id, q):
        """Return the results object of a query within one report: every paragraph of it the query finds."""
        planned = plan(q, limit=None)
        searcher = self._searcher()
        return execute(planned, searcher, self._arrays_of(searcher), report_id=report_id)
