"""Load test: python -m bench.load [--clients 20] [--seconds 30] [--corpus DIR].

Builds (or reuses) an index of the corpus (the seed corpus by default), starts the real
server as `make run` does (gunicorn, 2 workers, on a free port of 127.0.0.1), then runs
concurrent clients (threads, urllib) over a mix of searches through the JSON API and the
HTML pages until the deadline or the request cap. Reports requests, errors (any answer but
200, or no answer: there must be none), p50 / p95 / max latency and throughput, and
writes them to the '## Load test' section of bench/RESULTS.md. The server is always stopped.
"""
import argparse
import hashlib
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
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from indexer.index.build import build_info, is_stale, rebuild
from indexer.paths import PROJECT_DIR
from search import SearchEngine

from .measure import BenchError, exit_on_sigterm, latency_summary, machine
from .queries import PAGE_SIZE, most_common, query_mix
from .server import HOST, WORKERS, Server

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
# The clients only ever talk to the server started here.
ALLOWED_HOSTS = frozenset({HOST})
# Error messages kept for the report: the first few tell what went wrong.
ERRORS_KEPT = 5


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
    """The outcome of one load run."""

    clients: int
    seconds: float
    requests: int
    errors: int
    latency: dict
    throughput: float
    per_label: dict
    error_samples: list


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
        milliseconds, problem = fetch(base, request, timeout)
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
    return LoadResult(
        clients=clients, seconds=elapsed, requests=count, errors=sum(tally.errors.values()),
        latency=latency_summary(tally.latencies_ms), throughput=count / elapsed if elapsed else 0.0,
        per_label={label: latency_summary(values) for label, values in tally.per_label.items()},
        error_samples=[f"{problem} (×{n})" for problem, n in tally.errors.most_common(ERRORS_KEPT)],
    )


def run_load(index_dir, corpus_dir, clients, seconds, max_requests=MAX_REQUESTS, log_path=None):
    """Start the server over an index, run the clients, stop the server; return the LoadResult."""
    mix = load_mix(index_dir)
    log_path = Path(log_path or WORK_DIR / "server.log")
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with Server(index_dir, corpus_dir, log_path) as server:
        server.first_answer(mix[0].path)
        log(f"server ready at {server.base}; {clients} clients for {seconds:g} s")
        result = run_clients(server.base, mix, clients, seconds, max_requests)
        if server.process.poll() is not None:
            raise BenchError(f"the server died during the load test\n{server.log_tail()}")
    return result


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


def result_markdown(result, context):
    """Return the results of one load run as a '### Corpus …' subsection."""
    lat = result.latency
    lines = [
        f"### Corpus `{context['corpus']}`",
        "",
        f"- {context['reports']:,} reports, {context['paragraphs']:,} paragraphs",
        f"- Date: {context['date']}; load average (1 min) before and after: "
        f"{context['load'][0]:.1f} and {context['load'][1]:.1f}",
        f"- Machine: {context['machine']}",
        f"- Command: `{context['command']}`",
        f"- Server: gunicorn, {WORKERS} sync workers (`gunicorn.conf.py`), as `make run` starts it",
        "",
        "| clients | seconds | requests | errors | p50 | p95 | max | throughput |",
        "|---|---|---|---|---|---|---|---|",
        f"| {result.clients} | {result.seconds:.1f} | {result.requests:,} | **{result.errors}** |"
        f" {ms(lat['p50'])} | {ms(lat['p95'])} | {ms(lat['max'])} | {result.throughput:.0f} requests/s |",
        "",
    ]
    if result.error_samples:
        lines += ["Errors:", ""] + [f"- {sample}" for sample in result.error_samples] + [""]
    lines += ["| request kind | requests | p50 | p95 | max |", "|---|---|---|---|---|"]
    for label, summary in sorted(result.per_label.items()):
        lines.append(f"| {label} | {summary['count']:,} | {ms(summary['p50'])} | {ms(summary['p95'])}"
                     f" | {ms(summary['max'])} |")
    return "\n".join(lines) + "\n"


SECTION_INTRO = """\
`python -m bench.load [--clients 20] [--seconds 30] [--corpus DIR]` starts the server as
`make run` does on a free port of 127.0.0.1 and runs that many clients (threads, one
request at a time each, a new connection per request, 30 s timeout) for that long over a mix
of searches: the benchmark's 12 queries through `GET /api/search` (phrases, words, page 5,
province and year filters), the HTML results page (a phrase, words with a province, page 5),
`sort=newest` with a year, `同句(…)`, query fields, an unclosed quote, and a report page.
Latency is timed at the client, so it includes waiting for a free worker: with 20 clients
and 2 workers, most of it is queueing. The clients run on the same machine and take CPU
from the server. An error is any answer but 200, or none at all.
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
                      help=f"how long the clients run (default {DEFAULT_SECONDS:g})")
    main.add_argument("--corpus", help="corpus folder to index and serve (default: the seed corpus)")
    main.add_argument("--max-requests", type=int, default=MAX_REQUESTS,
                      help=f"stop after this many requests in all (default {MAX_REQUESTS:,})")
    main.add_argument("--no-write", action="store_true", help="print the results only")
    args = main.parse_args(argv)
    if args.clients < 1 or args.seconds <= 0 or args.max_requests < 1:
        main.error("--clients, --seconds and --max-requests must be positive")
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
        result = run_load(index, args.corpus, args.clients, args.seconds, args.max_requests)
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
    subsection = result_markdown(result, context)
    print(subsection)
    if not args.no_write:
        write_results(RESULTS_PATH, subsection)
        log(f"results written to {RESULTS_PATH}")
    return 1 if result.errors else 0


if __name__ == "__main__":
    sys.exit(main())
