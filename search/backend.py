"""What a search backend must answer, and what it may decline: the one interface both backends implement.

The embedded index (search/embedded.py) and the Sphinx cluster (search/cluster/backend.py) are
Backends; SearchEngine (search/engine.py) is the one façade over either and asks nothing else
of them. A backend matches a plan (search/plan.py) into a Matched: its counts, its facets and a
way to read the hits of one window; search/results.py turns that into the results object, with
the pages and notices written once for both.
"""
from abc import ABC, abstractmethod


class Declined(LookupError):
    """A backend does not hold what was asked for; the message says so, in Chinese, for pages and the API."""


class Matched(ABC):
    """What a backend found for a plan before any hit is read: its counts, its facets, the hits of a window."""

    facets: dict                  # the facets object (search/facets.py's grouped rows)
    total: int                    # hits: paragraphs, or reports for a title search
    total_reports: int
    distinct: int                 # distinct texts among the paragraphs; total when nothing folds
    listed: int                   # what pages count: distinct texts when folded, reports when by report, else total
    folded: bool                  # whether near-identical hits fold under their earliest
    total_paragraphs = None       # a title search: the paragraphs behind its reports

    @abstractmethod
    def hits(self, marks):
        """Return (a list, or an iterator reading each when taken) the hits of the window asked for, in the plan's
        order, with their match spans when marks; a plan by report: its reports' rows (search/hits.py's report_row),
        each report placed by its first paragraph in that order."""

    def amend(self, results):
        """Add to the results object what the backend has to say once the hits were read (a shard that did not answer)."""


class Backend(ABC):
    """A place searches are answered from: an index on this machine, or a cluster of search nodes.

    It must answer every abstract method. It may decline the reuse views (report_reuse, similar,
    passage, reused) by raising Declined with a message saying why: a backend that holds no
    reuse data inherits these declining methods, and SearchEngine answers with that message.
    """

    # What a backend without reuse data says in place of reuse views.
    no_reuse = "这个检索后端不保存文本复用数据。"

    @abstractmethod
    def open(self):
        """Open this thread's reader (a searcher, a connection) now; True when the backend can answer."""

    @abstractmethod
    def warm(self):
        """Load what forked server workers share, in the master before it forks; True when the backend can answer."""

    @abstractmethod
    def match(self, plan, window, report_id=None):
        """Return the Matched of a plan: its paragraphs (of one report with report_id) matched, filtered and counted.

        window is (offset, count) of the hits its hits() reads in the plan's order (count None:
        every one after offset); search/results.py's window() gives it.
        """

    @abstractmethod
    def report(self, report_id):
        """Return the Report with this id, read whole, or None."""

    @abstractmethod
    def report_rows(self, complete=True):
        """Return the overview row (search/overview.py's overview_row) of every report it holds.

        complete=False: the rows it can read now, for pages that can do without the others (a
        report's related reports while a cluster shard is down); otherwise it raises when some are missing.
        """

    @abstractmethod
    def corpus(self):
        """Return what suggestions read of the corpus (search/suggest.py): its region names as `columns`
        (facets by name, each with `names`; `cached(name, compute)`), `containing(norm)` (a sequence as long
        as the paragraphs holding a folded phrase) and `between(left, right)` ({character: occurrences})."""

    def report_reuse(self, report_id):
        """Return what a report shares with others (search/passages.py's report_reuse)."""
        raise Declined(self.no_reuse)

    def similar(self, report_id, n):
        """Return paragraph n of a report beside its near-identical paragraphs, or None when it has no such paragraph."""
        raise Declined(self.no_reuse)

    def passage(self, group):
        """Return one passage with every paragraph of it, or None when no group has that name."""
        raise Declined(self.no_reuse)

    def reused(self, plan):
        """Return the reuse view of a plan's paragraphs: total, distinct, passages and (when it chooses reports) borrowed."""
        raise Declined(self.no_reuse)
