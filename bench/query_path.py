"""Query path only: start the real server on a built index, run the query mix, print one JSON line.

    .venv/bin/python -m bench.query_path --index I --corpus C [--code DIR] [--rounds N]

--code runs the server from another checkout of the project (a baseline), so two versions
can be compared in one command on the same machine. Latencies: p50/p95/p99/max over all rounds
after one warm-up round; "cold" is the first round alone.
"""
import argparse
import json
import sys
from pathlib import Path

from . import server as server_module
from .measure import percentile
from .queries import query_mix
from .server import Server, search_path


def parse_args(argv):
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.query_path", description=__doc__.splitlines()[0])
    parser.add_argument("--index", required=True, help="a built index folder")
    parser.add_argument("--corpus", required=True, help="the corpus folder the index was built from")
    parser.add_argument("--code", help="project checkout to run the server from (default: this one)")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the mix after the cold one")
    parser.add_argument("--mix", help="a corpus.json manifest to derive the mix from (default: --corpus/../corpus.json)")
    return parser.parse_args(argv)


def summary(latencies):
    """Return p50, p95, p99 and max of latencies in ms, rounded."""
    return {"p50": round(percentile(latencies, 0.5), 1), "p95": round(percentile(latencies, 0.95), 1),
            "p99": round(percentile(latencies, 0.99), 1), "max": round(max(latencies), 1)}


def main(argv=None):
    """Run the mix against one server and print its numbers."""
    args = parse_args(argv)
    manifest = Path(args.mix) if args.mix else Path(args.corpus).parent / "corpus.json"
    mix = query_mix(json.loads(manifest.read_text(encoding="utf-8"))["manifest"])
    if args.code:
        server_module.PROJECT_DIR = Path(args.code)
    log = Path(args.index).parent / "query-path-server.log"
    with Server(args.index, args.corpus, log) as server:
        first = server.first_answer(search_path(mix[0]))
        cold = server.run_mix(mix, 1)[0][True]
        warm, totals = server.run_mix(mix, args.rounds)
        warm = warm[True]
        rss, pss = server.memory_mb()
    print(json.dumps({"code": str(args.code or "this checkout"), "first_answer_s": round(first, 2),
                      "cold": summary(cold), "warm": summary(warm), "rss_mb": round(rss),
                      "pss_mb": round(pss), "totals": list(totals.values())}, ensure_ascii=False))


if __name__ == "__main__":
    sys.exit(main())
