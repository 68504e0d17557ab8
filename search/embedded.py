"""The embedded backend: the index of one folder (Whoosh and its arrays), its live generation opened per thread."""
import threading
from pathlib import Path

from .backend import Backend
from .execute import ArraysMatch, matching
from .generation import IndexMissing, LiveGeneration
from .overview import report_rows
from .passages import borrowed_from, group_page, passages, report_reuse, similar_paragraphs


class EmbeddedBackend(Backend):
    """Answers from one index folder; shared by threads, each thread gets its own searcher."""

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

    def match(self, plan, window, report_id=None):
        """Return the plan matched on the live generation's arrays (search/execute.py)."""
        return ArraysMatch(plan, window, *self._reading(), report_id)

    def report(self, report_id):
        """Return the report with this id, read whole from the live index, or None."""
        return self._generation().report(report_id)

    def report_rows(self, complete=True):
        """Return the overview row of every report with a live paragraph (an index is always complete)."""
        return report_rows(self._generation().arrays)

    def corpus(self):
        """Return what suggestions read of the corpus: the arrays (columns, containing, between)."""
        return self._generation().arrays

    def report_reuse(self, report_id):
        """Return what a report shares with others: per paragraph, and with which earlier reports (search/passages.py)."""
        return report_reuse(self._generation().arrays, report_id)

    def similar(self, report_id, n):
        """Return paragraph n of a report and the near-identical paragraphs of other reports, or None when it has no such paragraph."""
        searcher, arrays = self._reading()
        return similar_paragraphs(arrays, searcher, report_id, n)

    def passage(self, group):
        """Return one passage by its group name with every paragraph of it, or None when no group has that name."""
        searcher, arrays = self._reading()
        return group_page(arrays, searcher, group)

    def reused(self, plan):
        """Return the reuse view of a plan's paragraphs (every paragraph without query or filters): its most reused
        passages and, when filters choose reports, whom those reports borrow from most."""
        searcher, arrays = self._reading()
        docs = matching(plan, arrays).passing if plan.runs() else arrays.all_live()
        return {"total": len(docs), "distinct": arrays.reuse.fold(docs).distinct,
                "passages": passages(arrays, searcher, docs),
                "borrowed": borrowed_from(arrays, docs) if plan.choices else None}
