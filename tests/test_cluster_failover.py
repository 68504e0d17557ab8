"""A node killed: its mirror answers and nothing is lost; a shard with no replica left is named, never dropped in silence."""
import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

from model.cluster.rows import shard_of
from search import SearchEngine
from search.cluster.backend import ClusterBackend

from conftest import SEED_CORPUS, cluster_config, pushed_cluster, serving
from test_cluster_parity import comparable

pytestmark = pytest.mark.integration

SEARCHES = [("枫桥经验", {}), ('"法律顾问"', {}), ("法治", {"province": ["广东省"]}), ("同句(法律顾问 合法性审查)", {}),
            ("", {"year": ["2020-2023"]})]


def get(url, **params):
    """GET a URL with query parameters; return (status, body text)."""
    try:
        with urllib.request.urlopen(url + ("?" + urllib.parse.urlencode(params) if params else ""), timeout=30) as reply:
            return reply.status, reply.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


@pytest.fixture()
def cluster(tmp_path):
    """A fresh local cluster of the seeds (two shard nodes, a mirror of both, a front), stopped after the test."""
    with pushed_cluster(tmp_path / "cluster", SEED_CORPUS) as started:
        yield started


def reports_of(engine, shard, shards=2):
    """Return the ids of the seed reports living on one shard."""
    return [row["report_id"] for row in engine.overview()["reports"] if shard_of(row["report_id"], shards) == shard]


def test_a_dead_shard_node_loses_no_result_while_its_mirror_lives(cluster, engine):
    searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
    before = {q: comparable(searcher.search(q, filters=f, limit=None)) for q, f in SEARCHES}
    cluster.kill("node0")
    for _round in range(3):  # the front node notices the dead node on the first query; none may lose a hit
        for q, filters in SEARCHES:
            found = searcher.search(q, filters=filters, limit=None)
            assert "missing" not in found and comparable(found) == before[q]
            assert comparable(found) == comparable(engine.search(q, filters=filters, limit=None, fold=False))
    cluster.kill("node1")  # now the mirror alone holds both shards
    for q, filters in SEARCHES:
        assert comparable(searcher.search(q, filters=filters, limit=None)) == before[q]
    assert searcher.overview() == engine.overview()


def test_a_shard_without_any_replica_is_named_on_the_page_and_in_the_api(cluster, engine):
    searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
    whole = searcher.search("法治", limit=None)
    lost = reports_of(engine, 0)
    assert lost and len(lost) < len(engine.overview()["reports"])
    cluster.kill("node0")
    cluster.kill("mirror")
    found = searcher.search("法治", limit=None)
    # What is left is exactly the other shard's part, and the answer says which part is missing.
    assert {h["report_id"] for h in found["hits"]} == {h["report_id"] for h in whole["hits"]} - set(lost)
    assert found["total"] < whole["total"]
    assert [row["shard"] for row in found["missing"]] == [0]
    assert found["missing"][0]["reports"] == len(lost)
    assert found["notices"][0].startswith("检索结果不完整：第 1 个分片")
    with serving(SEED_CORPUS, **cluster_config(cluster)) as url:
        status, page = get(url + "/search", q="法治")
        assert status == 200 and "检索结果不完整：第 1 个分片" in page
        status, api = get(url + "/api/search", q="法治")
        api = json.loads(api)
        assert api["missing"][0]["shard"] == 0 and api["total"] == found["total"]
        # A report of the missing shard cannot be shown: 503 naming the shard, never a 404.
        status, page = get(f"{url}/report/{lost[0]}")
        assert status == 503 and "shard 1" in page
        assert get(f"{url}/report/{reports_of(engine, 1)[0]}", q="法治")[0] == 200
        assert get(url + "/corpus")[0] == 503
    # Every node of the shard back: the whole answer again.
    cluster.start(["mirror"])
    assert comparable(searcher.search("法治", limit=None)) == comparable(whole)


def test_no_shard_left_is_a_503_naming_the_cluster(cluster):
    with serving(SEED_CORPUS, **cluster_config(cluster)) as url:
        for node in ("node0", "node1", "mirror"):
            cluster.kill(node)
        status, page = get(url + "/search", q="法治")
        assert status == 503 and "检索集群无法访问" in page
        status, api = get(url + "/api/search", q="法治")
        assert status == 503 and "no shard of the search cluster answered" in json.loads(api)["error"]
        cluster.kill("front")
        status, api = get(url + "/api/search", q="法治")
        assert status == 503 and "front node" in json.loads(api)["error"]
