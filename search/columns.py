"""Per-paragraph column values of a whole generation, merged from its segments' arrays.

Facet counts, filters and date sorts look values up by document number here instead of
loading stored fields for each matching paragraph. The arrays keep a report's metadata once,
in each segment's report table: a report's values (its region, year, date) are looked up
once per report and spread to its paragraphs by report code.
"""
from dataclasses import dataclass

import numpy as np

from indexer.index.schema import UNKNOWN, date_key
from indexer.report import REGION_LEVELS

# Years a report can be about: facets count per year in arrays as long as the largest.
MIN_YEAR, MAX_YEAR = 1949, 2200


@dataclass
class Coded:
    """A text column: per document the code of its value, and the value of each code."""

    codes: np.ndarray
    names: list

    def code_of(self):
        """Return a mapping from value to code."""
        return {name: code for code, name in enumerate(self.names)}


@dataclass
class Columns:
    """The column values of every document, indexed by global document number."""

    report: Coded       # codes in report_id order, so comparing codes compares ids
    reports: list       # the Report of each report code, without its paragraphs
    n: np.ndarray
    date: np.ndarray    # yyyymmdd, UNKNOWN when undated
    year: np.ndarray    # report year, UNKNOWN when unknown
    heading: np.ndarray
    coded: dict         # region level or section_class -> Coded


def merge_coded(parts, ordered=False):
    """Return one Coded column from per-segment (codes, values of the codes) (sorted values when ordered)."""
    seen = (value for _codes, values in parts for value in values)
    names = sorted(set(seen)) if ordered else list(dict.fromkeys(seen))
    index = {value: code for code, value in enumerate(names)}
    codes = [np.array([index[v] for v in values], np.uint32)[np.asarray(codes)] for codes, values in parts]
    return Coded(np.concatenate(codes) if codes else np.empty(0, np.uint32), names)


def concatenated(segments, name, dtype):
    """Return one segment array after another as a single array."""
    return np.concatenate([getattr(s, name) for s in segments]) if segments else np.empty(0, dtype)


def plausible_year(year):
    """Return a report year as a number, UNKNOWN when it is none or out of any sensible range."""
    return year if isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR else UNKNOWN


def spread(report_codes, per_report, dtype=None):
    """Return a per-paragraph column from one value per report: numbers as they are, text as a Coded."""
    if dtype is not None:
        return np.array(per_report, dtype)[report_codes] if per_report else np.empty(0, dtype)
    names = list(dict.fromkeys(per_report))
    code = {name: place for place, name in enumerate(names)}
    codes = np.array([code[value] for value in per_report], np.uint32)
    return Coded(codes[report_codes] if per_report else np.empty(0, np.uint32), names)


def merge(segments):
    """Return the Columns of a generation from its segments' arrays (indexer/index/format.py), in document order."""
    report = merge_coded([(s.report, [r.report_id for r in s.reports]) for s in segments], ordered=True)
    # A report updated since the full build is also in its older segment, deleted there:
    # later segments hold the newer version.
    by_id = {r.report_id: r for s in segments for r in s.reports}
    reports = [by_id[report_id] for report_id in report.names]
    codes = report.codes
    return Columns(
        report=report,
        reports=reports,
        n=concatenated(segments, "n", np.int32).astype(np.int64),
        date=spread(codes, [date_key(r.pub_date) for r in reports], np.int64),
        year=spread(codes, [plausible_year(r.report_year) for r in reports], np.int64),
        heading=concatenated(segments, "heading", np.bool_),
        coded={**{level: spread(codes, [(r.region or {}).get(level) or "" for r in reports])
                  for level in REGION_LEVELS},
               "section_class": merge_coded([(s.section_class, s.section_names) for s in segments])},
    )
