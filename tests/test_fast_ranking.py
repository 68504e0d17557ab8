"""The numpy match sets and scores agree with what Whoosh's own queries give on the seed index."""
import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.generations import current_folder
from search.arrays import Arrays
from search.evaluate import match_docs, scores
from search.parse import parse
from search.query import compile_tree

QUERIES = ['"法治政府"', "法律顾问 合法性审查", "行政复议 行政诉讼", '"行政执法" -"四川"',
           "普法 宣传 教育", "依法行政 OR 法治政府", '"法" "治"', "调解"]


@pytest.fixture(scope="module")
def searcher(seed_index):
    """A plain Whoosh searcher over the seed index."""
    with whoosh_index.open_dir(str(current_folder(seed_index))).searcher() as found:
        yield found


@pytest.mark.parametrize("text", QUERIES)
def test_match_and_scores_equal_whoosh(searcher, text):
    """Every query matches the same paragraphs with the same scores as Whoosh's ranking query."""
    compiled = compile_tree(parse(text).tree)
    arrays = Arrays(searcher)
    docs = match_docs(compiled.match, arrays, searcher)
    expected = {docnum: score for score, docnum in searcher.search(compiled.ranking(), limit=None).top_n}
    assert docs.tolist() == sorted(expected)
    assert len(docs), text
    np.testing.assert_allclose(scores(compiled, docs, arrays, searcher),
                               [expected[d] for d in docs.tolist()], rtol=1e-9)


def test_warm_reads_the_index_once_for_every_later_search(seed_index, tmp_path):
    """warm() loads the arrays a forked server shares; a folder without an index is no error."""
    from search.engine import SearchEngine
    engine = SearchEngine(seed_index)
    assert engine.warm() is True
    assert engine.search('"枫桥经验"')["total"] == SearchEngine(seed_index).search('"枫桥经验"')["total"] > 0
    assert SearchEngine(tmp_path / "nothing").warm() is False
