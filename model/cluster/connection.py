"""A SphinxQL connection to one node of the cluster (the MySQL protocol, with pymysql): the push writes
through it, the search core reads.

A search's counts come back as thousands of rows of integers (one per matching report, search/cluster/execute.py),
which pymysql parses value by value in Python: the web server's largest cost of a query seen for the first time.
A result set whose every column is an integer is parsed here in one pass of numpy instead, into the same tuples of
ints pymysql would give; any other (strings, NULLs, a number past 64 bits) as pymysql parses it.

That reading overrides private parts of pymysql 1.2.4 (Connection._read_query_result, _rfile, _next_seq_id,
_read_packet; MySQLResult._read_rowdata_packet, _check_packet_is_eof, _read_row_from_packet), as
indexer/index/internals.py does Whoosh's: with any other version of pymysql, connect() gives pymysql's own
connection, which reads the same rows more slowly, rather than rely on parts that may have changed.
"""
import struct

import numpy as np
import pymysql
from pymysql.connections import Connection, MySQLResult
from pymysql.constants import CLIENT, FIELD_TYPE
from pymysql.protocol import MysqlPacket

# The pymysql whose private parts IntegerResult and SphinxConnection override (pymysql.VERSION_STRING).
SUPPORTED_PYMYSQL = "1.2.4"
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 60
# What talking to a node can raise: pymysql's errors (a node down, a dropped connection, a packet out of
# sequence, an error answered), and what its parsing raises on bytes that are not the MySQL protocol
# (another program on the port, a node answering garbage): struct, index and decoding errors.
DRIVER_ERRORS = (pymysql.err.MySQLError, OSError, struct.error, LookupError, ValueError)


# The column types searchd sends integers as (attributes, counts, GROUPBY(), flags).
INTEGER_TYPES = {FIELD_TYPE.TINY, FIELD_TYPE.SHORT, FIELD_TYPE.INT24, FIELD_TYPE.LONG, FIELD_TYPE.LONGLONG}
# A row of integers is each value's length (one byte: at most 20 digits) and its digits: each length made a space,
# digits and the minus sign kept, any other byte made one numpy stops parsing at (the count then falls short).
SPACED = bytes(32 if byte <= 20 else byte if byte in b"-0123456789" else ord("x") for byte in range(256))
# The first byte of a packet that is no row of short values: an EOF (or an 8-byte length) and an error.
ROW_NOT = (0xFE, 0xFF)
# numpy reads a number past a signed 64-bit integer as its largest (or smallest): such a result is parsed by pymysql.
BOUNDS = (np.iinfo(np.int64).min, np.iinfo(np.int64).max)


def integer_rows(bodies, width):
    """Return the rows of integers of a result set's row packets (their bodies), each a tuple of width ints, or None
    when they are not all short integers."""
    try:
        numbers = np.fromstring(b"".join(bodies).translate(SPACED).decode("ascii"), dtype=np.int64, sep=" ")
    except ValueError:
        return None  # a NULL or a foreign byte: numpy stopped before the end
    if len(numbers) != len(bodies) * width or np.isin(BOUNDS, numbers).any():
        return None  # an empty value, or a number past 64 bits: not what this parse reads
    return tuple(map(tuple, numbers.reshape(len(bodies), width).tolist()))


class IntegerResult(MySQLResult):
    """pymysql's result set, its rows parsed in bulk when every column is an integer."""

    def _read_rowdata_packet(self):
        """Read every row packet of the result (as MySQLResult does, pymysql 1.2.4), parsed in bulk when it can be."""
        if not self.fields or any(field.type_code not in INTEGER_TYPES for field in self.fields):
            super()._read_rowdata_packet()
            return
        bodies = self._row_bodies()
        encoding = self.connection.encoding
        self.connection = None  # as pymysql does: no cycle between the result and its connection
        rows = integer_rows(bodies, len(self.fields))
        if rows is None:
            rows = tuple(self._read_row_from_packet(MysqlPacket(body, encoding)) for body in bodies)
        self.affected_rows, self.rows = len(rows), rows

    def _row_bodies(self):
        """Return the bodies of the result's row packets, up to its EOF packet. The rows whole in the connection's
        read buffer are cut from it at once; a packet across the buffer's end, the EOF, an error or a packet out of
        sequence is read by pymysql's Connection._read_packet, which checks and raises as it always does."""
        connection, bodies = self.connection, []
        while True:
            buffered, place, sequence = connection._rfile.peek(), 0, connection._next_seq_id
            while place + 4 <= len(buffered):
                length, number = int.from_bytes(buffered[place:place + 3], "little"), buffered[place + 3]
                end = place + 4 + length
                if end > len(buffered) or number != sequence or not length or buffered[place + 4] in ROW_NOT:
                    break
                bodies.append(buffered[place + 4:end])
                place, sequence = end, (sequence + 1) % 256
            if place:
                connection._rfile.read(place)  # already buffered: what was cut from it
                connection._next_seq_id = sequence
            elif self._check_packet_is_eof(packet := connection._read_packet()):
                return bodies
            else:
                bodies.append(packet.get_all_data())


class SphinxConnection(Connection):
    """pymysql's connection, its buffered result sets read by IntegerResult."""

    def _read_query_result(self, unbuffered=False):
        """Read a statement's result as Connection does (pymysql 1.2.4), buffered ones as an IntegerResult."""
        if unbuffered:
            return super()._read_query_result(unbuffered)
        self._result = None
        result = IntegerResult(self)
        result.read()
        self._result = result
        if result.server_status is not None:
            self.server_status = result.server_status
        return result.affected_rows


def connection_class(found=pymysql.VERSION_STRING):
    """Return the connection to make: SphinxConnection with the pymysql whose internals it overrides, else pymysql's own."""
    return SphinxConnection if found == SUPPORTED_PYMYSQL else Connection


def connect(host, port, multi=True):
    """Return a SphinxQL connection to one node."""
    return connection_class()(host=host, port=port, user="", password="", autocommit=True, charset="utf8",
                              connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                              client_flag=CLIENT.MULTI_STATEMENTS if multi else 0,
                              # searchd speaks no TLS; without this pymysql (1.1+) makes an SSL context for
                              # every connection, loading the system's certificates: tens of ms of CPU each.
                              ssl_disabled=True)
