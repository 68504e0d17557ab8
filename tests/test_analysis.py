"""The jieba analyzer (sequential positions, no stemming) and the text folding every layer shares."""
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.index.analysis import ChineseAnalyzer
from model.text import BLOCK_CHARS, normalize, normalize_with_map, segmenter, sentence_offsets, words

from conftest import SEED_FILES, examples

# Clauses of the genre, with letters, digits and full-width forms, and what may stand between them.
CLAUSES = ("深入学习贯彻习近平法治思想", "全面推进依法行政", "坚持和发展新时代枫桥经验", "２０２３年", "C++和5G政务",
           "法治政府建设实施纲要", "行政执法三项制度", "ＡＢＣ公司", "推进放管服改革")
SEPARATORS = ("，", "。", "、", "“", " ", "\r\n", "", "；")


def tokens(analyzer, text):
    """Return (text, pos) of each token the analyzer makes."""
    return [(t.text, t.pos) for t in analyzer(text, positions=True)]


def test_jieba_tokens_have_sequential_positions_not_character_offsets():
    result = tokens(ChineseAnalyzer(), "坚持和发展新时代“枫桥经验”")
    assert [pos for _, pos in result] == list(range(len(result)))
    # jieba's words, each a piece of the text in order, together the whole text without punctuation.
    assert "".join(text for text, _ in result) == "坚持和发展新时代枫桥经验"
    assert len(result) > 3


def test_jieba_tokens_drop_punctuation_and_do_not_stem():
    texts = [t for t, _ in tokens(ChineseAnalyzer(), "推进“放管服”改革, Reforms!")]
    assert "“" not in texts and "," not in texts and "!" not in texts
    assert "reforms" in texts  # lower-cased, not stemmed to "reform"


def test_start_pos_offsets_positions():
    assert [t.pos for t in ChineseAnalyzer()("法治政府", positions=True, start_pos=10)][0] == 10


def test_sentence_offsets_are_utf8_offsets_of_each_later_sentence():
    norm, starts = sentence_offsets("甲乙。Ab；丙")
    assert norm == "甲乙ab丙".encode("utf-8")
    assert starts == [6, 8]


def test_normalize_folds_width_case_and_drops_punctuation():
    assert normalize("新时代“枫桥经验”") == "新时代枫桥经验"
    assert normalize("“八五”普法") == "八五普法"
    assert normalize("５Ｇ　智慧 政务") == "5g智慧政务"


def test_normalize_with_map_points_back_to_source_characters():
    norm, origin = normalize_with_map("“枫桥”经验")
    assert norm == "枫桥经验"
    assert origin == [1, 2, 4, 5]



def test_ordinary_text_is_segmented_exactly_as_jieba_does():
    jieba = segmenter()
    # Bounding the pieces jieba sees (BLOCK_CHARS, REPEAT_RUN) changes nothing in a report's text.
    text = "\n".join(path.read_text(encoding="utf-8") for path in SEED_FILES)
    assert list(words(text)) == [word for word in map(normalize, jieba.cut(text)) if word]


def test_a_run_of_one_character_gives_its_characters_and_bounded_blocks_keep_every_character():
    assert list(words("甲" + "的" * 50_000 + "乙")) == ["甲"] + ["的"] * 50_000 + ["乙"]
    alternating = "鼋鼍" * 2_000
    assert "".join(words(alternating)) == alternating
    assert max(len(word) for word in words(alternating)) <= BLOCK_CHARS


@given(st.lists(st.sampled_from(CLAUSES), min_size=1, max_size=6), st.sampled_from(SEPARATORS))
@settings(max_examples=examples(200), deadline=None)
def test_clauses_seen_before_are_cut_as_jieba_cuts_them_afresh(clauses, separator):
    jieba = segmenter()
    # A clause's words are remembered (model/text.py BLOCK_CACHE): the same text twice, and a
    # text of clauses met in other orders before, give jieba's words every time.
    text = separator.join(clauses)
    expected = [word for word in map(normalize, jieba.cut(text)) if word]
    assert list(words(text)) == expected
    assert list(words(text)) == expected


def test_words_given_already_segmented_make_the_postings_of_the_text():
    from indexer.index.schema import paragraph_schema
    field = paragraph_schema()["words"]
    text = SEED_FILES[0].read_text(encoding="utf-8")
    assert list(field.index(list(words(text)))) == list(field.index(text))
