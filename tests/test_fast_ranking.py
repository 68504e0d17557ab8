"""The array query path agrees with a plain scan of every paragraph and with Whoosh's own BM25F."""
import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from model.text import SENTENCE_ENDS, normalize
from indexer.index.generations import current_folder
from search.arrays import Arrays
from search import evaluate
from search.evaluate import match_docs, word_scores
from search.nodes import AllOf, AnyOf, Contains, Everything, SameSentence, Without
from search.parse import parse
from search.query import compile_tree

QUERIES = ['"法治政府"', "法律顾问 合法性审查", "行政复议 行政诉讼", '"行政执法" -"四川"',
           "普法 宣传 教育", "依法行政 OR 法治政府", '"法" "治"', "调解", "同句(法律顾问 合同)",
           "同句(依法 行政 决策)", '"政府" -法治 -"法制"']


@pytest.fixture(scope="module")
def searcher(seed_index):
    """A plain Whoosh searcher over the seed index."""
    with whoosh_index.open_dir(str(current_folder(seed_index))).searcher() as found:
        yield found


@pytest.fixture(scope="module")
def arrays(searcher, seed_index):
    """The arrays of the seed index's live generation."""
    return Arrays(searcher.reader(), current_folder(seed_index))


def sentences(text):
    """Return the normalized sentences of a paragraph."""
    for end in SENTENCE_ENDS:
        text = text.replace(end, "\n")
    return [normalize(part) for part in text.split("\n")]


def scan(node, text):
    """Tell whether a paragraph's stored text matches a node, by plain string tests."""
    if isinstance(node, Contains):
        return node.norm in normalize(text)
    if isinstance(node, SameSentence):
        return any(all(needle in sentence for needle in node.needles) for sentence in sentences(text))
    if isinstance(node, AllOf):
        return all(scan(part, text) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(scan(part, text) for part in node.parts)
    if isinstance(node, Without):
        return scan(node.base, text) and not scan(node.dropped, text)
    return isinstance(node, Everything)


@pytest.mark.parametrize("text", QUERIES)
def test_matches_equal_a_scan_of_every_paragraph(searcher, arrays, text):
    """Bigram postings, substring checks and sentence starts find exactly what a scan finds."""
    match = compile_tree(parse(text).tree).match
    expected = [doc for doc, stored in enumerate(searcher.all_stored_fields()) if scan(match, stored["text"])]
    assert match_docs(match, arrays).tolist() == expected
    assert expected, text


@pytest.mark.parametrize("text", ["法律顾问 合法性审查", "普法 宣传 教育", "调解", "行政复议 行政诉讼"])
def test_word_scores_equal_whooshs_bm25f(searcher, arrays, text):
    """Summed BM25F scores of the query's words equal what Whoosh scores for the same terms."""
    compiled = compile_tree(parse(text).tree)
    terms = [wq.Term("words", word) for word in dict.fromkeys(compiled.rank_words)]
    expected = {doc: score for score, doc in searcher.search(wq.Or(terms), limit=None).top_n}
    docs = np.array(sorted(expected), dtype=np.int64)
    ours = sum(word_scores(arrays, searcher, term.text, docs) for term in terms)
    np.testing.assert_allclose(ours, [expected[d] for d in docs.tolist()], rtol=1e-9)
    assert len(docs), text


@pytest.mark.parametrize("text", ["法律顾问 合法性审查", "普法 宣传 教育"])
def test_word_scores_are_the_same_whether_docs_are_looked_up_by_bisection_or_by_table(
        searcher, arrays, text, monkeypatch):
    """A few docs are looked up in a word's postings by bisection, many through a table by docnum: same scores."""
    docs = np.arange(arrays.count, dtype=np.int64)[::3]
    found = {}
    for share in (0, 10 ** 9):  # never the table, always the table
        monkeypatch.setattr(evaluate, "DENSE_LOOKUP", share)
        found[share] = [word_scores(arrays, searcher, word, docs) for word in compile_tree(parse(text).tree).rank_words]
    assert all(np.array_equal(a, b) for a, b in zip(found[0], found[10 ** 9]))
    assert any(np.count_nonzero(scores) for scores in found[0]), text


def test_the_paragraph_of_every_byte_is_the_one_bisecting_the_paragraph_starts_finds(arrays):
    """Paragraphs are found from a table of 256-byte blocks: the same as bisecting the starts, for every byte."""
    for segment in arrays.segments:
        every = np.arange(len(segment.bytes), dtype=np.int64)
        assert np.array_equal(segment.paragraph_of(every), np.searchsorted(segment.starts, every, side="right") - 1)
        assert np.array_equal(segment.paragraph_of(every[::-7]), np.searchsorted(segment.starts, every[::-7], side="right") - 1)


def test_warm_reads_the_index_once_for_every_later_search(seed_index, tmp_path):
    """warm() loads the arrays a forked server shares; a folder without an index is no error."""
    from search.engine import SearchEngine
    engine = SearchEngine(seed_index)
    assert engine.warm() is True
    assert engine.search('"枫桥经验"')["total"] == SearchEngine(seed_index).search('"枫桥经验"')["total"] > 0
    assert SearchEngine(tmp_path / "nothing").warm() is False
