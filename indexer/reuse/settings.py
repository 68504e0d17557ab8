"""The tuned numbers of reuse detection, each with the measurement it rests on.

`python -m bench.reuse_tuning` prints the measurements again (the seeds' paragraphs edited in the
ways reports copy each other, and the most similar paragraphs of unrelated seed reports).
"""
from math import comb

# Shingles are runs of this many characters of the normalized text (model/text.py: no
# punctuation, no spaces, simplified characters). Three characters: one changed character
# changes three shingles, so a paragraph with one character in twenty edited keeps a
# similarity of 0.68-0.74; with four it falls to 0.60-0.66, among rewritten ones.
SHINGLE_CHARS = 3

# Near-identical means a Jaccard similarity of shingle sets at least this high. Measured on the
# seeds' compared paragraphs (python -m bench.reuse_tuning): unrelated reports share at most
# 0.15 (common phrases such as 习近平新时代中国特色社会主义思想); a third of a paragraph
# rewritten gives 0.46-0.64, half rewritten 0.30-0.49; one character in twenty changed
# 0.68-0.76; place words and years changed 0.63-1.00 (median 0.96); a sentence added
# 0.49-0.94 (median 0.79). 0.65 lies in the gap between rewritten (at most 0.64) and edited
# (at least 0.68).
THRESHOLD = 0.65

# Headings are never compared: 「存在的问题」 is in every report and says nothing of reuse. Nor are
# paragraphs shorter than this many normalized characters: salutations, signatures and
# one-line formulas (现将有关情况报告如下), whose sameness is the genre's, not a copy.
MIN_CHARS = 30

# MinHash permutations, and the LSH bands they are cut into (BANDS × ROWS = NUM_PERM). A pair
# of similarity s shares at least one band with probability 1 - (1 - s^ROWS)^BANDS: 0.99992
# at THRESHOLD, so a near-identical pair is missed about once in 12,000 (tested against every
# pair compared exactly); 0.32 at 0.3 and 0.07 at 0.2, candidates the exact check drops.
NUM_PERM = 192
ROWS = 4
BANDS = NUM_PERM // ROWS
# datasketch's permutations are drawn from this seed: sketches of every generation agree.
SEED = 1

# A bucket of a band (the texts sharing its key) of at most CROWD texts has every pair of them
# compared. A bigger one is a crowd of near-identical texts (a boilerplate paragraph that
# thousands of governments print with their own place names; or a page of thousands of lines
# alike): comparing every pair took memory quadratic in the crowd (3,000 texts 2.6 GB), and a
# crowd of a thousand texts gives half a million pairs, every one saying the same. Each text of
# a crowded bucket is compared with the bucket's STAR_CENTRES earliest texts (in order of first
# appearance) and its CROWD earliest group leaders, the leaders found again until they stay
# (pairs.near_pairs): a group is a star under its earliest text (groups.py), so the groups are
# those every pair would make (tests/test_reuse_detection.py, on crowds of copies), while the
# pairs of a band are at most CROWD + STAR_CENTRES a text.
CROWD = 32
STAR_CENTRES = 8

# A candidate whose MinHash values agree in fewer than PREFILTER_AGREEMENT of NUM_PERM places
# is dropped before the exact check: a pair at THRESHOLD agrees that little with probability
# below MISS_PROBABILITY (a binomial tail), while most pairs below 0.5 are dropped cheaply.
MISS_PROBABILITY = 1e-6


def least_agreement(num_perm, threshold, miss):
    """Return the most places a pair at threshold agrees in, with probability above 1 - miss."""
    below = 0.0
    for places in range(num_perm + 1):
        below += comb(num_perm, places) * threshold ** places * (1 - threshold) ** (num_perm - places)
        if below > miss:
            return places
    return num_perm


PREFILTER_AGREEMENT = least_agreement(NUM_PERM, THRESHOLD, MISS_PROBABILITY)

# What a generation's sketches were made with: sketches made otherwise are made again.
SETTINGS = {"shingle_chars": SHINGLE_CHARS, "threshold": THRESHOLD, "min_chars": MIN_CHARS,
            "num_perm": NUM_PERM, "bands": BANDS, "rows": ROWS, "seed": SEED}
# What its reuse data was computed with: data computed otherwise is computed again (from the sketches).
REUSE_SETTINGS = {**SETTINGS, "crowd": CROWD, "star_centres": STAR_CENTRES}
