"""Run searches against the paragraph index and shape the results."""
import threading
import time
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.store import load_report

from .highlight import snippet
from .query import matcher, parse

REBUILD_COMMAND = ".venv/bin/python -m indexer rebuild"
MAX_LIMIT = 1000


class IndexMissing(RuntimeError):
    """There is no index to search; the message names the command that builds one."""

    def __init__(self, index_dir):
        super().__init__(f"no search index at {index_dir}; build it with: {REBUILD_COMMAND}")


def hit_url(report_id, n):
    """Return the link to a paragraph inside its report."""
    return f"/report/{report_id}#p-{n}"


class SearchEngine:
    """Searches one index folder; shared by threads, each thread gets its own searcher."""

    def __init__(self, index_dir):
        self.index_dir = Path(index_dir)
        self._local = threading.local()

    def _searcher(self):
        """Return this thread's searcher, opened once and refreshed when the index changes."""
        searcher = getattr(self._local, "searcher", None)
        if searcher is None:
            if not whoosh_index.exists_in(str(self.index_dir)):
                raise IndexMissing(self.index_dir)
            searcher = whoosh_index.open_dir(str(self.index_dir)).searcher()
        elif not searcher.up_to_date():
            searcher = searcher.refresh()
        self._local.searcher = searcher
        return searcher

    def report(self, report_id):
        """Return the clean report with this id, or None."""
        return load_report(self.index_dir, report_id)

    def search(self, text, limit=20, page=1):
        """Return the results object of a query: totals, the page of hits, notices."""
        started = time.perf_counter()
        limit = max(1, min(int(limit), MAX_LIMIT))
        page = max(1, int(page))
        terms = parse(text or "")
        results = {"query": text or "", "total": 0, "hits": [], "notices": []}
        if not terms:
            if (text or "").strip():
                results["notices"].append("查询中没有可检索的文字。")
            results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
            return results
        searcher = self._searcher()
        found = searcher.search_page(matcher(terms), page, pagelen=limit)
        needles = [term.norm for term in terms]
        results["total"] = found.total
        results["page"] = found.pagenum
        results["hits"] = [self._hit(stored, needles) for stored in found]
        results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return results

    @staticmethod
    def _hit(stored, needles):
        """Shape one stored paragraph document into a hit."""
        return {
            "report_id": stored["report_id"],
            "n": stored["n"],
            "text": stored["text"],
            "title": stored["title"],
            "url": hit_url(stored["report_id"], stored["n"]),
            "snippet": str(snippet(stored["text"], needles)),
        }
