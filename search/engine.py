"""The search engine of one index folder: its live generation opened per thread, searches planned and run."""
import threading
from pathlib import Path

from .execute import execute, matching
from .generation import IndexMissing, LiveGeneration
from .overview import corpus_overview, related_reports
from .params import DEFAULT_LIMIT
from .passages import borrowed_from, group_page, passages, report_reuse, similar_paragraphs
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

    def _reading(self):
        """Return (this thread's searcher, the arrays) of the live generation."""
        generation = self._generation()
        return generation.searcher(), generation.arrays

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

    def related(self, report_id):
        """Return the reports that go with one: the same issuer's other years, other reports of its place and level."""
        return related_reports(self._generation().arrays, report_id)

    def search(self, q="", filters=None, sort="relevance", page=1, limit=DEFAULT_LIMIT, scope="all",
               at_most=None, marks=True, lazy=False, fold=True):
        """Return the results object of a query; raises BadParameter for unusable parameters.

        filters maps facet names (model/registry.py) to lists of values (OR within one,
        AND across them); sort is relevance, newest or oldest; limit is clamped to 1..100,
        and None returns every hit on one page (for export), or the first at_most of them;
        marks=False leaves out the match spans; lazy=True gives the hits as an iterator reading
        each from the index when it is taken (an export streams them, never holding them all);
        scope "title" looks for the query's words and phrases in the report titles only; fold
        (on unless 0, false, no or off) folds near-identical hits under their earliest.
        """
        planned = plan(q, filters, sort, page, limit, scope, fold)
        results = self.run(planned, at_most=at_most, marks=marks, lazy=lazy)
        if marks:
            corpus = self.corpus()
            results["places"] = places(planned, corpus.columns)
            results["suggestions"] = [
                {"query": other.text, "total": found["total"], "total_reports": found["total_reports"]}
                for other in map(planned.with_query, spellings(planned, corpus, results["total"]))
                for found in [self.run(other, marks=False)]
                if found["total"] > results["total"]]
        return results

    def run(self, planned, **options):
        """Return the results object of a Plan on the live generation (options as search/execute.py's execute takes)."""
        return execute(planned, *self._reading(), **options)

    def corpus(self):
        """Return what suggestions read of the corpus: its columns, its text (containing, between)."""
        return self._generation().arrays

    def totals(self, filters=None):
        """Return the facets object of every paragraph the filters select: how many reports each value holds."""
        return self.run(plan("", filters, limit=1), marks=False, browse=True)["facets"]

    def report_matches(self, report_id, q):
        """Return the results object of a query within one report: every paragraph of it the query finds."""
        return self.run(plan(q, limit=None, fold=False), report_id=report_id)

    def report_reuse(self, report_id):
        """Return what a report shares with others: per paragraph, and with which earlier reports (search/passages.py)."""
        return report_reuse(self._generation().arrays, report_id)

    def similar(self, report_id, n):
        """Return paragraph n of a report and the near-identical paragraphs of other reports, or None when it has no such paragraph."""
        searcher, arrays = self._reading()
        return similar_paragraphs(arrays, searcher, report_id, n)

    def reuse(self, q="", filters=None):
        """Return the reuse view of a search (of the whole corpus without query or filters): its most reused
        passages and, when filters choose reports, whom those reports borrow from most."""
        planned = plan(q, filters, limit=1)
        searcher, arrays = self._reading()
        docs = matching(planned, arrays)[0] if planned.runs() else arrays.all_live()
        return {"query": planned.text, "description": planned.description, "filters": planned.filters,
                "notices": list(planned.notices), "total": len(docs), "distinct": arrays.reuse.fold(docs).distinct,
                "passages": passages(arrays, searcher, docs),
                "borrowed": borrowed_from(arrays, docs) if planned.choices else None}

    def passage(self, group):
        """Return one passage by its group name with every paragraph of it, or None when no group has that name."""
        searcher, arrays = self._reading()
        return group_page(arrays, searcher, group)
