"""This code against an earlier version of it, query for query, on one machine in one command.

    .venv/bin/python -m bench.versus --base-code DIR --base-index I --index J --corpus C [--runs 3] [--rounds 5]

Each version serves its own index of the same corpus (an index is built by the code that
reads it; their formats may differ) from the real server (bench/server.py, gunicorn as
`make run` starts it); the two servers are started in turn, `--runs` times each,
alternating, so that a machine busy with other work slows both alike. Every run answers the
fixed query mix (bench/queries.py) `--rounds` times after a warm-up round. Printed, and
written to the '## Against an earlier version' section of bench/RESULTS.md: each version's
median of its runs' p50, p95, first answer after the start and PSS, and the ratio of this code to the base; the answers'
totals are compared, so a faster version that finds other paragraphs is caught.
"""
import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

from indexer.paths import PROJECT_DIR

from .measure import when_and_where
from .run import RESULTS_PATH, commit_measured, write_section

SECTION = "## Against an earlier version"
# The ratios reported (this ÷ earlier), by name, and the summary's figure each compares.
RATIOS = {"p50": "p50", "p95": "p95", "first_answer": "first_answer_s", "pss": "pss_mb"}


def parse_args(argv):
    """Return the command-line options."""
    parser = argparse.ArgumentParser(prog="python -m bench.versus", description=__doc__.splitlines()[0])
    parser.add_argument("--base-code", required=True, help="a checkout of the earlier version")
    parser.add_argument("--base-index", required=True, help="the corpus's index built by the earlier version")
    parser.add_argument("--index", required=True, help="the corpus's index built by this code")
    parser.add_argument("--corpus", required=True, help="the corpus folder both indexes were built from")
    parser.add_argument("--mix", help="its corpus.json manifest (default: --corpus/../corpus.json)")
    parser.add_argument("--runs", type=int, default=3, help="server runs of each version, alternating")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the query mix in each run")
    parser.add_argument("--output", default=str(RESULTS_PATH), help="results file (default bench/RESULTS.md)")
    args = parser.parse_args(argv)
    # The servers run in the project folder: paths given relative to where the command was typed are made whole.
    for name in ("base_code", "base_index", "index", "corpus", "mix"):
        if getattr(args, name):
            setattr(args, name, str(Path(getattr(args, name)).resolve()))
    return args


def one_run(code, index, args):
    """Return the numbers of one server run of one version (bench/query_path.py's JSON line)."""
    command = [sys.executable, "-m", "bench.query_path", "--index", str(index), "--corpus", str(args.corpus),
               "--code", str(code), "--rounds", str(args.rounds)]
    if args.mix:
        command += ["--mix", args.mix]
    done = subprocess.run(command, cwd=PROJECT_DIR, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench.versus: the server run of {code} on {index} failed:\n{done.stderr.strip()[-2000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def summary(runs):
    """Return the median over runs of p50 and p95 (warm rounds), in ms, of the first answer after the start, in s,
    and of the server's proportional memory (master and workers), in MB."""
    return {"p50": round(statistics.median(run["warm"]["p50"] for run in runs), 1),
            "p95": round(statistics.median(run["warm"]["p95"] for run in runs), 1),
            "first_answer_s": round(statistics.median(run["first_answer_s"] for run in runs), 2),
            "pss_mb": round(statistics.median(run["pss_mb"] for run in runs))}


def section(result, args, base_commit):
    """Return the results file's section of one comparison."""
    base, this = result["base"], result["this"]
    return "\n".join([
        SECTION, "",
        *when_and_where(),
        f"- Code measured: {commit_measured()}, against commit `{base_commit}`",
        f"- Corpus: `{args.corpus}`; each version serves its own index of it",
        f"- Command: `.venv/bin/python -m bench.versus --base-code … --runs {args.runs} --rounds {args.rounds}`",
        "", "| version | p50 ms | p95 ms | first answer s | PSS MB |", "| --- | ---: | ---: | ---: | ---: |",
        *(f"| {name} | {found['p50']} | {found['p95']} | {found['first_answer_s']} | {found['pss_mb']} |"
          for name, found in ((f"earlier `{base_commit}`", base), ("this", this))),
        f"| ratio (this ÷ earlier) | {result['ratio_p50']} | {result['ratio_p95']} | {result['ratio_first_answer']}"
        f" | {result['ratio_pss']} |", "",
        "Same totals for every query of the mix: " + ("yes." if result["same_totals"] else "**no**."), ""])


def main(argv=None):
    """Run both versions in turn, print their medians and ratios, and write them to the results file."""
    args = parse_args(argv)
    versions = {"base": (Path(args.base_code), args.base_index), "this": (PROJECT_DIR, args.index)}
    runs = {name: [] for name in versions}
    for _ in range(args.runs):
        for name, (code, index) in versions.items():
            runs[name].append(one_run(code, index, args))
    totals = {name: found[0]["totals"] for name, found in runs.items()}
    base, this = summary(runs["base"]), summary(runs["this"])
    result = {"base": base, "this": this,
              **{f"ratio_{name}": round(this[key] / base[key], 2) for name, key in RATIOS.items()},
              "same_totals": totals["base"] == totals["this"], "runs": args.runs, "rounds": args.rounds}
    print(json.dumps(result, ensure_ascii=False))
    base_commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=args.base_code,
                                 capture_output=True, text=True).stdout.strip() or "unknown"
    write_section(args.output, section(result, args, base_commit))
    return 0 if result["same_totals"] else 1


if __name__ == "__main__":
    sys.exit(main())
