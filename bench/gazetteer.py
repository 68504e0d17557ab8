"""The gazetteer: how long it takes to load and build, and to resolve a region in texts of growing length.

    .venv/bin/python -m bench.gazetteer [--rounds N]

tests/test_gazetteer.py checks what the resolver finds; here the same calls are timed: the
load from this machine's cache (what every process pays once), the build from jionlp's zip
(what a new machine or a changed gazetteer.py pays once), and resolve_region on 10,000 to
40,000 characters of a seed page, whose time should grow in step with the text (linear).
Median of --rounds rounds after a warm-up one, in ms; nothing asserted.
"""
import argparse
import pickle
import statistics
import sys

from indexer.clean import gazetteer as gazetteer_module
from indexer.paths import PROJECT_DIR

from .measure import timings_ms, when_and_where

SEED_PAGE = next((PROJECT_DIR / "corpus" / "raw").glob("001*.txt"))
ISSUER = "长沙市芙蓉区"  # the issuer the seed page names
LENGTHS = (10_000, 20_000, 40_000)


def parse_args(argv):
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.gazetteer", description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="timed rounds after the warm-up one")
    return parser.parse_args(argv)


def median_ms(call, rounds):
    """Return the median time in ms of rounds calls after a warm-up one."""
    return statistics.median(timings_ms(call, rounds))


def main(argv=None):
    """Time the gazetteer's load, build and resolving; print one line each."""
    args = parse_args(argv)
    print("\n".join(when_and_where()))
    zip_path = gazetteer_module.gazetteer_zip_path()
    gazetteer_module.gazetteer()  # the machine's cache exists from here on
    cached = gazetteer_module.cache_path(zip_path).read_bytes()
    print(f"load from the machine's cache: {median_ms(lambda: pickle.loads(cached), args.rounds):.0f} ms")
    print(f"build from {zip_path.name}: {median_ms(lambda: gazetteer_module.read_gazetteer(zip_path), args.rounds):.0f} ms")
    text = SEED_PAGE.read_text(encoding="utf-8")
    for length in LENGTHS:
        sample = (text * (length // len(text) + 1))[:length]
        took = median_ms(lambda: gazetteer_module.resolve_region(sample, strong=ISSUER), args.rounds)
        print(f"resolve_region on {length:,} characters: {took:.1f} ms")


if __name__ == "__main__":
    sys.exit(main())
