"""The facet codes of every report the shards hold, kept in the web server by report code and version, and on disk
per push.

A report's facets (its regions, level, issuer, year, publication date, cited documents: every facet whose value is
its report's, model/kinds.py per_report) are the same in each of its paragraphs, so a request's counts need from the
shards only how many paragraphs of each report matched (execute.py); what each report's values are is read once from
the paragraphs index, one row per report, and kept as arrays sorted by report code (a CodeTable). A report's row
carries its version (the digest of the push that wrote it, model/cluster/rows.py's version_of): a kept report counts
only at the version the shards hold, and the reports a push changed or added are read again when a count first meets
them. The table read at a push the cluster holds settled (model/cluster/stamp.py) is kept in the user's cache folder,
named by the cluster and that push: the next server on the same push maps it (search/opened.py's file of arrays)
instead of reading every report again.
"""
import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from model.cachefile import cache_folder, keep_newest
from model.cluster import stamp
from model.cluster.schema import PARAGRAPHS, tally_column
from model.registry import FACETS
from search import opened

# Rows a statement reading every report asks for at most: the cluster's reports, with room to spare.
ROOM = 4
FOLDER = "cluster-codes"
# Tables kept on disk at most (one per cluster and push; 33,000 reports are a few MB).
FILES_KEPT = 8
# What is kept changes with this module (the table's layout) and with the facets registered.
CODE = Path(__file__).resolve()


@dataclass(frozen=True)
class CodeTable:
    """The facet codes of some reports, by report code ascending, each facet's codes numbered densely: `distinct[f]`
    the codes of facet f ascending (0, no value, first; single facets, then several ones); each one's version, the
    numbers of its single facets' codes (a row of `single`), and for each facet of several values, the numbers of its
    codes in `values[facet]` from `starts[facet][row]` to `starts[facet][row + 1]`. A count of a facet is then a
    bincount over its numbers (execute.py), not a sort of its codes."""

    reports: np.ndarray
    versions: np.ndarray
    single: np.ndarray
    starts: tuple
    values: tuple
    distinct: tuple

    @classmethod
    def numbered(cls, reports, versions, single, starts, values):
        """Return the table of reports' versions and codes (single: a column of codes per facet; values: each several
        facet's codes), each facet's codes numbered."""
        distinct = tuple(np.unique(np.concatenate([[0], codes])).astype(np.int64)
                         for codes in (*single.T, *values))
        numbers = [np.searchsorted(found, codes) for found, codes in zip(distinct, (*single.T, *values))]
        columns = len(single.T)
        single = np.stack(numbers[:columns], axis=1) if columns else np.zeros((len(reports), 0), np.int64)
        return cls(reports, versions, single, tuple(starts), tuple(numbers[columns:]), distinct)

    @classmethod
    def of_rows(cls, rows, singles, severals):
        """Return the table of rows read by ReportCodes.statement (code, version, singles' codes, severals' codes)."""
        rows = sorted(rows, key=lambda row: int(row[0]))
        split = 2 + singles
        numbers = np.array([[int(value) for value in row[:split]] for row in rows], np.int64).reshape(len(rows), split)
        starts, values = [], []
        for place in range(split, split + severals):
            sets = [[int(code) for code in str(row[place]).split(",") if code] for row in rows]
            starts.append(np.concatenate([[0], np.cumsum([len(found) for found in sets], dtype=np.int64)]))
            values.append(np.array([code for found in sets for code in found], np.int64))
        return cls.numbered(numbers[:, 0].copy(), numbers[:, 1].copy(), numbers[:, 2:].copy(), starts, values)

    def codes(self):
        """Return (single facets' codes, several facets' codes): the numbers turned back into the codes they number."""
        columns = len(self.single.T)
        single = np.stack([self.distinct[place][self.single[:, place]] for place in range(columns)], axis=1) \
            if columns else self.single
        return single, tuple(self.distinct[columns + place][numbers] for place, numbers in enumerate(self.values))

    def places(self, reports, versions=None):
        """Return the row of each report code (at its version, when versions are given), -1 where the table has none."""
        if not len(self.reports):
            return np.full(len(reports), -1, np.int64)
        places = np.minimum(np.searchsorted(self.reports, reports), len(self.reports) - 1)
        found = self.reports[places] == reports
        if versions is not None:
            found &= self.versions[places] == versions
        return np.where(found, places, -1)

    def take(self, places):
        """Return the table of the given rows, in their order; a row -1 holds no value of any facet (number 0: code 0,
        no codes)."""
        if not len(self.reports):
            return empty(len(places), self.single.shape[1], len(self.starts))
        there = places >= 0
        rows = np.where(there, places, 0)
        taken = [ragged_take(starts, values, rows, there) for starts, values in zip(self.starts, self.values)]
        return CodeTable(np.where(there, self.reports[rows], 0), np.where(there, self.versions[rows], 0),
                         np.where(there[:, None], self.single[rows], 0), tuple(starts for starts, _values in taken),
                         tuple(values for _starts, values in taken), self.distinct)

    def merged(self, newer):
        """Return this table with the rows of a newer one added, a report in both as the newer one has it, numbered
        afresh."""
        both = (self.take(np.flatnonzero(newer.places(self.reports) < 0)), newer)
        coded = [table.codes() for table in both]
        severals = range(len(newer.starts))
        every = CodeTable.numbered(np.concatenate([table.reports for table in both]),
                                   np.concatenate([table.versions for table in both]),
                                   np.concatenate([single for single, _values in coded]),
                                   [joined([table.starts[place] for table in both]) for place in severals],
                                   [np.concatenate([values[place] for _single, values in coded]) for place in severals])
        return every.take(np.argsort(every.reports, kind="stable"))


def empty(size, singles, severals):
    """Return a table of size reports holding no value of any facet (singles and severals: how many of each)."""
    return CodeTable(np.zeros(size, np.int64), np.zeros(size, np.int64), np.zeros((size, singles), np.int64),
                     tuple(np.zeros(size + 1, np.int64) for _place in range(severals)),
                     tuple(np.zeros(0, np.int64) for _place in range(severals)),
                     tuple(np.zeros(1, np.int64) for _place in range(singles + severals)))


def joined(starts):
    """Return the starts of ragged arrays laid end to end, from each one's starts."""
    starts = list(starts)
    shifts = np.cumsum([0] + [found[-1] for found in starts[:-1]])
    return np.concatenate([[0]] + [found[1:] + shift for found, shift in zip(starts, shifts)]).astype(np.int64)


def ragged_take(starts, values, rows, there):
    """Return (starts, values) of the given rows of ragged arrays; a row not there has none."""
    lengths = np.where(there, starts[rows + 1] - starts[rows], 0)
    taken = np.zeros(len(rows) + 1, np.int64)
    np.cumsum(lengths, out=taken[1:])
    return taken, values[np.repeat(starts[rows] - taken[:-1], lengths) + np.arange(taken[-1])]


class ReportCodes:
    """The codes of every per-report facet of the reports read so far (a CodeTable), kept per push on disk."""

    def __init__(self, layout_path):
        self.single = tuple(facet for facet in FACETS if facet.counted and facet.source.per_report and not facet.several)
        self.several = tuple(facet for facet in FACETS if facet.counted and facet.source.per_report and facet.several)
        self.cluster = str(Path(layout_path).resolve())
        self._table = empty(0, len(self.single), len(self.several))
        self._read_all = False
        self._lock = threading.Lock()

    def statement(self, reports, codes=None):
        """Return the statement reading the facet codes of the given reports' codes (None: of every report, reports
        of them held), one row per report: its code, version, each single facet's code, each several facet's codes."""
        columns = ("GROUPBY()", "version", *(tally_column(facet) for facet in self.single),
                   *(facet.name for facet in self.several))
        where = f" WHERE report IN ({', '.join(str(int(code)) for code in sorted(codes))})" if codes else ""
        room = len(codes) if codes else max(reports, 1) * ROOM
        return (f"SELECT {', '.join(columns)} FROM {PARAGRAPHS}{where} GROUP BY report LIMIT {room}"
                f" OPTION max_matches={room}")

    def path(self, held):
        """Return the file keeping the table read at a push stamp of this cluster."""
        named = (self.cluster, held, [facet.name for facet in self.single + self.several], CODE.read_bytes())
        return cache_folder() / FOLDER / f"{hashlib.sha1(repr(named).encode('utf-8')).hexdigest()}.bin"

    def load(self, held):
        """Take the table kept at a push stamp (None: not settled, nothing kept), mapped; True when there is one."""
        table = opened.read(self.path(held)) if held is not None else None
        if not isinstance(table, CodeTable):
            return False
        with self._lock:
            self._table, self._read_all = table, True
        return True

    def read_every(self, ask, held_reports, held=None):
        """Read the codes of every report the cluster holds (held_reports of them); ask(statement) runs a statement.
        held: the push stamp read before it; the table is kept on disk under it when the stamp read after is the same
        (no push began meanwhile)."""
        table = self.keep(ask(self.statement(held_reports)))
        with self._lock:
            self._read_all = True
        if held is not None and stamp.settled(ask(stamp.READ)) == held:
            try:
                opened.write(self.path(held), table)
                keep_newest(self.path(held).parent, "*.bin", FILES_KEPT)
            except OSError:
                pass  # no writable cache folder: the next server reads every report again

    def codes(self, reports, versions, ask, held_reports, held=None):
        """Return the CodeTable of the reports (arrays of codes and versions, as a count's rows give them), in their
        order. ask(statement) runs a statement; held_reports: how many reports the cluster holds; held: the push stamp
        this request read (None: not settled). The first count maps the table kept at that push, or reads every report;
        later ones read only those a push changed or added since."""
        with self._lock:
            first = not self._read_all
        if first and len(reports) and not self.load(held):
            self.read_every(ask, held_reports, held)
        with self._lock:
            table = self._table
        unknown = reports[table.places(reports, versions) < 0]
        if len(unknown):
            table = self.keep(ask(self.statement(held_reports, set(unknown.tolist()))))
        # A report read at another version than its count's (a push between them) counts under the values read;
        # one no read found (removed since its count) under none.
        return table.take(table.places(reports))

    def keep(self, rows):
        """Keep the rows read by statement(), each report's version and codes; return the whole table kept now."""
        read = CodeTable.of_rows(rows, len(self.single), len(self.several))
        with self._lock:
            self._table = self._table.merged(read)
            return self._table
