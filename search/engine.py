"""Run searches against the paragraph index and shape the results object."""
import math
import threading
import time
from pathlib import Path

import numpy as np

from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage

from indexer.report import REGION_LEVELS
from indexer.index.schema import paragraph_schema
from indexer.index.generations import current_folder
from indexer.index.store import load_report

from . import facets
from .arrays import ArrayCache
from .evaluate import match_docs, scores
from .filters import DEFAULT_LIMIT, read_filters, read_limit, read_page, read_scope, read_sort
from .highlight import marked
from .parse import parse
from .overview import corpus_overview
from .nodes import Everything
from .query import compile_tree, in_titles

REBUILD_COMMAND = ".venv/bin/python -m indexer rebuild"
# Sort key of an undated paragraph in the oldest-first order: after every real date.
UNDATED_LAST = 99_999_999


class IndexMissing(RuntimeError):
    """There is no usable index to search; the message names the command that builds one."""

    def __init__(self, index_dir, problem="no search index"):
        super().__init__(f"{problem} at {index_dir}; build it with: {REBUILD_COMMAND}")


def hit_url(report_id, n):
    """Return the link to a paragraph inside its report."""
    return f"/report/{report_id}#p-{n}"


def empty_facets():
    """Return the facets object of a search that matched nothing."""
    level = REGION_LEVELS[0]
    return {"region": {"level": level, "values": [], "levels": [{"level": level, "values": []}]},
            "year": [], "section": []}


def page_of(docs, sort, columns, score, page, limit):
    """Return the docnums of one page in order (every document when limit is None).

    relevance: higher score first, then newer, then report and paragraph order;
    newest: newer first; oldest: older first, undated last; ties by report and paragraph.
    """
    docs = np.asarray(docs, dtype=np.int64)
    date = columns.date[docs]
    if sort == "relevance":
        first_key, second = -score, (-date,)
    elif sort == "newest":
        first_key, second = -date, ()
    else:
        first_key, second = np.where(date == 0, UNDATED_LAST, date), ()
    wanted = len(docs) if limit is None else min(page * limit, len(docs))
    if 0 < wanted < len(docs):
        # Only what can reach the page is sorted in full: everything at or before the
        # wanted-th smallest first key (ties included, the full sort decides among them).
        bound = np.partition(first_key, wanted - 1)[wanted - 1]
        keep = first_key <= bound
        docs, first_key = docs[keep], first_key[keep]
        second = tuple(key[keep] for key in second)
    order = np.lexsort((columns.n[docs], columns.report.codes[docs], *second, first_key))
    if limit is not None:
        order = order[(page - 1) * limit:page * limit]
    return docs[order].tolist()


def shape_hit(stored, report, needles, marks=True):
    """Shape one stored paragraph document and its report's metadata into a hit (marked text when marks)."""
    text = stored["text"]
    hit = {
        "report_id": stored["report_id"],
        "n": stored["n"],
        "url": hit_url(stored["report_id"], stored["n"]),
        "title": report.get("title") or "",
        "issuer": report.get("issuer") or "",
        "region": {level: report.get("region", {}).get(level) or "" for level in REGION_LEVELS},
        "report_year": report.get("report_year") or None,
        "pub_date": report.get("pub_date") or "",
        "section_class": stored.get("section_class", ""),
        "section_path": stored.get("section_path") or [],
        "heading": bool(stored.get("heading")),
        "text": text,
    }
    if marks:
        snippet, highlighted = marked(text, needles)
        hit.update(snippet=str(snippet), highlighted=str(highlighted))
    return hit


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

        filters maps province, city, county, township, year and section to lists of
        values (OR within one, AND across them); sort is relevance, newest or oldest;
        limit is clamped to 1..100, and None returns every hit on one page (for export), or
        the first at_most of them; marks=False leaves out the marked snippet and paragraph;
        lazy=True gives the hits as an iterator reading each from the index when it is taken
        (an export streams them, never holding them all); scope "title" looks for the
        query's words and phrases in the report titles only.
        """
        started = time.perf_counter()
        notices = []
        limit = read_limit(limit, notices)
        page, sort, chosen = read_page(page), read_sort(sort), read_filters(filters)
        scope = read_scope(scope)
        parsed = parse(q)
        tree = in_titles(parsed.tree) if scope == "title" else parsed.tree
        compiled = compile_tree(tree)
        description = " 且 ".join(filter(None, [compiled.description, chosen.describe()]))
        results = {
            "query": parsed.text, "description": description, "total": 0, "total_reports": 0,
            "page": page, "pages": 0, "limit": limit, "sort": sort, "scope": scope,
            "hits": [], "facets": empty_facets(), "filters": chosen.active(),
            "notices": parsed.notices + notices,
        }
        # Filters alone browse everything they select; text that reduced to nothing finds nothing.
        if compiled.match is not None or (not parsed.text and chosen.active()):
            self._run(compiled, chosen, sort, page, limit, results, at_most, marks, lazy)
        results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return results

    def _run(self, compiled, chosen, sort, page, limit, results, at_most=None, marks=True, lazy=False):
        """Match, filter, count facets, order and fetch one page into the results object."""
        searcher = self._searcher()
        arrays = self._arrays_of(searcher)
        columns = arrays.columns
        match = compiled.match if compiled.match is not None else Everything()
        docs = match_docs(match, arrays)
        passing, results["facets"] = facets.apply(columns, chosen, docs)
        total = len(passing)
        results["total"] = total
        results["total_reports"] = facets.report_count(columns, passing)
        results["pages"] = (math.ceil(total / limit) if limit else 1) if total else 0
        if total and page > results["pages"]:
            results["notices"].append(f"第 {page} 页超出范围：共 {results['pages']} 页。")
            return
        passing = np.asarray(passing, dtype=np.int64)
        score = scores(compiled, passing, arrays, searcher) if sort == "relevance" else None
        shown = page_of(passing, sort, columns, score, page, at_most if limit is None else limit)
        stored = map(searcher.stored_fields, shown)
        hits = (shape_hit(fields, arrays.report_of(fields["report_id"]), compiled.needles, marks)
                for fields in stored)
        results["hits"] = hits if lazy else list(hits)
