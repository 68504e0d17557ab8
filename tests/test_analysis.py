"""The tokenizers: sequential positions, normalization, bigrams."""
from indexer.analysis import BigramAnalyzer, ChineseAnalyzer, bigrams, normalize, normalize_with_map


def tokens(analyzer, text):
    """Return (text, pos) of each token the analyzer makes."""
    return [(t.text, t.pos) for t in analyzer(text, positions=True)]


def test_jieba_tokens_have_sequential_positions_not_character_offsets():
    result = tokens(ChineseAnalyzer(), "坚持和发展新时代“枫桥经验”")
    assert [pos for _, pos in result] == list(range(len(result)))
    assert "枫桥" in [text for text, _ in result] or "枫桥经验" in [text for text, _ in result]


def test_jieba_tokens_drop_punctuation_and_do_not_stem():
    texts = [t for t, _ in tokens(ChineseAnalyzer(), "推进“放管服”改革, Reforms!")]
    assert "“" not in texts and "," not in texts and "!" not in texts
    assert "reforms" in texts  # lower-cased, not stemmed to "reform"


def test_bigram_tokens_are_sequential_with_trailing_unigram():
    assert tokens(BigramAnalyzer(), "枫桥经验") == [("枫桥", 0), ("桥经", 1), ("经验", 2), ("验", 3)]


def test_start_pos_offsets_positions():
    assert [t.pos for t in BigramAnalyzer()("法治", positions=True, start_pos=10)] == [10, 11]


def test_normalize_folds_width_case_and_drops_punctuation():
    assert normalize("新时代“枫桥经验”") == "新时代枫桥经验"
    assert normalize("“八五”普法") == "八五普法"
    assert normalize("５Ｇ　智慧 政务") == "5g智慧政务"


def test_normalize_with_map_points_back_to_source_characters():
    norm, origin = normalize_with_map("“枫桥”经验")
    assert norm == "枫桥经验"
    assert origin == [1, 2, 4, 5]


def test_bigrams_of_short_text():
    assert bigrams("") == []
    assert bigrams("法") == ["法"]
