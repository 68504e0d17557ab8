"""Exact phrases have no misses: quoted hits equal a plain substring scan of the seed paragraphs."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from model.text import normalize

from conftest import examples


@pytest.fixture(scope="module")
def traditional():
    """Return a function writing simplified text in traditional characters, phrase by phrase as OpenCC does."""
    import opencc
    return opencc.OpenCC("s2t").convert

# Quotation pairs a phrase can be written in; the test uses one whose closer is not in the phrase.
QUOTES = [('"', '"'), ("“", "”"), ("「", "」"), ("『", "』")]
PROPERTY_SETTINGS = settings(max_examples=examples(150), deadline=None,
                             suppress_health_check=[HealthCheck.too_slow])


def truth(normalized, phrase):
    """Return (report_id, n) of every paragraph whose normalized text contains the phrase."""
    needle = normalize(phrase)
    return {key for key, norm in normalized.items() if needle in norm}


def quoted(phrase, style=0):
    """Return the phrase in quotation marks that it does not itself contain (style picks first try)."""
    for opener, closer in QUOTES[style:] + QUOTES[:style]:
        if closer not in phrase:
            return f"{opener}{phrase}{closer}"
    raise AssertionError(f"no quotation marks fit {phrase!r}")


def hits(engine, query):
    """Return (report_id, n) of every hit of a query."""
    return {(h["report_id"], h["n"]) for h in engine.search(query, limit=None)["hits"]}


def check_phrase(engine, normalized, phrase, style=0):
    """Assert that a quoted phrase finds exactly the paragraphs containing it (in either script); return them."""
    results = engine.search(quoted(phrase, style), limit=None)
    if not normalize(phrase):
        assert results["total"] == 0 and results["notices"]
        return set()
    found = {(h["report_id"], h["n"]) for h in results["hits"]}
    assert found == truth(normalized, phrase), phrase
    assert results["total"] == len(found)
    return found


@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_substrings_of_seed_paragraphs(engine, paragraphs, normalized, data):
    _, _, text = data.draw(st.sampled_from(paragraphs), label="paragraph")
    length = data.draw(st.integers(1, 12), label="length")
    start = data.draw(st.integers(0, max(0, len(text) - length)), label="start")
    style = data.draw(st.integers(0, len(QUOTES) - 1), label="quotes")
    check_phrase(engine, normalized, text[start:start + length], style)


# Characters the seeds use often, digits, Latin in both cases and widths, and punctuation:
# random strings of them mostly occur nowhere, which tests precision.
ALPHABET = "法治政府建设依法行政执法律顾问年度工作报告一二三五八" + "0125" + "GgXx５Ｇ" + "，。“”、（）- "


@PROPERTY_SETTINGS
@given(phrase=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_random_short_strings(engine, normalized, phrase):
    check_phrase(engine, normalized, phrase)


CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@PROPERTY_SETTINGS
@given(data=st.data())
def test_unquoted_text_never_loses_a_paragraph_holding_it(engine, paragraphs, normalized, data):
    _, _, text = data.draw(st.sampled_from(paragraphs), label="paragraph")
    runs = [run for run in "".join(c if "\u4e00" <= c <= "\u9fff" else " " for c in text).split() if len(run) >= 2]
    if not runs:
        return
    run = data.draw(st.sampled_from(runs), label="run")
    length = data.draw(st.integers(2, min(8, len(run))), label="length")
    start = data.draw(st.integers(0, len(run) - length), label="start")
    chunk = run[start:start + length]
    # As written (the default), an unquoted chunk finds exactly the paragraphs holding it, as its quoted phrase does.
    assert hits(engine, chunk) == truth(normalized, chunk) == hits(engine, quoted(chunk))
    # By words (match=words), it finds them and the paragraphs holding its words apart, the exact ones first.
    results = engine.search(chunk, limit=None, match="words")
    found = {(h["report_id"], h["n"]) for h in results["hits"]}
    assert truth(normalized, chunk) <= found
    exact = [normalize(chunk) in normalize(h["text"]) for h in results["hits"]]
    assert exact == sorted(exact, reverse=True)


def test_by_words_a_chunk_of_one_repeated_word_ranks_its_exact_holders_first(engine):
    # 行行 is jieba's word 行 twice: found by 行 alone, the paragraphs holding 行行 itself still come first.
    exact = [normalize("行行") in normalize(hit["text"]) for hit in engine.search("行行", limit=None, match="words")["hits"]]
    assert 0 < sum(exact) < len(exact) and exact == sorted(exact, reverse=True)


# Hand-picked phrases from the seeds: punctuation inside, numbers, Latin, one character,
# repeated characters, paragraph starts and ends. Each must be found somewhere.
PRESENT = [
    "枫桥经验", "新时代枫桥经验", "新时代“枫桥经验”", '新时代"枫桥经验"', "八五普法", "“八五”普法",
    "法律顾问", "合法性审查", "谁执法谁普法", "三项制度", "民法典", "一社区一法律顾问",
    "12345", "5G", "5g", "５Ｇ", "2020", "2020年", "2015-2020", "20152020", "6308.73", "1+X",
    "十四五", "法", "治", "5", "g", "x", "法法", "学习学习", "00",
    "经验”在湘桥", "成效初显", "2020年以来", "2020年以来,湘桥街道", "五是努力加强公共服务能力建设",
    "湘桥街道", "罗店镇", "草滩街道", "城关镇", "政府法律顾问的日常管理",
]
# Phrases that occur in no paragraph: page chrome, a phrase split over two paragraphs, made-up ones.
ABSENT = ["扫一扫", "索引号", "积极的贡献。一、2020年法治", "1111", "枫桥经验经验", "法治法治法治", "5GG", "Q"]


@pytest.mark.parametrize("phrase", PRESENT)
def test_table_of_present_phrases(engine, normalized, phrase):
    assert truth(normalized, phrase), f"{phrase} should occur in the seeds"
    check_phrase(engine, normalized, phrase)


@pytest.mark.parametrize("phrase", ABSENT)
def test_table_of_absent_phrases(engine, normalized, phrase):
    assert not truth(normalized, phrase)
    check_phrase(engine, normalized, phrase)


@pytest.mark.parametrize("style", range(len(QUOTES)))
def test_every_quote_style_is_the_same_phrase(engine, normalized, style):
    assert hits(engine, quoted("合法性审查", style)) == truth(normalized, "合法性审查")


def test_phrases_at_paragraph_start_and_end(engine, paragraphs, normalized):
    for _, _, text in paragraphs[::7]:
        norm = normalize(text)
        for piece in (norm[:1], norm[:3], norm[-1:], norm[-2:], norm[-5:]):
            assert hits(engine, quoted(piece)) == truth(normalized, piece), piece


# Both scripts: a page or a query in traditional characters finds what its simplified form finds.

@PROPERTY_SETTINGS
@given(data=st.data())
def test_a_phrase_in_traditional_characters_finds_what_its_simplified_form_finds(
        engine, paragraphs, normalized, traditional, data):
    _, _, text = data.draw(st.sampled_from(paragraphs), label="paragraph")
    length = data.draw(st.integers(1, 12), label="length")
    start = data.draw(st.integers(0, max(0, len(text) - length)), label="start")
    phrase = text[start:start + length]
    assert check_phrase(engine, normalized, traditional(phrase)) == hits(engine, quoted(phrase))


@pytest.mark.parametrize("phrase", PRESENT + ABSENT)
def test_table_of_phrases_in_traditional_characters(engine, normalized, traditional, phrase):
    written = traditional(phrase)
    assert check_phrase(engine, normalized, written) == truth(normalized, phrase), written


def test_traditional_characters_differ_from_the_simplified_in_the_table(traditional):
    """The table above really tests another script: most of its Chinese phrases change."""
    changed = [phrase for phrase in PRESENT if traditional(phrase) != phrase]
    assert len(changed) >= 15 and traditional("枫桥经验") == "楓橋經驗"
