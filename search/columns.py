"""Per-paragraph column values of a whole generation, merged from its segments' arrays.

Facet counts, filters and date sorts look values up by document number here instead of
loading stored fields for each matching paragraph. Every facet of search/registry.py gets
a column: a report's value (its region, its year) is looked up once per report and spread
to its paragraphs by report code.
"""
from dataclasses import dataclass, field

import numpy as np

from indexer.report import FIRST_YEAR, LAST_YEAR

from .registry import FACETS, NO_YEAR, YEAR_FACET, FromParagraph, Years

# Room for a yyyymmdd date below the report year in one sort key.
DATE_SPAN = 10 ** 8

# Columns kept in the arrays as codes into a list of their distinct values.
CODED = ("section_class",)


@dataclass
class Coded:
    """A column: per document the code of its value, and the value of each code (None: the codes are the values)."""

    codes: np.ndarray
    names: list = None

    def code_of(self):
        """Return a mapping from value to code."""
        return {name: code for code, name in enumerate(self.names)}


@dataclass
class Columns:
    """The column values of every document, indexed by global document number."""

    report: Coded       # codes in report_id order, so comparing codes compares ids
    reports: list       # the metadata of each report code: title, issuer, region, report_year, pub_date
    n: np.ndarray
    date: np.ndarray    # yyyymmdd, UNKNOWN when undated
    heading: np.ndarray
    coded: dict         # CODED field name -> Coded
    facets: dict = field(default_factory=dict)  # facet name -> Coded, for every facet of the registry
    when: np.ndarray = None  # report year * DATE_SPAN + yyyymmdd date (0 when undated): what date sorts order by
    derived: dict = field(default_factory=dict)  # what is computed from the columns once per generation

    def cached(self, name, compute):
        """Return compute(self), computed the first time it is asked for in this generation."""
        if name not in self.derived:
            self.derived[name] = compute(self)
        return self.derived[name]


def merge_coded(segments, name, ordered=False):
    """Return one Coded column from the per-segment codes and value lists (sorted codes when ordered)."""
    parts = [(segment[name], segment["values"]["names"][name]) for segment in segments]
    seen = (value for _codes, values in parts for value in values)
    names = sorted(set(seen)) if ordered else list(dict.fromkeys(seen))
    index = {value: code for code, value in enumerate(names)}
    codes = [np.array([index[v] for v in values], np.uint32)[np.asarray(codes)] for codes, values in parts]
    return Coded(np.concatenate(codes) if codes else np.empty(0, np.uint32), names)


def concatenated(segments, name, dtype):
    """Return one segment array after another as a single array."""
    return np.concatenate([np.asarray(s[name]) for s in segments]) if segments else np.empty(0, dtype)


def report_year(value):
    """Return a report year as a facet value: the year, or NO_YEAR when it is none or implausible."""
    return value if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR else NO_YEAR


def facet_column(facet, columns):
    """Return the column of one facet: a paragraph column as stored, or its report's value spread to its paragraphs."""
    if isinstance(facet.source, FromParagraph):
        return columns.coded[facet.source.column]
    per_report = [facet.source.of(report) for report in columns.reports]
    if isinstance(facet, Years):
        years = np.array([report_year(value) for value in per_report], np.int64)
        return Coded(years[columns.report.codes] if len(years) else np.empty(0, np.int64))
    names = list(dict.fromkeys(value or "" for value in per_report))
    code = {name: place for place, name in enumerate(names)}
    per_report_codes = np.array([code[value or ""] for value in per_report], np.int64)
    return Coded(per_report_codes[columns.report.codes] if len(per_report_codes) else np.empty(0, np.int64), names)


def merge(segments):
    """Return the Columns of a generation from its segments' arrays, in document order."""
    report = merge_coded(segments, "report_id", ordered=True)
    reports = {}
    for segment in segments:
        reports.update(segment["values"]["reports"])
    columns = Columns(
        report=report,
        reports=[reports.get(report_id, {}) for report_id in report.names],
        n=concatenated(segments, "n", np.int32).astype(np.int64),
        date=concatenated(segments, "date", np.int64),
        heading=concatenated(segments, "heading", np.bool_),
        coded={name: merge_coded(segments, name) for name in CODED},
    )
    columns.facets = {facet.name: facet_column(facet, columns) for facet in FACETS}
    # A report with a year but no date sorts by its year; one with neither, last both ways.
    columns.when = columns.facets[YEAR_FACET.name].codes.astype(np.int64) * DATE_SPAN + columns.date
    return columns
