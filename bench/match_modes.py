"""Unquoted terms as written (match=exact, the default) against word matching (match=words): time and totals.

    .venv/bin/python -m bench.match_modes [--paragraphs 10000] [--rounds 15] [--folder /tmp/match_modes]

Builds (once) a synthetic corpus (bench/synth.py) and its index in the folder, then searches each query of
QUERIES in both modes, alternating, in one process, and prints each mode's p50 and p95 and every query's
totals: exact must never find more than words, and need not be slower.
"""
import argparse
import statistics
import time
from pathlib import Path

from indexer.index.build import rebuild
from search import SearchEngine

from .synth import generate

# Terms a researcher types: one word, several words run together, two terms, and a term jieba keeps whole.
QUERIES = ("法治政府建设", "依法行政", "行政执法", "法律顾问", "矛盾纠纷排查", "社会治理", "法治", "行政复议 应诉", "八五普法")
MODES = ("exact", "words")


def parse_args(argv):
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.match_modes", description=__doc__.splitlines()[0])
    parser.add_argument("--paragraphs", type=int, default=10_000, help="paragraphs of the synthetic corpus")
    parser.add_argument("--rounds", type=int, default=15, help="rounds of every query in both modes")
    parser.add_argument("--folder", default="/tmp/match_modes", help="where the corpus and its index are kept")
    return parser.parse_args(argv)


def engine_over(folder, paragraphs):
    """Return a search engine over the synthetic corpus of the folder, built first when it is missing."""
    index = folder / f"index-{paragraphs}"
    if not index.exists():
        generate(folder / f"corpus-{paragraphs}" / "raw", paragraphs, seed=7)
        rebuild(folder / f"corpus-{paragraphs}", index, warn=lambda message: None)
    return SearchEngine(index)


def percentile(sorted_values, share):
    """Return the value at a share (0..1) of sorted values."""
    return sorted_values[min(len(sorted_values) - 1, int(len(sorted_values) * share))]


def measure(engine, rounds):
    """Return ({mode: [milliseconds]}, {(query, mode): total}) of every query in both modes, after a warm-up."""
    for query in QUERIES:
        for mode in MODES:
            engine.search(query, match=mode)
    times, totals = {mode: [] for mode in MODES}, {}
    for _ in range(rounds):
        for query in QUERIES:
            for mode in MODES:
                started = time.perf_counter()
                totals[(query, mode)] = engine.search(query, match=mode)["total"]
                times[mode].append((time.perf_counter() - started) * 1000)
    return times, totals


def main(argv=None):
    """Measure both modes and print their times and totals."""
    args = parse_args(argv)
    times, totals = measure(engine_over(Path(args.folder), args.paragraphs), args.rounds)
    for mode, spent in times.items():
        spent.sort()
        print(f"{mode}: p50 {statistics.median(spent):.1f} ms, p95 {percentile(spent, 0.95):.1f} ms "
              f"over {len(spent)} searches of {args.paragraphs} paragraphs")
    for query in QUERIES:
        print(f"{query}: exact {totals[(query, 'exact')]}, words {totals[(query, 'words')]}")


if __name__ == "__main__":
    main()
