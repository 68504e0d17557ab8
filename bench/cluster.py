"""The embedded engine, the Sphinx cluster and SQLite FTS5 on one synthetic corpus: python -m bench.cluster [--paragraphs N].

On the corpus bench.run generates (bench/synth.py, cached in bench/work/): time the embedded full rebuild from
the raw pages (cleaning, indexing and the reuse stage, measured as a process tree: bench.build), then the push of
the clean reports it wrote into a local cluster (two shard nodes, a mirror of both, a front node: make
cluster's layout), then one report changed (rebuild, push); read every node's memory and disk; serve each
backend with gunicorn as `make run` does and time the benchmark's query mix through GET /api/search (every facet
counted, as the API always does). Both must find the same totals. Then the peer a user would pick, SQLite FTS5
with the trigram tokenizer (bench/peer.py): built from the lines of the raw pages (its build time against the
full rebuild's) and from the clean paragraphs, which answer the same mix with the same facets by GROUP BY;
where its totals differ from the engine's, the clean paragraphs are searched by brute force, as written and in
their searchable form, to say why. Writes the section of that size in bench/RESULTS.md (--output elsewhere).

With --served RUNS, only the two servers on the corpus and index a full run left: the embedded engine and the
cluster in turn, RUNS times, each a first round of the mix apart from the rounds after it (what each remembers),
with the CPU each process spends per request. With --pinned too, the cluster runs without its mirror (each shard
on one node) and is served in each run three ways, beside the embedded engine: every node free on every core
(shared), every node on the first core, and the nodes spread one a core (as `taskset -a -p -c` pins them): what
each added core buys.
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

from indexer.paths import PROJECT_DIR

from .build import full_rebuild, put_section
from .measure import (BenchError, _kb_field, exit_on_sigterm, latency_summary, machine, percentile, process_tree,
                      run_measured)
from .peer import explain_differences
from .queries import query_mix, save_mix
from .results import latency_triple, markdown_table, mb, ms, seconds
from .run import RESULTS_PATH, SEED, commit_measured, log, one_report_changed, prepare_corpus
from .server import Server, search_path

SECTION = "## Embedded, cluster and SQLite FTS5 at {size:,} paragraphs"
SERVED_SECTION = "## Embedded and cluster served in turn at {size:,} paragraphs"
PINNED_SECTION = SERVED_SECTION + ", the cluster's nodes pinned to cores"
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


def cpu_seconds(pids):
    """Return the CPU time (user and system) the processes have spent so far, from /proc."""
    tick, spent = os.sysconf("SC_CLK_TCK"), 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended meanwhile
        spent += int(fields[11]) + int(fields[12])
    return spent / tick


def cpu_ms_per_request(processes, before, requests):
    """Return {process: CPU ms per request} spent since before ({process: CPU seconds}) over requests requests."""
    return {process: (cpu_seconds(pids) - before[process]) * 1000 / requests for process, pids in processes.items()}


def serve(folder, mix, rounds, env=None, name="embedded", nodes=None, first_round=False):
    """Serve one backend with gunicorn; return its first answer, the mix's latencies and totals, its memory, and the
    CPU per request of the mix of the web server and of each node ({name: process id}); first_round: one round of
    the mix first, its latencies and CPU per request apart (what neither remembers yet), the rounds after it
    measured as the mix."""
    log(f"  {name}: server, query mix")
    nodes, apart = nodes or {}, {}
    with Server(folder / "index", folder, folder / f"server-{slug(name)}.log", env) as server:
        first = server.first_answer(search_path(mix[0]))
        processes = {"web server": process_tree(server.process.pid), **{node: [pid] for node, pid in nodes.items()}}
        if first_round:
            before = {process: cpu_seconds(pids) for process, pids in processes.items()}
            apart = {"first_round": latency_summary(server.run_mix(mix, 1)[0][True]),
                     "first_round_cpu_ms": cpu_ms_per_request(processes, before, len(mix))}
        before = {process: cpu_seconds(pids) for process, pids in processes.items()}
        latencies, totals = server.run_mix(mix, rounds)
        cpu_ms = cpu_ms_per_request(processes, before, len(mix) * rounds)
        latencies = latencies[True]  # run_mix gives latencies by folding setting; the API folds by default
        rss, pss = server.memory_mb()
    return {"first_query_s": first, "mix": latency_summary(latencies), "latencies_ms": latencies, "totals": totals,
            "server_rss_mb": rss, "server_pss_mb": pss, "cpu_ms_per_request": cpu_ms, **apart}


def fts5(folder, mix_path, rounds):
    """Build SQLite FTS5 from the raw pages' lines and from the clean paragraphs, then answer the mix from the latter."""
    peer = [*python("bench.peer")]
    found = {}
    for source in ("raw", "clean"):
        log(f"  SQLite FTS5: build from the {'lines of the raw pages' if source == 'raw' else 'clean paragraphs'}")
        db = folder / f"fts5-{source}.sqlite"
        run = run_measured([*peer, "build", "--corpus", str(folder), "--db", str(db), "--source", source],
                           BUILD_TIMEOUT_S).check(f"the FTS5 build from {source}")
        found[source] = {**asdict(run), **json.loads(run.stdout)}
    (folder / "fts5-raw.sqlite").unlink()  # built for its time alone; the size stays in its figures
    log("  SQLite FTS5: query mix")
    run = run_measured([*peer, "query", "--db", str(folder / "fts5-clean.sqlite"), "--mix", str(mix_path),
                        "--rounds", str(rounds)], BUILD_TIMEOUT_S).check("the FTS5 query mix")
    answered = json.loads(run.stdout)
    found.update(answered, mix=latency_summary(answered["latencies_ms"]))
    return found


def measure(size, seed, rounds):
    """Measure the three on the synthetic corpus of size paragraphs; return the results."""
    folder, manifest = prepare_corpus(size, seed)
    mix = query_mix(manifest)
    mix_path = folder / "mix.json"
    save_mix(mix, mix_path)
    changed_page = folder / "raw" / manifest[len(manifest) // 3]["file"]
    index = folder / "index"
    log(f"[{size}] embedded: full rebuild from the raw pages")
    embedded = {"build": full_rebuild(folder, PROJECT_DIR, index, timings=True)}
    build = [*python("indexer", "rebuild", "--corpus", str(folder), "--index", str(index))]
    with one_report_changed(changed_page):
        embedded["changed_one"] = asdict(run_measured(build, RERUN_TIMEOUT_S).check("the rebuild of one change"))
    run_measured(build, RERUN_TIMEOUT_S).check("the rebuild back")
    embedded["disk_mb"] = folder_mb(index)
    embedded.update(serve(folder, mix, rounds))
    shutil.rmtree(folder / "cluster", ignore_errors=True)
    with LocalCluster(folder / "cluster") as cluster:
        layout = str(cluster.layout.path)
        push = [*python("indexer", "push", "--corpus", str(folder), "--cluster", layout)]
        log("  cluster: push of the clean reports into 2 shards and their mirror")
        ours = {"push": asdict(run_measured(push, BUILD_TIMEOUT_S).check("the push"))}
        with one_report_changed(changed_page):
            ours["changed_one"] = asdict(run_measured(push, RERUN_TIMEOUT_S).check("the push of one change"))
        run_measured(push, RERUN_TIMEOUT_S).check("the push back")
        ours["nodes"] = {node: {"rss_mb": _kb_field(f"/proc/{process.pid}/status", "VmRSS") / 1024,
                                "disk_mb": folder_mb(cluster.layout.path.parent / node)}
                         for node, process in cluster.processes.items()}
        ours["shards"] = [len(replicas) for replicas in cluster.layout.shards]
        ours.update(serve(folder, mix, rounds, {"SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": layout}, "cluster"))
    peer = fts5(folder, mix_path, rounds)
    peer["why"] = explain_differences(folder, mix, embedded["totals"], peer["totals"])
    result = {"size": size, "reports": len(manifest), "chars": sum(entry["chars"] for entry in manifest),
              "rounds": rounds, "mix": mix, "embedded": embedded, "cluster": ours, "fts5": peer}
    (folder / "cluster-results.json").write_text(
        json.dumps(dict(result, mix=[asdict(query) for query in mix]), ensure_ascii=False, indent=1), encoding="utf-8")
    return result


def pin(pids, cores):
    """Let every thread of each process run on the given cores only, as `taskset -a -p -c` does (searchd's threads
    made later inherit it from the thread that makes them)."""
    for pid in pids:
        for task in Path(f"/proc/{pid}/task").iterdir():
            try:
                os.sched_setaffinity(int(task.name), cores)
            except ProcessLookupError:
                continue  # a thread that ended meanwhile


def placements(nodes, cores):
    """Return {setting: {node: cores}} of the pinned runs: every node on every core (shared), every node on the first
    core, the nodes one a core in turn (node i on core i modulo the cores)."""
    return {"cluster": {node: set(cores) for node in nodes},
            "cluster, one core": {node: {cores[0]} for node in nodes},
            "cluster, a core per node": {node: {cores[place % len(cores)]} for place, node in enumerate(nodes)}}


def served(size, seed, rounds, runs, pinned=False):
    """Serve the embedded engine and the cluster runs times each, their order alternating, on the corpus and index a
    full run left in bench/work (nothing rebuilt; the cluster's nodes started on the data they hold and pushed to,
    which sends only what changed, everything the first time); return the results. pinned: the cluster without its
    mirror, served too with its nodes on one core and one a core (placements)."""
    folder, manifest = prepare_corpus(size, seed)
    if not (folder / "index").is_dir():
        raise BenchError(f"{folder / 'index'}: no index to serve; run python -m bench.cluster --paragraphs {size}"
                         " first")
    mix = query_mix(manifest)
    with LocalCluster(folder / "cluster", mirror=not pinned) as cluster:
        layout = str(cluster.layout.path)
        log("  cluster: push (what changed since the nodes' last push)")
        pushed = asdict(run_measured([*python("indexer", "push", "--corpus", str(folder), "--cluster", layout)],
                                     BUILD_TIMEOUT_S).check("the push"))
        nodes = {node: process.pid for node, process in cluster.processes.items()}
        cores = sorted(os.sched_getaffinity(0))
        cluster_env = {"SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": layout}
        placed = placements(nodes, cores) if pinned else {"cluster": {node: set(cores) for node in nodes}}
        setups = [("embedded", {}), *((name, cluster_env) for name in placed)]
        found = []
        for run in range(runs):
            load, settings = os.getloadavg()[0], {}
            for name, env in setups[::1 - 2 * (run % 2)]:
                for node, pid in nodes.items():
                    pin([pid], placed.get(name, {}).get(node, cores))
                settings[name] = serve(folder, mix, rounds, dict(env, XDG_CACHE_HOME=str(empty_cache(folder, name))),
                                       name, nodes, first_round=True)
            found.append(dict(settings, load=(load, os.getloadavg()[0])))
        for pid in nodes.values():
            pin([pid], cores)
    return {"size": size, "reports": len(manifest), "rounds": rounds, "mix": mix, "push": pushed, "runs": found,
            "placements": {name: {node: sorted(on) for node, on in where.items()} for name, where in placed.items()}
            if pinned else {}}


def slug(name):
    """Return a setting's name as a file name: "cluster, one core" -> "cluster-one-core"."""
    return "-".join(name.replace(",", " ").split())


def empty_cache(folder, name):
    """Return an empty cache folder for one server: what either remembers on disk (a generation's plans, a push's
    answers) starts empty, so that its first round is worked out afresh."""
    cache = folder / "served-cache" / slug(name)
    shutil.rmtree(cache, ignore_errors=True)
    cache.mkdir(parents=True)
    return cache


def cpu_cell(setup, key="cpu_ms_per_request"):
    """Return the CPU per request of each process that spent some, as table text."""
    return "; ".join(f"{process} {spent:.0f}" for process, spent in setup[key].items() if spent >= 0.5)


def placement_text(where):
    """Return where a setting's nodes ran, as text: "node0 on core 0, node1 on core 1, front on core 0"."""
    if len({tuple(on) for on in where.values()}) == 1:
        on = next(iter(where.values()))
        return f"every node on core {on[0]}" if len(on) == 1 else f"every node free on cores {', '.join(map(str, on))}"
    return ", ".join(f"{node} on core{'s' if len(on) > 1 else ''} {', '.join(map(str, on))}"
                     for node, on in where.items())


def median_of(runs, name, part, key):
    """Return the median over runs of one figure of one setting: part (first_round or mix), key (p50, p95, max)."""
    return percentile([run[name][part][key] for run in runs], 0.5)


def pinned_lines(result):
    """Return the lines of the pinned-cores part of the served section: a row per run and setting, then what each
    added core buys (medians over the runs, against every node on one core)."""
    runs, placed = result["runs"], result["placements"]
    rows = [(f"{place + 1} ({run['load'][0]:.0f}–{run['load'][1]:.0f})", name, latency_triple(run[name]["first_round"]),
             cpu_cell(run[name], "first_round_cpu_ms"), latency_triple(run[name]["mix"]), cpu_cell(run[name]),
             "yes" if run[name]["totals"] == run["embedded"]["totals"] else "**no**")
            for place, run in enumerate(runs) for name in placed]
    one = "cluster, one core"
    bought = [(name, placement_text(placed[name]),
               " / ".join(ms(median_of(runs, name, "first_round", key)) for key in ("p50", "p95")),
               " / ".join(ratio(median_of(runs, one, "first_round", key), median_of(runs, name, "first_round", key))
                          for key in ("p50", "p95")),
               " / ".join(ms(median_of(runs, name, "mix", key)) for key in ("p50", "p95")),
               "; ".join(f"{process} {percentile([run[name]['first_round_cpu_ms'][process] for run in runs], 0.5):.0f}"
                         for process in runs[0][name]["first_round_cpu_ms"]))
              for name in placed]
    return [
        "**Pinned cores.** The cluster without its mirror (each shard on one node, so that a node's core is its"
        " shard's), served in each run three ways beside the embedded engine, the settings' order alternating: "
        + "; ".join(f"*{name}*: {placement_text(where)}" for name, where in placed.items())
        + " (pinned as `taskset -a -p -c` pins, every thread of the node; the web server and the client not pinned)."
        " CPU per request here is of the first round, nothing remembered: the shards' work, which a core can take.",
        "",
        markdown_table(("run (load)", "setting", "first round p50 / p95 / max", "CPU ms a request, first round",
                        "after it p50 / p95 / max", "CPU ms a request, after it", "same totals as embedded"), rows),
        "",
        "What each added core buys, medians over the runs (the first round's latencies: what the nodes work out"
        " afresh; after it the cluster answers from what it remembers per push, which no core changes):",
        "",
        markdown_table(("setting", "nodes", "first round p50 / p95", "speed-up: one core's ÷ this", "after it p50 / p95",
                        "CPU ms a request, first round"), bought),
        "",
    ]


def served_heading(result):
    """Return the heading of a served run's section (a pinned run has its own), {size} to fill in."""
    return PINNED_SECTION if result["placements"] else SERVED_SECTION


def served_section(result, context):
    """Return the section of the results file for the served runs."""
    runs, mix = result["runs"], result["mix"]
    rows = [(f"{place + 1} ({run['load'][0]:.0f}–{run['load'][1]:.0f})",
             latency_triple(run["embedded"]["first_round"]), latency_triple(run["cluster"]["first_round"]),
             latency_triple(run["embedded"]["mix"]), latency_triple(run["cluster"]["mix"]),
             f"{ratio(run['cluster']['mix']['p50'], run['embedded']['mix']['p50'])} /"
             f" {ratio(run['cluster']['mix']['p95'], run['embedded']['mix']['p95'])}",
             ratio(run["cluster"]["first_round"]["p95"], run["embedded"]["first_round"]["p95"]),
             cpu_cell(run["embedded"], "first_round_cpu_ms"), cpu_cell(run["cluster"], "first_round_cpu_ms"),
             cpu_cell(run["embedded"]), cpu_cell(run["cluster"]),
             "yes" if run["embedded"]["totals"] == run["cluster"]["totals"] else "**no**")
            for place, run in enumerate(runs)]
    queries = [(query.label, f"`{query.q}`", ", ".join(f"{k}={v}" for k, v in query.filters) or "—", query.page,
                runs[0]["embedded"]["totals"][query.key],
                " / ".join(ms(percentile([latency for run in runs
                                          for latency in run[name]["latencies_ms"][place::len(mix)]], 0.5))
                           for name in ("embedded", "cluster")))
               for place, query in enumerate(mix)]
    box = context["machine"]
    return "\n".join([
        served_heading(result).format(size=result["size"]), "",
        "The embedded engine and the cluster ("
        + ("two shard nodes and a front node: `make cluster`'s layout without its mirror" if result["placements"] else
           "`make cluster`'s layout: two shard nodes, a mirror of both, a front node")
        + f"), each served by gunicorn as `make run` serves it, in turn, on the synthetic corpus of"
        f" {result['size']:,} paragraphs ({result['reports']:,} reports) and the index a full run left; nothing"
        f" rebuilt, the cluster pushed to first ({seconds(result['push']['seconds'])}).",
        "",
        f"- Date: {context['date']}; machine: {box['cpu']}, {box['cores']} cores, {box['memory_gb']:.1f} GB; load"
        f" average (1 min) at the start and end of each run in the table"
        + (f" (above {box['cores']}: other work shared the cores, and every figure is slower for it)"
           if max(load for run in runs for load in run["load"]) > box["cores"] else ""),
        f"- Code measured: commit {context['commit']}",
        f"- Command: `{context['command']}`; wall time {context['elapsed_min']:.0f} min",
        f"- Per run: each setting's server started, its first answer, one round of the benchmark's {len(mix)}"
        " queries through GET /api/search, every facet (the first round: nothing remembered yet, in either: each server"
        " has an empty cache folder of its own), then"
        f" {result['rounds']} rounds more (after it: what each remembers, the embedded engine per generation and the"
        " cluster per push, answered from memory); the settings' order alternating by run. CPU per request: what"
        " each process spent (the web server with its workers, each search node) during the first round, and during"
        " the rounds after it, divided by their requests. The per-query medians are of the rounds after the first.",
        "",
        markdown_table(("run (load)", "first round: embedded p50 / p95 / max", "first round: cluster",
                        "after it: embedded p50 / p95 / max", "after it: cluster",
                        "after it, cluster ÷ embedded: p50 / p95", "first round, cluster ÷ embedded: p95",
                        "CPU ms a request, first round: embedded", "first round: cluster", "after it: embedded",
                        "after it: cluster", "same totals"), rows),
        "",
        markdown_table(("query kind", "q", "filters", "page", "total", "median ms over every run: embedded / cluster"),
                       queries),
        "",
        *(pinned_lines(result) if result["placements"] else []),
    ])


def rate(count, run):
    """Return count per second of a run, as text."""
    return f"{count / run['seconds']:,.0f}" if run["seconds"] else "—"


def build_cell(run, chars):
    """Return a build's wall time, characters of raw pages per second and CPU time, as table text."""
    return (f"{seconds(run['seconds'])}; {rate(chars, run)} chars/s; CPU {seconds(run['cpu_seconds'])}"
            if run.get("cpu_seconds") else f"{seconds(run['seconds'])}; {rate(chars, run)} chars/s")


def per_query_ms(latencies, mix, place):
    """Return the median latency of one query of the mix (its place in it) over the rounds, as text."""
    return ms(percentile(latencies[place::len(mix)], 0.5))


def ratio(numerator, denominator):
    """Return a ratio as table text, e.g. 3.2×."""
    return f"{numerator / denominator:.1f}×" if denominator else "—"


def summary_rows(result):
    """Return the rows of the side-by-side table: builds, queries, memory, disk, and the issue's targets."""
    embedded, cluster, peer, size, chars = (result["embedded"], result["cluster"], result["fts5"], result["size"],
                                            result["chars"])
    nodes = cluster["nodes"]
    shard_nodes = [node for node in nodes if node.startswith("node")]
    per_shard = size / len(shard_nodes)
    raw, clean, full = peer["raw"], peer["clean"], embedded["build"]
    return [
        ("Full build from the raw pages: wall; chars of raw pages/s; CPU (process tree)",
         build_cell(full, chars) + "; " + "; ".join(f"{name} {value:.0f} s" for name, value in full["stages"].items()),
         "(pushes the clean reports the rebuild wrote)",
         f"{build_cell(raw, chars)} ({raw['rows']:,} lines; optimize {seconds(raw['optimize_s'])})"),
        ("Full build: peak memory (RSS of the process tree / of the command)",
         f"{mb(full['tree_rss_mb'])} / {mb(full['peak_mb'])}", "", mb(raw["peak_mb"])),
        ("Indexing the clean reports: wall time; peak memory", "(within the full build)",
         f"{seconds(cluster['push']['seconds'])}; {mb(cluster['push']['peak_mb'])}",
         f"{seconds(clean['seconds'])} ({clean['rows']:,} paragraphs; optimize {seconds(clean['optimize_s'])});"
         f" {mb(clean['peak_mb'])}"),
        ("One report changed (`rebuild` / `push`)", seconds(embedded["changed_one"]["seconds"]),
         seconds(cluster["changed_one"]["seconds"]), "—"),
        ("Query mix p50 / p95 / max, all facets (engine and cluster: GET /api/search; FTS5: in its process)",
         latency_triple(embedded["mix"]), latency_triple(cluster["mix"]), latency_triple(peer["mix"])),
        ("First answer after start (FTS5: opening the database and answering)", seconds(embedded["first_query_s"]),
         seconds(cluster["first_query_s"]), seconds(peer["first_query_s"])),
        ("Memory after the mix: web server PSS (RSS); FTS5: its process's RSS",
         f"{mb(embedded['server_pss_mb'])} ({mb(embedded['server_rss_mb'])})",
         f"{mb(cluster['server_pss_mb'])} ({mb(cluster['server_rss_mb'])})", mb(peer["rss_mb"])),
        ("Index on disk", mb(embedded["disk_mb"]), " + ".join(f"{node} {mb(nodes[node]['disk_mb'])}" for node in nodes),
         f"{mb(clean['db_mb'])} (from the raw lines: {mb(raw['db_mb'])})"),
        ("Search node memory (RSS)", "(in the web server)",
         " + ".join(f"{node} {mb(nodes[node]['rss_mb'])}" for node in nodes), "(in its process)"),
        ("Per paragraph on one shard replica: memory / disk", "",
         " / ".join(f"{sum(nodes[n][k] for n in shard_nodes) / len(shard_nodes) * 2 ** 20 / per_shard:,.0f} B"
                    for k in ("rss_mb", "disk_mb")), ""),
        ("Full build ÷ FTS5's build from the raw lines (issue 26: ≤ 5×): wall time (CPU time, which a shared machine"
         " moves less)", f"{ratio(full['seconds'], raw['seconds'])} ({ratio(full['cpu_seconds'], raw['cpu_seconds'])})",
         "", ""),
        ("FTS5's p95 ÷ this p95 (issue 26: ≥ 20×)", ratio(peer["mix"]["p95"], embedded["mix"]["p95"]),
         ratio(peer["mix"]["p95"], cluster["mix"]["p95"]), ""),
    ]


def query_rows(result):
    """Return a row per query of the mix: its totals and median latency in each setup, and why FTS5's total differs."""
    embedded, cluster, peer, mix = result["embedded"], result["cluster"], result["fts5"], result["mix"]
    return [(query.label, f"`{query.q}`", ", ".join(f"{k}={v}" for k, v in query.filters) or "—", query.page,
             embedded["totals"][query.key], cluster["totals"][query.key], peer["totals"][query.key],
             " / ".join(per_query_ms(setup["latencies_ms"], mix, place) for setup in (embedded, cluster, peer)),
             peer["why"].get(query.key, ""))
            for place, query in enumerate(mix)]


def section(result, context):
    """Return the section of the results file for one corpus size."""
    size, box = result["size"], context["machine"]
    queries = query_rows(result)
    same = all(row[4] == row[5] for row in queries)
    differing = sum(row[4] != row[6] for row in queries)
    return "\n".join([
        SECTION.format(size=size), "",
        f"The embedded engine; the Sphinx cluster (Debian's sphinxsearch 2.2.11; `make cluster`'s layout: two shard"
        f" nodes, one mirror node holding a copy of both shards, a front node); and SQLite {result['fts5']['clean']['sqlite']}"
        f" FTS5 with the trigram tokenizer (`bench/peer.py`), the peer a user would pick for exact Chinese substring"
        f" search; on the synthetic corpus of {size:,} paragraphs ({result['reports']:,} reports,"
        f" {result['chars']:,} characters of raw pages), on one machine: every node, the web server and the"
        f" client share its {box['cores']} cores.",
        "",
        f"- Date: {context['date']}; machine: {box['cpu']}, {box['cores']} cores, {box['memory_gb']:.1f} GB;"
        f" load average (1 min) at the start and end: {context['load'][0]:.1f} and {context['load'][1]:.1f}"
        + (f" (above {box['cores']}: other work shared the cores, and every figure is slower for it)"
           if max(context["load"]) > box["cores"] else ""),
        f"- Code measured: commit {context['commit']}",
        f"- Command: `{context['command']}` (`make bench` runs it at 1,000,000 paragraphs after `bench.run`); wall"
        f" time {context['elapsed_min']:.0f} min",
        "- Builds: the embedded full rebuild cleans the raw pages and indexes them (`rebuild --timings`, stages as it"
        " reports them; CPU and memory of the process tree, bench/build.py); the cluster's push sends the clean"
        " reports that rebuild wrote, so its time leaves the cleaning out. FTS5 is built twice, each in one"
        " transaction then FTS5's `optimize`: from the lines of the raw pages as the usual setup splits them"
        " (bench/baseline.py; no cleaning, province and year from the page's top lines: the issue's own measure,"
        " the build a user without this project's cleaner would time), and from the clean paragraphs with a"
        " column per facet, the same rows and facet values as the engine's, which answer the queries.",
        f"- Query mix: the benchmark's {len(result['mix'])} queries × {result['rounds']} rounds, one client. The"
        " engine and the cluster through HTTP and JSON (the cluster's web server asks the front node, which asks a"
        " replica of each shard). FTS5 in its own process, no HTTP: per query, the matching rows with their bm25"
        " into a temporary table (every chunk of 3 characters or more by MATCH, shorter ones by LIKE, which"
        " trigrams cannot serve), the total, one `GROUP BY` per facet the API counts (paragraphs and distinct"
        " reports, each facet applying every filter but its own), and the page of 20 by bm25 with FTS5's snippets.",
        "",
        markdown_table(("measure", "embedded (Whoosh + arrays)", "cluster (2 shards, mirrored)", "SQLite FTS5 trigram"),
                       summary_rows(result)),
        "",
        "Paragraphs found by each query: the engine and the cluster "
        + ("find the same." if same else "**differ**.")
        + (" FTS5 finds what the engine finds for every query." if not differing else
           f" FTS5's total differs for {differing} of them: the last column says why, from the clean paragraphs"
           " searched by brute force as written and in the engine's searchable form.")
        + " Unquoted chunks are matched as written (`match=exact`, the default), so a query of several chunks is"
        " the AND of phrases in all three.",
        "",
        markdown_table(("query kind", "q", "filters", "page", "embedded: total", "cluster: total", "FTS5: total",
                        "median ms: embedded / cluster / FTS5", "why FTS5's total differs"), queries),
        "",
    ])


def main(argv=None):
    """Measure the embedded engine, the cluster and FTS5 side by side and write their section of the results file."""
    parser = argparse.ArgumentParser(prog="python -m bench.cluster", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--paragraphs", type=int, default=DEFAULT_PARAGRAPHS,
                        help=f"size of the synthetic corpus (default {DEFAULT_PARAGRAPHS:,})")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help=f"rounds of the query mix (default {ROUNDS})")
    parser.add_argument("--output", default=str(RESULTS_PATH), help="results file (default: %(default)s)")
    parser.add_argument("--pinned", action="store_true",
                        help="with --served: the cluster without its mirror, served also with every node on one core"
                             " and with its nodes one a core (taskset), beside the shared run")
    parser.add_argument("--served", type=int, metavar="RUNS",
                        help="only serve the embedded engine and the cluster, RUNS times each in turn, on the corpus"
                             " and index a full run left (no build, no FTS5; the cluster pushed to first)")
    argv = sys.argv[1:] if argv is None else argv
    args = parser.parse_args(argv)
    if args.paragraphs < 1 or args.rounds < 1 or (args.served is not None and args.served < 1):
        parser.error("--paragraphs, --rounds and --served must be positive")
    if args.pinned and not args.served:
        parser.error("--pinned needs --served RUNS")
    exit_on_sigterm("cluster benchmark")
    load_before, started = os.getloadavg()[0], time.perf_counter()
    try:
        result = (served(args.paragraphs, SEED, args.rounds, args.served, args.pinned) if args.served else
                  measure(args.paragraphs, SEED, args.rounds))
    except BenchError as error:
        print(f"cluster benchmark failed: {error}", file=sys.stderr)
        return 1
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load": (load_before, os.getloadavg()[0]), "commit": commit_measured(),
               "command": " ".join([".venv/bin/python -m bench.cluster", *argv]),
               "elapsed_min": (time.perf_counter() - started) / 60}
    text = served_section(result, context) if args.served else section(result, context)
    print(text)
    put_section(args.output, text, (served_heading(result) if args.served else SECTION).format(size=args.paragraphs),
                ())
    log(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
