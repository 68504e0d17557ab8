"""The Sphinx cluster beside the embedded engine on one synthetic corpus: python -m bench.cluster [--paragraphs N].

On the corpus bench.run generates (bench/synth.py, cached in bench/work/): clean it once (both
backends index the same clean reports), time the embedded full rebuild from them and the push
into a local cluster (two shard nodes, a mirror of both, a front node: make cluster's layout),
then one report changed (rebuild, push); read every node's memory and disk; serve each backend
with gunicorn as `make run` does and time the benchmark's query mix through GET /api/search
(every facet counted, as the API always does). Both must find the same totals. Writes the
'## Cluster' section of bench/RESULTS.md (--output elsewhere).
"""
import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from search.cluster.local import LocalCluster

from .build import put_section
from .measure import BenchError, _kb_field, exit_on_sigterm, latency_summary, machine, run_measured
from .queries import query_mix
from .results import latency_triple, markdown_table, mb, seconds
from .run import RESULTS_PATH, SEED, commit_measured, log, one_report_changed, prepare_corpus
from .server import Server, search_path

SECTION = "## Cluster"
DEFAULT_PARAGRAPHS = 1_000_000
ROUNDS = 3
# Bounds on the children: a full build or push of a million paragraphs takes tens of minutes.
BUILD_TIMEOUT_S = 4 * 3600
RERUN_TIMEOUT_S = 600


def python(*args):
    """Return the command running a module of the project with this interpreter."""
    return [sys.executable, "-m", *args]


def folder_mb(folder):
    """Return the size of every file under a folder, in MB."""
    return sum(path.stat().st_size for path in Path(folder).rglob("*") if path.is_file()) / 2 ** 20


def serve(folder, mix, rounds, env=None, name="embedded"):
    """Serve one backend with gunicorn; return its first answer, the mix's latencies and totals, its memory."""
    log(f"  {name}: server, query mix")
    with Server(folder / "index", folder, folder / f"server-{name}.log", env) as server:
        first = server.first_answer(search_path(mix[0]))
        latencies, totals = server.run_mix(mix, rounds)
        latencies = latencies[True]  # run_mix gives latencies by folding setting; the API folds by default
        rss, pss = server.memory_mb()
    return {"first_query_s": first, "mix": latency_summary(latencies), "totals": totals,
            "server_rss_mb": rss, "server_pss_mb": pss}


def measure(size, seed, rounds):
    """Measure both backends on the synthetic corpus of size paragraphs; return the results."""
    folder, manifest = prepare_corpus(size, seed)
    mix = query_mix(manifest)
    changed_page = folder / "raw" / manifest[len(manifest) // 3]["file"]
    log(f"[{size}] cleaning the corpus once for both backends")
    cleaning = run_measured(python("indexer", "clean", "--corpus", str(folder)), BUILD_TIMEOUT_S).check("cleaning")
    index = folder / "index"
    shutil.rmtree(index, ignore_errors=True)
    build = [*python("indexer", "rebuild", "--corpus", str(folder), "--index", str(index))]
    log("  embedded: full rebuild from the clean reports")
    embedded = {"build": asdict(run_measured(build, BUILD_TIMEOUT_S).check("the embedded rebuild"))}
    with one_report_changed(changed_page):
        embedded["changed_one"] = asdict(run_measured(build, RERUN_TIMEOUT_S).check("the rebuild of one change"))
    run_measured(build, RERUN_TIMEOUT_S).check("the rebuild back")
    embedded["disk_mb"] = folder_mb(index)
    embedded.update(serve(folder, mix, rounds))
    shutil.rmtree(folder / "cluster", ignore_errors=True)
    with LocalCluster(folder / "cluster") as cluster:
        layout = str(cluster.layout.path)
        push = [*python("indexer", "push", "--corpus", str(folder), "--cluster", layout)]
        log("  cluster: push of every report into 2 shards and their mirror")
        ours = {"push": asdict(run_measured(push, BUILD_TIMEOUT_S).check("the push"))}
        with one_report_changed(changed_page):
            ours["changed_one"] = asdict(run_measured(push, RERUN_TIMEOUT_S).check("the push of one change"))
        run_measured(push, RERUN_TIMEOUT_S).check("the push back")
        ours["nodes"] = {node: {"rss_mb": _kb_field(f"/proc/{process.pid}/status", "VmRSS") / 1024,
                                "disk_mb": folder_mb(cluster.layout.path.parent / node)}
                         for node, process in cluster.processes.items()}
        ours["shards"] = [len(replicas) for replicas in cluster.layout.shards]
        ours.update(serve(folder, mix, rounds, {"SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": layout}, "cluster"))
    result = {"size": size, "reports": len(manifest), "rounds": rounds,
              "mix": mix, "cleaning": asdict(cleaning), "embedded": embedded, "cluster": ours}
    (folder / "cluster-results.json").write_text(
        json.dumps(dict(result, mix=[asdict(query) for query in mix]), ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def rate(count, run):
    """Return count per second of a run, as text."""
    return f"{count / run['seconds']:,.0f}" if run["seconds"] else "—"


def section(result, context):
    """Return the '## Cluster' section of the results file."""
    embedded, cluster, size = result["embedded"], result["cluster"], result["size"]
    nodes = cluster["nodes"]
    shard_nodes = [node for node in nodes if node.startswith("node")]
    per_shard = size / len(shard_nodes)
    rows = [
        ("Indexing from the clean reports: wall time", seconds(embedded["build"]["seconds"]),
         seconds(cluster["push"]["seconds"])),
        ("Indexing rate (paragraphs / s; the cluster writes each to 2 replicas)",
         rate(size, embedded["build"]), rate(size, cluster["push"])),
        ("Indexing: peak memory of the command", mb(embedded["build"]["peak_mb"]), mb(cluster["push"]["peak_mb"])),
        ("One report changed (`rebuild` / `push`)", seconds(embedded["changed_one"]["seconds"]),
         seconds(cluster["changed_one"]["seconds"])),
        ("Query mix p50 / p95 / max through GET /api/search, all facets", latency_triple(embedded["mix"]),
         latency_triple(cluster["mix"])),
        ("First answer after the server starts", seconds(embedded["first_query_s"]), seconds(cluster["first_query_s"])),
        ("Web server memory after the mix: PSS (RSS)", f"{mb(embedded['server_pss_mb'])} ({mb(embedded['server_rss_mb'])})",
         f"{mb(cluster['server_pss_mb'])} ({mb(cluster['server_rss_mb'])})"),
        ("Index on disk", mb(embedded["disk_mb"]), " + ".join(f"{node} {mb(nodes[node]['disk_mb'])}" for node in nodes)),
        ("Search node memory (RSS)", "(in the web server)",
         " + ".join(f"{node} {mb(nodes[node]['rss_mb'])}" for node in nodes)),
        ("Per paragraph on one shard replica: memory / disk", "",
         " / ".join(f"{sum(nodes[n][k] for n in shard_nodes) / len(shard_nodes) * 2 ** 20 / per_shard:,.0f} B"
                    for k in ("rss_mb", "disk_mb"))),
    ]
    totals = [(query.label, f"`{query.q}`", ", ".join(f"{k}={v}" for k, v in query.filters) or "—", query.page,
               embedded["totals"][query.q + repr(query.filters)], cluster["totals"][query.q + repr(query.filters)])
              for query in result["mix"]]
    same = all(row[4] == row[5] for row in totals)
    return "\n".join([
        SECTION, "",
        f"The Sphinx cluster (Debian's sphinxsearch 2.2.11; `make cluster`'s layout: two shard nodes, one mirror"
        f" node holding a copy of both shards, a front node) beside the embedded engine, on the synthetic corpus of"
        f" {size:,} paragraphs ({result['reports']:,} reports), on one machine: every node, the web server and the"
        f" client share its {context['machine']['cores']} cores.",
        "",
        f"- Date: {context['date']}; machine: {context['machine']['cpu']}, {context['machine']['cores']} cores,"
        f" {context['machine']['memory_gb']:.1f} GB; load average at the start and end: {context['load'][0]:.1f}"
        f" and {context['load'][1]:.1f}",
        f"- Code measured: commit {context['commit']}",
        f"- Command: `{context['command']}` (what `make bench` runs after `bench.run`); wall time"
        f" {context['elapsed_min']:.0f} min",
        f"- Cleaning the corpus once for both (`python -m indexer clean`): {seconds(result['cleaning']['seconds'])};"
        " both then index the same clean reports.",
        f"- Query mix: the benchmark's {len(result['mix'])} queries × {result['rounds']} rounds, one client, HTTP"
        " and JSON included; the cluster's figures include the web server asking the front node, the front node"
        " asking a replica of each shard, and reading the hits' reports.",
        "",
        markdown_table(("measure", "embedded (Whoosh + arrays)", "cluster (2 shards, mirrored)"), rows),
        "",
        "Paragraphs found by each query: " + ("the same on both backends." if same else "**they differ**."),
        "",
        markdown_table(("query kind", "q", "filters", "page", "embedded: total", "cluster: total"), totals),
        "",
    ])


def main(argv=None):
    """Measure the cluster beside the embedded engine and write the results file's cluster section."""
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=DEFAULT_PARAGRAPHS,
                        help=f"size of the synthetic corpus (default {DEFAULT_PARAGRAPHS:,})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds of the query mix (default {ROUNDS})")
    parser.add_argument("--output", default=str(RESULTS_PATH), help="results file (default: %(default)s)")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.paragraphs < 1 or args.rounds < 1:
        parser.error("--paragraphs and --rounds must be positive")
    exit_on_sigterm("cluster benchmark")
    load_before, started = os.getloadavg()[0], time.perf_counter()
    try:
        result = measure(args.paragraphs, SEED, args.rounds)
    except BenchError as error:
        print(f"cluster benchmark failed: {error}", file=sys.stderr)
        return 1
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load": (load_before, os.getloadavg()[0]), "commit": commit_measured(),
               "command": " ".join([".venv/bin/python -m bench.cluster", *argv]),
               "elapsed_min": (time.perf_counter() - started) / 60}
    text = section(result, context)
    print(text)
    put_section(args.output, text, SECTION, ())
    log(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
