"""Per-paragraph column values of a whole generation, merged from its segments' arrays.

Facet counts, filters and date sorts look values up by document number here instead of
loading stored fields for each matching paragraph. The arrays keep a report's metadata once,
in each segment's report table (indexer/index/format.py). Every facet of model/registry.py
gets a column: a report's value (its region, its year) is looked up once per report and
spread to its paragraphs by report code.
"""
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from model.registry import FACETS, YEAR_FACET
from model.values import date_key, when_key

from .hits import copy, report_fields


@dataclass(frozen=True)
class Members:
    """Which names each set holds: a 0/1 matrix of sets by names, kept as its (set, name) pairs.

    What facets ask of it is a matrix's: its shape, its transpose, its product with a vector.
    (A numpy matter of a few lines, where scipy.sparse took a fifth of a second to import at every start.)
    """

    rows: np.ndarray
    columns: np.ndarray
    shape: tuple

    @property
    def T(self):
        """Return the transpose: names by sets."""
        return Members(self.columns, self.rows, self.shape[::-1])

    def __matmul__(self, vector):
        """Return the matrix times a vector: per row, the sum of the vector's values at the row's columns."""
        vector = np.asarray(vector)
        return np.bincount(self.rows, vector[self.columns], minlength=self.shape[0]).astype(vector.dtype)


@dataclass
class Coded:
    """A column: per document the code of its value, and the value of each code (None: the codes are the values)."""

    codes: np.ndarray
    names: list = None
    # For a report's value: the code of each report code's value, which counts reports without pairing them.
    per_report: np.ndarray = None
    # For a facet of several names per report: the codes are sets of names, names the names, and members which
    # names each set holds (Members: a row per set, a column per name).
    members: "Members" = None

    @cached_property
    def code_of(self):
        """A mapping from value to code."""
        return {name: code for code, name in enumerate(self.names)}


@dataclass
class Columns:
    """The column values of every document, indexed by global document number."""

    report: Coded       # codes in report_id order, so comparing codes compares ids
    reports: list       # the Report of each report code, without its paragraphs
    n: np.ndarray
    date: np.ndarray    # yyyymmdd, UNKNOWN when undated
    heading: np.ndarray
    coded: dict         # a coded paragraph column of the arrays (section_class) -> Coded
    facets: dict = field(default_factory=dict)  # facet name -> Coded, for every facet of the registry
    when: np.ndarray = None  # report year * DATE_SPAN + yyyymmdd date (0 when undated): what date sorts order by
    derived: dict = field(default_factory=dict)  # what is computed from the columns once per generation

    def cached(self, name, compute):
        """Return compute(self), computed the first time it is asked for in this generation."""
        if name not in self.derived:
            self.derived[name] = compute(self)
        return self.derived[name]

    def hit_fields(self, code):
        """Return what a hit says of the report of a code (search/hits.py's report_fields), worked out once per
        generation; a copy, for the caller to change."""
        known = self.cached("hit_fields", lambda columns: {})
        if code not in known:
            known[code] = report_fields(self.reports[code])
        return copy(known[code])


def merge_coded(parts, ordered=False):
    """Return one Coded column from per-segment (codes, value of each code) (sorted values when ordered)."""
    seen = (value for _codes, values in parts for value in values)
    names = sorted(set(seen)) if ordered else list(dict.fromkeys(seen))
    index = {value: code for code, value in enumerate(names)}
    codes = [np.array([index[v] for v in values], np.uint32)[np.asarray(codes)] for codes, values in parts]
    return Coded(np.concatenate(codes) if codes else np.empty(0, np.uint32), names)


def concatenated(segments, name, dtype):
    """Return one segment array after another as a single array."""
    return np.concatenate([getattr(s, name) for s in segments]) if segments else np.empty(0, dtype)


def spread(report_codes, per_report, numbers=False):
    """Return a paragraph column from one value per report: the values themselves when numbers, else coded."""
    if numbers:
        codes = np.array(per_report, np.int64) if per_report else np.empty(0, np.int64)
        return Coded(codes[report_codes] if per_report else np.empty(0, np.int64), per_report=codes)
    names = list(dict.fromkeys(per_report))
    code = {name: place for place, name in enumerate(names)}
    per_report_codes = np.array([code[value] for value in per_report], np.int64)
    return Coded(per_report_codes[report_codes] if per_report else np.empty(0, np.int64), names, per_report_codes)


def name_sets(facet, per_report, report_codes):
    """Return the column of a facet of several names per report: each paragraph coded by its report's set of names,
    with the members of each set."""
    sets = spread(report_codes, [facet.names(value) for value in per_report])
    held = [name for names in sets.names for name in names]
    names = list(dict.fromkeys(held))
    code = {name: place for place, name in enumerate(names)}
    # Every (set, name) pair, made in C: tens of thousands of sets at 10^6 paragraphs.
    rows = np.repeat(np.arange(len(sets.names)), [len(names) for names in sets.names])
    columns = np.fromiter(map(code.__getitem__, held), np.int64, len(held))
    return Coded(sets.codes, names, sets.per_report, Members(rows, columns, (len(sets.names), len(names))))


def coded_values(facet, per_report, report_codes):
    """Return a facet's column from its value per report, spread to paragraphs by their report codes: numbers
    (a year, a date) are their own codes, names are coded (several names per report as sets of names)."""
    if facet.several:
        return name_sets(facet, per_report, report_codes)
    if facet.numbered:
        return spread(report_codes, [facet.number(value) for value in per_report], numbers=True)
    return spread(report_codes, [value or "" for value in per_report])


def facet_column(facet, columns):
    """Return the column of one facet: a paragraph column as stored, or its report's value spread to its paragraphs."""
    if not facet.source.per_report:
        return columns.coded[facet.source.column]
    return coded_values(facet, [facet.source.of(report) for report in columns.reports], columns.report.codes)


def merge(segments):
    """Return the Columns of a generation from its segments' arrays (indexer/index/format.py), in document order."""
    report = merge_coded([(s.report, [r.report_id for r in s.reports]) for s in segments], ordered=True)
    # A report updated since the full build is also in its older segment, deleted there:
    # later segments hold the newer version.
    by_id = {r.report_id: r for s in segments for r in s.reports}
    reports = [by_id[report_id] for report_id in report.names]
    columns = Columns(
        report=report,
        reports=reports,
        n=concatenated(segments, "n", np.int32).astype(np.int64),
        date=spread(report.codes, [date_key(r.pub_date) for r in reports], numbers=True).codes,
        heading=concatenated(segments, "heading", np.bool_),
        coded={"section_class": merge_coded([(s.section_class, s.section_names) for s in segments])},
    )
    columns.facets = {facet.name: facet_column(facet, columns) for facet in FACETS}
    # A report with a year but no date sorts by its year; one with neither, last both ways.
    columns.when = when_key(columns.facets[YEAR_FACET.name].codes.astype(np.int64), columns.date)
    return columns
