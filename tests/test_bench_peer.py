"""The benchmark's peer (bench/peer.py, SQLite FTS5 trigram) finds what the embedded engine finds, where both mean the same."""
import re

import pytest

from bench import peer
from bench.queries import Query
from indexer.paths import clean_dir
from model.registry import BY_NAME
from model.report import read_report
from model.text import normalize
from search import SearchEngine

from conftest import SEED_CORPUS

# Runs of Chinese characters in a paragraph: the phrases sampled from the corpus itself.
HAN_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
# Every how many runs one is taken, and the phrase lengths taken from it: a few dozen phrases of 2 to 6 characters.
EVERY_RUN = 9
LENGTHS = (2, 3, 4, 6)


@pytest.fixture(scope="module")
def seeds(seed_index, tmp_path_factory):
    """The peer built from the clean reports the seed index was built from: (engine, peer connection, peer
    columns, clean reports)."""
    db = tmp_path_factory.mktemp("peer") / "peer.sqlite"
    peer.build(SEED_CORPUS, db, "clean")
    connection, columns = peer.connect(db)
    reports = [read_report(path) for path in sorted(clean_dir(SEED_CORPUS).glob("*.json"))]
    yield SearchEngine(seed_index), connection, columns, reports
    connection.close()


def same_meaning(phrase, texts):
    """Tell whether a phrase is found in as many paragraphs as written as in their searchable form (no punctuation,
    spaces or variants between its characters anywhere): where FTS5 and the embedded engine mean the same."""
    return sum(phrase in text for text in texts) == sum(phrase in normalize(text) for text in texts)


def sampled_phrases(reports):
    """Return phrases of 2 to 6 characters taken from the paragraphs, and the seed mix's phrases."""
    texts = [p.text for report in reports for p in report.paragraphs]
    runs = [run for text in texts for run in HAN_RUN.findall(text)][::EVERY_RUN]
    found = {run[:length] for run in runs for length in LENGTHS if len(run) >= length}
    found |= {"枫桥经验", "法律顾问", "行政执法", "合法性审查", "法治政府建设", "调解"}
    return sorted(phrase for phrase in found if same_meaning(phrase, texts))


def peer_total(seeds, q, filters=()):
    """Return how many paragraphs the peer finds for a query and filters."""
    _, connection, columns, _ = seeds
    return peer.answer(connection, columns, Query("test", q, tuple(filters)))["total"]


def test_every_phrase_finds_as_many_paragraphs_in_the_peer_as_in_the_engine(seeds):
    """Phrases of three characters or more (MATCH) and of two (LIKE) find the same paragraphs in both."""
    engine, _, _, reports = seeds
    phrases = sampled_phrases(reports)
    assert len(phrases) > 40 and any(len(p) == 2 for p in phrases)
    found = {phrase: (peer_total(seeds, f'"{phrase}"'), engine.search(f'"{phrase}"', limit=1)["total"])
             for phrase in phrases}
    assert {phrase: pair for phrase, pair in found.items() if pair[0] != pair[1]} == {}
    assert sum(engine_total for _, engine_total in found.values()) > len(phrases)


def test_words_and_filters_find_as_many_paragraphs_in_the_peer_as_in_the_engine(seeds):
    """Several chunks (all required), with a province or a year chosen, find the same paragraphs in both."""
    engine, _, _, reports = seeds
    report = max(reports, key=lambda r: len(r.paragraphs))
    province, year = BY_NAME["province"].source.of(report), str(report.report_year)
    for q in ("法治政府建设", "法治 建设 工作", "依法行政 推进"):
        for filters in ((), (("province", province),), (("year", year),), (("province", province), ("year", year))):
            expected = engine.search(q, filters={name: [value] for name, value in filters}, limit=1)["total"]
            assert peer_total(seeds, q, filters) == expected, (q, filters)
    assert peer_total(seeds, "法治", (("province", province),)) < peer_total(seeds, "法治") == engine.search("法治")["total"]


def test_facets_count_paragraphs_and_reports_as_the_engine_does(seeds):
    """The peer's GROUP BY per facet gives the years' and sections' counts of paragraphs and reports the API gives."""
    engine, connection, columns, _ = seeds
    counts = peer.answer(connection, columns, Query("test", "法治"))["facets"]
    facets = engine.search("法治", limit=1)["facets"]
    for name in ("year", "section"):
        expected = {row["value"]: (row["count"], row["reports"]) for row in facets[name]}
        assert {value: (paragraphs, reports) for value, paragraphs, reports in counts[name] if value} == expected


def test_a_phrase_the_engine_finds_across_punctuation_is_explained(seeds):
    """Where FTS5 finds fewer (the engine reads 工作，推进 as 工作推进), the benchmark's reason gives both counts."""
    engine, _, _, reports = seeds
    texts = [p.text for report in reports for p in report.paragraphs]
    across = re.compile(r"([\u4e00-\u9fff]{2})[^\w]([\u4e00-\u9fff]{2})")
    phrase = next(a + b for text in texts for a, b in across.findall(text) if not same_meaning(a + b, texts))
    query = Query("test", f'"{phrase}"')
    totals = {"engine": {query.key: engine.search(query.q, limit=1)["total"]},
              "peer": {query.key: peer_total(seeds, query.q)}}
    assert totals["peer"][query.key] < totals["engine"][query.key]
    why = peer.explain_differences(SEED_CORPUS, [query], totals["engine"], totals["peer"])
    assert why == {query.key: f"as written in {totals['peer'][query.key]:,} paragraphs, in the searchable form in"
                              f" {totals['engine'][query.key]:,}: the engine folds punctuation, spaces, widths and"
                              " variants (答覆/答复) away, FTS5 matches the text as written"}
    assert peer.explain_differences(SEED_CORPUS, [query], totals["engine"], totals["engine"]) == {}
