"""Reuse in a real index of the seeds and planted copies: the pairs it holds, what search folds, what a report shares."""
import pytest

from indexer.index.format import read_reuse
from indexer.index.generations import current_folder
from indexer.reuse.settings import REUSE_SETTINGS, THRESHOLD
from indexer.reuse.sketch import eligible, text_hash
from model.text import normalize
from search import SearchEngine, reuse

from reuse_truth import all_similarities, near_identical

# A corpus of its own rebuilt (the seeds and planted copies): run by make test, not make test-fast.
pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def planted_engine(planted_index):
    """A search engine over the planted index."""
    return SearchEngine(planted_index)


@pytest.fixture(scope="module")
def compared(planted_engine):
    """Every compared paragraph of the planted index as (report_id, n, normalized text), read back whole."""
    rows = []
    for row in planted_engine.overview()["reports"]:
        report = planted_engine.report(row["report_id"])
        rows += [(report.report_id, p.n, normalize(p.text)) for p in report.paragraphs
                 if eligible(normalize(p.text), p.heading)]
    return rows


def paragraph_n(engine, report_id, text):
    """Return the number of the paragraph of a report whose normalized text is that of text."""
    return next(p.n for p in engine.report(report_id).paragraphs if normalize(p.text) == normalize(text))


def test_the_index_holds_exactly_the_pairs_comparing_every_pair_finds(planted_index, compared):
    texts = sorted(set(norm for _r, _n, norm in compared), key=text_hash)
    truth = {tuple(sorted((text_hash(texts[a]), text_hash(texts[b])))) for a, b in near_identical(texts)}
    data = read_reuse(current_folder(planted_index), REUSE_SETTINGS)
    held = {tuple(sorted((int(data.texts[a]), int(data.texts[b]))))
            for a, b in zip(data.pair_first.tolist(), data.pair_second.tolist())}
    assert len(truth) >= 5 and held == truth
    assert sorted(data.texts.tolist()) == sorted(text_hash(text) for text in texts)


def test_every_planted_copy_above_the_threshold_is_found_and_none_below(planted_engine, planted_corpus):
    _folder, planted = planted_corpus
    above = below = 0
    for copy in planted:
        similarity = all_similarities([normalize(copy.source_text), normalize(copy.text)]).get((0, 1), 1.0)
        found = planted_engine.similar(copy.report_id, paragraph_n(planted_engine, copy.report_id, copy.text))
        sources = {(row["report_id"], normalize(row["text"])) for row in found["similar"]}
        assert ((copy.source_report, normalize(copy.source_text)) in sources) == (similarity >= THRESHOLD), copy
        above, below = above + (similarity >= THRESHOLD), below + (similarity < THRESHOLD)
    assert above >= 10 and below >= 4


def test_near_identical_hits_fold_under_the_earliest(planted_engine, planted_corpus):
    _folder, planted = planted_corpus
    # A seed paragraph copied word for word by two planted reports, one of them edited further.
    copy = next(p for p in planted if p.edit == "verbatim" and p.report_id == "planted_c")
    phrase = f'"{normalize(copy.source_text)[5:17]}"'
    folded = planted_engine.search(phrase)
    unfolded = planted_engine.search(phrase, fold="0")
    assert folded["total"] == unfolded["total"] >= 2
    assert folded["distinct"] == unfolded["distinct"] == len(folded["hits"]) < len(unfolded["hits"]) == folded["total"]
    first = folded["hits"][0]
    assert first["report_id"] == copy.source_report and first["folded"] == folded["total"] - 1
    assert {(h["report_id"], h["n"]) for h in first["folded_hits"]} == {
        (h["report_id"], h["n"]) for h in unfolded["hits"]} - {(first["report_id"], first["n"])}
    assert first["earliest"]["report_id"] == copy.source_report and all(h["group"] == first["group"] for h in unfolded["hits"])
    assert not unfolded["fold"] and all(h["folded"] == 0 and h["folded_hits"] == [] for h in unfolded["hits"])


@pytest.mark.parametrize("query", ["本单位认真贯彻落实上级", "法治政府建设", "依法"])
def test_folding_by_the_generations_order_equals_folding_by_a_sort(planted_engine, query, monkeypatch):
    # A common phrase's matches are folded from the generation's order of grouped paragraphs, a few by a sort.
    found = {}
    for share in (0, 10 ** 9):  # always sorted, always from the generation's order
        monkeypatch.setattr(reuse, "DENSE_FOLD", share)
        found[share] = planted_engine.search(query, limit=None, marks=False)
    assert found[0]["hits"] == found[10 ** 9]["hits"] and found[0]["distinct"] == found[10 ** 9]["distinct"]
    assert any(hit["folded"] for hit in found[0]["hits"]), query


def test_folding_counts_pages_of_distinct_texts(planted_engine):
    # The planted reports' lead is one boilerplate paragraph in three reports: one distinct text.
    folded = planted_engine.search("本单位认真贯彻落实上级", limit=1)
    assert folded["total"] == 3 and folded["distinct"] == 1 and folded["pages"] == 1
    assert planted_engine.search("本单位认真贯彻落实上级", limit=1, fold=False)["pages"] == 3


def test_a_report_says_what_it_shares_with_earlier_reports_and_with_which(planted_engine, planted_corpus):
    _folder, planted = planted_corpus
    shared = planted_engine.report_reuse("planted_a")
    copies = [p for p in planted if p.report_id == "planted_a"]
    # Its verbatim copy's source is earlier: it counts; its lead is shared only with later planted reports.
    verbatim = next(p for p in copies if p.edit == "verbatim")
    n = paragraph_n(planted_engine, "planted_a", verbatim.text)
    assert shared["paragraphs"][n] == {"reports": 1, "earlier": 1}
    assert shared["paragraphs"][1]["earlier"] == 0 and shared["paragraphs"][1]["reports"] == 2
    assert verbatim.source_report in {row["report_id"] for row in shared["sources"]}
    assert shared["shared_earlier"] == sum(1 for found in shared["paragraphs"].values() if found["earlier"])
    # The seeds came first: a seed shares nothing with earlier reports.
    seed = planted_engine.report_reuse(verbatim.source_report)
    assert seed["sources"] == [] and any(found["reports"] for found in seed["paragraphs"].values())


def test_the_reuse_view_ranks_passages_and_names_the_sources_of_a_selection(planted_engine):
    corpus = planted_engine.reuse()
    assert corpus["passages"] and corpus["borrowed"] is None
    reports = [passage["reports"] for passage in corpus["passages"]]
    assert reports == sorted(reports, reverse=True) and reports[0] == 3
    issuer = planted_engine.report("planted_b").issuer
    chosen = planted_engine.reuse(filters={"issuer": [issuer]})
    sources = chosen["borrowed"]["sources"]
    assert chosen["borrowed"]["borrowed"] == sum(source["paragraphs"] for source in sources) >= 3
    assert all(not source["own"] and source["issuer"] != issuer for source in sources)
    passage = planted_engine.passage(corpus["passages"][0]["group"])
    assert [m["report_id"] for m in passage["members"]][0] == passage["first"]["report_id"]
    assert planted_engine.passage("ffffffffffffffff") is None and planted_engine.passage("not hex") is None


def test_a_paragraph_without_reuse_has_no_group(planted_engine):
    hits = planted_engine.search("枫桥经验", fold="0")["hits"]
    alone = [hit for hit in hits if hit["group"] is None]
    assert alone and all(hit["earliest"] is None and hit["folded"] == 0 for hit in alone)
