"""One issuer's reports year by year, and what changed from each report to the next: paragraphs new, dropped,
rewritten and kept.

Rewritten means near-identical as the reuse stage defines it (indexer/reuse/settings.py: the Jaccard similarity
of the 3-character shingle sets of the normalized texts at least THRESHOLD, over the paragraphs it compares,
sketch.eligible), worked out here for every pair of paragraphs of the two reports: exact for them (the reuse
data keeps fewer pairs inside crowds of copies), and answered alike by any backend that reads reports whole.
"""
import numpy as np

from indexer.reuse.pairs import shingle_rows
from indexer.reuse.settings import MIN_CHARS, THRESHOLD
from indexer.reuse.sketch import eligible
from model.text import normalize
from model.values import UNKNOWN

# What a step compares, as its page says: the paragraphs the reuse stage compares.
COMPARED_NOTE = f"只比较正文段落：标题和不足 {MIN_CHARS} 字的段落不计。"


def compared(report):
    """Return (paragraph, normalized text) of the paragraphs of a report that are compared, in order."""
    found = [(paragraph, normalize(paragraph.text)) for paragraph in report.paragraphs]
    return [(paragraph, norm) for paragraph, norm in found if eligible(norm, paragraph.heading)]


def similarity_matrix(left, right):
    """Return the Jaccard similarity of every pair of normalized texts (rows: left, columns: right)."""
    rows, sizes = shingle_rows(left + right)
    shared = (rows[:len(left)] @ rows[len(left):].T).toarray()
    union = sizes[:len(left), None] + sizes[None, len(left):] - shared
    return np.divide(shared, union, out=np.zeros_like(shared, dtype=np.float64), where=union > 0)


def changes(older, newer):
    """Return what changed from one report to the next: kept (how many paragraphs stayed word for word), rewritten
    [(older paragraph, newer paragraph, similarity)] in the newer one's order, new and dropped paragraphs."""
    left, right = compared(older), compared(newer)
    # The same text in both is kept, one paragraph for one, in order.
    waiting = {}
    for paragraph, norm in left:
        waiting.setdefault(norm, []).append(paragraph)
    kept, right_rest = set(), []
    for paragraph, norm in right:
        if waiting.get(norm):
            kept.add(waiting[norm].pop(0).n)
        else:
            right_rest.append((paragraph, norm))
    left_rest = [(paragraph, norm) for paragraph, norm in left if paragraph.n not in kept]
    rewritten, paired_left, paired_right = [], set(), set()
    if left_rest and right_rest:
        similar = similarity_matrix([norm for _p, norm in left_rest], [norm for _p, norm in right_rest])
        pairs = np.argwhere(similar >= THRESHOLD)
        # The most similar pairs first, each paragraph in one pair only.
        for i, j in sorted(pairs.tolist(), key=lambda pair: (-similar[pair[0], pair[1]], pair[1], pair[0])):
            if i not in paired_left and j not in paired_right:
                paired_left.add(i)
                paired_right.add(j)
                rewritten.append((left_rest[i][0], right_rest[j][0], float(similar[i, j])))
    return {"kept": len(kept), "rewritten": sorted(rewritten, key=lambda pair: pair[1].n),
            "new": [paragraph for j, (paragraph, _norm) in enumerate(right_rest) if j not in paired_right],
            "dropped": [paragraph for i, (paragraph, _norm) in enumerate(left_rest) if i not in paired_left]}


def oldest_first(row):
    """Order report rows by report year, then publication date, then id; a report without a year last."""
    return row["report_year"] or UNKNOWN, row["pub_date"] or "9999", row["report_id"]


def issuer_rows(rows, issuer):
    """Return the report rows of one issuer (its name folded as searches fold it), oldest first."""
    wanted = normalize(issuer)
    return sorted((row for row in rows if wanted and normalize(row["issuer"]) == wanted), key=oldest_first)


def timeline(rows, read, issuer):
    """Return one issuer's timeline from report rows (Backend.report_rows) and read(report_id) (the whole Report),
    or None when no report has that issuer: its reports by year, and the changes from each dated report to the next."""
    mine = issuer_rows(rows, issuer)
    if not mine:
        return None
    dated = [row for row in mine if row["report_year"]]
    years = {}
    for row in dated:
        years.setdefault(row["report_year"], []).append(row)
    reports = {row["report_id"]: read(row["report_id"]) for row in dated}
    steps = [{"older": older, "newer": newer, **changes(reports[older["report_id"]], reports[newer["report_id"]])}
             for older, newer in zip(dated, dated[1:])
             if reports[older["report_id"]] is not None and reports[newer["report_id"]] is not None]
    return {"issuer": mine[-1]["issuer"], "reports": mine, "years": [{"year": year, "reports": listed}
                                                                     for year, listed in years.items()],
            "undated": [row for row in mine if not row["report_year"]], "steps": steps}
