"""A Plan matched on one open generation's arrays: match, filter, count facets, fold, rank, page, shape hits."""
import hashlib
from dataclasses import dataclass, field, replace

import numpy as np

from model.values import oldest_key

from . import facets
from .backend import Matched
from .evaluate import match_docs, scores
from .hits import MATCHES_SHOWN, report_row, shape_hit
from .nodes import Everything
from .opened import kept, plan_path, read, shared
from .sorts import DESCENDING, ORDERS

# Hits folded under one that its folded_hits lists; its folded count says how many there are in all.
MAX_FOLDED_LISTED = 20
# Matches (before filters) from which a plan's matching is remembered for the generation: at 10^6
# paragraphs a plan of some 8,000 matches takes 40–50 ms of CPU to match, count and fold afresh,
# and a byte budget (search/arrays.py) bounds what is kept.
REMEMBERED_MATCHES = 2_000
# Each key of search/sorts.py's orders over the arrays: its value per document (score: the ranking's, per doc).
SORT_KEYS = {
    "score": lambda columns, docs, score: score,
    "newest": lambda columns, docs, score: columns.when[docs],
    "oldest": lambda columns, docs, score: oldest_key(columns.when[docs]),
    "report": lambda columns, docs, score: columns.report.codes[docs],
    "n": lambda columns, docs, score: columns.n[docs],
}


def sort_key(key, direction, columns, docs, score):
    """Return one key of an order per document, as numbers ordered ascending."""
    values = SORT_KEYS[key](columns, docs, score)
    return -values if direction == DESCENDING else values


def page_of(docs, sort, columns, score, offset=0, count=None):
    """Return the docnums from offset in the sort's order (search/sorts.py), count of them (None: every one)."""
    docs = np.asarray(docs, dtype=np.int64)
    (first, direction), *rest = ORDERS[sort]
    first_key = sort_key(first, direction, columns, docs, score)
    wanted = len(docs) if count is None else min(offset + count, len(docs))
    if 0 < wanted < len(docs):
        # Only what can reach the page is sorted in full: everything at or before the
        # wanted-th smallest first key (ties included, the full sort decides among them).
        bound = np.partition(first_key, wanted - 1)[wanted - 1]
        keep = first_key <= bound
        docs, first_key = docs[keep], first_key[keep]
        score = score[keep] if score is not None else None
    order = np.lexsort((*(sort_key(key, way, columns, docs, score) for key, way in reversed(rest)), first_key))
    return docs[order[offset:None if count is None else offset + count]].tolist()


class Membership:
    """Whether a document is among those a match node selects; each node is answered once per search."""

    def __init__(self, arrays):
        self.arrays = arrays
        self.docs = {}

    def holds(self, node, doc):
        """Tell whether the node selects the document."""
        if isinstance(node, Everything):
            return True
        if node not in self.docs:
            self.docs[node] = match_docs(node, self.arrays)
        docs = self.docs[node]
        place = np.searchsorted(docs, doc)
        return bool(place < len(docs) and docs[place] == doc)

    def of(self, doc):
        """Return the holds() of one document, as the span finder asks it."""
        return lambda node: self.holds(node, doc)


def paragraph_at(columns, doc):
    """Return where a document is (report id, paragraph number) with its report's fields."""
    code = columns.report.codes[doc]
    return {"report_id": columns.reports[code].report_id, "n": int(columns.n[doc]), **columns.hit_fields(code)}


def reuse_fields(reuse, columns, doc, folding=None):
    """Return a hit's reuse fields: its group, the group's earliest paragraph, and the hits folded under it."""
    group = reuse.group_of(doc)
    folded = folding.folded(doc) if folding is not None else ()
    return {"group": reuse.group_id(group) if group >= 0 else None,
            "earliest": paragraph_at(columns, reuse.earliest(group)) if group >= 0 else None,
            "folded": len(folded), "folded_hits": [paragraph_at(columns, other) for other in folded[:MAX_FOLDED_LISTED]]}


def first_of_each_report(docs, columns):
    """Return (the first of the sorted docs of each report, how many of the docs each report has)."""
    codes = columns.report.codes[docs]
    order = np.lexsort((docs, codes))
    starts = np.flatnonzero(np.diff(codes[order], prepend=-1) != 0)
    return docs[order][starts], np.diff(np.append(starts, len(docs)))


def in_reports(ordered, columns):
    """Return (the report codes of ordered docs, each placed by its first doc; a function giving a code's docs in order)."""
    codes = columns.report.codes[ordered]
    reports = codes[np.sort(np.unique(codes, return_index=True)[1])]
    by_code = np.argsort(codes, kind="stable")
    grouped = codes[by_code]

    def docs_of(code):
        """Return the ordered docs of one report, in their order."""
        return ordered[by_code[np.searchsorted(grouped, code, "left"):np.searchsorted(grouped, code, "right")]]
    return reports, docs_of


@dataclass
class Counted:
    """A plan's matches over a generation: the documents that pass its filters, its facets, how many matched
    before the filters, and what is derived from the passing documents alone (their folding), made once."""

    passing: np.ndarray
    facets: dict
    matched: int
    derived: dict = field(default_factory=dict)

    def folding(self, reuse):
        """Return the Folding of the passing documents (search/reuse.py), made on first use."""
        if "folding" not in self.derived:
            self.derived["folding"] = reuse.fold(self.passing)
        return self.derived["folding"]

    def scores(self, ranking, compute):
        """Return compute(), the relevance scores of the listed documents under a ranking (a key naming the words
        it ranks by and what is listed), kept for the last ranking asked: a page of a common phrase, then the next
        page, rank the same hundreds of thousands of matches."""
        known = self.derived.get("scores")
        if known is None or known[0] != ranking:
            # A plan kept on disk keeps its scores beside it, by ranking: the other worker reads them.
            path = self.derived.get("path")
            path = path and path.with_name(f"{path.stem}-{hashlib.sha1(repr(ranking).encode('utf-8')).hexdigest()[:16]}.bin")
            found = shared(path, lambda: frozen(compute())) if path else frozen(compute())
            known = self.derived["scores"] = (ranking, found)
        return known[1]


def frozen(values):
    """Return an array made read-only (it is shared by every caller)."""
    values.flags.writeable = False
    return values


def matching(plan, arrays, report_id=None):
    """Return the Counted of a plan: its documents, ascending, as int64; its facet counts; their folding.

    What matched at least REMEMBERED_MATCHES paragraphs is remembered for the generation (the
    commonest phrases of the genre match a third of the corpus); each caller gets its own copy
    of the facets.
    """
    if report_id is not None:
        return counted_matches(plan, arrays, report_id)
    key = repr((plan.compiled.match, sorted(plan.choices.items())))
    found = arrays.matched.get(key)
    if found is None:
        # Kept on disk for the generation (search/opened.py), mapped: every worker of a server, and the next
        # server on the generation, reads what one worked out.
        path = plan_path(arrays.kept, key)
        found = read(path)
        if found is None:
            found = counted_matches(plan, arrays)
            if found.matched < REMEMBERED_MATCHES:
                return found
            found.folding(arrays.reuse)
            found.passing.flags.writeable = False
            found = kept(path, found)
        # Where it is kept, for its scores (not itself kept: a worker may read the plan back from elsewhere).
        found.derived["path"] = path
        arrays.matched.put(key, found)
    return replace(found, facets=facets.copied(found.facets))


def counted_matches(plan, arrays, report_id=None):
    """Return the Counted of a plan, matched and counted now."""
    compiled = plan.compiled
    docs = match_docs(compiled.match if compiled.match is not None else Everything(), arrays)
    if report_id is not None:
        docs = docs[np.isin(docs, arrays.of_reports([arrays.report_code(report_id)]))]
    passing, counted = facets.apply(arrays.columns, plan.choices, docs)
    return Counted(np.asarray(passing, dtype=np.int64), counted, len(docs))


class ArraysMatch(Matched):
    """A plan matched, filtered, counted and folded over a generation's arrays; its page ranked and read when asked."""

    def __init__(self, plan, window, searcher, arrays, report_id=None):
        self.plan, self.window, self.searcher, self.arrays = plan, window, searcher, arrays
        columns = arrays.columns
        counted = self.counted = matching(plan, arrays, report_id)
        passing, self.facets = counted.passing, counted.facets
        self.counts = self.folding = None
        if plan.scope == "title":
            # A title search finds reports: one row each, standing for its paragraphs that pass.
            self.total_paragraphs = len(passing)
            passing, counts = first_of_each_report(passing, columns)
            self.counts = dict(zip(passing.tolist(), counts.tolist()))
            self.folded = False
        else:
            self.folding = counted.folding(arrays.reuse)
            # Listed by report, every report holding a match is listed: nothing is folded away.
            self.folded = plan.fold and not plan.by_report
        # Folded, a page lists distinct texts: each group's earliest hit stands for the others.
        self.listed_docs = self.folding.kept if self.folded else passing
        self.total_reports = facets.report_count(columns, passing)
        self.total = len(passing)
        self.listed = self.total_reports if plan.by_report else len(self.listed_docs)
        self.distinct = self.folding.distinct if self.folding is not None else self.total

    def hits(self, marks):
        """Return the hits of the window, ranked first for a relevance sort, each read from the index when taken."""
        plan, arrays = self.plan, self.arrays
        score = self.scores() if plan.sort == "relevance" else None
        membership = Membership(arrays) if marks else None
        if plan.by_report:
            # A report's place is its first paragraph's in the plan's order: every doc is ordered.
            return self.report_rows(np.asarray(page_of(self.listed_docs, plan.sort, arrays.columns, score), np.int64),
                                    membership)
        shown = page_of(self.listed_docs, plan.sort, arrays.columns, score, *self.window)
        return self.shaped(shown, membership)

    def scores(self):
        """Return the relevance score of each listed document (the same for every page of one query's matches)."""
        compiled = self.plan.compiled
        ranking = (tuple(compiled.rank_words), tuple(compiled.title_words), tuple(compiled.exact_chunks), self.folded,
                   self.plan.scope)
        return self.counted.scores(ranking, lambda: scores(compiled, self.listed_docs, self.arrays, self.searcher))

    def report_rows(self, ordered, membership):
        """Yield the rows of the window's reports (search/hits.py's report_row) from every doc in the plan's order:
        each with its docs' numbers and its first MATCHES_SHOWN docs as hits."""
        columns = self.arrays.columns
        reports, docs_of = in_reports(ordered, columns)
        offset, count = self.window
        for code in reports[offset:None if count is None else offset + count]:
            docs = docs_of(code)
            yield report_row(columns.reports[code].report_id, columns.hit_fields(code), columns.n[docs].tolist(),
                             list(self.shaped(docs[:MATCHES_SHOWN].tolist(), membership)))

    def shaped(self, shown, membership):
        """Yield the hits of the shown docs in order, with match spans when membership is given, and their
        reuse fields (the hits folded under each, when folded)."""
        arrays, columns, folding = self.arrays, self.arrays.columns, self.folding if self.folded else None
        for doc in shown:
            code = columns.report.codes[doc]
            hit = shape_hit(self.searcher.stored_fields(doc), columns.reports[code], self.plan.compiled,
                            membership.of(doc) if membership else None, columns.hit_fields(code))
            hit.update(reuse_fields(arrays.reuse, arrays.columns, doc, folding))
            if self.counts is not None:
                hit["paragraphs"] = self.counts[doc]
            yield hit
