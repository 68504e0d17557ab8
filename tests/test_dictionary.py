"""jieba's dictionary prepared for a server (model/dictionary.py): the same lookups, the same cuts, damage refused."""
import jieba
import pytest

from model.dictionary import PreparedDictionary, digest, prepare, read_prepared, use_prepared, write_prepared
from model.text import keep_prepared, segmenter

# Words of the genre, with prefixes of words (0 in jieba's dict), unknown runs and a letter word.
LOOKED_UP = ["法治", "法治政府", "法治政", "枫桥经验", "枫桥", "合法性审查", "行政复议", "的", "習", "zz", "",
             "依法行政", "数字政府", "龘龘", "GDP"]
QUERIES = ["法治政府建设", "枫桥经验", "合法性审查 行政复议", "深入学习贯彻习近平法治思想，推进依法行政",
           "矛盾纠纷多元化解", "2023年度法律顾问工作", "某某县人民政府关于法治政府建设情况的报告", "龘龘龘来了"]


def test_lookups_are_jiebas_own():
    """Every word, prefix and absent text answers as in the dict it was prepared from."""
    frequencies = {"法治": 90, "法": 0, "法治政府": 12, "政府": 400, "政": 0, "府": 5}
    prepared = PreparedDictionary(**prepare(frequencies))
    for word in [*frequencies, "法治政", "治", "", "政府建设"]:
        assert (word in prepared) == (word in frequencies)
        assert prepared.get(word) == frequencies.get(word)
        assert prepared.get(word, 1) == frequencies.get(word, 1)
    assert prepared["法"] == 0
    with pytest.raises(KeyError):
        prepared["治"]


def test_queries_cut_as_with_jiebas_dict():
    """A tokenizer given the prepared dictionary cuts every query as jieba's own does, HMM included."""
    keep_prepared()
    own = segmenter().dt
    own.initialize()
    prepared = jieba.Tokenizer()
    use_prepared(prepared)
    assert isinstance(prepared.FREQ, PreparedDictionary)
    assert prepared.total == own.total
    for word in LOOKED_UP:
        assert prepared.FREQ.get(word) == own.FREQ.get(word)
    for query in QUERIES:
        assert list(prepared.cut(query)) == list(own.cut(query))
        assert list(prepared.cut(query, HMM=False)) == list(own.cut(query, HMM=False))


def test_damaged_file_is_not_used(tmp_path):
    """A prepared file with one byte changed, or cut short, is refused (then prepared again from jieba's)."""
    arrays = prepare({"法治": 90, "法": 0})
    path = tmp_path / "jieba-test.pickle"
    write_prepared(path, arrays, 90)
    found, total = read_prepared(path)
    assert total == 90 and digest(found, total) == digest(arrays, 90)
    data = bytearray(path.read_bytes())
    # The last array written is the frequencies: its bytes lie just before the digest and the total.
    place = data.rindex((90).to_bytes(8, "little"))
    data[place] = 91
    path.write_bytes(bytes(data))
    assert read_prepared(path) is None
    path.write_bytes(bytes(data[:len(data) // 2]))
    assert read_prepared(path) is None
