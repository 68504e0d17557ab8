"""Talking to the cluster's nodes over SphinxQL (the MySQL protocol, with pymysql).

A search is one batch of statements sent to the front node. The front node queries one
replica of each shard; a replica that fails is named in a warning (or, when every agent
failed, in the error). Failed replicas of shards that have another replica are asked again
after the front node's next ping (ha_strategy nodeads then leaves the dead one out); a shard
none of whose replicas answers is reported as missing, never dropped in silence.
"""
import re
import threading
import time
from dataclasses import dataclass, field

import pymysql

from search.generation import IndexMissing

from model.cluster.connection import DRIVER_ERRORS, connect
from model.cluster.schema import HA_PING_INTERVAL_MS

# A failed agent in a warning or an error: "index paragraphs: agent 127.0.0.1:9312: connect() failed".
FAILED_AGENT = re.compile(r"agent ([^\s:]+:\d+):")
# Batches asked again while a shard with another replica failed; each after the front node's next ping.
RETRIES = 3
RETRY_PAUSE_S = HA_PING_INTERVAL_MS * 2 / 1000


class ClusterUnavailable(IndexMissing):
    """The cluster cannot answer at all: its front node is down, or no shard answered; the message says which."""

    title = "检索集群无法访问"

    def __init__(self, message):
        RuntimeError.__init__(self, message)


@dataclass
class Answer:
    """The result sets of a batch, in order, and the shards that did not answer (with the replicas that failed)."""

    results: list
    missing: dict = field(default_factory=dict)   # shard number -> failed agents (host:port)


def run_batch(connection, statements):
    """Run statements as one batch on a connection; return every statement's rows, in order."""
    with connection.cursor() as cursor:
        cursor.execute(";\n".join(statements))
        found = [cursor.fetchall()]
        while cursor.nextset():
            found.append(cursor.fetchall())
    return found


class Front:
    """The front node of a layout, one connection per thread; runs batches and says which shards failed."""

    def __init__(self, layout):
        self.layout = layout
        self._local = threading.local()

    def unavailable(self, error):
        """Return the ClusterUnavailable naming the front node and what went wrong talking to it."""
        front = self.layout.front
        if isinstance(error, (pymysql.err.OperationalError, pymysql.err.InterfaceError, OSError)):
            said = f"does not answer ({error.args[-1] if error.args else type(error).__name__})"
        else:
            said = f"answered what is not SphinxQL ({type(error).__name__}: {str(error)[:200]})"
        return ClusterUnavailable(f"the search cluster's front node {front.host}:{front.sql_port} {said}; start the"
                                  f" cluster (make cluster) or set SEARCH_CLUSTER to its layout")

    def _connection(self):
        """Return this thread's connection to the front node, opened the first time."""
        connection = getattr(self._local, "connection", None)
        if connection is None:
            front = self.layout.front
            try:
                connection = self._local.connection = connect(front.host, front.sql_port)
            except DRIVER_ERRORS as error:
                raise self.unavailable(error) from None
        return connection

    def close(self):
        """Close this thread's connection (one the node broke included)."""
        connection = getattr(self._local, "connection", None)
        self._local.connection = None
        if connection is not None:
            try:
                connection.close()
            except DRIVER_ERRORS:  # already broken: nothing more to close
                pass

    def failed_shards(self, text):
        """Return {shard: [agents]} of the failed agents a warning or error names."""
        found = {}
        for agent in FAILED_AGENT.findall(text):
            shard = self.layout.shard_of_agent(agent)
            if shard is not None:
                found.setdefault(shard, []).append(agent)
        return found

    def _attempt(self, statements):
        """Run a batch once, SHOW WARNINGS after it; return an Answer (its missing shards from the warnings).

        Raises ClusterUnavailable naming the front node for anything else the driver raises."""
        batch = [*statements, "SHOW WARNINGS"]
        try:
            try:
                results = run_batch(self._connection(), batch)
            except pymysql.err.ProgrammingError as error:
                failed = self.failed_shards(str(error.args[-1]))
                if not failed:
                    raise
                # Every agent failed: nothing came back.
                return Answer([], failed)
            except (pymysql.err.OperationalError, pymysql.err.InterfaceError):
                # The connection dropped (the front node restarted): once more on a new one.
                self.close()
                results = run_batch(self._connection(), batch)
        except DRIVER_ERRORS as error:
            # A node answering garbage leaves the connection in no known state: the next batch opens another.
            self.close()
            raise self.unavailable(error) from None
        warnings = " ".join(str(row[-1]) for row in results[-1])
        return Answer(results[:-1], self.failed_shards(warnings))

    def batch(self, statements):
        """Run a batch on the front node; return its Answer, asking again while a failed shard has a replica not yet tried.

        Raises ClusterUnavailable when no shard answered.
        """
        failed = set()
        for attempt in range(RETRIES + 1):
            answer = self._attempt(statements)
            failed.update(agent for agents in answer.missing.values() for agent in agents)
            # A shard is asked again only while one of its replicas has not failed yet.
            untried = [shard for shard in answer.missing
                       if any(replica.agent not in failed for replica in self.layout.shards[shard])]
            if not untried or attempt == RETRIES:
                break
            time.sleep(RETRY_PAUSE_S)
        if not answer.results:
            agents = ", ".join(agent for agents in answer.missing.values() for agent in agents)
            raise ClusterUnavailable(f"no shard of the search cluster answered (failed: {agents}); start its nodes"
                                     f" again (make cluster) and search again")
        return answer
