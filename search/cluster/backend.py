"""The cluster backend: search/backend.py's interface, answered by a Sphinx cluster's front node.

Plans are matched through execute.py; a report is read whole from its shard (its metadata from
the reports index, its paragraphs in order from the paragraphs index); the report rows of the
corpus overview and related reports from the reports index. What suggestions and places read
of the corpus (search/suggest.py) is asked of the cluster too: how many paragraphs hold a
phrase, which characters stand between two others, the region names. It holds no reuse data
(found by the embedded index's build, indexer/reuse/): it declines the reuse views, saying so.
"""
import json
import re
import threading
import time

from model.cluster import stamp
from model.cluster.connection import DRIVER_ERRORS, connect
from model.cluster.layout import read_layout
from model.cluster.rows import MAX_PARAGRAPHS, report_code, shard_of
from model.cluster.schema import PARAGRAPHS, REPORTS, VALUES
from model.registry import REGION
from model.report import Paragraph, Report
from model.text import normalize
from search.backend import Backend
from search.columns import Coded
from search.hits import copy
from search.overview import overview_row

from .execute import CLASS_NAMES, ClusterMatch, Executor
from .match import phrase
from .sphinxql import ClusterUnavailable, Front, run_batch

# Report rows and region names are read again after this long (a push may have changed them).
CORPUS_TTL_S = 30
# Rows read per statement when reading a whole index (reports, values).
PAGE_ROWS = 10_000
# Paragraphs read to find the characters between two others (search/suggest.py's variants).
BETWEEN_SAMPLE = 2_000
NO_REUSE = "这个检索集群不保存文本复用数据：文本复用只在内置索引上查看（SEARCH_BACKEND=embedded）。"


class ShardMissing(ClusterUnavailable):
    """A page needs a shard none of whose replicas answers; the message names it."""

    title = "部分检索节点无法访问"


def shard_message(missing, what):
    """Return the message of a page that cannot be served while shards are missing."""
    shards = "; ".join(f"shard {shard + 1} ({', '.join(agents)} did not answer)" for shard, agents in sorted(missing.items()))
    return f"{what} needs every shard it reads, and {shards}; start those nodes again and reload"


class Names:
    """The region names of the corpus as search/suggest.py's places() reads columns: facets by name, cached values."""

    def __init__(self, names_by_facet):
        self.facets = {name: Coded(None, names) for name, names in names_by_facet.items()}
        self.derived = {}

    def cached(self, name, compute):
        """Return compute(self), computed the first time it is asked for."""
        if name not in self.derived:
            self.derived[name] = compute(self)
        return self.derived[name]


class ClusterCorpus:
    """What suggestions read of the corpus, asked of the cluster: region names, phrase counts, characters between."""

    def __init__(self, executor, names):
        self.executor = executor
        self.columns = names

    def containing(self, norm):
        """Return a sequence as long as the number of paragraphs holding a folded phrase."""
        results = self.executor.batch([f"SELECT id FROM {PARAGRAPHS} WHERE MATCH('{phrase('text', norm)}') LIMIT 1",
                                       "SHOW META"], {})
        return range(int(dict(results[1]).get("total_found", 0)))

    def between(self, left, right):
        """Return {character: occurrences} of the one character standing between left and right, in a sample of paragraphs."""
        parts = " ".join(phrase("text", side) for side in (left, right) if side)
        rows = self.executor.batch([f"SELECT body FROM {PARAGRAPHS} WHERE MATCH('{parts}') LIMIT {BETWEEN_SAMPLE}"
                                    f" OPTION max_matches={BETWEEN_SAMPLE}"], {})[0]
        pattern = re.compile(f"(?={re.escape(left)}(.){re.escape(right)})")
        found = {}
        for (body,) in rows:
            for match in pattern.finditer(normalize(body)):
                found[match.group(1)] = found.get(match.group(1), 0) + 1
        return found


class ClusterBackend(Backend):
    """Answers from a Sphinx cluster through its front node; shared by threads, each with its own connection."""

    no_reuse = NO_REUSE

    def __init__(self, layout_path):
        self.layout = read_layout(layout_path)
        self.front = Front(self.layout)
        self.executor = Executor(self.front)
        self._lock = threading.Lock()
        self._cached = {}

    def match(self, plan, window, report_id=None):
        """Return the plan matched and counted by the front node, its page read with the counts when known (execute.py)."""
        return ClusterMatch(self.executor, plan, window, report_code(report_id) if report_id is not None else None)

    def open(self):
        """Open this thread's connection to the front node now; True when it answers."""
        try:
            self.front._connection()
        except ClusterUnavailable:
            return False
        return True

    def warm(self):
        """Tell whether the front node answers, and take every report's facet codes for the forked workers to share
        (reportcodes.py: mapped when kept at the push the cluster holds, else read and kept), without keeping a
        connection a forked worker would share."""
        try:
            connection = connect(self.layout.front.host, self.layout.front.sql_port, multi=False)
        except Exception:  # noqa: BLE001 - any failure to connect means: not now
            return False
        try:
            def ask(statement):
                """Return the rows of one statement."""
                return run_batch(connection, [statement])[0]
            held = stamp.settled(ask(stamp.READ))
            if not self.executor.report_codes.load(held):
                reports = int(ask(f"SELECT COUNT(*) FROM {REPORTS}")[0][0])
                self.executor.report_codes.read_every(ask, reports, held)
        except DRIVER_ERRORS:
            pass  # a shard down or a push under way: each report's codes are read when a count first meets it
        finally:
            connection.close()
        return True

    def _whole(self, statement_of):
        """Return (every row of an index, read a page at a time by id; the shards that did not answer)."""
        rows, last, missing = [], 0, {}
        while True:
            page = self.executor.batch([statement_of(last)], missing)[0]
            rows += page
            if len(page) < PAGE_ROWS:
                return rows, missing
            last = page[-1][0]

    def _fresh(self, name, compute):
        """Return the value of compute() -> (value, whole), remembered for CORPUS_TTL_S seconds when whole."""
        with self._lock:
            found = self._cached.get(name)
        if found is None or time.monotonic() - found[0] > CORPUS_TTL_S:
            value, whole = compute()
            if not whole:
                return value
            found = (time.monotonic(), value)
            with self._lock:
                self._cached[name] = found
        return found[1]

    def report_rows(self, complete=True):
        """Return the overview row (search/overview.py's overview_row) of every report of the cluster.

        Raises ShardMissing when a shard did not answer, unless complete is False: then the rows of the shards that did.
        """
        def read():
            """Return (the report rows of every shard that answered, whether all did)."""
            rows, missing = self._whole(lambda last: f"SELECT id, report_id, meta, paragraphs FROM {REPORTS}"
                                                     f" WHERE id > {last} ORDER BY id ASC LIMIT {PAGE_ROWS}"
                                                     f" OPTION max_matches={PAGE_ROWS}")
            if missing and complete:
                raise ShardMissing(shard_message(missing, "the list of reports"))
            return [overview_row(Report.from_metadata(report_id, json.loads(meta)), int(size))
                    for _code, report_id, meta, size in rows], not missing
        return [copy(row) for row in self._fresh("reports", read)]

    def corpus(self):
        """Return what suggestions read of the corpus, asked of the cluster."""
        def read():
            """Return (the region names of every shard that answered, whether all did)."""
            # A missing shard's names are left out (the search's notice says it is partial) and read again next time.
            names = {facet.name: [""] for facet in REGION}
            # Only the regions' rows: the values index holds every facet's (the issuers' and cited documents' too).
            listed = ", ".join(f"'{name}'" for name in names)
            rows, missing = self._whole(lambda last: f"SELECT id, facet_name, facet_value FROM {VALUES}"
                                                     f" WHERE facet_name IN ({listed}) AND id > {last}"
                                                     f" ORDER BY id ASC LIMIT {PAGE_ROWS} OPTION max_matches={PAGE_ROWS}")
            for _code, facet, value in rows:
                if facet in names:
                    names[facet].append(value)
            return Names(names), not missing
        return ClusterCorpus(self.executor, self._fresh("names", read))

    def report(self, report_id):
        """Return the Report with this id, read whole from its shard, or None; raises ShardMissing when its shard is down."""
        code, missing = report_code(report_id), {}
        found, paragraphs = self.executor.batch([
            f"SELECT report_id, meta FROM {REPORTS} WHERE id={code} LIMIT 1",
            f"SELECT n, body, heading, section, path FROM {PARAGRAPHS} WHERE report={code} ORDER BY n ASC"
            f" LIMIT {MAX_PARAGRAPHS} OPTION max_matches={MAX_PARAGRAPHS}"], missing)
        if shard_of(report_id, len(self.layout.shards)) in missing:
            raise ShardMissing(shard_message(missing, f"report {report_id}"))
        if not found or found[0][0] != report_id:
            return None
        return Report.from_metadata(report_id, json.loads(found[0][1]), [
            Paragraph(int(n), body, bool(heading), CLASS_NAMES.get(section, ""), json.loads(path or "[]"))
            for n, body, heading, section, path in paragraphs])
