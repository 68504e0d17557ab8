"""jieba's dictionary prepared for a server (model/dictionary.py): the same lookups, the same cuts, damage refused."""
import pytest

from model.cachefile import load_or_build
from model.dictionary import PreparedDictionary, digest, prepare, use_prepared, whole
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
    prepared = segmenter().Tokenizer()
    use_prepared(prepared)
    assert isinstance(prepared.FREQ, PreparedDictionary)
    assert prepared.total == own.total
    for word in LOOKED_UP:
        assert prepared.FREQ.get(word) == own.FREQ.get(word)
    for query in QUERIES:
        assert list(prepared.cut(query)) == list(own.cut(query))
        assert list(prepared.cut(query, HMM=False)) == list(own.cut(query, HMM=False))


def test_damaged_file_is_prepared_again(tmp_path):
    """A prepared file with one byte changed, or cut short, is not used: prepared again from jieba's and kept."""
    arrays = prepare({"法治": 90, "法": 0})
    prepared = {"arrays": arrays, "total": 90, "digest": digest(arrays, 90)}
    builds = []

    def build():
        """Prepare the dictionary again, counting how often."""
        builds.append(1)
        return prepared

    path = tmp_path / "jieba-test.pickle"
    assert load_or_build(path, build, whole) is prepared and len(builds) == 1
    assert load_or_build(path, build, whole)["total"] == 90 and len(builds) == 1
    data = bytearray(path.read_bytes())
    # The frequency 90 as the array holds it (int64): one byte of it changed.
    data[data.rindex((90).to_bytes(8, "little"))] = 91
    path.write_bytes(bytes(data))
    assert load_or_build(path, build, whole) is prepared and len(builds) == 2
    path.write_bytes(path.read_bytes()[:len(data) // 2])
    assert load_or_build(path, build, whole) is prepared and len(builds) == 3
