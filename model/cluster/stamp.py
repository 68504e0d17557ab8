"""Which push the cluster holds: a stamp each push writes on the front node, odd while it writes, even once done.

A web server remembers answers of the cluster under the stamp it read before and after them
(search/cluster/execute.py), and answers from memory only while the stamp is that same even
number. A push marks the front node (odd) before it writes to any shard, and marks it done (the
next number, even) only once every replica took all it was sent: an answer read while a push
wrote, or while a replica is behind, is never remembered, and one remembered before a push is
never served after it. A stamp is a time in nanoseconds, so no two pushes share one, even when
the front node lost its row (a front without one is never settled).
"""
import time

from .schema import PUSHES

# The one row of the front node's pushes index.
ROW = 1
READ = f"SELECT stamp FROM {PUSHES} WHERE id={ROW}"


def started():
    """Return the stamp of a push starting now: odd."""
    return time.time_ns() | 1


def done(stamp):
    """Return the stamp of a push finished on every replica: the next number after its start, even."""
    return stamp + 1


def writing(stamp):
    """Return the statement writing a stamp on the front node."""
    return f"REPLACE INTO {PUSHES} (id, note, stamp) VALUES ({ROW}, '', {int(stamp)})"


def settled(rows):
    """Return the stamp READ found when no push is under way (even), else None (odd, or no row)."""
    stamps = [int(row[0]) for row in rows]
    return stamps[0] if len(stamps) == 1 and stamps[0] % 2 == 0 else None
