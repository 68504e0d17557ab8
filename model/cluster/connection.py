"""A SphinxQL connection to one node of the cluster (the MySQL protocol, with pymysql): the push writes
through it, the search core reads."""
import pymysql
from pymysql.constants import CLIENT

CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 60


def connect(host, port, multi=True):
    """Return a SphinxQL connection to one node."""
    return pymysql.connect(host=host, port=port, user="", password="", autocommit=True, charset="utf8",
                           connect_timeout=CONNECT_TIMEOUT_S, read_timeout=READ_TIMEOUT_S,
                           client_flag=CLIENT.MULTI_STATEMENTS if multi else 0)
