"""The search engine of one index folder: its live generation opened per thread, searches planned and run."""
import threading
from pathlib import Path

from .execute import execute
from .generation import IndexMissing, LiveGeneration
from .overview import corpus_overview
from .params import DEFAULT_LIMIT
from .plan import plan
from .suggest import places, spellings


class SearchEngine:
    """Searches one index folder; shared by threads, each thread gets its own searcher."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self._live = LiveGeneration(index_dir)
        self._local = threading.local()

    def _generation(self):
        """Return the live generation (search/generation.py) with this thread's searcher open.

        When `current` moved, the new generation's searcher is opened before the old one's
        is closed: a failure leaves this thread as it was, to try again on its next request.
        """
        generation = self._live.get()
        previous = getattr(self._local, "generation", None)
        if generation is not previous:
            generation.searcher()
            self._local.generation = generation
            if previous is not None:
                previous.release()
        return generation

    def _searcher(self):
        """Return this thread's searcher of the live generation, reopened when it is replaced."""
        return self._generation().searcher()

    def _arrays_of(self, searcher):
        """Return the arrays of the generation this thread's searcher (from _searcher) reads."""
        return self._local.generation.arrays

    def open(self):
        """Open this thread's searcher of the live generation now; True when there was a usable index.

        A server worker calls it before its first request, which then only searches.
        """
        try:
            self._generation()
        except IndexMissing:
            return False
        return True

    def warm(self):
        """Open the live generation (its arrays read) now; True when there was a usable index.

        Called in the server's master process before it forks its workers, so the
        workers share these arrays instead of each reading its own copy.
        """
        try:
            self._live.get()
        except IndexMissing:
            # Searches will say what is wrong and which command repairs it.
            return False
        return True

    def report(self, report_id):
        """Return the report with this id, read whole from the live index, or None."""
        return self._generation().report(report_id)

    def overview(self):
        """Return what the index holds: its reports, and report and paragraph counts per year and province."""
        return corpus_overview(self._generation().arrays)

    def search(self, q="", filters=None, sort="relevance", page=1, limit=DEFAULT_LIMIT, scope="all",
               at_most=None, marks=True):
        """Return the results object of a query; raises BadParameter for unusable parameters.

        filters maps facet names (search/registry.py) to lists of values (OR within one,
        AND across them); sort is relevance, newest or oldest; limit is clamped to 1..100,
        and None returns every hit on one page (for export), or the first at_most of them;
        marks=False leaves out the match spans; scope "title" looks for the query's words
        and phrases in the report titles only.
        """
        planned = plan(q, filters, sort, page, limit, scope)
        searcher = self._searcher()
        arrays = self._arrays_of(searcher)
        results = execute(planned, searcher, arrays, at_most, marks)
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
