"""Reuse detection against the brute-force truth: the planted copies of the seeds and the synthetic corpus.

The LSH candidates (datasketch MinHash, bands), the prefilter and the exact check together must
find exactly the pairs that comparing every pair finds: every one at or above the threshold,
none below.
"""
import json
import random
import subprocess
import sys

import numpy as np
import pytest

from bench import synth
from bench.copies import COPIES, REWRITES
from indexer.clean.gazetteer import gazetteer
from indexer.reuse import exact, pairs, runs
from indexer.reuse.groups import leaders, spanning
from indexer.reuse.pairs import near_pairs
from indexer.reuse.settings import BANDS, THRESHOLD
from indexer.reuse.sketch import eligible, sketch
from model.text import normalize

from conftest import PROJECT
from reuse_truth import all_similarities, near_identical

# Paragraphs of the synthetic corpus compared here: a few thousand, every pair checked by brute force.
SYNTHETIC_PARAGRAPHS = 3000


def detected(norms, new=None, sketches=None):
    """Return the set of pairs (i, j), i < j, that reuse detection finds among distinct normalized texts
    (those involving a new one when new marks some), from their sketches when given."""
    sketches = sketches or sketch(norms)
    new = np.ones(len(norms), bool) if new is None else new
    first, second, similarity = near_pairs(sketches["band_keys"].reshape(-1, BANDS), sketches["signatures"], new,
                                           lambda text: norms[text])
    assert np.all(similarity >= THRESHOLD)
    return set(zip(first.tolist(), second.tolist()))


@pytest.fixture(scope="module")
def seed_texts(seed_reports):
    """The compared paragraphs of the seeds, normalized, distinct."""
    texts = [normalize(p.text) for report in seed_reports.values() for p in report.paragraphs
             if eligible(normalize(p.text), p.heading)]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def copied(seed_texts):
    """The seeds' paragraphs, and each one's copy under every edit (copies and rewrites), as distinct texts."""
    texts = list(seed_texts)
    for edit in COPIES + REWRITES:
        texts += [normalize(edit(text)) for text in seed_texts]
    return list(dict.fromkeys(texts))


@pytest.fixture(scope="module")
def synthetic_texts():
    """The distinct compared paragraphs of a few thousand of the synthetic benchmark corpus (recombined seed sentences)."""
    gaz, rng = gazetteer(), random.Random(0)
    pools, levels = synth.seed_pools(synth.SEED_DIR, gaz), synth.places_by_level(gaz)
    texts = []
    for number, size in enumerate(synth.report_sizes(rng, SYNTHETIC_PARAGRAPHS), 1):
        meta = synth.report_meta(rng, gaz, levels, number)
        body = synth.ReportWriter(rng, pools, meta["region"], meta["unit"], meta["year"]).body(size)
        texts += [normalize(line) for line in body if eligible(normalize(line), False)]
    return list(dict.fromkeys(texts))


def test_every_planted_copy_above_the_threshold_is_found_and_none_below(copied):
    truth = all_similarities(copied)
    found = detected(copied)
    expected = {pair for pair, similarity in truth.items() if similarity >= THRESHOLD}
    # The copies span both sides of the threshold: the test means something.
    assert len(expected) > 100 and sum(1 for s in truth.values() if 0.4 <= s < THRESHOLD) > 50
    assert found == expected


@pytest.fixture(scope="module")
def synthetic_sketches(synthetic_texts):
    """The sketches of the synthetic texts, made once."""
    return sketch(synthetic_texts)


@pytest.fixture(scope="module")
def synthetic_truth(synthetic_texts):
    """The near-identical pairs of the synthetic texts by brute force, found once."""
    return near_identical(synthetic_texts)


def test_the_synthetic_corpus_gives_exactly_the_brute_force_pairs(synthetic_texts, synthetic_sketches, synthetic_truth):
    assert len(synthetic_texts) > 2000 and len(synthetic_truth) > 20
    assert detected(synthetic_texts, sketches=synthetic_sketches) == synthetic_truth


def test_comparing_only_new_texts_finds_exactly_the_pairs_that_involve_them(synthetic_texts, synthetic_sketches,
                                                                             synthetic_truth):
    new = np.zeros(len(synthetic_texts), bool)
    new[::7] = True
    expected = {(a, b) for a, b in synthetic_truth if new[a] or new[b]}
    assert expected and detected(synthetic_texts, new, synthetic_sketches) == expected


def test_texts_nothing_is_like_give_no_pairs(seed_texts):
    # Different reports of different places share phrases, never whole paragraphs.
    assert detected(seed_texts) == set() == near_identical(seed_texts)


def test_a_group_is_a_star_under_its_earliest_never_a_chain():
    # 0 ~ 1 ~ 2 ~ 3 in a chain, 0 ~ 3 too: 1 and 3 join 0; 2, like only 1 and 3 (members), leads its own.
    first, second = np.array([0, 1, 2, 0]), np.array([1, 2, 3, 3])
    assert leaders(np.array([0, 1, 2, 3]), first, second).tolist() == [0, 0, 2, 0]
    # Order of appearance decides, not row numbers.
    assert leaders(np.array([3, 2, 1, 0]), np.array([0]), np.array([1])).tolist() == [1, 1, 2, 3]


def test_a_group_within_one_report_is_no_reuse():
    leader = np.array([0, 0, 2])
    # Texts 0 and 1 lie in report 5 only; text 2 in reports 6 and 7.
    assert spanning(leader, np.array([0, 1, 2, 2]), np.array([5, 5, 6, 7]), 3).tolist() == [-1, -1, 2]


@pytest.fixture(scope="module")
def crowds(seed_texts):
    """Crowds of copies: 30 seed paragraphs, 150 copies each with characters replaced at random (one in 15 to
    one in 60), so that copies of one paragraph are near-identical to some of each other and not to others."""
    rng = random.Random(0)
    texts = []
    for source in rng.sample([text for text in seed_texts if len(text) > 50], 30):
        for _ in range(150):
            every = rng.choice([15, 20, 30, 60])
            texts.append("".join(rng.choice("之的了和与及在对为是") if rng.random() * every < 1 else char
                                 for char in source))
    texts = list(dict.fromkeys(texts))
    return texts, np.array(rng.sample(range(len(texts)), len(texts)))


@pytest.mark.slow  # every pair of 4,500 texts compared for the truth: some 10 s
def test_crowds_of_copies_are_grouped_as_every_pair_would_group_them(crowds):
    texts, seen = crowds
    truth = near_identical(texts)
    sketches = sketch(texts)
    first, second, similarity = near_pairs(sketches["band_keys"].reshape(-1, BANDS), sketches["signatures"],
                                           np.ones(len(texts), bool), lambda text: texts[text], seen)
    found = set(zip(first.tolist(), second.tolist()))
    # Crowded buckets are compared as stars: fewer pairs, every one of them real ...
    assert found < truth and np.all(similarity >= THRESHOLD) and len(found) < 0.7 * len(truth)
    # ... and the same groups: each text under the same earliest text as with every pair.
    every = np.array(sorted(truth))
    expected = leaders(seen, every[:, 0], every[:, 1])
    assert 100 < len(set(expected.tolist())) < len(texts) / 2
    assert leaders(seen, first, second).tolist() == expected.tolist()


@pytest.mark.slow  # the crowds searched three times: some 20 s
def test_crowds_give_the_same_pairs_and_groups_however_small_the_pieces_read_at_once(crowds, monkeypatch):
    # At 10^6 paragraphs the candidates are read back from disk a range of keys at a time, a band's
    # pairs made a chunk at a time and the exact check done a chunk at a time: cut tiny here, so
    # that every crowd spans many ranges and chunks, the answer must not change.
    texts, seen = crowds
    sketches = sketch(texts)

    def found(processes=1):
        """Return the pairs (in the order given) and groups near_pairs gives for the crowds."""
        first, second, similarity = near_pairs(sketches["band_keys"].reshape(-1, BANDS), sketches["signatures"],
                                               np.ones(len(texts), bool), lambda text: texts[text], seen,
                                               processes=processes)
        return list(zip(first.tolist(), second.tolist(), similarity.tolist())), leaders(seen, first, second).tolist()
    whole = found()
    monkeypatch.setattr(runs, "RANGE_KEYS", 100_000)
    monkeypatch.setattr(runs, "FENCE", 64)
    monkeypatch.setattr(pairs, "PAIRS_MADE", 20_000)
    monkeypatch.setattr(exact, "PAIRS_CHUNK", 900)
    monkeypatch.setattr(exact, "TEXTS_CHUNK", 400)
    cut = found()
    assert len(whole[0]) > 10_000 and cut == whole
    # The ranges shared among two forked processes: the same pairs, in the same order.
    assert found(processes=2) == whole


def test_pair_runs_read_back_merged_and_distinct_by_ranges(tmp_path, monkeypatch):
    monkeypatch.setattr(runs, "FENCE", 16)  # a key in 16 kept in memory: ranges cut finer than 1,000 keys
    rng = np.random.default_rng(0)
    written = [np.unique(rng.integers(0, 50_000, size)) for size in (3_000, 10, 0, 20_000, 7_000)]
    with runs.PairRuns(tmp_path) as stored:
        for keys in written:
            stored.add(keys)
        read = list(stored.ranges(most=1_000))
        assert len(read) > 10 and max(len(keys) for keys in read) <= 1_000
        assert np.array_equal(np.concatenate(read), np.unique(np.concatenate(written)))
        assert np.array_equal(stored.within(100, 5_000), np.unique(np.concatenate(written))[
            (np.unique(np.concatenate(written)) >= 100) & (np.unique(np.concatenate(written)) < 5_000)])
    assert not list(tmp_path.iterdir())  # the scratch file is gone


# Run in a process of its own: its peak memory (getrusage) while finding the pairs of a crowd of
# near-identical texts (a boilerplate sentence, its number changed), in MB above where it started.
CROWD_MEMORY = r"""
import json, resource, sys
import numpy as np
from indexer.reuse.groups import leaders
from indexer.reuse.pairs import near_pairs
from indexer.reuse.settings import BANDS
from indexer.reuse.sketch import sketch
texts = [f"本单位认真贯彻落实上级关于法治政府建设的决策部署，第{k}次召开专题会议研究依法行政工作，推动各项任务落地见效。"
         for k in range(1, int(sys.argv[1]) + 1)]
sketches = sketch(texts)
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
first, second, _ = near_pairs(sketches["band_keys"].reshape(-1, BANDS), sketches["signatures"],
                              np.ones(len(texts), bool), lambda text: texts[text])
grouped = leaders(np.arange(len(texts)), first, second)
print(json.dumps({"mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 - before,
                  "groups": len(set(grouped.tolist())), "pairs": len(first)}))
"""


@pytest.mark.slow  # a process of its own, 3,000 texts sketched
def test_a_crowd_of_near_identical_texts_takes_memory_linear_in_its_size():
    # 3,000 such texts took 2.6 GB when every pair of every band was made before any was dropped.
    done = subprocess.run([sys.executable, "-c", CROWD_MEMORY, "3000"], cwd=PROJECT, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["groups"] == 1  # one boilerplate, one group
    assert found["mb"] < 400 and found["pairs"] < 3000 * 200, found
