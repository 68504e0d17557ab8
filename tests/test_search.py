"""Search over the real seed index: phrases, words, chrome, snippets."""
import re

import pytest

from indexer.analysis import normalize
from indexer.clean import clean_file
from search.engine import IndexMissing, SearchEngine

from conftest import SEED_FILES


def all_hits(engine, query):
    """Return the set of (report prefix, n) for every hit of a query."""
    results = engine.search(query, limit=None)
    return {(hit["report_id"][:3], hit["n"]) for hit in results["hits"]}


def substring_truth(phrase):
    """Return (report prefix, n) of every seed paragraph whose normalized text holds the phrase."""
    needle = normalize(phrase)
    return {(path.name[:3], p.n) for path in SEED_FILES for p in clean_file(path).paragraphs
            if needle in normalize(p.text)}


@pytest.mark.parametrize("query", ["枫桥经验", '"枫桥经验"', "“枫桥经验”"])
def test_fengqiao_returns_exactly_three_paragraphs(engine, query):
    hits = all_hits(engine, query)
    assert len(hits) == 3
    assert sorted(prefix for prefix, _ in hits) == ["000", "002", "004"]


@pytest.mark.parametrize("chrome", ["扫一扫", "索引号", '"扫一扫在手机打开当前页"', "浏览字体", "620724077"])
def test_chrome_strings_find_nothing(engine, chrome):
    assert engine.search(chrome)["total"] == 0


@pytest.mark.parametrize("phrase", ["法律顾问", "新时代枫桥经验", "八五普法", "12345", "5G", "谁执法谁普法",
                                    "法", "合法性审查", "三项制度", "民法典"])
def test_quoted_phrase_equals_substring_truth(engine, phrase):
    assert all_hits(engine, f'"{phrase}"') == substring_truth(phrase)


def test_unquoted_words_must_all_occur(engine):
    hits = engine.search("法律顾问 合同", limit=None)["hits"]
    assert hits
    for hit in hits:
        text = normalize(hit["text"])
        assert "法律顾问" in text and "合同" in text


def test_hit_shape_and_url(engine):
    hit = engine.search('"枫桥经验"')["hits"][0]
    assert set(hit) >= {"report_id", "n", "text", "title", "url"}
    assert hit["url"] == f"/report/{hit['report_id']}#p-{hit['n']}"


def test_snippet_marks_the_match_and_escapes_the_rest(engine):
    hit = engine.search("枫桥经验")["hits"][0]
    assert "<mark>枫桥经验</mark>" in hit["snippet"]
    assert re.sub(r"</?mark>", "", hit["snippet"]).count("<") == 0


def test_missing_index_names_the_rebuild_command(tmp_path):
    with pytest.raises(IndexMissing, match="python -m indexer rebuild"):
        SearchEngine(tmp_path / "nothing").search("法治")


def test_query_of_only_punctuation_gives_a_notice(engine):
    results = engine.search("“”，。")
    assert results["total"] == 0 and results["notices"]
