"""The search engine the web, the API and the command line use: one façade over a backend (search/backend.py).

Searches are planned here (search/plan.py), run by the backend into the results object
(search/results.py), and given suggestions; the corpus overview and related reports are made
from the backend's report rows; reuse views a backend declines are answered with its reason.
"""
from .backend import Declined
from .embedded import EmbeddedBackend
from .overview import overview_of, related_among
from .params import DEFAULT_LIMIT, EXACT
from .plan import plan
from .results import execute
from .suggest import places, spellings
from .timeline import timeline

# What a report shares with others where the backend knows nothing of reuse: nothing shown as found.
NOTHING_SHARED = {"paragraphs": {}, "compared": 0, "shared_earlier": 0, "sources": []}


class SearchEngine:
    """Searches one backend: the embedded index of index_dir, or the backend given (a cluster); shared by threads."""

    def __init__(self, index_dir=None, backend=None):
        self.backend = backend if backend is not None else EmbeddedBackend(index_dir)

    def open(self):
        """Open this thread's reader of the backend now; True when it can answer (a server worker, before its first request)."""
        return self.backend.open()

    def warm(self):
        """Load what forked workers share, in the server's master; True when the backend can answer."""
        # numpy 2's np.unique imports numpy.ma on its first call (about 0.1 s of CPU, more under load):
        # imported here, in the master, each worker's first search does not pay it.
        import numpy.ma  # noqa: F401
        return self.backend.warm()

    def search(self, q="", filters=None, sort="relevance", page=1, limit=DEFAULT_LIMIT, scope="all",
               at_most=None, marks=True, lazy=False, fold=True, group="paragraph", match=EXACT):
        """Return the results object of a query; raises BadParameter for unusable parameters.

        filters maps facet names (model/registry.py) to lists of values (OR within one,
        AND across them); sort is relevance, newest or oldest; limit is clamped to 1..100,
        and None returns every hit on one page (for export), or the first at_most of them;
        marks=False leaves out the match spans; lazy=True gives the hits as an iterator reading
        each from the index when it is taken (an export streams them, never holding them all);
        scope "title" looks for the query's words and phrases in the report titles only; fold
        (on unless 0, false, no or off) folds near-identical hits under their earliest; group "report"
        lists (and pages, and caps with at_most) reports instead, each with its matching paragraphs
        (search/hits.py's report_row), none folded; match "exact" (the default) matches every unquoted
        term as written, "words" by its jieba words.
        """
        planned = plan(q, filters, sort, page, limit, scope, fold, group, match)
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
        """Return the results object of a Plan (options as search/results.py's execute takes)."""
        return execute(self.backend, planned, **options)

    def corpus(self):
        """Return what suggestions read of the corpus: its columns, its text (containing, between)."""
        return self.backend.corpus()

    def totals(self, filters=None):
        """Return the facets object of every paragraph the filters select: how many reports each value holds."""
        return self.run(plan("", filters, limit=1), marks=False, browse=True)["facets"]

    def report_matches(self, report_id, q, match=EXACT):
        """Return the results object of a query within one report (in a match mode): every paragraph of it the query finds."""
        return self.run(plan(q, limit=None, fold=False, match=match), report_id=report_id)

    def report(self, report_id):
        """Return the report with this id, read whole, or None."""
        return self.backend.report(report_id)

    def overview(self):
        """Return what the backend holds: its reports, and report and paragraph counts per year and province."""
        return overview_of(self.backend.report_rows())

    def related(self, report_id):
        """Return the reports that go with one: the same issuer's other years, other reports of its place and level.

        A report page is served while its own report can be read; the links to related reports
        then leave out those the backend cannot read now (a cluster shard down).
        """
        return related_among(self.backend.report_rows(complete=False), report_id)

    def timeline(self, issuer):
        """Return one issuer's reports by year and what changed from each to the next (search/timeline.py), or None
        when no report has that issuer."""
        return timeline(self.backend.report_rows(), self.backend.report, issuer)

    def report_reuse(self, report_id):
        """Return what a report shares with others: per paragraph, and with which earlier reports (search/passages.py)."""
        try:
            return self.backend.report_reuse(report_id)
        except Declined:
            return dict(NOTHING_SHARED)

    def similar(self, report_id, n):
        """Return paragraph n of a report and the near-identical paragraphs of other reports, or None when there
        is no such paragraph or the backend knows no reuse."""
        try:
            return self.backend.similar(report_id, n)
        except Declined:
            return None

    def passage(self, group):
        """Return one passage by its group name with every paragraph of it, or None when no group has that name
        or the backend knows no reuse."""
        try:
            return self.backend.passage(group)
        except Declined:
            return None

    def reuse(self, q="", filters=None, match=EXACT):
        """Return the reuse view of a search (of the whole corpus without query or filters): its most reused
        passages and, when filters choose reports, whom those reports borrow from most; a backend without
        reuse data says so in a notice."""
        planned = plan(q, filters, limit=1, match=match)
        view = {"query": planned.text, "description": planned.description, "filters": planned.filters,
                "match": planned.match, "notices": list(planned.notices)}
        try:
            view.update(self.backend.reused(planned))
        except Declined as declined:
            view.update(total=0, distinct=0, passages=[], borrowed=None)
            view["notices"].append(str(declined))
        return view


def engine_for(index_dir, backend=None, cluster=None):
    """Return the search engine of a backend (default $SEARCH_BACKEND, else embedded) over its index or cluster.

    Raises model.cluster.layout.BadLayout naming what is wrong with the backend or its layout.
    """
    from model.cluster.settings import CLUSTER, backend as backend_name, layout_path
    if backend_name(backend) == CLUSTER:
        from .cluster.backend import ClusterBackend  # pymysql, only for a cluster
        return SearchEngine(backend=ClusterBackend(layout_path(cluster)))
    return SearchEngine(index_dir)
