"""The MinHash sketches made with numpy are datasketch's own, bit for bit."""
import numpy as np
from datasketch import MinHash

from indexer.reuse import sketch as sketch_module
from indexer.reuse.settings import NUM_PERM, SEED
from indexer.reuse.sketch import band_keys, folded, shingles, signatures, sketch, text_hash
from model.text import normalize

TEXTS = [
    "坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面推进依法行政。",
    "全面落实行政执法公示制度、执法全过程记录制度、重大执法决定法制审核制度，规范行政执法行为。",
    "二〇二三年，某某县人民政府认真贯彻落实《法治政府建设实施纲要（2021－2025年）》，法治政府建设取得新成效。",
    "短",
    "重大行政决策" * 40,
]


def datasketch_signature(shingle_set):
    """Return the signature datasketch itself makes of a shingle set, with a MinHash of its own."""
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)
    minhash.update_batch(folded(shingle_set).tolist())
    return minhash.hashvalues


def test_signatures_are_datasketchs_for_texts_and_empty_sets():
    sets = [shingles(normalize(text)) for text in TEXTS] + [np.empty(0, np.uint64)]
    rows = signatures(sets)
    assert rows.dtype == np.uint32 and rows.shape == (len(sets), NUM_PERM)
    for row, shingle_set in zip(rows, sets):
        assert np.array_equal(row, datasketch_signature(shingle_set))
    # An empty set has no shingle to take a least value from: every value is the largest.
    assert (rows[-1] == 0xFFFFFFFF).all() and not (rows[0] == 0xFFFFFFFF).all()


def test_sketch_in_chunks_equals_one_signature_at_a_time(monkeypatch):
    rng = np.random.default_rng(7)
    alphabet = "法治政府建设依法行政执法监督决策公开复议诉讼"
    norms = ["".join(rng.choice(list(alphabet), size=int(size))) for size in rng.integers(30, 120, 23)]
    monkeypatch.setattr(sketch_module, "SKETCH_TEXTS", 5)  # texts across several chunks, the last one short
    found = sketch(norms)
    rows = np.array([datasketch_signature(shingles(norm)) for norm in norms], np.uint32)
    assert np.array_equal(found["text_hashes"], np.array([text_hash(norm) for norm in norms], np.uint64))
    assert np.array_equal(found["band_keys"], band_keys(rows).reshape(-1))
    assert np.array_equal(found["signatures"], (rows & 0xFF).astype(np.uint8).reshape(-1))
