"""Per-paragraph column values of a whole generation, merged from its segments' arrays.

Facet counts, filters and date sorts look values up by document number here instead of
loading stored fields for each matching paragraph.
"""
from dataclasses import dataclass

import numpy as np

from indexer.report import REGION_LEVELS

# Columns kept as codes into a list of their distinct values.
CODED = REGION_LEVELS + ("section_class",)


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
    reports: list       # the metadata of each report code: title, issuer, region, report_year, pub_date
    n: np.ndarray
    date: np.ndarray    # yyyymmdd, UNKNOWN when undated
    year: np.ndarray    # report year, UNKNOWN when unknown
    heading: np.ndarray
    coded: dict         # CODED field name -> Coded


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


def merge(segments):
    """Return the Columns of a generation from its segments' arrays, in document order."""
    report = merge_coded(segments, "report_id", ordered=True)
    reports = {}
    for segment in segments:
        reports.update(segment["values"]["reports"])
    return Columns(
        report=report,
        reports=[reports.get(report_id, {}) for report_id in report.names],
        n=concatenated(segments, "n", np.int32).astype(np.int64),
        date=concatenated(segments, "date", np.int64),
        year=concatenated(segments, "year", np.int32).astype(np.int64),
        heading=concatenated(segments, "heading", np.bool_),
        coded={name: merge_coded(segments, name) for name in CODED},
    )
