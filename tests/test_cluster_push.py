"""python -m indexer push: each report to its shard's replicas, changed and removed ones only, a replica down caught up later."""
import json

import pytest

from indexer.index.build import rebuild
from indexer.push import push
from search import SearchEngine
from search.cluster.backend import ClusterBackend
from model.cluster.layout import read_layout

from conftest import pushed_cluster, quiet, run_module
from test_cluster_parity import comparable

pytestmark = pytest.mark.integration


def hits(engine, q):
    """Return (report_id, n) of every hit of a query."""
    return {(h["report_id"], h["n"]) for h in engine.search(q, limit=None, fold=False)["hits"]}


def test_only_changed_and_removed_reports_are_sent_and_searches_follow(corpus, tmp_path):
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        again = push(corpus, cluster.layout.path, warn=quiet)
        assert (again.added, again.changed, again.removed, again.paragraphs) == (0, 0, 0, 0)
        pages = sorted((corpus / "raw").glob("*.txt"))
        pages[0].write_text(pages[0].read_text(encoding="utf-8").replace("枫桥经验", "桥头经验"), encoding="utf-8")
        pages[1].unlink()
        changed = push(corpus, cluster.layout.path, warn=quiet)
        # Each report counted once per replica: two replicas of each shard.
        assert (changed.added, changed.changed, changed.removed) == (0, 2, 2)
        assert 0 < changed.paragraphs < 200
        rebuild(corpus, tmp_path / "index", warn=quiet)
        embedded = SearchEngine(tmp_path / "index")
        assert searcher.overview() == embedded.overview() and len(embedded.overview()["reports"]) == 4
        for q in ("枫桥经验", "桥头经验", "法治", "-法治"):
            assert comparable(searcher.search(q, limit=None)) == comparable(embedded.search(q, limit=None, fold=False))
        assert hits(searcher, "桥头经验")


def test_a_replica_down_during_a_push_is_named_and_caught_up_by_the_next(corpus, tmp_path):
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        cluster.kill("mirror")
        page = sorted((corpus / "raw").glob("*.txt"))[2]
        page.write_text(page.read_text(encoding="utf-8") + "\n本报告另附一段关于数字法治的新内容。\n", encoding="utf-8")
        behind = push(corpus, cluster.layout.path, warn=quiet)
        assert [name.split()[0] for name in behind.unreachable] == ["mirror", "mirror"]
        assert "NOT UPDATED" in behind.line() and behind.changed == 1
        cluster.start(["mirror"])
        caught = push(corpus, cluster.layout.path, warn=quiet)
        assert not caught.unreachable and caught.changed == 1
        # The mirror alone now answers as the node did.
        found = hits(searcher, '"数字法治的新内容"')
        assert len(found) == 1
        cluster.kill("node0")
        cluster.kill("node1")
        assert hits(searcher, '"数字法治的新内容"') == found


def test_the_push_command_writes_every_nodes_configuration(corpus, tmp_path):
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        layout = cluster.layout.path
        done = run_module("indexer", "push", "--corpus", str(corpus), "--cluster", str(layout))
        assert done.returncode == 0, done.stderr
        assert done.stdout.startswith("pushed 5 reports to 4 replicas of 2 shards: 0 added, 0 changed, 0 removed")
        same = run_module("indexer", "rebuild", "--backend", "cluster", "--corpus", str(corpus), "--cluster", str(layout))
        assert same.returncode == 0 and "0 added" in same.stdout
        front = (layout.parent / "config" / "front.conf").read_text(encoding="utf-8")
        for number, replicas in enumerate(read_layout(layout).shards):
            assert "agent = " + "|".join(f"{r.agent}:paragraphs_s{number}" for r in replicas) in front
        assert "ha_strategy = nodeads" in front
        shards = json.loads((layout.parent / "shards.json").read_text(encoding="utf-8"))["shards"]
        assert sum(row["reports"] for row in shards) == 5 and all(row["reports"] for row in shards)
    missing = run_module("indexer", "push", "--corpus", str(corpus), "--cluster", str(tmp_path / "none.json"))
    assert missing.returncode == 1 and "none.json: no cluster layout there" in missing.stderr


def test_make_cluster_starts_nodes_that_outlive_it_and_stop_stops_them(tmp_path):
    import os
    from pathlib import Path

    from search.cluster.local import node_folder, sql_address, wait_listening
    from model.cluster.schema import node_names
    started = run_module("search.cluster.local", "start", "--folder", str(tmp_path / "demo"))
    assert started.returncode == 0, started.stderr
    layout = read_layout(Path(started.stdout.strip()))
    pids = [int((node_folder(layout, node) / "searchd.pid").read_text()) for node in node_names(layout)]
    try:
        for node in node_names(layout):
            wait_listening(sql_address(layout, node), None, timeout=5)
    finally:
        stopped = run_module("search.cluster.local", "stop", str(layout.path))
    assert stopped.returncode == 0 and stopped.stdout.count("stopped ") == 4
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)
