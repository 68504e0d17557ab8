"""python -m indexer push: each report to its shard's replicas, changed and removed ones only, a replica down caught up later."""
import json

import pytest

from indexer.clean.rawfile import clean_file
from indexer.index.build import rebuild
from indexer.push import held_reports, mark_front, push, removal_statements, report_statements
from search import SearchEngine, execute
from search.cluster.backend import ClusterBackend
from search.cluster.sphinxql import ClusterUnavailable, run_batch
from model.cluster import stamp
from model.cluster.connection import connect
from model.cluster.layout import read_layout
from model.cluster.rows import shard_of
from model.cluster.schema import PARAGRAPHS, REPORTS, shard_index

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


def test_a_report_retitled_by_a_push_shows_its_new_title_to_a_server_that_showed_the_old(corpus, tmp_path):
    """The web server keeps the reports it has shown; a push that changes one is seen at once, never the old title."""
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        page = sorted((corpus / "raw").glob("*.txt"))[0]
        title, rest = page.read_text(encoding="utf-8").split("\n", 1)
        before = {hit["report_id"]: hit["title"] for hit in searcher.search("法治", limit=None)["hits"]}
        assert title in before.values()
        page.write_text(title.replace("情况报告", "情况的报告") + "\n" + rest, encoding="utf-8")
        push(corpus, cluster.layout.path, warn=quiet)
        after = {hit["report_id"]: hit["title"] for hit in searcher.search("法治", limit=None)["hits"]}
        assert title not in after.values()
        assert title.replace("情况报告", "情况的报告") in after.values()


def test_a_push_that_changes_a_reports_facets_moves_its_counts_for_a_server_that_counted_them(corpus, tmp_path):
    """The web server keeps each report's facet values once counted; a push that changes them is counted at once."""
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        before = searcher.search("法治", filters={"year": ["2019"]})
        page = sorted((corpus / "raw").glob("*.txt"))[0]
        page.write_text(page.read_text(encoding="utf-8").replace("2020", "2019"), encoding="utf-8")
        push(corpus, cluster.layout.path, warn=quiet)
        after = searcher.search("法治", filters={"year": ["2019"]})
        rebuild(corpus, tmp_path / "index", warn=quiet)
        fresh = SearchEngine(tmp_path / "index").search("法治", filters={"year": ["2019"]}, fold=False)
        assert after["total_reports"] == before["total_reports"] + 1
        assert after["facets"] != before["facets"] and comparable(after) == comparable(fresh)


def test_a_push_between_two_identical_searches_changes_what_the_second_shows(corpus, tmp_path, monkeypatch):
    """Every plan remembered (as the commonest phrases are): a push that changes the corpus is seen at once."""
    monkeypatch.setattr(execute, "REMEMBERED_MATCHES", 0)
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        before = searcher.search("枫桥经验", limit=None)
        assert comparable(searcher.search("枫桥经验", limit=None)) == comparable(before) and before["total"] > 0
        page = sorted((corpus / "raw").glob("*.txt"))[0]
        page.write_text(page.read_text(encoding="utf-8").replace("枫桥经验", "桥头经验"), encoding="utf-8")
        assert push(corpus, cluster.layout.path, warn=quiet).settled
        after = searcher.search("枫桥经验", limit=None)
        rebuild(corpus, tmp_path / "index", warn=quiet)
        fresh = SearchEngine(tmp_path / "index").search("枫桥经验", limit=None, fold=False)
        assert after["total"] < before["total"] and comparable(after) == comparable(fresh)


def test_a_remembered_search_is_answered_with_its_shards_down_until_a_push_starts(corpus, tmp_path, monkeypatch):
    """What the cluster held at the last push is answered from memory, whole, even with every shard node down;
    once a push marks the front node, nothing is answered from memory."""
    monkeypatch.setattr(execute, "REMEMBERED_MATCHES", 0)
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        first = searcher.search("法治", filters={"year": ["2020-2022"]})
        for node in ("node0", "node1", "mirror"):
            cluster.kill(node)
        again = searcher.search("法治", filters={"year": ["2020-2022"]})
        assert comparable(again) == comparable(first) and not again.get("missing")
        mark_front(read_layout(cluster.layout.path), stamp.started())
        with pytest.raises(ClusterUnavailable):
            searcher.search("法治", filters={"year": ["2020-2022"]})


def test_a_replica_down_during_a_push_is_named_and_caught_up_by_the_next(corpus, tmp_path):
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        cluster.kill("mirror")
        page = sorted((corpus / "raw").glob("*.txt"))[2]
        page.write_text(page.read_text(encoding="utf-8") + "\n本报告另附一段关于数字法治的新内容。\n", encoding="utf-8")
        behind = push(corpus, cluster.layout.path, warn=quiet)
        assert [name.split()[0] for name in behind.unreachable] == ["mirror", "mirror"]
        assert "NOT UPDATED" in behind.line() and behind.changed == 1 and not behind.settled
        cluster.start(["mirror"])
        caught = push(corpus, cluster.layout.path, warn=quiet)
        assert not caught.unreachable and caught.changed == 1 and caught.settled
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


# A report of our own for the killed pushes: a phrase no seed has, and the same report with it changed.
PLANTED = """某某县2021年法治政府建设情况报告

2021年以来，我县坚持以习近平新时代中国特色社会主义思想为指导，全面推进依法行政，法治政府建设取得新的进展。

一、主要工作举措

（一）建设数字孪生执法平台。全县执法案件全部在平台上办理，执法全过程记录，群众可以在线查询办理进度。

（二）完善依法决策机制。重大决策事项全部经过合法性审查和集体讨论决定，法律顾问参与决策论证。

（三）严格规范公正文明执法。全面推行行政执法公示制度和重大执法决定法制审核制度，开展执法案卷评查。

二、下一步工作打算

我县将继续加强法治政府建设，强化法治宣传教育，提升行政执法水平，为经济社会发展提供有力法治保障。
"""
PHRASE, CHANGED = "数字孪生执法平台", "智慧协同执法平台"


def replica_counts(layout):
    """Return {(node, shard): (paragraph rows, report rows)} as each replica holds them, asked of it directly."""
    counts = {}
    for number, replicas in enumerate(layout.shards):
        for replica in replicas:
            connection = connect(replica.host, replica.sql_port)
            try:
                counts[replica.node, number] = tuple(
                    int(dict(run_batch(connection, [f"SELECT id FROM {shard_index(kind, number)} LIMIT 1", "SHOW META"])[1])
                        ["total_found"]) for kind in (PARAGRAPHS, REPORTS))
            finally:
                connection.close()
    return counts


def killed_push(layout, report, statements_of):
    """Run on every replica of a report's shard what a push sends for it, up to the paragraphs' COMMIT: a push
    killed before it wrote the report row. statements_of(shard, held) makes the push's statements."""
    number = shard_of(report.report_id, len(layout.shards))
    for replica in layout.shards[number]:
        connection = connect(replica.host, replica.sql_port, multi=False)
        try:
            statements = statements_of(number, held_reports(connection, number))
            with connection.cursor() as cursor:
                for statement in statements[:statements.index("COMMIT") + 1]:
                    cursor.execute(statement)
        finally:
            connection.close()


def planted(folder, text):
    """Return the clean report of the planted page written with text into folder (report id planted)."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "planted.txt").write_text(text, encoding="utf-8")
    return clean_file(folder / "planted.txt")


def test_paragraphs_a_killed_push_left_without_their_report_row_go_with_the_next_push(corpus, tmp_path):
    """A report's paragraphs committed, the push killed before its report row, the report then gone from the corpus."""
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        layout = read_layout(cluster.layout.path)
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        whole, total = replica_counts(layout), searcher.search("法治")["total"]
        report = planted(tmp_path / "gone", PLANTED)
        killed_push(layout, report, lambda number, held: report_statements(number, [report], held, {"planted": "a" * 40})[0])
        # The damage: paragraphs served with no report (no title), the totals of the replicas apart.
        assert hits(searcher, f'"{PHRASE}"') and replica_counts(layout) != whole
        assert not [hit for hit in searcher.search(f'"{PHRASE}"')["hits"] if hit["title"]]
        summary = push(corpus, cluster.layout.path, warn=quiet)
        assert summary.removed == 2 and not summary.unreachable  # one per replica of its shard
        assert hits(searcher, f'"{PHRASE}"') == set() and replica_counts(layout) == whole
        assert {searcher.search("法治")["total"] for _ in range(6)} == {total}
        again = push(corpus, cluster.layout.path, warn=quiet)
        assert (again.added, again.changed, again.removed) == (0, 0, 0)


def test_a_report_a_killed_push_left_half_written_is_sent_again_whatever_the_corpus_did(corpus, tmp_path):
    """Paragraphs of another version under the report row of this one (a push of a change killed, the page then put
    back), and paragraphs removed under a report row left (a removal killed, the page then put back)."""
    report = planted(corpus / "raw", PLANTED)
    with pushed_cluster(tmp_path / "cluster", corpus) as cluster:
        layout = read_layout(cluster.layout.path)
        searcher = SearchEngine(backend=ClusterBackend(cluster.layout.path))
        whole, found = replica_counts(layout), hits(searcher, f'"{PHRASE}"')
        assert found
        change = planted(tmp_path / "changed", PLANTED.replace(PHRASE, CHANGED))
        assert len(change.paragraphs) == len(report.paragraphs)
        killed_push(layout, change, lambda number, held: report_statements(number, [change], held, {"planted": "b" * 40})[0])
        assert hits(searcher, f'"{CHANGED}"') and not hits(searcher, f'"{PHRASE}"')
        summary = push(corpus, cluster.layout.path, warn=quiet)
        assert summary.changed == 2
        assert hits(searcher, f'"{PHRASE}"') == found and not hits(searcher, f'"{CHANGED}"')
        assert replica_counts(layout) == whole
        killed_push(layout, report, lambda number, held: removal_statements(number, [held["planted"]]))
        assert not hits(searcher, f'"{PHRASE}"')
        summary = push(corpus, cluster.layout.path, warn=quiet)
        assert summary.changed == 2 and hits(searcher, f'"{PHRASE}"') == found and replica_counts(layout) == whole
