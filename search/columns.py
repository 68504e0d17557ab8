"""Per-document column values as plain arrays, read once per index generation.

Facet counts, filters and date sorts look values up by document number here instead of
loading stored fields for each matching paragraph.
"""
import threading
from array import array
from dataclasses import dataclass

from indexer.report import REGION_LEVELS
from indexer.schema import UNKNOWN

# Columns kept as codes into a list of their distinct values.
CODED = REGION_LEVELS + ("section_class",)
# How many index generations to keep; threads rarely straddle more than two.
KEEP_GENERATIONS = 2


@dataclass
class Coded:
    """A text column: per document the code of its value, and the value of each code."""

    codes: array
    names: list

    def code_of(self):
        """Return a mapping from value to code."""
        return {name: code for code, name in enumerate(self.names)}


@dataclass
class Columns:
    """The column values of every document, indexed by global document number."""

    report: Coded       # codes in report_id order, so comparing codes compares ids
    n: array
    date: array         # yyyymmdd, UNKNOWN when undated
    year: array         # report year, UNKNOWN when unknown
    coded: dict         # CODED field name -> Coded


def read_values(searcher, fieldname):
    """Return a field's column values for every document, in global document order."""
    values = []
    for reader, _offset in searcher.reader().leaf_readers():
        if reader.doc_count_all():
            values.extend(reader.column_reader(fieldname, translate=True))
    return values


def code(values, ordered=False):
    """Return the Coded form of a list of text values (codes in sorted order when ordered)."""
    names = sorted(set(values)) if ordered else list(dict.fromkeys(values))
    index = {name: number for number, name in enumerate(names)}
    return Coded(array("I", (index[v] for v in values)), names)


def number_array(values):
    """Return numbers as a compact array, anything unusable as UNKNOWN."""
    return array("q", (v if isinstance(v, int) and 0 <= v < 10 ** 9 else UNKNOWN for v in values))


def load(searcher):
    """Read every column the search needs from a searcher's index."""
    return Columns(
        report=code(read_values(searcher, "report_id"), ordered=True),
        n=number_array(read_values(searcher, "n")),
        date=number_array(read_values(searcher, "date_key")),
        year=number_array(read_values(searcher, "report_year")),
        coded={name: code(read_values(searcher, name)) for name in CODED},
    )


def generation(searcher):
    """Return a key naming the exact set of segments a searcher reads."""
    key = []
    for reader, _offset in searcher.reader().leaf_readers():
        segment = reader.segment() if hasattr(reader, "segment") else None
        key.append((segment.segment_id() if segment else "", reader.doc_count_all()))
    return tuple(key)


class ColumnCache:
    """Columns per index generation, shared by all threads searching one index."""

    def __init__(self):
        self._lock = threading.Lock()
        self._by_generation = {}

    def get(self, searcher):
        """Return the columns of the searcher's index generation, reading them the first time."""
        key = generation(searcher)
        columns = self._by_generation.get(key)
        if columns is None:
            columns = load(searcher)
            with self._lock:
                self._by_generation[key] = columns
                while len(self._by_generation) > KEEP_GENERATIONS:
                    self._by_generation.pop(next(iter(self._by_generation)))
        return columns
