"""The cluster answers as the embedded index does: the same results object on the seeds and on a synthetic corpus.

Exact phrases keep their substring semantics across the shards (random substrings and the
hand-picked table, in both scripts, equal a plain scan and the embedded engine's hits), and
every other part of the results object (totals, pages, facets with paragraph and report
counts, notices, marks, snippets, places, suggestions) is equal; only the order of hits
sorted by relevance may differ, since Sphinx ranks by its own BM25 over characters.
"""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.synth import generate
from indexer.index.build import rebuild
from model.text import normalize
from search import SearchEngine
from search.cluster.backend import ClusterBackend

from conftest import pushed_cluster, quiet
from test_phrase_property import ABSENT, ALPHABET, PRESENT, PROPERTY_SETTINGS, QUOTES, quoted, truth

pytestmark = pytest.mark.integration

# Queries and filters covering every kind of match node and facet: words, phrases, OR, NOT alone,
# 同句, title:, region: (prefix), issuer: (part), level:, year: and published: typed or given, 文号, cited documents.
QUERIES = [
    ("枫桥经验", {}), ('"枫桥经验"', {}), ("法治", {}), ("法治", {"province": ["广东省"]}),
    ("同句(法律顾问 合法性审查)", {}), ("同段(法律顾问 合法性审查)", {}), ("region:浙江 法治", {}), ("-法治", {}),
    ("title:枫桥", {}), ("法治 year:2020", {}), ("法治", {"year": ["2020-2022"]}),
    ("法治 OR 依法", {"section": ["存在问题"]}), ("法治", {"level": ["乡镇"]}), ("", {"province": ["广东省"]}),
    ("法治 issuer:街道", {}), ("published:2020", {}), ("法治", {"published": ["2021-01-01~2023-12-31"]}),
    ("风桥经验", {}), ("湘桥 法治", {}), ("法治", {"province": ["广东省"], "city": ["潮州市"]}),
    ("法治 -year:2020", {}), ("level:乡镇 OR region:上海", {}), ("文号:号", {}), ("法治", {"docno": ["号"]}),
    ("(依法 OR 法治) -(政府 OR 街道)", {"year": ["2020", "2023"]}), ("楓橋經驗", {}), ("5G", {}), ("八五 普法", {}),
    # The reports without a date, alone and beside a year of dates.
    ("法治", {"published": ["未注明"]}), ("法治", {"published": ["未注明", "2021"]}),
    # Cited documents, several per report: one, either of two, and beside another facet's choice.
    ("法治", {"cites": ["中华人民共和国民法典"]}), ("", {"cites": ["中华人民共和国民法典", "中华人民共和国宪法"]}),
    ("依法", {"cites": ["中华人民共和国民法典"], "year": ["2020"]}),
]


# What only the embedded index knows (text reuse, indexer/reuse/): the cluster's hits are never folded.
REUSE_KEYS = {"fold", "distinct", "group", "earliest", "folded", "folded_hits"}


def without_reuse(hit):
    """Return a hit without the fields only the embedded index knows."""
    return {key: value for key, value in hit.items() if key not in REUSE_KEYS}


def comparable(results):
    """Return what both backends must agree on: the results object without its time or reuse fields, hits
    in order unless ranked (the embedded engine's searched with fold=False: every hit listed); grouped by
    report, its rows with their counts and numbers, and their first matches unless ranked (which paragraphs
    of a report rank first is each backend's own)."""
    found = {key: value for key, value in results.items() if key not in REUSE_KEYS | {"elapsed_ms"}}
    ranked = results["sort"] == "relevance"
    if results["group"] == "report":
        rows = [dict(row, matches=None if ranked else [without_reuse(hit) for hit in row["matches"]])
                for row in results["hits"]]
        found["hits"] = sorted(rows, key=lambda row: row["report_id"]) if ranked else rows
        return found
    hits = [without_reuse(hit) for hit in results["hits"]]
    found["hits"] = sorted(hits, key=lambda hit: (hit["report_id"], hit["n"])) if ranked else hits
    return found


def assert_same(embedded, cluster, q, filters=None, **options):
    """Assert that a search gives the same results object on both backends."""
    assert comparable(cluster.search(q, filters=filters, **options)) == \
        comparable(embedded.search(q, filters=filters, fold=False, **options)), (q, filters, options)


@pytest.mark.parametrize("scope", ["all", "title"])
@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("q, filters", QUERIES)
def test_every_hit_facet_and_count_is_the_embedded_engines(engine, cluster_engine, q, filters, sort, scope):
    assert_same(engine, cluster_engine, q, filters, sort=sort, scope=scope, limit=None)


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
@pytest.mark.parametrize("q, filters", QUERIES)
def test_results_grouped_by_report_are_the_embedded_engines(engine, cluster_engine, q, filters, sort):
    assert_same(engine, cluster_engine, q, filters, sort=sort, group="report", limit=None)
    if sort != "relevance":
        for page in (1, 2, 9):
            assert_same(engine, cluster_engine, q, filters, sort=sort, group="report", page=page, limit=2)


def test_grouped_titles_marks_and_first_matches_are_the_embedded_engines(engine, cluster_engine):
    """Ranked, the reports are the same and each one's first matches are among its matching paragraphs."""
    for found in (engine.search("法治", group="report"), cluster_engine.search("法治", group="report")):
        assert found["hits"] and all({hit["n"] for hit in row["matches"]} <= set(row["numbers"])
                                     and len(row["matches"]) == min(3, row["paragraphs"]) for row in found["hits"])
    assert_same(engine, cluster_engine, "枫桥", sort="oldest", group="report")


# Word matching (模糊, match=words): an unquoted chunk's jieba words, each anywhere in the paragraph.
WORD_QUERIES = [("枫桥经验", {}), ("行政执法", {}), ("法治 OR 依法", {"section": ["存在问题"]}), ("title:法治政府", {}),
                ("风桥经验", {}), ("八五 普法", {}), ("法治 -依法行政", {"year": ["2020"]})]


@pytest.mark.parametrize("scope", ["all", "title"])
@pytest.mark.parametrize("q, filters", WORD_QUERIES)
def test_word_matching_gives_the_embedded_engines_results(engine, cluster_engine, q, filters, scope):
    assert_same(engine, cluster_engine, q, filters, sort="newest", scope=scope, limit=None, match="words")
    assert_same(engine, cluster_engine, q, filters, scope=scope, limit=None, match="words")


def test_a_term_as_written_and_by_words_counts_alike_on_both_backends(engine, cluster_engine):
    for backend in (engine, cluster_engine):
        assert backend.search("行政执法")["total"] == backend.search('"行政执法"')["total"] == 21
        assert backend.search("行政执法", match="words")["total"] == 24
    report = next(row["report_id"] for row in engine.overview()["reports"] if row["report_year"] == 2024)
    assert comparable(cluster_engine.report_matches(report, "行政执法", "words")) == \
        comparable(engine.report_matches(report, "行政执法", "words"))
    assert cluster_engine.report_matches(report, "行政执法")["total"] == 0


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_pages_in_date_order_are_the_same_page(engine, cluster_engine, sort):
    for page in (1, 2, 7, 99):
        assert_same(engine, cluster_engine, "法治", sort=sort, page=page, limit=7)
    assert_same(engine, cluster_engine, "法治", sort=sort, limit=None, at_most=30)


def test_reports_overview_related_totals_and_a_reports_matches_are_the_same(engine, cluster_engine):
    assert cluster_engine.overview() == engine.overview()
    for row in engine.overview()["reports"]:
        report_id = row["report_id"]
        assert cluster_engine.report(report_id) == engine.report(report_id)
        assert cluster_engine.related(report_id) == engine.related(report_id)
        assert comparable(cluster_engine.report_matches(report_id, "法治")) == \
            comparable(engine.report_matches(report_id, "法治"))
    assert cluster_engine.report("no_such_report") is None
    # An issuer's timeline reads its reports whole: the same on both, for every issuer.
    for issuer in {row["issuer"] for row in engine.overview()["reports"]}:
        assert cluster_engine.timeline(issuer) == engine.timeline(issuer) is not None
    assert cluster_engine.timeline("没有这个机关") is None
    for filters in ({}, {"province": ["广东省"]}, {"year": ["2020"]}, {"level": ["乡镇", "县级"]}):
        assert cluster_engine.totals(filters) == engine.totals(filters)


def check_both(embedded, cluster, normalized, phrase, style=0):
    """Assert that a quoted phrase finds exactly the paragraphs holding it on the cluster, as on the embedded index."""
    found = cluster.search(quoted(phrase, style), limit=None, marks=False)
    if not normalize(phrase):
        assert found["total"] == 0 and found["notices"]
        return
    hits = {(h["report_id"], h["n"]) for h in found["hits"]}
    assert hits == truth(normalized, phrase), phrase
    assert found["total"] == len(hits)
    assert hits == {(h["report_id"], h["n"]) for h in embedded.search(quoted(phrase, style), limit=None, marks=False, fold=False)["hits"]}


@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_substrings_of_seed_paragraphs(engine, cluster_engine, paragraphs, normalized, data):
    _, _, text = data.draw(st.sampled_from(paragraphs), label="paragraph")
    length = data.draw(st.integers(1, 12), label="length")
    start = data.draw(st.integers(0, max(0, len(text) - length)), label="start")
    style = data.draw(st.integers(0, len(QUOTES) - 1), label="quotes")
    check_both(engine, cluster_engine, normalized, text[start:start + length], style)


@PROPERTY_SETTINGS
@given(phrase=st.text(alphabet=ALPHABET, min_size=1, max_size=6))
def test_random_short_strings(engine, cluster_engine, normalized, phrase):
    check_both(engine, cluster_engine, normalized, phrase)


@pytest.mark.parametrize("phrase", PRESENT + ABSENT)
def test_table_of_phrases_in_both_scripts(engine, cluster_engine, normalized, phrase):
    import opencc
    check_both(engine, cluster_engine, normalized, phrase)
    check_both(engine, cluster_engine, normalized, opencc.OpenCC("s2t").convert(phrase))


def test_phrases_at_paragraph_start_and_end(engine, cluster_engine, paragraphs, normalized):
    for _, _, text in paragraphs[::7]:
        norm = normalize(text)
        for piece in (norm[:1], norm[:3], norm[-1:], norm[-2:], norm[-5:]):
            check_both(engine, cluster_engine, normalized, piece)


# A synthetic corpus (bench/synth.py): many reports of every level and year, spread over both shards.
SYNTHETIC_PARAGRAPHS = 2000


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """(embedded engine, cluster engine, {(report_id, n): normalized text}) of one synthetic corpus."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "corpus" / "raw", SYNTHETIC_PARAGRAPHS, seed=18)
    rebuild(folder / "corpus", folder / "index", warn=quiet)
    embedded = SearchEngine(folder / "index")
    with pushed_cluster(folder / "cluster", folder / "corpus") as cluster:
        texts = {}
        for row in embedded.overview()["reports"]:
            report = embedded.report(row["report_id"])
            texts.update({(report.report_id, p.n): normalize(p.text) for p in report.paragraphs})
        yield embedded, SearchEngine(backend=ClusterBackend(cluster.layout.path)), texts


@PROPERTY_SETTINGS
@given(data=st.data())
def test_random_substrings_of_a_synthetic_corpus(synthetic, data):
    embedded, cluster, texts = synthetic
    norm = data.draw(st.sampled_from(sorted(texts.values())), label="paragraph")
    length = data.draw(st.integers(1, 10), label="length")
    start = data.draw(st.integers(0, max(0, len(norm) - length)), label="start")
    phrase = norm[start:start + length]
    found = cluster.search(quoted(phrase), limit=None, marks=False)
    assert {(h["report_id"], h["n"]) for h in found["hits"]} == {key for key, text in texts.items() if phrase in text}
    assert found["total"] == embedded.search(quoted(phrase), limit=1)["total"]


SYNTHETIC_QUERIES = [("法治", {}), ("依法行政", {"year": ["2019-2021"]}), ("法律顾问", {"level": ["县级", "乡镇"]}),
                     ("同句(依法 行政)", {}), ("-法治", {"section": ["存在问题"]}), ("", {"year": ["2018"]}),
                     ("title:法治 published:2020", {}), ("政府 region:广东", {})]


@pytest.mark.parametrize("q, filters", SYNTHETIC_QUERIES)
def test_synthetic_results_objects_are_the_same(synthetic, q, filters):
    embedded, cluster, _texts = synthetic
    assert_same(embedded, cluster, q, filters, limit=None, at_most=None, marks=False)
    for sort in ("newest", "oldest"):
        assert_same(embedded, cluster, q, filters, sort=sort, page=2, limit=20)
    assert_same(embedded, cluster, q, filters, scope="title", sort="newest", limit=50)


def test_every_page_answers_from_the_cluster_as_from_the_index(seed_cluster, seed_index, engine):
    from app import create_app
    from conftest import cluster_config
    pages = ["/search?q=枫桥经验", "/search?q=法治&province=广东省&sort=newest&page=2", "/search?q=枫桥&scope=title",
             "/trends?q=法治", "/corpus", "/api/search?q=法治&limit=all", "/advanced?q=法治"]
    first = engine.overview()["reports"][0]["report_id"]
    pages += [f"/report/{first}?q=法治", f"/compare?a={first}&q=法治", "/search?q=法治&cites=中华人民共和国民法典",
              "/feed?q=法治", f"/timeline?issuer={engine.report(first).issuer}"]
    clients = [create_app({"TESTING": True, "INDEX_DIR": str(seed_index)}).test_client(),
               create_app({"TESTING": True, "INDEX_DIR": str(seed_index / "none"), **cluster_config(seed_cluster)}).test_client()]
    for path in pages:
        embedded, cluster = (client.get(path) for client in clients)
        assert cluster.status_code == embedded.status_code == 200, path
    total = engine.search("法治", limit=1)["total"]
    for client in clients:
        rows = client.get("/export.csv?q=法治").get_data(as_text=True).strip().splitlines()
        assert len(rows) == total + 1
        assert len(client.get("/export.json?q=法治").get_json()) == total


def test_the_command_line_searches_the_cluster_it_is_told_of(seed_cluster, seed_index):
    import json

    from conftest import run_module
    env = {"INDEX_DIR": str(seed_index), "SEARCH_CLUSTER": str(seed_cluster.layout.path)}
    embedded = run_module("search", '"枫桥经验"', "--json", "--province", "广东省", env=dict(env, SEARCH_BACKEND="embedded"))
    cluster = run_module("search", '"枫桥经验"', "--json", "--province", "广东省", env=dict(env, SEARCH_BACKEND="cluster"))
    assert cluster.returncode == embedded.returncode == 0, cluster.stderr
    assert comparable(json.loads(cluster.stdout)) == comparable(json.loads(embedded.stdout))
    unset = run_module("search", "法治", env={"SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": ""})
    assert unset.returncode == 2 and "SEARCH_CLUSTER" in unset.stderr


@pytest.fixture(scope="module")
def years(tmp_path_factory):
    """(embedded engine, cluster engine) of one issuer's three yearly reports, written as text pages."""
    from planting import page
    from test_timeline import DROPPED, KEPT, NEW_2021, NEW_2022, REVIEW_2020, REVIEW_2021
    folder = tmp_path_factory.mktemp("years")
    raw = folder / "corpus" / "raw"
    raw.mkdir(parents=True)
    for year, paragraphs in ((2020, [KEPT, REVIEW_2020, DROPPED]), (2021, [KEPT, NEW_2021, REVIEW_2021]),
                             (2022, [KEPT, REVIEW_2021, NEW_2021, NEW_2022])):
        (raw / f"years_{year}.txt").write_text(page(f"某某县人民政府关于{year}年法治政府建设情况的报告", "某某县人民政府",
                                                     f"{year + 1}-03-01", paragraphs), encoding="utf-8")
    rebuild(folder / "corpus", folder / "index", warn=quiet)
    with pushed_cluster(folder / "cluster", folder / "corpus") as cluster:
        yield SearchEngine(folder / "index"), SearchEngine(backend=ClusterBackend(cluster.layout.path))


def test_an_issuers_timeline_is_the_same_on_the_cluster(years):
    embedded, cluster = years
    found = cluster.timeline("某某县人民政府")
    assert found == embedded.timeline("某某县人民政府")
    assert [year["year"] for year in found["years"]] == [2020, 2021, 2022]
    first, second = found["steps"]
    assert [p.text[:4] for p in first["new"]] == ["深化“枫"] and [p.text[:4] for p in first["dropped"]] == ["开展行政"]
    assert len(first["rewritten"]) == 2 and second["kept"] >= 3 and [p.text[:4] for p in second["new"]] == ["全面推行"]


def test_rows_of_integers_read_in_bulk_are_the_rows_pymysql_reads(seed_cluster):
    import pymysql

    from model.cluster.connection import connect
    from model.cluster.rows import text_tokens
    from search.cluster.reportcodes import ReportCodes
    front = seed_cluster.layout.front
    statements = [f"SELECT GROUPBY(), COUNT(*) AS p, COUNT(DISTINCT report) AS r, version FROM paragraphs"
                  f" WHERE MATCH('{text_tokens('法治')}') GROUP BY report LIMIT 1000 OPTION max_matches=1000",
                  ReportCodes(seed_cluster.layout.path).statement(200), "SHOW META",
                  "SELECT id, report, n, body FROM paragraphs LIMIT 50"]
    read = []
    for connection in (connect(front.host, front.sql_port, multi=False),
                       pymysql.connect(host=front.host, port=front.sql_port, user="", password="", ssl_disabled=True)):
        with connection, connection.cursor() as cursor:
            read.append([cursor.execute(statement) and cursor.fetchall() for statement in statements[:2] + statements[3:]])
    assert read[0] == read[1] and all(read[0])


def test_a_server_started_on_a_push_already_read_maps_the_report_codes_kept(seed_cluster, engine, tmp_path,
                                                                               monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first = ClusterBackend(seed_cluster.layout.path)
    assert first.warm()
    kept = list(tmp_path.rglob("cluster-codes/*.bin"))
    assert len(kept) == 1
    second = ClusterBackend(seed_cluster.layout.path)
    read = []
    monkeypatch.setattr(second.executor.report_codes, "read_every", lambda *args: read.append(args))
    assert second.warm() and not read  # mapped, not read again
    whole = kept[0].stat().st_size
    kept[0].write_bytes(kept[0].read_bytes()[:200])  # a file cut short: read again and kept whole, never trusted
    third = ClusterBackend(seed_cluster.layout.path)
    assert third.warm() and kept[0].stat().st_size == whole
    for backend in (second, third):
        for q, filters in [("法治", {}), ("法治", {"province": ["广东省"]}), ("", {"cites": ["中华人民共和国民法典"]})]:
            assert_same(engine, SearchEngine(backend=backend), q, filters, sort="newest", limit=None)
