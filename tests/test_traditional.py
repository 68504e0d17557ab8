"""Traditional characters: a page published in them is found by a simplified query and shown as published."""
import opencc
import pytest

from indexer.index.build import rebuild
from search import SearchEngine

from conftest import SEED_FILES, quiet


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """An index of four seeds as they are and the fifth written in traditional characters."""
    raw = tmp_path_factory.mktemp("mixed") / "corpus" / "raw"
    raw.mkdir(parents=True)
    to_traditional = opencc.OpenCC("s2t").convert
    for seed in SEED_FILES[:4]:
        (raw / seed.name).write_bytes(seed.read_bytes())
    text = SEED_FILES[4].read_text(encoding="utf-8")
    (raw / SEED_FILES[4].name).write_text(to_traditional(text), encoding="utf-8")
    index = raw.parent.parent / "index"
    rebuild(raw.parent, index, warn=quiet)
    return SearchEngine(index)


def test_the_page_really_is_in_traditional_characters(mixed):
    report = mixed.report(SEED_FILES[4].stem)
    body = "".join(p.text for p in report.paragraphs)
    assert "城關鎮爲民辦實事" in body and "城关镇为民办实事" not in body


# OpenCC writes 爲 where Taiwan writes 為: both are the traditional form of 为.
@pytest.mark.parametrize("query", ['"城关镇为民办实事"', '"城關鎮為民辦實事"', '"城關鎮爲民辦實事"', "城关镇 为民办实事"])
def test_either_script_finds_the_traditional_page_shown_as_published(mixed, query):
    hits = mixed.search(query)["hits"]
    assert [hit["report_id"] for hit in hits] == [SEED_FILES[4].stem]
    hit = hits[0]
    marked = "".join(hit["text"][start:end] for start, end in hit["spans"])
    assert "城關鎮爲民辦實事" in marked


def test_simplified_and_traditional_pages_answer_one_query_together(mixed):
    both = mixed.search('"法治政府"', limit=None)["hits"]
    assert SEED_FILES[4].stem in {hit["report_id"] for hit in both}
    assert any(hit["report_id"] != SEED_FILES[4].stem for hit in both)
