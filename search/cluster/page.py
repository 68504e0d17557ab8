"""The page of hits found on the counts' match: which paragraphs a page lists, asked in the counts' batch.

searchd matches a query once per shard for every statement of a batch that has the same query, filters and select
list (its multi-query optimisation; execute.py's tallies). A page ordered by its own columns and filtered by the
plan's conditions is none of those: it was a second match, as costly as the counts. So the page is asked in the
counts' batch as one more grouped statement, with their select list (to which these columns are added, in every
statement): each paragraph its own group (by its id), ordered by every key of the plan's order but the report id
(a string, whose sort searchd never shares), the paragraphs failing a condition last (a flag, not a filter). The
report id decides only between hits tied on every other key: the hits tied with the page's first and last are all
read (by id, with their text) and ordered here. When hits tied with the page's last run past the rows asked, the
page is asked as its own statement, as before (execute.py's page_statement).
"""
from dataclasses import dataclass

from search.sorts import ASCENDING, ORDERS

# Sphinx's rank of a paragraph, plus this for a heading (as HEADING_BOOST does in the embedded engine).
HEADING_WEIGHT = 500
SCORE = f"WEIGHT() + heading * {HEADING_WEIGHT} AS score"
# Rows past the page's last asked with it: room for the hits tied with it on every key but the report id.
PAST_PAGE = 40
# A page ending deeper than this is asked as its own statement (its rows would fill every count's room).
DEEPEST = 1000
# The key of the report id among search/sorts.py's orders: decided here, between rows read.
REPORT_KEY = "report"


@dataclass(frozen=True)
class SharedPage:
    """The page of a plan's hits from offset, count long, in a sort's order (search/sorts.py), on the counts' match;
    conditions: the plan's (SQL expressions a paragraph listed passes); past: rows asked past the page's last."""

    sort: str
    offset: int
    count: int
    conditions: tuple
    past: int = PAST_PAGE

    @property
    def keys(self):
        """Return the (column, direction) of the order but the report id: the flag of passing rows first."""
        passing = (("ok", "DESC"),) if self.conditions else ()
        return passing + tuple((key, direction) for key, direction in ORDERS[self.sort] if key != REPORT_KEY)

    @property
    def columns(self):
        """Return the columns added to every statement of the batch: the paragraph's id as a key, then its keys."""
        added = {"score": SCORE, "ok": f"IF({' AND '.join(self.conditions)}, 1, 0) AS ok"}
        return ("BIGINT(id) AS pid", *(added.get(key, key) for key, _direction in self.keys))

    @property
    def asked(self):
        """Return how many rows the statement asks for: the page's and those past it."""
        return self.offset + self.count + self.past

    def tail(self):
        """Return the GROUP BY, ORDER BY, LIMIT and OPTION of the page's statement."""
        order = ", ".join(f"{key} {direction}" for key, direction in self.keys)
        return f"GROUP BY pid ORDER BY {order} LIMIT {self.asked} OPTION max_matches={self.asked}"

    def candidates(self, rows):
        """Return (hits before the candidates, the candidates' rows) from the statement's rows (the page's columns
        last in each): the candidates hold the page, all hits tied with its first and last on every key but the
        report id; None when hits tied with the page's last may not all have come back (the page is then asked on
        its own)."""
        width = len(self.columns)
        keyed = sorted((self.key(row[-width:]), row[-width:]) for row in rows)
        complete = len(keyed) < self.asked
        if self.conditions and keyed and keyed[-1][0][0] == 0:
            complete = True  # every passing row came before the first failing one
        keyed = [(key, row) for key, row in keyed if not self.conditions or key[0] == -1]
        end = min(self.offset + self.count, len(keyed))
        if self.offset >= end:
            return (0, []) if complete else None
        first, last = keyed[self.offset][0], keyed[end - 1][0]
        if not complete and keyed[-1][0] == last:
            return None
        before = sum(key < first for key, _row in keyed)
        return before, [row for key, row in keyed if first <= key <= last]

    def key(self, columns):
        """Return what orders a row (its page columns) ascending: each key but the paragraph number, negated when
        the order is descending."""
        values = dict(zip(("pid", *(key for key, _direction in self.keys)), columns))
        return tuple(int(values[key]) if direction == ASCENDING else -int(values[key])
                     for key, direction in self.keys if key != "n")

    def window(self, before, candidates, read):
        """Return the page's rows: the candidates' rows read by id (read: {id: row of execute.HIT_COLUMNS without the
        score}) in the plan's order, each with its score, the report id deciding between ties; the hits before them
        (before) counted off the page's offset."""
        ordered = sorted((self.key(columns), read[columns[0]][5], int(columns[1 + self.place("n")]), columns)
                         for columns in candidates if columns[0] in read)
        shown = ordered[self.offset - before:self.offset - before + self.count]
        return [(*read[columns[0]], self.score(columns)) for _key, _report, _n, columns in shown]

    def place(self, key):
        """Return where a key stands among the keys' columns."""
        return [name for name, _direction in self.keys].index(key)

    def score(self, columns):
        """Return a row's score, 0 when the order has none (as the page statement's is then unused)."""
        return int(columns[1 + self.place("score")]) if "score" in dict(self.keys) else 0
