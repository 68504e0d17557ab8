"""Load test: python -m bench.load [--clients 20] [--seconds 30] [--corpus DIR | --paragraphs N] [--mixes …].

Builds (or reuses) an index of the corpus (the seed corpus by default, or a synthetic one of
N paragraphs), starts the real server as `make run` does (gunicorn, 2 workers, on a free
port of 127.0.0.1), then runs concurrent clients (threads, urllib) until the deadline or
the request cap, over each mix in turn: `search`, searches through the JSON API and the
HTML pages; `slow`, the same with 50 slow clients trickling header bytes beside them
(bench/slow.py); `exports`, the same with 15% of the requests full CSV or JSON exports.
Reports requests, errors (any answer but 200, or no answer: there must be none), p50 / p95
/ max latency of the searches (and of the exports), throughput, and how each mix's search
p95 compares with the search mix's; writes them to the '## Load test' section of
bench/RESULTS.md. The server is always stopped.
"""
import argparse
import hashlib
import runpy
import http.client
import itertools
import os
import re
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from indexer.index.build import build_info, is_stale, rebuild
from indexer.paths import PROJECT_DIR
from search import SearchEngine

from .measure import BenchError, exit_on_sigterm, latency_summary, machine
from .queries import PAGE_SIZE, most_common, query_mix
from .server import HOST, WORKERS, Server
from .slow import SlowClients

WORK_DIR = PROJECT_DIR / "bench" / "work" / "load"
RESULTS_PATH = PROJECT_DIR / "bench" / "RESULTS.md"
SEED_CORPUS = PROJECT_DIR / "corpus"
SECTION = "## Load test"

DEFAULT_CLIENTS = 20
DEFAULT_SECONDS = 30.0
# Bounds: on the whole run's requests (20 clients answered in 5 ms each would send some
# 4,000 a second), on one request, and on the clients' wait for the server to start.
MAX_REQUESTS = 200_000
REQUEST_TIMEOUT_S = 30.0
# An export may wait its turn on the server (web/export.py: EXPORT_WAIT_SECONDS) before it streams.
EXPORT_TIMEOUT_S = 120.0
# The clients only ever talk to the server started here.
ALLOWED_HOSTS = frozenset({HOST})
# Error messages kept for the report: the first few tell what went wrong.
ERRORS_KEPT = 5
# The mixes, in the order they run: the first is the one the others are compared with.
MIXES = ("search", "slow", "exports")
MIX_NAMES = {"search": "searches", "slow": "searches + slow clients", "exports": "searches + exports"}
# Slow clients beside the searches in the `slow` mix, and the share of full exports in `exports`.
SLOW_CLIENTS = 50
EXPORT_SHARE = 0.15
# A full export: the query most paragraphs of a synthetic corpus hold.
EXPORT_QUERY = "法治"
EXPORT_LABEL = "export"
# A mix's search p95 may be at most this many times the search mix's (issue 13).
P95_TARGET_RATIO = 2.0
# Seconds the slow clients have to connect before the measured clients start.
SLOW_START_S = 1.0


@dataclass(frozen=True)
class Request:
    """One request of the load mix: what it exercises, and its path on the server."""

    label: str
    path: str


@dataclass
class Tally:
    """What the clients saw: a latency per request, and the requests that failed."""

    latencies_ms: list = field(default_factory=list)
    per_label: dict = field(default_factory=dict)
    errors: Counter = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, label, milliseconds, problem):
        """Record one request's latency, and its problem when it failed."""
        with self.lock:
            self.latencies_ms.append(milliseconds)
            self.per_label.setdefault(label, []).append(milliseconds)
            if problem:
                self.errors[problem] += 1


@dataclass
class LoadResult:
    """The outcome of one load run: all requests, and the searches and exports apart."""

    clients: int
    seconds: float
    requests: int
    errors: int
    latency: dict
    throughput: float
    per_label: dict
    error_samples: list
    searches: dict = None
    exports: dict = None
    mix: str = "search"
    slow: dict = None


def is_export(label):
    """Tell whether a request kind of the mix is an export."""
    return label.startswith(EXPORT_LABEL)


def log(message):
    """Tell the person running the load test what it is doing now."""
    print(message, file=sys.stderr, flush=True)


def api_path(q, filters=(), page=1, sort=None):
    """Return a GET /api/search path."""
    params = [("q", q), ("limit", PAGE_SIZE), ("page", page), *filters]
    return "/api/search?" + urllib.parse.urlencode(params + ([("sort", sort)] if sort else []))


def page_path(q, filters=(), page=1):
    """Return a GET /search path (the HTML results page)."""
    return "/search?" + urllib.parse.urlencode([("q", q), ("page", page), *filters])


def index_facts(index_dir):
    """Return the live generation's reports as the (province, year, id) the mix is built from."""
    facts = [{"region": {"province": report["region"]["province"]}, "year": report["report_year"] or "",
              "id": report["report_id"]}
             for report in sorted(SearchEngine(index_dir).overview()["reports"], key=lambda r: r["report_id"])]
    if not facts:
        raise BenchError(f"the index at {index_dir} holds no reports")
    return facts


def load_mix(index_dir):
    """Return the load mix: the benchmark's query mix, its HTML pages, and a few more kinds."""
    facts = index_facts(index_dir)
    mix = [Request(query.label, api_path(query.q, query.filters, query.page))
           for query in query_mix(facts)]
    province, year = most_common((f["region"]["province"], str(f["year"])) for f in facts)
    report_id = facts[len(facts) // 2]["id"]
    mix += [
        Request("page: phrase", page_path('"枫桥经验"')),
        Request("page: words + province", page_path("法律顾问 合法性审查", [("province", province)])),
        Request("page: page 5", page_path("法治政府建设", page=5)),
        Request("sort newest + year", api_path("行政执法", [("year", year)], sort="newest")),
        Request("same sentence", api_path("同句(法律顾问 合法性审查)")),
        Request("fields in the query", api_path(f"region:{province[:2]} year:{year} section:存在问题")),
        Request("unclosed quote, notice", api_path('"依法行政')),
        Request("report page", f"/report/{urllib.parse.quote(report_id, safe='')}?"
                               + urllib.parse.urlencode({"q": "法治"})),
    ]
    return mix


def with_exports(mix, share=EXPORT_SHARE):
    """Return the mix with full exports (JSON and CSV in turn) making up share of its requests."""
    exports = [Request(f"{EXPORT_LABEL}: {kind}", f"/export.{kind}?" + urllib.parse.urlencode({"q": EXPORT_QUERY}))
               for kind in ("json", "csv")]
    cycle, wanted = 100, round(share * 100)
    searches = itertools.cycle(mix)
    # Evenly spaced: request k is an export when the running count of exports steps up.
    return [exports[(k * wanted // cycle) % 2] if (k + 1) * wanted // cycle > k * wanted // cycle
            else next(searches) for k in range(cycle)]


def fetch(base, request, timeout):
    """GET one request of the mix; return (milliseconds, problem or None)."""
    url = base + request.path
    if urllib.parse.urlsplit(url).hostname not in ALLOWED_HOSTS:
        raise BenchError(f"refusing to load {url}: the load test only talks to {sorted(ALLOWED_HOSTS)}")
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            problem = None if response.status == 200 else f"HTTP {response.status} for {request.label}"
    except urllib.error.HTTPError as error:
        problem = f"HTTP {error.code} for {request.label}"
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as error:
        # Refused, reset or timed out; a broken answer; a path that cannot be sent.
        problem = f"{type(error).__name__} for {request.label}: {error}"
    return (time.perf_counter() - started) * 1000, problem


def client_loop(base, mix, offset, deadline, tickets, tally, timeout):
    """Send the mix round and round from offset until the deadline or the last ticket."""
    for step in itertools.count():
        if time.perf_counter() >= deadline or next(tickets) >= 0:
            return
        request = mix[(offset + step) % len(mix)]
        milliseconds, problem = fetch(base, request, EXPORT_TIMEOUT_S if is_export(request.label) else timeout)
        tally.add(request.label, milliseconds, problem)


def run_clients(base, mix, clients, seconds, max_requests, timeout=REQUEST_TIMEOUT_S):
    """Run the clients against a started server; return the LoadResult."""
    tally = Tally()
    # Tickets count up from -max_requests: a client stops on the first non-negative one.
    # next() on an itertools.count is atomic under the GIL, so no two clients share a ticket.
    tickets = itertools.count(-max_requests)
    started = time.perf_counter()
    deadline = started + seconds
    threads = [threading.Thread(target=client_loop, name=f"load-client-{n}", daemon=True,
                                args=(base, mix, n * len(mix) // clients, deadline, tickets, tally, timeout))
               for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        # A client ends at the deadline plus at most one request.
        thread.join(timeout=seconds + timeout + 5)
    elapsed = time.perf_counter() - started
    count = len(tally.latencies_ms)
    split = {kind: [ms for label, values in tally.per_label.items() if is_export(label) == kind for ms in values]
             for kind in (False, True)}
    return LoadResult(
        clients=clients, seconds=elapsed, requests=count, errors=sum(tally.errors.values()),
        latency=latency_summary(tally.latencies_ms), throughput=count / elapsed if elapsed else 0.0,
        per_label={label: latency_summary(values) for label, values in tally.per_label.items()},
        error_samples=[f"{problem} (×{n})" for problem, n in tally.errors.most_common(ERRORS_KEPT)],
        searches=latency_summary(split[False]), exports=latency_summary(split[True]),
    )


def run_load(index_dir, corpus_dir, clients, seconds, max_requests=MAX_REQUESTS, log_path=None,
             mixes=("search",), slow_clients=SLOW_CLIENTS, export_share=EXPORT_SHARE):
    """Start the server over an index, run the clients over each mix in turn, stop the server.

    Returns the LoadResult of each mix, in order.
    """
    mix = load_mix(index_dir)
    log_path = Path(log_path or WORK_DIR / "server.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    results = []
    with Server(index_dir, corpus_dir, log_path) as server:
        server.first_answer(mix[0].path)
        port = urllib.parse.urlsplit(server.base).port
        for name in mixes:
            requests = with_exports(mix, export_share) if name == "exports" else mix
            slow = SlowClients(HOST, port, slow_clients) if name == "slow" else nullcontext()
            log(f"server ready at {server.base}; mix {name!r}: {clients} clients for {seconds:g} s"
                + (f" beside {slow_clients} slow clients" if name == "slow" else ""))
            with slow:
                if name == "slow":
                    time.sleep(SLOW_START_S)
                result = run_clients(server.base, requests, clients, seconds, max_requests)
            result.mix, result.slow = name, (slow.tally.summary() if name == "slow" else None)
            results.append(result)
            if server.process.poll() is not None:
                raise BenchError(f"the server died during the load test\n{server.log_tail()}")
    return results


def corpus_index(corpus):
    """Return the index folder of a corpus, built or brought up to date first."""
    key = hashlib.sha1(str(Path(corpus).resolve()).encode()).hexdigest()[:10]
    index = WORK_DIR / f"index-{Path(corpus).resolve().name}-{key}"
    if is_stale(corpus, index):
        log(f"building the index of {corpus} in {index}")
        summary = rebuild(corpus, index, warn=log)
        log(summary.line())
    return index


def corpus_size(index_dir):
    """Return (reports, paragraphs) of the live generation."""
    info = build_info(index_dir)
    return info["reports"], info["paragraphs"]


def ms(value):
    """Format a latency in milliseconds."""
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def corpus_name(corpus):
    """Return how a corpus folder is named in the results: relative to the project when inside it."""
    resolved = Path(corpus).resolve()
    try:
        return str(resolved.relative_to(PROJECT_DIR))
    except ValueError:
        return str(resolved)


def server_settings():
    """Return the worker class and threads per worker that gunicorn.conf.py sets."""
    settings = runpy.run_path(str(PROJECT_DIR / "gunicorn.conf.py"))
    return settings.get("worker_class", "sync"), settings.get("threads", 1)


def ratio_text(result, baseline):
    """Return how a mix's search p95 compares with the search mix's, and whether it meets the target."""
    if result is baseline or not (result.searches and baseline.searches):
        return "—"
    ratio = result.searches["p95"] / baseline.searches["p95"]
    met = ratio <= P95_TARGET_RATIO and not result.errors
    return f"{ratio:.2f}× ({'**met**' if met else '**not met**'})"


def mix_row(result, baseline):
    """Return the summary table row of one mix."""
    searches, exports = result.searches, result.exports
    searched = (f"{searches['count']:,} | {ms(searches['p50'])} | {ms(searches['p95'])} | {ms(searches['max'])}"
                if searches else "0 | — | — | —")
    exported = f"{exports['count']:,} ({ms(exports['p50'])}, {ms(exports['p95'])})" if exports else "—"
    return (f"| {MIX_NAMES.get(result.mix, result.mix)} | {result.clients} | {result.seconds:.1f} |"
            f" **{result.errors}** | {searched} | {exported} | {result.throughput:.0f} requests/s |"
            f" {ratio_text(result, baseline)} |")


def result_markdown(results, context):
    """Return the results of one load run (its mixes) as a '### Corpus …' subsection."""
    worker_class, threads = server_settings()
    baseline = results[0]
    lines = [
        f"### Corpus `{context['corpus']}`",
        "",
        f"- {context['reports']:,} reports, {context['paragraphs']:,} paragraphs",
        f"- Date: {context['date']}; load average (1 min) before and after: "
        f"{context['load'][0]:.1f} and {context['load'][1]:.1f}",
        f"- Machine: {context['machine']}",
        f"- Command: `{context['command']}`",
        f"- Server: gunicorn, {WORKERS} workers of `{worker_class}` with {threads} threads each"
        " (`gunicorn.conf.py`), as `make run` starts it",
        "",
        "| mix | clients | seconds | errors | searches | search p50 | search p95 | search max"
        " | full exports (p50, p95) | throughput | search p95 vs searches alone (target ≤ 2×, 0 errors) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
        *(mix_row(result, baseline) for result in results),
        "",
    ]
    for result in results:
        if result.slow:
            slow = result.slow
            lines += [f"Slow clients ({MIX_NAMES[result.mix]}): {slow['opened']:,} connections opened,"
                      f" {slow['answered_408']:,} cut off with a 408 after the header deadline,"
                      f" {slow['closed']:,} closed otherwise, {slow['refused']:,} refused.", ""]
        if result.error_samples:
            lines += [f"Errors ({MIX_NAMES.get(result.mix, result.mix)}):", ""]
            lines += [f"- {sample}" for sample in result.error_samples] + [""]
    lines += [f"Request kinds of the {MIX_NAMES.get(baseline.mix, baseline.mix)} mix:", "",
              "| request kind | requests | p50 | p95 | max |", "|---|---|---|---|---|"]
    for label, summary in sorted(baseline.per_label.items()):
        lines.append(f"| {label} | {summary['count']:,} | {ms(summary['p50'])} | {ms(summary['p95'])}"
                     f" | {ms(summary['max'])} |")
    return "\n".join(lines) + "\n"


SECTION_INTRO = """\
`python -m bench.load [--clients 20] [--seconds 30] [--corpus DIR | --paragraphs N] [--mixes search,slow,exports]`
starts the server as `make run` does on a free port of 127.0.0.1 and runs that many clients
(threads, one request at a time each, a new connection per request, 30 s timeout) for that
long over each mix in turn. `search`: the benchmark's 12 queries through `GET /api/search`
(phrases, words, page 5, province and year filters), the HTML results page (a phrase, words
with a province, page 5), `sort=newest` with a year, `同句(…)`, query fields, an unclosed
quote, and a report page. `slow`: the same beside 50 slow clients, each holding a connection
by sending a header byte a second and never ending its headers, connecting again whenever
the server cuts it off (`bench/slow.py`). `exports`: the same with 15% of the requests full
exports of `q=法治` (most paragraphs), JSON and CSV in turn, each read to its end.
Latency is timed at the client, so it includes waiting for a free worker: with 20 clients
and 2 workers, most of it is queueing. The clients run on the same machine and take CPU
from the server. An error is any answer but 200 (a 503 for a busy export included), or none
at all. Search latencies leave the exports out; the last column compares each mix's search
p95 with the search mix's (issue 13: within 2×, with no error). A corpus whose table has no
mix column was measured before the mixes existed, on 2 sync workers, and keeps that table
until it is measured again.
"""


def write_results(path, subsection):
    """Put a corpus's subsection into the '## Load test' section of the results file.

    The subsection of the same corpus is replaced where it stands; other corpora's stay,
    and so does everything outside the section.
    """
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    heading = subsection.splitlines()[0]
    start = text.find("\n" + SECTION + "\n")
    if start == -1:
        before, parts, rest = text.rstrip("\n") + "\n\n", [], ""
    else:
        after = text.find("\n## ", start + 1)
        after = len(text) if after == -1 else after + 1
        before, rest = text[:start + 1], text[after:]
        parts = re.split(r"(?m)^(?=### )", text[start + 1:after])[1:]
    parts = [part.rstrip("\n") + "\n" for part in parts]
    headings = [part.splitlines()[0] for part in parts]
    if heading in headings:
        parts[headings.index(heading)] = subsection
    else:
        parts.append(subsection)
    section = f"{SECTION}\n\n{SECTION_INTRO}\n" + "\n".join(parts)
    path.write_text(before + section + ("\n" + rest if rest else ""), encoding="utf-8")


def parse_args(argv):
    """Parse the command line."""
    main = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--clients", type=int, default=DEFAULT_CLIENTS,
                      help=f"concurrent clients (default {DEFAULT_CLIENTS})")
    main.add_argument("--seconds", type=float, default=DEFAULT_SECONDS,
                      help=f"how long the clients run, per mix (default {DEFAULT_SECONDS:g})")
    where = main.add_mutually_exclusive_group()
    where.add_argument("--corpus", help="corpus folder to index and serve (default: the seed corpus)")
    where.add_argument("--paragraphs", type=int,
                       help="serve the synthetic corpus of this many paragraphs (bench/synth.py, cached in bench/work/)")
    main.add_argument("--mixes", default="search",
                      help=f"comma-separated mixes to run in turn, of {', '.join(MIXES)} (default: search)")
    main.add_argument("--slow-clients", type=int, default=SLOW_CLIENTS,
                      help=f"slow clients in the slow mix (default {SLOW_CLIENTS})")
    main.add_argument("--export-share", type=float, default=EXPORT_SHARE,
                      help=f"share of full exports in the exports mix (default {EXPORT_SHARE:g})")
    main.add_argument("--max-requests", type=int, default=MAX_REQUESTS,
                      help=f"stop after this many requests in all, per mix (default {MAX_REQUESTS:,})")
    main.add_argument("--no-write", action="store_true", help="print the results only")
    args = main.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.max_requests < 1 or args.slow_clients < 1:
        main.error("--clients, --seconds, --slow-clients and --max-requests must be positive")
    if not 0 < args.export_share < 1:
        main.error("--export-share must be between 0 and 1")
    args.mixes = [name.strip() for name in args.mixes.split(",") if name.strip()]
    unknown = sorted(set(args.mixes) - set(MIXES))
    if unknown or not args.mixes:
        main.error(f"--mixes: unknown {', '.join(unknown) or 'empty list'}; choose among {', '.join(MIXES)}")
    if args.paragraphs is not None:
        if args.paragraphs < 1:
            main.error("--paragraphs must be positive")
        from .run import SEED, prepare_corpus  # the benchmark's own corpus cache
        args.corpus, _ = prepare_corpus(args.paragraphs, SEED)
    args.corpus = Path(args.corpus) if args.corpus else SEED_CORPUS
    if not args.corpus.is_dir():
        main.error(f"--corpus {args.corpus}: no such folder")
    return args


def main(argv=None):
    """Run the load test once and print (and record) its results; exit status 1 on any error."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    exit_on_sigterm("load test")
    load_before = os.getloadavg()[0]
    try:
        index = corpus_index(args.corpus)
        results = run_load(index, args.corpus, args.clients, args.seconds, args.max_requests,
                           mixes=args.mixes, slow_clients=args.slow_clients, export_share=args.export_share)
    except BenchError as error:
        print(f"load test failed: {error}", file=sys.stderr)
        return 1
    reports, paragraphs = corpus_size(index)
    box = machine()
    context = {
        "corpus": corpus_name(args.corpus), "reports": reports, "paragraphs": paragraphs,
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "load": (load_before, os.getloadavg()[0]),
        "machine": f"{box['cpu']}, {box['cores']} cores, {box['memory_gb']:.1f} GB; {box['system']};"
                   f" Python {box['python']}",
        "command": " ".join([".venv/bin/python -m bench.load", *argv]),
    }
    subsection = result_markdown(results, context)
    print(subsection)
    if not args.no_write:
        write_results(RESULTS_PATH, subsection)
        log(f"results written to {RESULTS_PATH}")
    return 1 if any(result.errors for result in results) else 0


if __name__ == "__main__":
    sys.exit(main())
