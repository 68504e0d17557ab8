"""Why the reuse threshold is what it is: python -m bench.reuse_tuning [PAGE...].

Cleans the seed pages (or the pages given), takes their paragraphs that reuse detection compares
(not headings, at least settings.MIN_CHARS characters), and prints the exact Jaccard similarity
of each paragraph with its copy under every edit of bench/copies.py (percentiles over the
paragraphs), then the most similar paragraphs of two different reports. settings.THRESHOLD has
to keep the copies above it and the rewrites and unrelated paragraphs below.
"""
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

from indexer.clean.rawfile import clean_file
from indexer.reuse.settings import THRESHOLD
from indexer.reuse.sketch import eligible, shingles
from model.text import normalize

from .copies import COPIES, REWRITES
from .synth import SEED_DIR

PERCENTILES = (0, 10, 50, 90, 100)
# Most similar pairs of unrelated paragraphs printed.
TOP_UNRELATED = 5


def jaccard(left, right):
    """Return the exact Jaccard similarity of two texts' shingle sets (normalized first)."""
    first, second = shingles(normalize(left)), shingles(normalize(right))
    shared = len(np.intersect1d(first, second, assume_unique=True))
    union = len(first) + len(second) - shared
    return shared / union if union else 0.0


def compared_paragraphs(pages):
    """Return (report id, text) of every paragraph of the pages that reuse detection compares."""
    found = []
    for page in pages:
        report = clean_file(page)
        found += [(report.report_id, p.text) for p in report.paragraphs if eligible(normalize(p.text), p.heading)]
    return found


def main(argv=None):
    """Print the similarity of every kind of copy, of rewrites and of unrelated paragraphs."""
    pages = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)] or sorted(SEED_DIR.glob("*.txt"))
    paragraphs = compared_paragraphs(pages)
    print(f"{len(paragraphs)} paragraphs of {len(pages)} pages; threshold {THRESHOLD}")
    print("edit".ljust(22) + "".join(f"p{p}".rjust(7) for p in PERCENTILES))
    for edit in COPIES + REWRITES:
        values = [jaccard(text, edit(text)) for _report, text in paragraphs]
        print(edit.__name__.ljust(22) + "".join(f"{v:7.2f}" for v in np.percentile(values, PERCENTILES)))
    unrelated = sorted(((jaccard(a, b), a, b) for (ra, a), (rb, b) in combinations(paragraphs, 2) if ra != rb),
                       reverse=True)[:TOP_UNRELATED]
    print("most similar paragraphs of different reports:")
    for value, left, right in unrelated:
        print(f"{value:7.2f}  {left[:30]}… | {right[:30]}…")
    return 0


if __name__ == "__main__":
    sys.exit(main())
