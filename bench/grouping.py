"""Results by report against results by paragraph on one synthetic index, in one command.

    .venv/bin/python -m bench.grouping [--paragraphs 30000] [--rounds 5]

Builds the index of the synthetic corpus of that many paragraphs (bench/synth.py, cached in
bench/work/ as bench.run caches it) in a temporary folder, then times every query of the usual
mix (bench/queries.py), in-process through SearchEngine.search on the embedded index, listed by
paragraph (folded, the default) and by report (group=report: every matching paragraph ordered to
place the reports), in each sort. Prints p50 / p95 / max per sort and listing.
"""
import argparse
import tempfile
from pathlib import Path

from indexer.index.build import rebuild
from search import SearchEngine
from search.params import GROUPS
from search.sorts import SORTS

from .measure import latency_summary, timings_ms, when_and_where
from .queries import query_mix
from .run import prepare_corpus


def measured(engine, mix, rounds):
    """Return {(sort, group): latency summary} of the mix's queries, each timed rounds times after a warm-up."""
    found = {}
    for sort in SORTS:
        for group in GROUPS:
            times = []
            for query in mix:
                filters = {name: [value] for name, value in query.filters}
                times += timings_ms(lambda: engine.search(query.q, filters=filters, sort=sort, page=query.page,
                                                          group=group), rounds)
            found[(sort, group)] = latency_summary(times)
    return found


def main(argv=None):
    """Build the index, time the mix both ways, print the table."""
    options = argparse.ArgumentParser(prog="python -m bench.grouping")
    options.add_argument("--paragraphs", type=int, default=30_000)
    options.add_argument("--rounds", type=int, default=5)
    options.add_argument("--seed", type=int, default=0)
    args = options.parse_args(argv)
    folder, manifest = prepare_corpus(args.paragraphs, args.seed)
    with tempfile.TemporaryDirectory() as work:
        index = Path(work) / "index"
        rebuild(folder, index, warn=lambda message: None)
        results = measured(SearchEngine(index), query_mix(manifest), args.rounds)
    print(*when_and_where(), sep="\n")
    print(f"- {args.paragraphs} synthetic paragraphs, {len(manifest)} reports; 12 queries x {args.rounds} rounds")
    print("| sort | by paragraph p50 / p95 / max (ms) | by report p50 / p95 / max (ms) |")
    print("|---|---|---|")
    for sort in SORTS:
        cells = [" / ".join(f"{results[(sort, group)][key]:.1f}" for key in ("p50", "p95", "max")) for group in GROUPS]
        print(f"| {sort} | {cells[0]} | {cells[1]} |")


if __name__ == "__main__":
    main()
