"""A SphinxQL connection to one node of the cluster (the MySQL protocol, with pymysql): the push writes
through it, the search core reads."""
import struct

import pymysql
from pymysql.constants import CLIENT

CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 60
# What talking to a node can raise: pymysql's errors (a node down, a dropped connection, a packet out of
# sequence, an error answered), and what its parsing raises on bytes that are not the MySQL protocol
# (another program on the port, a node answering garbage): struct, index and decoding errors.
DRIVER_ERRORS = (pymysql.err.MySQLError, OSError, struct.error, LookupError, ValueError)


def connect(host, port, multi=True):
    """Return a SphinxQL connection to one node."""
    return pymysql.connect(host=host, port=port, user="", password="", autocommit=True, charset="utf8",
                           connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                           client_flag=CLIENT.MULTI_STATEMENTS if multi else 0,
                           # searchd speaks no TLS; without this pymysql (1.1+) makes an SSL context for
                           # every connection, loading the system's certificates: tens of ms of CPU each.
                           ssl_disabled=True)
