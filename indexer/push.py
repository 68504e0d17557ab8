"""Push the clean reports into a Sphinx cluster: each to its shard, every replica brought up to date.

    python -m indexer push --cluster LAYOUT [--corpus DIR] [--full]

The corpus is cleaned through the same clean cache as a rebuild (indexer/clean/cache.py). A
report goes to the shard a stable hash of its id names (model/cluster/rows.py). Each
replica is asked which reports it holds and with which digest, and is sent only what differs:
new and changed reports, and the removal of reports gone from the corpus. A replica that does
not answer is named and left as it is; the next push brings it up to date. A report's
paragraphs change in one transaction of its shard's index, so a search sees the old report or
the new one, each carrying the version of the report it is, and its report row (with its
digest) is written last. What a replica holds is read from its paragraphs as well as from its
report rows, so a push killed at any point is finished by the next one, whatever the corpus
did meanwhile: paragraphs without their report row, or of another version than it, are
replaced, or removed with a report gone from the corpus. Before it writes to any shard, the push
marks the front node (model/cluster/stamp.py) so that no web server answers from what it
remembered while the shards change, and marks it done once every replica took all it was sent;
a push that cannot mark the front node writes nothing. The push also writes every node's configuration (the real-time
indexes of each shard node, the distributed indexes of the front node with their agents and
mirrors) beside the layout, in config/.
"""
import hashlib
import queue
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from pymysql.converters import escape_string

from indexer.clean.cache import clean_corpus
from model.jsonfile import write_json
from indexer.paths import clean_dir
from model.cluster.rows import (MAX_PARAGRAPHS, PARAGRAPH_BITS, paragraph_rows, report_code, reports_index_row,
                                shard_of, value_rows, version_of)
from model.cluster.layout import read_layout
from model.cluster.schema import PARAGRAPHS, REPORTS, VALUES, columns, node_config, node_names, shard_index
from model.cluster.connection import DRIVER_ERRORS, connect
from model.cluster import stamp

# Which code shapes the rows: a change to it sends every report again.
ROW_CODE = ("model/cluster/rows.py", "model/cluster/schema.py", "model/registry.py", "model/kinds.py", "model/values.py")
# Where a node of a production cluster keeps its indexes (Debian's default), in the configuration written.
PRODUCTION_DATA_DIR = "/var/lib/sphinxsearch/data"
CONFIG_FOLDER = "config"
# Rows per statement, reports per transaction, and transactions made ahead of what a replica has indexed.
ROWS_PER_STATEMENT = 500
REPORTS_PER_TRANSACTION = 50
QUEUED_BATCHES = 4
HELD_PAGE = 10_000


@dataclass
class PushSummary:
    """What a push did: per replica reports added, changed, removed; replicas left behind; files skipped."""

    added: int = 0
    changed: int = 0
    removed: int = 0
    paragraphs: int = 0
    reports: int = 0
    shards: int = 0
    replicas: int = 0
    seconds: float = 0.0
    unreachable: list = field(default_factory=list)
    refused: list = field(default_factory=list)
    cleaning: str = ""
    settled: bool = False

    def line(self):
        """Return the one-line summary printed after a push."""
        text = (f"pushed {self.reports} reports to {self.replicas} replicas of {self.shards} shards: {self.added} added,"
                f" {self.changed} changed, {self.removed} removed (over all replicas), {self.paragraphs} paragraphs"
                f" sent in {self.seconds:.1f} s ({self.cleaning})")
        if self.refused:
            text += f"; {len(self.refused)} reports not pushed (named above)"
        if self.unreachable:
            text += f"; NOT UPDATED (pushed again next time): {', '.join(self.unreachable)}"
        if not self.settled:
            text += "; web servers answer nothing from memory until a push reaches every replica"
        return text


def row_code_digest():
    """Return a digest of the code that shapes the rows."""
    digest = hashlib.sha1()
    root = Path(__file__).resolve().parent.parent
    for name in ROW_CODE:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


@dataclass(frozen=True)
class Held:
    """What one replica holds of a report, from its report row and from its paragraph rows, which a push killed
    between the two may have left disagreeing."""

    code: int
    digest: str = ""   # its report row's ("" without one)
    last_n: int = 0    # the highest paragraph number its report row or any of its paragraph rows has
    version: int = 0   # the version its paragraph rows are (0 without any, MIXED when they differ)

    def current(self, digest, paragraphs):
        """Tell whether the replica holds exactly this version of the report: its report row and its paragraphs
        (paragraphs: how many it has)."""
        return self.digest == digest and self.version == (version_of(digest) if paragraphs else 0)


# A report whose paragraph rows are of more than one version (never written so; found, it is sent again).
MIXED = -1


def read_pages(connection, statement_of):
    """Return every row of a statement read HELD_PAGE rows at a time, each page after the first row key of the last."""
    found, last = [], 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(statement_of(last) + f" LIMIT {HELD_PAGE} OPTION max_matches={HELD_PAGE}")
            rows = cursor.fetchall()
        found += rows
        if len(rows) < HELD_PAGE:
            return found
        last = rows[-1][0]


def held_reports(connection, number):
    """Return {report_id: Held} of what one replica of a shard holds: every report with a report row or a paragraph.

    The paragraphs are read too (grouped by report), not only the report rows, so that what a
    killed push left (paragraphs without their report row, or of another version) is known.
    """
    held = {}
    reports = shard_index(REPORTS, number)
    for code, report_id, digest, last_n in read_pages(
            connection, lambda last: f"SELECT id, report_id, digest, last_n FROM {reports} WHERE id > {last} ORDER BY id ASC"):
        held[report_id] = Held(code, digest, last_n)
    paragraphs = shard_index(PARAGRAPHS, number)
    for code, report_id, high_n, low, high in read_pages(
            connection, lambda last: f"SELECT report, report_id, MAX(n) AS high_n, MIN(version) AS low, MAX(version) AS high"
                                     f" FROM {paragraphs} WHERE report > {last} GROUP BY report ORDER BY report ASC"):
        row = held.get(report_id, Held(code))
        held[report_id] = Held(code, row.digest, max(row.last_n, high_n), low if low == high else MIXED)
    return held


def paragraph_ids(code, last_n):
    """Return the row ids of a report's paragraphs numbered 1..last_n."""
    return [(code << PARAGRAPH_BITS) | n for n in range(1, last_n + 1)]


def sql_value(value):
    """Return a column value as SphinxQL: an integer as it is, a set of integers (a multi-valued attribute) in
    parentheses, text quoted and escaped."""
    if isinstance(value, tuple):
        return "(" + ",".join(map(str, value)) + ")"
    return str(value) if isinstance(value, int) else "'" + escape_string(value) + "'"


def replacing(index, kind, rows):
    """Return the REPLACE statements writing rows of a kind into an index, a few hundred rows each."""
    head = f"REPLACE INTO {index} ({', '.join(columns(kind))}) VALUES "
    return [head + ",".join("(" + ",".join(map(sql_value, row)) + ")" for row in rows[start:start + ROWS_PER_STATEMENT])
            for start in range(0, len(rows), ROWS_PER_STATEMENT)]


def deleting(index, ids):
    """Return the DELETE statements removing rows by id, a few thousand each."""
    return [f"DELETE FROM {index} WHERE id IN ({', '.join(map(str, ids[start:start + ROWS_PER_STATEMENT * 10]))})"
            for start in range(0, len(ids), ROWS_PER_STATEMENT * 10)]


class ReplicaWriter:
    """One replica being pushed to: what it holds, what it needs, and a thread sending it statements in order.

    Statements are made once per shard and sent to each replica needing them from its own
    thread, so that the rows of the next reports are made while the nodes index these.
    """

    def __init__(self, replica, number):
        self.replica, self.number = replica, number
        self.failed = None
        self.queue = queue.Queue(maxsize=QUEUED_BATCHES)
        self.connection = connect(replica.host, replica.sql_port, multi=False)
        self.held = held_reports(self.connection, number)
        self.thread = threading.Thread(target=self._send, daemon=True)
        self.thread.start()

    def _send(self):
        """Run the queued statement groups in order until the end mark; remember the first failure."""
        while (statements := self.queue.get()) is not None:
            if self.failed is None:
                try:
                    with self.connection.cursor() as cursor:
                        for statement in statements:
                            cursor.execute(statement)
                except DRIVER_ERRORS as error:
                    self.failed = str(error.args[-1])[:300]

    def send(self, statements):
        """Queue a group of statements (run in order, after those queued before)."""
        self.queue.put(statements)

    def finish(self):
        """Wait until everything queued has run, close the connection; return the failure or None."""
        self.queue.put(None)
        self.thread.join()
        self.connection.close()
        return self.failed


def report_statements(number, reports, held, digests):
    """Return the statements replacing reports on one replica: their old paragraphs out and new in (one transaction), then their values and report rows."""
    paragraphs = shard_index(PARAGRAPHS, number)
    stale = [i for report in reports if report.report_id in held
             for i in paragraph_ids(held[report.report_id].code, held[report.report_id].last_n)]
    rows = [row for report in reports for row in paragraph_rows(report, number, digests[report.report_id])]
    return (["BEGIN", *deleting(paragraphs, stale), *replacing(paragraphs, PARAGRAPHS, rows), "COMMIT",
             *replacing(shard_index(VALUES, number), VALUES, [row for report in reports for row in value_rows(report)]),
             *replacing(shard_index(REPORTS, number), REPORTS,
                        [reports_index_row(report, number, digests[report.report_id]) for report in reports])],
            len(rows))


def removal_statements(number, gone):
    """Return the statements removing reports from one replica: their paragraphs, then their report rows."""
    return ["BEGIN", *deleting(shard_index(PARAGRAPHS, number),
                               [i for held in gone for i in paragraph_ids(held.code, held.last_n)]),
            "COMMIT", *deleting(shard_index(REPORTS, number), [held.code for held in gone])]


def wanted_reports(entries, shards, summary, warn):
    """Return [{report_id: entry}] per shard, refusing reports whose code another report already has."""
    wanted = [{} for _ in range(shards)]
    codes = {}
    for entry in entries:
        code = report_code(entry.report_id)
        if code in codes:
            reason = f"its row code collides with report {codes[code]}'s; rename one of the files"
            summary.refused.append((entry.report_id, reason))
            warn(f"not pushed {entry.report_id}: {reason}")
            continue
        if entry.paragraphs > MAX_PARAGRAPHS:
            summary.refused.append((entry.report_id, f"more than {MAX_PARAGRAPHS} paragraphs"))
            warn(f"not pushed {entry.report_id}: more than {MAX_PARAGRAPHS} paragraphs")
            continue
        codes[code] = entry.report_id
        wanted[shard_of(entry.report_id, shards)][entry.report_id] = entry
    return wanted


def open_replicas(replicas, number, summary, warn):
    """Return a ReplicaWriter for each replica of a shard that answers; name the others in the summary."""
    opened = []
    for replica in replicas:
        try:
            opened.append(ReplicaWriter(replica, number))
        except DRIVER_ERRORS as error:
            warn(f"push: replica {replica.node} of shard {number} ({replica.host}:{replica.sql_port}) does not answer:"
                 f" {str(error.args[-1])[:300]}")
            summary.unreachable.append(f"{replica.node} ({replica.host}:{replica.sql_port}, shard {number})")
    return opened


@dataclass
class ShardPush:
    """What one shard's push does: its replicas that answered, and which of them needs each report."""

    number: int
    replicas: list
    needs: dict


def plan_shard(replicas, number, wanted, digests, summary, warn, full=False):
    """Open a shard's replicas, queue the removal of reports gone, and return which replica needs which report."""
    opened = open_replicas(replicas, number, summary, warn)
    needs = {}
    for replica in opened:
        held = replica.held
        gone = [held[report_id] for report_id in held if report_id not in wanted]
        changed = [report_id for report_id in wanted if report_id in held
                   and (full or not held[report_id].current(digests[report_id], wanted[report_id].paragraphs))]
        added = [report_id for report_id in wanted if report_id not in held]
        if gone:
            replica.send(removal_statements(number, gone))
        for report_id in added + changed:
            needs.setdefault(report_id, []).append(replica)
        summary.added += len(added)
        summary.changed += len(changed)
        summary.removed += len(gone)
    return ShardPush(number, opened, needs)


def send_chunk(shard, chunk, wanted, digests, summary):
    """Make the statements of a few reports of a shard once and queue them to every replica needing them."""
    reports = [wanted[report_id].report() for report_id in chunk]
    # Replicas needing the same reports in the same versions (the usual case) share statements made once.
    groups = {}
    for replica in {replica for report_id in chunk for replica in shard.needs[report_id]}:
        key = tuple((report_id, replica.held.get(report_id)) for report_id in chunk if replica in shard.needs[report_id])
        groups.setdefault(key, []).append(replica)
    for key, group in groups.items():
        mine = [report for report in reports if report.report_id in dict(key)]
        statements, sent = report_statements(shard.number, mine, group[0].held, digests)
        for replica in group:
            replica.send(statements)
            summary.paragraphs += sent
    for report_id in chunk:
        wanted[report_id].release()


def interleaved(shards):
    """Yield (shard, chunk of report ids) taking a chunk of each shard in turn, so that every node keeps indexing."""
    chunks = [[(shard, list(shard.needs)[start:start + REPORTS_PER_TRANSACTION])
               for start in range(0, len(shard.needs), REPORTS_PER_TRANSACTION)] for shard in shards]
    for turn in range(max(map(len, chunks), default=0)):
        yield from (own[turn] for own in chunks if turn < len(own))


def finish(shards, summary, warn):
    """Wait for every replica to run what was queued to it; name those that failed."""
    for shard in shards:
        for replica in shard.replicas:
            failure = replica.finish()
            if failure:
                where = replica.replica
                warn(f"push: replica {where.node} of shard {shard.number} failed: {failure}")
                summary.unreachable.append(f"{where.node} ({where.host}:{where.sql_port}, shard {shard.number})")


class FrontUnmarked(RuntimeError):
    """The front node could not be marked before a push: nothing was written; the message says why."""


def mark_front(layout, value):
    """Write the push stamp on the front node (model/cluster/stamp.py); raises FrontUnmarked, naming it, when it
    cannot."""
    front = layout.front
    try:
        connection = connect(front.host, front.sql_port, multi=False)
        try:
            with connection.cursor() as cursor:
                cursor.execute(stamp.writing(value))
        finally:
            connection.close()
    except DRIVER_ERRORS as error:
        raise FrontUnmarked(f"the front node {front.node} ({front.host}:{front.sql_port}) did not take the push stamp"
                            f" ({str(error.args[-1])[:200]}); a push marks it before writing, so that no web server"
                            f" answers from memory while the shards change: start it with the configuration in"
                            f" {CONFIG_FOLDER}/ (make cluster) and push again") from None


def write_configs(layout, data_dir=PRODUCTION_DATA_DIR):
    """Write every node's sphinx.conf for the layout into config/ beside it; return the folder."""
    folder = Path(layout.path).parent / CONFIG_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for node in node_names(layout):
        (folder / f"{node}.conf").write_text(node_config(layout, node, data_dir), encoding="utf-8")
    return folder


def push(corpus, layout_path, warn=lambda message: print(message, file=sys.stderr), full=False):
    """Bring every replica of a cluster up to date with the corpus's clean reports; return a PushSummary.

    full sends every report again (as a change of the row code does).
    """
    started = time.perf_counter()
    layout = read_layout(layout_path)
    write_configs(layout)
    summary = PushSummary(shards=len(layout.shards), replicas=sum(map(len, layout.shards)))
    cleaning = clean_corpus(corpus, clean_dir(corpus), warn)
    summary.cleaning = cleaning.line()
    summary.reports = len(cleaning.reports)
    code = row_code_digest()
    # A report's digest: its page, sidecar and cleaner (the clean cache's), and the code that made its rows.
    digests = {entry.report_id: hashlib.sha1(f"{entry.sha1}\0{code}".encode()).hexdigest()
               for entry in cleaning.reports}
    wanted = wanted_reports(cleaning.reports, len(layout.shards), summary, warn)
    pushing = stamp.started()
    mark_front(layout, pushing)
    shards = [plan_shard(replicas, number, wanted[number], digests, summary, warn, full)
              for number, replicas in enumerate(layout.shards)]
    try:
        for shard, chunk in interleaved(shards):
            send_chunk(shard, chunk, wanted[shard.number], digests, summary)
    finally:
        finish(shards, summary, warn)
    sizes = []
    for number, replicas in enumerate(layout.shards):
        sizes.append({"shard": number, "reports": len(wanted[number]),
                      "paragraphs": sum(entry.paragraphs for entry in wanted[number].values()),
                      "replicas": [replica.agent for replica in replicas]})
    write_json(layout.sizes_path, {"shards": sizes})
    if not summary.unreachable:
        # Every replica holds what this push sent: answers may be remembered again, under its stamp.
        mark_front(layout, stamp.done(pushing))
        summary.settled = True
    summary.seconds = time.perf_counter() - started
    return summary
