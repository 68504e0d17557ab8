"""Reuse across rebuilds: an update compares only what changed and ends where a full build would;
a synthetic corpus indexed whole holds exactly the brute-force pairs; damaged reuse data is made again."""
import shutil

import pytest

from bench import synth
from bench.copies import characters_changed
from indexer.index.build import rebuild
from indexer.index.buildinfo import verify
from indexer.index.format import read_reuse
from indexer.index.generations import current_folder
from indexer.reuse.settings import REUSE_SETTINGS
from indexer.reuse.sketch import eligible, text_hash
from model.text import normalize
from search import SearchEngine

from planting import page
from reuse_truth import near_identical

pytestmark = pytest.mark.integration


def reuse_of(index):
    """Return the live generation's reuse data by text hash: the texts, the pairs, each text's leader."""
    data = read_reuse(current_folder(index), REUSE_SETTINGS)
    texts = [int(t) for t in data.texts]
    pairs = {(texts[a], texts[b], round(float(s), 6))
             for a, b, s in zip(data.pair_first.tolist(), data.pair_second.tolist(), data.pair_similarity.tolist())}
    leaders = {texts[t]: texts[leader] if leader >= 0 else None for t, leader in enumerate(data.leader.tolist())}
    return set(texts), pairs, leaders


@pytest.fixture()
def planted_copy(planted_corpus, tmp_path):
    """A copy of the planted corpus that a test may change."""
    folder = tmp_path / "corpus"
    shutil.copytree(planted_corpus[0] / "raw", folder / "raw")
    return folder


def test_an_update_compares_only_what_changed_and_ends_where_a_full_build_does(planted_copy, tmp_path):
    index = tmp_path / "index"
    rebuild(planted_copy, index, warn=lambda message: None)
    raw = planted_copy / "raw"
    # A new report copying a paragraph of planted_b, earlier than every seed; planted_c changed; planted_a gone.
    source = next(p.text for p in SearchEngine(index).report("planted_b").paragraphs if len(normalize(p.text)) > 60)
    (raw / "planted_d.txt").write_text(page("丁乡2018年度法治政府建设情况报告", "丁乡人民政府", "2019-01-05",
                                            [characters_changed(source)]), encoding="utf-8")
    changed = raw / "planted_c.txt"
    lines = changed.read_text(encoding="utf-8").split("\n")
    lines[3] = characters_changed(lines[3])
    changed.write_text("\n".join(lines), encoding="utf-8")
    (raw / "planted_a.txt").unlink()
    summary = rebuild(planted_copy, index, warn=lambda message: None)
    assert summary.mode.startswith("updated 2, removed 1")
    assert summary.reuse.new < summary.reuse.texts / 4
    full = tmp_path / "full"
    rebuild(planted_copy, full, warn=lambda message: None, full=True)
    assert reuse_of(index) == reuse_of(full)
    # The new report came first: the copy of its paragraph in planted_b folds under it now.
    engine = SearchEngine(index)
    hits = engine.search(f'"{normalize(source)[10:22]}"')["hits"]
    assert hits[0]["report_id"] == "planted_d" and hits[0]["earliest"]["report_id"] == "planted_d"


def test_a_synthetic_corpus_indexed_whole_holds_exactly_the_brute_force_pairs(tmp_path):
    synth.generate(tmp_path / "corpus" / "raw", 2500, seed=3)
    index = tmp_path / "index"
    rebuild(tmp_path / "corpus", index, warn=lambda message: None)
    engine = SearchEngine(index)
    texts = sorted({normalize(p.text) for row in engine.overview()["reports"]
                    for p in engine.report(row["report_id"]).paragraphs if eligible(normalize(p.text), p.heading)})
    truth = {tuple(sorted((text_hash(texts[a]), text_hash(texts[b])))) for a, b in near_identical(texts)}
    _texts, pairs, _leaders = reuse_of(index)
    assert len(texts) > 1500 and len(truth) > 10
    assert {tuple(sorted(pair[:2])) for pair in pairs} == truth


@pytest.mark.parametrize("damaged", ["reuse/data.bin", "sketches"])
def test_damaged_reuse_data_is_found_and_made_again_by_rebuild(planted_copy, tmp_path, damaged):
    index = tmp_path / "index"
    rebuild(planted_copy, index, warn=lambda message: None)
    before = reuse_of(index)
    live = current_folder(index)
    target = live / damaged if damaged.endswith(".bin") else max((live / damaged).glob("*/data.bin"),
                                                                  key=lambda path: path.stat().st_size)
    data = bytearray(target.read_bytes())
    data[len(data) // 2:len(data) // 2 + 8] = b"DAMAGED!"
    target.write_bytes(bytes(data))
    problems = verify(live)
    assert [problem.part for problem in problems] == ["reuse"]
    said = []
    summary = rebuild(planted_copy, index, warn=said.append)
    assert "damaged reuse data" in said[0] and "made again" in summary.mode
    assert verify(current_folder(index)) == [] and reuse_of(index) == before
