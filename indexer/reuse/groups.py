"""Which report came first, and near-identical texts grouped under the earliest of them.

Reports are ordered by publication date, then report year, then id. A report without a date
counts as published at the end of the year after its report year (a year's report comes out in
the next one); one with neither comes last. A text's first appearance is its earliest paragraph.

Groups are stars, not chains: texts are taken in order of first appearance, and a text joins the
group of the earliest earlier text it is near-identical to that leads a group, or leads its own.
So every member of a group is near-identical to the group's earliest text, which it is folded
under; a chain of small edits (A like B, B like C, A unlike C) never folds A and C together.
"""
from array import array

import numpy as np

from indexer.index.derive import sorted_distinct
from model.values import date_key
from model.report import LAST_YEAR

# Sort key of a report with neither date nor year: after every other.
UNDATED = 99_999_999
# Room for a paragraph's number below its report's rank in one sort key.
PARAGRAPH_SPAN = 1 << 20
# Pairs whose texts are read into Python at once while groups are formed.
LEADER_CHUNK = 100_000


def published_key(report):
    """Return the key reports are ordered by: (publication date or its estimate, report year, id)."""
    date = date_key(report.pub_date)
    if not date and report.report_year:
        date = (report.report_year + 1) * 10_000 + 1231
    return date or UNDATED, report.report_year or LAST_YEAR + 1, report.report_id


def report_ranks(reports):
    """Return each report's rank (0 = first published), in the order the reports are given."""
    order = sorted(range(len(reports)), key=lambda place: published_key(reports[place]))
    ranks = np.empty(len(reports), np.int64)
    ranks[order] = np.arange(len(reports))
    return ranks


def paragraph_ranks(report_rank, n):
    """Return the order key of paragraphs: their report's rank, then their number."""
    return np.asarray(report_rank, np.int64) * PARAGRAPH_SPAN + np.minimum(np.asarray(n, np.int64), PARAGRAPH_SPAN - 1)


def first_appearance(text, rank, count):
    """Return per text (0..count-1) the smallest rank of its paragraphs (text[i] is paragraph i's text)."""
    first = np.full(count, np.iinfo(np.int64).max)
    np.minimum.at(first, text, rank)
    return first


def leaders(first_seen, first, second):
    """Return per text the text leading its group (itself for a leader), given the near-identical pairs.

    first_seen orders the texts (distinct values); pairs are (first[i], second[i]).
    """
    count = len(first_seen)
    # Each pair once, from its later text to its earlier one, as one number: the later text's place
    # in order of first appearance, then the earlier one's. One array of a value a pair, sorted in
    # place: the pairs of a 10^6 corpus (5.9 M) took some eight such arrays at once, sorted by lexsort.
    by_place = np.argsort(first_seen, kind="stable")
    place = np.empty(count, np.int64)
    place[by_place] = np.arange(count)
    order = np.empty(len(first), np.int64)
    for start in range(0, len(first), LEADER_CHUNK):
        one = place[np.asarray(first[start:start + LEADER_CHUNK], np.int64)]
        other = place[np.asarray(second[start:start + LEADER_CHUNK], np.int64)]
        order[start:start + LEADER_CHUNK] = np.maximum(one, other) * count + np.minimum(one, other)
    order.sort()
    taken = array("q", range(count))
    # Texts in order of first appearance, each one's earlier neighbours earliest first: the first
    # that leads a group takes it in. Read a chunk at a time: Python integers take 30 bytes each.
    for start in range(0, len(order), LEADER_CHUNK):
        chunk = order[start:start + LEADER_CHUNK]
        for current, candidate in zip(by_place[chunk // count].tolist(), by_place[chunk % count].tolist()):
            if taken[current] == current and taken[candidate] == candidate:
                taken[current] = candidate
    return np.frombuffer(taken, np.int64).copy()


def spanning(leader, text, report, count):
    """Return leader with -1 for every text whose group's paragraphs all lie in one report.

    text[i] and report[i] are paragraph i's text and report (any integer codes).
    """
    reports = np.bincount(distinct_pairs(leader[text], report)[0], minlength=count)
    return np.where(reports[leader] >= 2, leader, -1)


def distinct_pairs(first, second):
    """Return the distinct pairs (first[i], second[i]) of two arrays of non-negative integers, as two arrays
    sorted by first, then second."""
    first, second = np.asarray(first, np.int64), np.asarray(second, np.int64)
    span = int(second.max(initial=0)) + 1
    keys = sorted_distinct(first * span + second)
    return keys // span, keys % span
