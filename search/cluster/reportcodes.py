"""The facet codes of every report the shards hold, kept in the web server by report code and version.

A report's facets (its regions, level, issuer, year, publication date, cited documents: every facet whose value is
its report's, model/kinds.py per_report) are the same in each of its paragraphs, so a request's counts need from the
shards only how many paragraphs of each report matched (execute.py); what each report's values are is read once from
the paragraphs index, one row per report, and kept. A report's row carries its version (the digest of the push that
wrote it, model/cluster/rows.py's version_of): a kept report counts only at the version the shards hold, and the
reports a push changed or added are read again when a count first meets them.
"""
import threading

import numpy as np

from model.cluster.schema import PARAGRAPHS, tally_column
from model.registry import FACETS

# Rows a statement reading every report asks for at most: the cluster's reports, with room to spare.
ROOM = 4


class ReportCodes:
    """The codes of every per-report facet of the reports read so far, by report code: (version, codes)."""

    def __init__(self):
        self.single = tuple(facet for facet in FACETS if facet.counted and facet.source.per_report and not facet.several)
        self.several = tuple(facet for facet in FACETS if facet.counted and facet.source.per_report and facet.several)
        self._held = {}
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

    def read_every(self, ask, held_reports):
        """Read the codes of every report the cluster holds (held_reports of them); ask(statement) runs a statement."""
        self.keep(ask(self.statement(held_reports)))
        with self._lock:
            self._read_all = True

    def codes(self, reports, versions, ask, held_reports):
        """Return (single, several) of the reports (arrays of codes and versions, as a count's rows give them):
        single, one row per report of the codes of self.single; several, for each facet of self.several, one array of
        codes per report. ask(statement) runs a statement; held_reports: how many reports the cluster holds. The
        first count reads every report; later ones only those a push changed or added since."""
        wanted = list(zip(reports.tolist(), versions.tolist()))
        with self._lock:
            unknown = {code for code, version in wanted if self._held.get(code, (None,))[0] != version}
            every = not self._read_all
        if unknown and every:
            self.read_every(ask, held_reports)
        elif unknown:
            self.keep(ask(self.statement(held_reports, unknown)))
        with self._lock:
            found = [self._held.get(code) for code, _version in wanted]
        # A report read at another version than its count's (a push between them) counts under the values read.
        found = [entry if entry is not None else self.nothing() for entry in found]
        single = np.array([entry[1] for entry in found], np.int64).reshape(len(found), len(self.single))
        several = [[entry[2][place] for entry in found] for place in range(len(self.several))]
        return single, several

    def nothing(self):
        """Return the entry of a report that no read found (removed since its count): no value of any facet."""
        return (None, (0,) * len(self.single), tuple(np.zeros(0, np.int64) for _facet in self.several))

    def keep(self, rows):
        """Keep the rows read by statement(): each report's version and codes."""
        split = len(self.single) + 2
        read = {int(row[0]): (int(row[1]), tuple(int(code) for code in row[2:split]),
                              tuple(np.array([int(code) for code in str(codes).split(",") if code], np.int64)
                                    for codes in row[split:]))
                for row in rows}
        with self._lock:
            self._held.update(read)
