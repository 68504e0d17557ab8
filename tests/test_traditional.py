"""Traditional characters: a page published in them is found by a simplified query and shown as published."""
import opencc
import pytest

from indexer.index.build import rebuild
from search import SearchEngine

from conftest import SEED_FILES, quiet


# Two reports that say 答复 in either script: 答复 becomes 答覆 phrase by phrase, while 覆 alone
# is a simplified character too (覆盖). A report has at least 200 characters of body: a
# paragraph of routine work fills it (another one in each report, or the second would be
# dropped as a copy of the first).
ANSWERED = {
    "trad.txt": "某縣2022年法治政府建設情況的報告\n依申請公開政府信息，均按期答覆。\n"
                + "全年組織執法人員開展業務培訓，覆蓋各鄉鎮和縣直部門，持續規範行政執法程序。" * 8 + "\n",
    "simple.txt": "某县2023年法治政府建设情况的报告\n依申请公开政府信息，均按期答复。\n"
                  + "全年办理行政复议案件，依法纠正违法和不当行政行为，维护群众合法权益。" * 8 + "\n",
}


@pytest.fixture(scope="module")
def mixed(tmp_path_factory):
    """An index of four seeds as they are, the fifth written in traditional characters, and the two reports of ANSWERED."""
    raw = tmp_path_factory.mktemp("mixed") / "corpus" / "raw"
    raw.mkdir(parents=True)
    to_traditional = opencc.OpenCC("s2t").convert
    for seed in SEED_FILES[:4]:
        (raw / seed.name).write_bytes(seed.read_bytes())
    text = SEED_FILES[4].read_text(encoding="utf-8")
    (raw / SEED_FILES[4].name).write_text(to_traditional(text), encoding="utf-8")
    for name, page in ANSWERED.items():
        (raw / name).write_text(page, encoding="utf-8")
    index = raw.parent.parent / "index"
    rebuild(raw.parent, index, warn=quiet)
    return SearchEngine(index)


@pytest.mark.integration  # rebuilds a corpus of its own (mixed)
def test_the_page_really_is_in_traditional_characters(mixed):
    report = mixed.report(SEED_FILES[4].stem)
    body = "".join(p.text for p in report.paragraphs)
    assert "城關鎮爲民辦實事" in body and "城关镇为民办实事" not in body


# OpenCC writes 爲 where Taiwan writes 為: both are the traditional form of 为.
@pytest.mark.integration  # rebuilds a corpus of its own (mixed)
@pytest.mark.parametrize("query", ['"城关镇为民办实事"', '"城關鎮為民辦實事"', '"城關鎮爲民辦實事"', "城关镇 为民办实事"])
def test_either_script_finds_the_traditional_page_shown_as_published(mixed, query):
    hits = mixed.search(query)["hits"]
    assert [hit["report_id"] for hit in hits] == [SEED_FILES[4].stem]
    hit = hits[0]
    marked = "".join(hit["text"][start:end] for start, end in hit["spans"])
    assert "城關鎮爲民辦實事" in marked


@pytest.mark.integration  # rebuilds a corpus of its own (mixed)
def test_simplified_and_traditional_pages_answer_one_query_together(mixed):
    both = mixed.search('"法治政府"', limit=None)["hits"]
    assert SEED_FILES[4].stem in {hit["report_id"] for hit in both}
    assert any(hit["report_id"] != SEED_FILES[4].stem for hit in both)


def phrase_variants_of_jieba_words():
    """Return {traditional: simplified} of characters OpenCC writes for another one in jieba's words, kept one by one."""
    from pathlib import Path
    from model.text import segmenter, simplified_char
    jieba = segmenter()

    words = (Path(jieba.__file__).parent / "dict.txt").read_text(encoding="utf-8").split("\n")
    words = [line.split()[0] for line in words if line.strip()]
    written = opencc.OpenCC("s2t").convert("\n".join(words)).split("\n")
    found = {}
    for word, traditional in zip(words, written):
        if word == traditional or len(word) != len(traditional):
            continue  # most words: no character written otherwise, or not one for one
        for simple, char in zip(word, traditional):
            if char != simple and simplified_char(char) == char:
                found[char] = simple
    return found


def test_every_character_opencc_writes_for_another_is_folded_to_it():
    from model.text import PHRASE_VARIANTS
    assert phrase_variants_of_jieba_words() == PHRASE_VARIANTS


@pytest.mark.integration  # rebuilds a corpus of its own (mixed)
@pytest.mark.parametrize("query, found", [('"答复"', "答覆"), ('"答覆"', "答复"), ('"覆盖各乡镇"', "覆蓋各鄉鎮")])
def test_a_word_opencc_writes_with_another_character_is_found_in_either_form(mixed, query, found):
    hits = mixed.search(query)["hits"]
    marked = {hit["text"][start:end] for hit in hits for start, end in hit["spans"]}
    assert found in marked
