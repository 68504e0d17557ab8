"""The one backend interface, and the cluster's part of an answer checked against the embedded index's without a node.

Both backends implement search/backend.py's Backend (a class missing a method cannot be made), and
the façade answers what the cluster declines (reuse) with its reason. Then, on the seeds, the
rows a push writes (model/cluster/rows.py) are grouped as the front node groups them, ordered as
its ORDER BY orders them and shaped as its page rows are: the facets, the date orders and the hits
(marks, snippets, report fields) come out equal to the embedded engine's. The live-node tier,
tests/test_cluster_parity.py, checks the same against real searchd nodes.
"""
import json
from collections import Counter, defaultdict

import pytest

from model.cluster.layout import write_layout
from model.cluster.rows import paragraph_rows, reports_index_row, value_rows
from model.cluster.schema import PARAGRAPHS, REPORTS, VALUES, columns, tally_column
from model.registry import deeper
from model.report import Report
from search import SearchEngine, facets
from search.backend import Backend, Declined
from search.cluster.backend import NO_REUSE, ClusterBackend
from search.cluster.execute import HIT_COLUMNS, SORT_COLUMNS, facet_rows, hit_of
from search.cluster.local import local_layout
from search.embedded import EmbeddedBackend
from search.plan import plan
from search.sorts import DESCENDING, ORDERS

# What only the embedded index knows (text reuse): left out where the two are compared.
REUSE_KEYS = {"group", "earliest", "folded", "folded_hits"}
# Searches whose facets, orders and marks are compared: words, phrases, 同句, titles, every kind of field typed
# or given as a filter, a NOT, a hierarchy chosen two levels down.
SEARCHES = [
    ("法治", {}), ('"枫桥经验"', {}), ("同句(法律顾问 合法性审查)", {}), ("title:街道 法治", {}),
    ("level:乡镇 OR region:上海", {}), ("法治 -year:2020", {}), ("文号:号", {}), ("法治 issuer:街道", {}),
    ("法治", {"province": ["广东省"], "city": ["潮州市"]}), ("法治", {"year": ["2020-2022"], "level": ["乡镇", "县级"]}),
    ("", {"published": ["2021-01-01~2023-12-31"]}), ("依法 OR 法治", {"section": ["存在问题"], "docno": ["号"]}),
]


@pytest.fixture(scope="module")
def cluster_layout(tmp_path_factory):
    """The layout file of a local cluster whose nodes are never started."""
    layout = local_layout(tmp_path_factory.mktemp("layout"), shards=2)
    write_layout(layout)
    return layout.path


@pytest.fixture(scope="module")
def pushed(engine):
    """The seeds as a push writes them: {(report id, n): paragraph row by column}, {report id: its reports-index
    row by column}, {code: name} of the values index."""
    paragraphs, reports, names = {}, {}, {}
    for entry in engine.overview()["reports"]:
        report = engine.report(entry["report_id"])
        for row in paragraph_rows(report, 0):
            named = dict(zip(columns(PARAGRAPHS), row))
            paragraphs[(named["report_id"], named["n"])] = named
        reports[report.report_id] = dict(zip(columns(REPORTS), reports_index_row(report, 0, "digest")))
        names.update((row[0], dict(zip(columns(VALUES), row))["facet_value"]) for row in value_rows(report))
    return paragraphs, reports, names


def test_both_backends_implement_the_one_interface(seed_index, cluster_layout):
    assert not EmbeddedBackend.__abstractmethods__ and not ClusterBackend.__abstractmethods__
    for backend in (EmbeddedBackend(seed_index), ClusterBackend(cluster_layout)):
        assert isinstance(backend, Backend)

    class Partial(Backend):
        """A backend that answers only searches."""

        def match(self, plan, window, report_id=None):
            """Match nothing."""

    with pytest.raises(TypeError, match="abstract"):
        Partial()


def test_the_facade_answers_what_the_cluster_declines_with_its_reason(engine, cluster_layout):
    cluster = SearchEngine(backend=ClusterBackend(cluster_layout))
    with pytest.raises(Declined, match="检索集群不保存文本复用数据"):
        cluster.backend.reused(plan("法治"))
    view = cluster.reuse("法治", {"province": ["广东省"]})
    assert view["notices"] == [NO_REUSE] and view["passages"] == [] and view["borrowed"] is None
    assert view["description"] == engine.reuse("法治", {"province": ["广东省"]})["description"]
    assert cluster.similar("any", 1) is None and cluster.passage("00ff") is None
    assert cluster.report_reuse("any") == {"paragraphs": {}, "compared": 0, "shared_earlier": 0, "sources": []}
    # The embedded index answers them: its view counts the paragraphs searched.
    answered = engine.reuse("法治")
    assert NO_REUSE not in answered["notices"] and answered["total"] == engine.search("法治", limit=1)["total"]


def grouped(rows, column):
    """Return rows grouped by a column as the front node's GROUP BY with COUNT(*), COUNT(DISTINCT report) gives them."""
    paragraphs, reports = Counter(), defaultdict(set)
    for row in rows:
        paragraphs[row[column]] += 1
        reports[row[column]].add(row["report"])
    return [(code, count, len(reports[code])) for code, count in paragraphs.items()]


@pytest.mark.parametrize("q, filters", SEARCHES)
def test_facets_counted_from_the_rows_are_the_embedded_facets(engine, pushed, q, filters):
    rows, _reports, names = pushed
    planned = plan(q, filters)
    counted = {}
    for facet in facets.shown(planned.choices):
        # Each facet is counted under every filter but its own and those below it, as the cluster's statements are.
        others = {name: values for name, values in filters.items() if name not in {facet.name, *(f.name for f in deeper(facet))}}
        hits = engine.run(plan(q, others, limit=None, fold=False), marks=False, browse=True)["hits"]
        counted[facet.name] = grouped([rows[(hit["report_id"], hit["n"])] for hit in hits], tally_column(facet))
    expected = engine.search(q, filters=filters, limit=1, marks=False)["facets"]
    assert facet_rows(planned, counted, lambda codes: {code: names[code] for code in codes}) == expected


def row_key(sort):
    """Return the key sorting rows as the cluster's ORDER BY of a sort does (search/sorts.py through SORT_COLUMNS)."""
    def key(row):
        """Return a row's sort key: every key of the order, descending ones negated."""
        return tuple(-row[SORT_COLUMNS[name]] if direction == DESCENDING else row[SORT_COLUMNS[name]]
                     for name, direction in ORDERS[sort])
    return key


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("q, filters", SEARCHES[:4])
def test_the_rows_date_orders_are_the_embedded_orders(engine, pushed, q, filters, sort):
    hits = engine.search(q, filters=filters, sort=sort, limit=None, marks=False, fold=False)["hits"]
    rows = sorted((pushed[0][(hit["report_id"], hit["n"])] for hit in hits), key=row_key(sort))
    assert [(row["report_id"], row["n"]) for row in rows] == [(hit["report_id"], hit["n"]) for hit in hits]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("q, filters", SEARCHES[:4])
def test_the_rows_grouped_by_report_are_the_embedded_reports_in_order(engine, pushed, q, filters, sort):
    hits = engine.search(q, filters=filters, sort=sort, limit=None, marks=False, fold=False)["hits"]
    rows = sorted((pushed[0][(hit["report_id"], hit["n"])] for hit in hits), key=row_key(sort))
    # GROUP BY report WITHIN GROUP ORDER BY the sort: a report's first row in that order stands for it, and orders it.
    firsts, numbers = {}, defaultdict(list)
    for row in rows:
        firsts.setdefault(row["report"], row)
        numbers[row["report"]].append(row["n"])
    expected = [(row["report_id"], len(numbers[row["report"]]), sorted(numbers[row["report"]]), numbers[row["report"]][:3])
                for row in sorted(firsts.values(), key=row_key(sort))]
    found = engine.search(q, filters=filters, sort=sort, limit=None, marks=False, group="report")["hits"]
    assert len(found) > 1 and expected == [(row["report_id"], row["paragraphs"], row["numbers"],
                                            [hit["n"] for hit in row["matches"]]) for row in found]


def page_row(row):
    """Return a paragraph row as the front node answers the page statement (HIT_COLUMNS; its score left at 0)."""
    return tuple(row.get(column, 0) for column in HIT_COLUMNS)


@pytest.mark.parametrize("q, filters", SEARCHES)
def test_hits_shaped_from_page_rows_are_the_embedded_hits(engine, pushed, q, filters):
    rows, reports, _names = pushed
    planned = plan(q, filters, sort="newest", limit=None, fold=False)
    hits = engine.search(q, filters=filters, sort="newest", limit=None, fold=False)["hits"]
    assert hits
    for hit in hits:
        meta = reports[hit["report_id"]]
        shaped = hit_of(planned, page_row(rows[(hit["report_id"], hit["n"])]),
                        Report.from_metadata(meta["report_id"], json.loads(meta["meta"])), True, False)
        assert {key: value for key, value in shaped.items() if key not in REUSE_KEYS} == \
            {key: value for key, value in hit.items() if key not in REUSE_KEYS}
