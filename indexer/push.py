"""Push the clean reports into a Sphinx cluster: each to its shard, every replica brought up to date.

    python -m indexer push --cluster LAYOUT [--corpus DIR] [--full]

The corpus is cleaned through the same clean cache as a rebuild (indexer/clean/cache.py). A
report goes to the shard a stable hash of its id names (search/cluster/documents.py). Each
replica is asked which reports it holds and with which digest, and is sent only what differs:
new and changed reports, and the removal of reports gone from the corpus. A replica that does
not answer is named and left as it is; the next push brings it up to date. A report's
paragraphs change in one transaction of its shard's index, so a search sees the old report or
the new one, and its report row (with its digest) is written last, so a push killed midway is
finished by the next one. The push also writes every node's configuration (the real-time
indexes of each shard node, the distributed indexes of the front node with their agents and
mirrors) beside the layout, in config/.
"""
import hashlib
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pymysql

from indexer.clean.cache import clean_corpus
from indexer.jsonfile import write_json
from indexer.paths import clean_dir
from search.cluster.documents import (MAX_PARAGRAPHS, PARAGRAPH_BITS, paragraph_rows, report_code, report_row,
                                      shard_of, value_rows)
from search.cluster.layout import read_layout
from search.cluster.schema import PARAGRAPHS, REPORTS, VALUES, columns, node_config, node_names, shard_index
from search.cluster.sphinxql import connect

# Which code shapes the rows: a change to it sends every report again.
ROW_CODE = ("search/cluster/documents.py", "search/cluster/schema.py", "search/registry.py", "search/kinds.py")
# Where a node of a production cluster keeps its indexes (Debian's default), in the configuration written.
PRODUCTION_DATA_DIR = "/var/lib/sphinxsearch/data"
CONFIG_FOLDER = "config"
# What the front node reads of a shard it cannot reach: how much of the corpus it holds.
SHARDS_FILE = "shards.json"
# Rows per statement, and reports per transaction.
ROWS_PER_STATEMENT = 500
REPORTS_PER_TRANSACTION = 50
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

    def line(self):
        """Return the one-line summary printed after a push."""
        text = (f"pushed {self.reports} reports to {self.replicas} replicas of {self.shards} shards: {self.added} added,"
                f" {self.changed} changed, {self.removed} removed (over all replicas), {self.paragraphs} paragraphs"
                f" sent in {self.seconds:.1f} s ({self.cleaning})")
        if self.unreachable:
            text += f"; NOT UPDATED (pushed again next time): {', '.join(self.unreachable)}"
        return text


def row_code_digest():
    """Return a digest of the code that shapes the rows."""
    digest = hashlib.sha1()
    root = Path(__file__).resolve().parent.parent
    for name in ROW_CODE:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def held_reports(connection, number):
    """Return {report_id: (code, digest, last paragraph number)} of what one replica of a shard holds."""
    held, last = {}, 0
    index = shard_index(REPORTS, number)
    while True:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, report_id, digest, last_n FROM {index} WHERE id > {last} ORDER BY id ASC"
                           f" LIMIT {HELD_PAGE} OPTION max_matches={HELD_PAGE}")
            rows = cursor.fetchall()
        for code, report_id, digest, last_n in rows:
            held[report_id] = (code, digest, last_n)
        if len(rows) < HELD_PAGE:
            return held
        last = rows[-1][0]


def paragraph_ids(code, last_n):
    """Return the row ids of a report's paragraphs numbered 1..last_n."""
    return [(code << PARAGRAPH_BITS) | n for n in range(1, last_n + 1)]


def replace_rows(cursor, index, kind, rows):
    """REPLACE rows of a kind into an index, a few hundred per statement."""
    names = columns(kind)
    statement = f"REPLACE INTO {index} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    for start in range(0, len(rows), ROWS_PER_STATEMENT):
        cursor.executemany(statement, rows[start:start + ROWS_PER_STATEMENT])


def delete_ids(cursor, index, ids):
    """DELETE rows by id, a few thousand per statement."""
    for start in range(0, len(ids), ROWS_PER_STATEMENT * 10):
        chunk = ids[start:start + ROWS_PER_STATEMENT * 10]
        cursor.execute(f"DELETE FROM {index} WHERE id IN ({', '.join(map(str, chunk))})")


def send(connection, number, reports, held, digests):
    """Send reports to one replica: each report's paragraphs in a transaction, its report row after."""
    paragraphs, reports_index = shard_index(PARAGRAPHS, number), shard_index(REPORTS, number)
    sent = 0
    with connection.cursor() as cursor:
        for start in range(0, len(reports), REPORTS_PER_TRANSACTION):
            batch = reports[start:start + REPORTS_PER_TRANSACTION]
            rows = [row for report in batch for row in paragraph_rows(report, number)]
            stale = [i for report in batch if report.report_id in held
                     for i in paragraph_ids(held[report.report_id][0], held[report.report_id][2])]
            cursor.execute("BEGIN")
            delete_ids(cursor, paragraphs, stale)
            replace_rows(cursor, paragraphs, PARAGRAPHS, rows)
            cursor.execute("COMMIT")
            replace_rows(cursor, shard_index(VALUES, number), VALUES,
                         [row for report in batch for row in value_rows(report)])
            replace_rows(cursor, reports_index, REPORTS,
                         [report_row(report, number, digests[report.report_id]) for report in batch])
            sent += len(rows)
    return sent


def remove(connection, number, gone):
    """Remove reports from one replica: their paragraphs, then their report rows."""
    with connection.cursor() as cursor:
        cursor.execute("BEGIN")
        delete_ids(cursor, shard_index(PARAGRAPHS, number),
                   [i for code, _digest, last_n in gone for i in paragraph_ids(code, last_n)])
        cursor.execute("COMMIT")
        delete_ids(cursor, shard_index(REPORTS, number), [code for code, _digest, _last in gone])


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


def push_replica(replica, number, wanted, digests, summary, warn, full=False, progress=None):
    """Bring one replica of a shard up to date with the wanted reports (all sent again when full); False when it failed."""
    try:
        connection = connect(replica.host, replica.sql_port, multi=False)
    except pymysql.err.OperationalError as error:
        warn(f"push: replica {replica.node} of shard {number} ({replica.host}:{replica.sql_port}) does not answer:"
             f" {error.args[-1]}")
        return False
    try:
        held = held_reports(connection, number)
        gone = [held[report_id] for report_id in held if report_id not in wanted]
        changed = [report_id for report_id, entry in wanted.items()
                   if report_id in held and (full or held[report_id][1] != digests[report_id])]
        added = [report_id for report_id in wanted if report_id not in held]
        remove(connection, number, gone)
        todo = added + changed
        for start in range(0, len(todo), REPORTS_PER_TRANSACTION * 4):
            chunk = [wanted[report_id] for report_id in todo[start:start + REPORTS_PER_TRANSACTION * 4]]
            summary.paragraphs += send(connection, number, [entry.report() for entry in chunk], held, digests)
            for entry in chunk:
                entry.release()
            if progress:
                progress(len(chunk))
        summary.added += len(added)
        summary.changed += len(changed)
        summary.removed += len(gone)
    except pymysql.err.MySQLError as error:
        warn(f"push: replica {replica.node} of shard {number} failed: {str(error.args[-1])[:300]}")
        return False
    finally:
        connection.close()
    return True


def write_configs(layout, data_dir=PRODUCTION_DATA_DIR):
    """Write every node's sphinx.conf for the layout into config/ beside it; return the folder."""
    folder = Path(layout.path).parent / CONFIG_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for node in node_names(layout):
        (folder / f"{node}.conf").write_text(node_config(layout, node, data_dir), encoding="utf-8")
    return folder


def push(corpus, layout_path, warn=lambda message: print(message, file=sys.stderr), full=False, progress=None):
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
    sizes = []
    for number, replicas in enumerate(layout.shards):
        for replica in replicas:
            if not push_replica(replica, number, wanted[number], digests, summary, warn, full, progress):
                summary.unreachable.append(f"{replica.node} ({replica.host}:{replica.sql_port}, shard {number})")
        sizes.append({"shard": number, "reports": len(wanted[number]),
                      "paragraphs": sum(entry.paragraphs for entry in wanted[number].values()),
                      "replicas": [replica.agent for replica in replicas]})
    write_json(Path(layout.path).parent / SHARDS_FILE, {"shards": sizes})
    summary.seconds = time.perf_counter() - started
    return summary
