"""The build side of the benchmark alone: our full and repeated rebuilds, no server, no usual setup.

python -m bench.build [--sizes 10000,100000] [--full-only] [--base-code DIR] [--runs N]
                      [--memory-log DIR] [--output bench/RESULTS.md]

Times the same rebuilds as `python -m bench.run` (full from raw, nothing changed with and
without --if-stale, one report changed) and puts them into the '## Build side' section of
the results file, leaving the rest of the file as it was. For when the whole benchmark
would take too long, or only the indexer changed.

Every full rebuild is measured as a process tree: its CPU time (the rebuild and every
process it started and waited for) and the largest sum of resident memory over the rebuild
and all its descendants at one moment (sampled from /proc, bench/measure.py), beside the
time of each stage the rebuild reports (`rebuild --timings`). With --base-code, a checkout of
an earlier version rebuilds the same corpus in turn with this code, --runs times each,
alternating, so that a machine busy with other work slows both alike. --full-only leaves out
the reruns (at 10^6 paragraphs only the full rebuild is the question). --memory-log writes every
reading of each full rebuild's tree (time, load, the tree's RSS, each process's RSS and anonymous
part) to a file of its own in DIR, to tell which process made the peak and when.
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from indexer.paths import PROJECT_DIR

from .measure import TREE_SAMPLE_SECONDS, machine, run_measured
from .run import (DEFAULT_SIZES, FULL_BUILD_TIMEOUT_S, REBUILD_SUMMARY, RERUN_TIMEOUT_S, RESULTS_PATH, REUSE_SUMMARY,
                  SEED, WORK_DIR, commit_measured, log, prepare_corpus, reruns)

SECTION = "## Build side"
# Where the section goes when the file has none: before these sections, else at the end.
BEFORE_SECTIONS = ("## How it was measured", "## Load test")
# A full build of 10^6 paragraphs took about an hour on a busy machine before this bench measured it.
LARGE_BUILD_TIMEOUT_S = 4 * 3600
# What `rebuild --timings` writes to stderr for each stage it ran.
STAGE_LINE = re.compile(r"(?m)^stage (.+?): ([\d.]+) s$")


def rerun_seconds(run):
    """Return a rerun's wall time as table text, saying when it was stopped at its bound."""
    return f"> {run['seconds']:.0f} s (stopped)" if run["timed_out"] else f"{run['seconds']:.2f} s"


def full_rebuild(folder, code, index, timings, log_path=None):
    """Rebuild the corpus in folder from its raw pages alone with the code of a checkout; return the measured run
    (each reading of its tree's memory written to log_path when given)."""
    shutil.rmtree(index, ignore_errors=True)
    # From raw: the clean reports an earlier run left would spare the full build its cleaning.
    shutil.rmtree(folder / "clean", ignore_errors=True)
    for leftover in index.parent.glob(index.name + ".*"):
        shutil.rmtree(leftover, ignore_errors=True)
    command = [sys.executable, "-m", "indexer", "rebuild", "--corpus", str(folder), "--index", str(index)]
    load = os.getloadavg()[0]
    with open(log_path or os.devnull, "w", encoding="utf-8") as log:
        run = run_measured(command + (["--timings"] if timings else []), LARGE_BUILD_TIMEOUT_S, cwd=code,
                           tree=True, log=log).check(f"the full rebuild of {folder} by {code}")
    reuse = REUSE_SUMMARY.search(run.stdout)
    counted = REBUILD_SUMMARY.search(run.stdout)
    return {**asdict(run), "load": (load, os.getloadavg()[0]), "paragraphs": int(counted.group(2)),
            "reuse_s": float(reuse.group(4)) if reuse else None,
            "stages": {name: float(seconds) for name, seconds in STAGE_LINE.findall(run.stderr)}}


def this_codes_reruns(folder, manifest):
    """Time this code's rebuilds with nothing changed (with and without --if-stale), then with one report changed."""
    index = folder / "index"
    command = [sys.executable, "-m", "indexer", "rebuild", "--corpus", str(folder), "--index", str(index)]
    return reruns(command, folder, index, manifest, RERUN_TIMEOUT_S)


def versions(base_code):
    """Return the code measured, {name: (checkout, index folder name, whether it reports its stages)}: this, and the base when given."""
    found = {"this": (PROJECT_DIR, "index", True)}
    if base_code:
        found = {"base": (Path(base_code).resolve(), "index-base", False), **found}
    return found


def median_run(runs):
    """Return the run of median wall time among one version's runs (the first of two)."""
    return sorted(runs, key=lambda run: run["seconds"])[(len(runs) - 1) // 2]


def stage_text(run):
    """Return a run's stage times as table text (the reuse stage alone for code that reports no stages)."""
    if run["stages"]:
        return "; ".join(f"{name} {seconds:.0f} s" for name, seconds in run["stages"].items())
    return f"reuse {run['reuse_s']:.0f} s" if run["reuse_s"] is not None else ""


def full_row(size, name, runs, chars):
    """Return the table row of one version's full rebuilds of one size: the median run, with every run's wall time."""
    run = median_run(runs)
    walls = ", ".join(f"{one['seconds']:.0f}" for one in runs)
    # CPU time moves less than wall time on a shared machine: every run's, to compare versions by.
    cpus = "".join(f"; {one['cpu_seconds']:.1f}" for one in runs) if len(runs) > 1 else ""
    return (f"| {size:,} | {name} | {run['seconds']:.1f} s ({walls}) | {chars / run['seconds']:,.0f}"
            f" | {run['cpu_seconds']:.0f} s ({chars / run['cpu_seconds']:,.0f}{cpus}) | {run['tree_rss_mb']:,.0f} MB"
            f" | {run['tree_pss_mb']:,.0f} MB | {run['peak_mb']:,.0f} MB | {stage_text(run)}"
            f" | {run['load'][0]:.1f}–{run['load'][1]:.1f} |")


def rerun_row(size, found):
    """Return the table row of this code's reruns of one size."""
    return (f"| {size:,} | {rerun_seconds(found['changed_one'])} | {rerun_seconds(found['nothing_changed'])}"
            f" | {rerun_seconds(found['if_stale'])} |")


def base_commit(base_code):
    """Return the short commit of a checkout, or 'unknown'."""
    done = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=base_code, capture_output=True, text=True)
    return done.stdout.strip() or "unknown"


def section_head(heading, context):
    """Return the lines opening a section: its heading, then the date, machine, load, commit and command."""
    load, box = context["load"], context["machine"]
    return [
        heading, "",
        f"- Date: {context['date']}; machine: {box['cpu']}, {box['cores']} cores,"
        f" {box['memory_gb']:.1f} GB memory; {box['system']}; Python {box['python']}",
        f"- Load average (1 min) at the start and the end: {load[0]:.1f} and {load[1]:.1f}"
        " (above 2, other work shared the 2 cores)",
        f"- Code measured: commit {context['commit']}; command: `{context['command']}`", ""]


def counts(parser, flag, text, least=1):
    """Return the whole numbers of an option's comma-separated text, or stop with the parser's error."""
    try:
        numbers = [int(number) for number in text.split(",")]
    except ValueError:
        parser.error(f"{flag} {text!r}: give whole numbers separated by commas, e.g. 10000,100000")
    if any(number < least for number in numbers):
        parser.error(f"{flag} {text!r}: every number must be at least {least}")
    return numbers


def section_text(full_rows, rerun_rows, context):
    """Return the '## Build side' section: context, tables and what each column means."""
    base = f", against `{context['base']}` (base)" if context["base"] else ""
    lines = [
        *section_head(SECTION, {**context, "commit": context["commit"] + base}),
        "| paragraphs | code | full rebuild from raw: wall (each run) | chars/s | CPU time (chars per CPU-s; each run's CPU-s)"
        " | peak RSS, process tree | peak PSS, process tree | peak RSS, largest process | stages | load |",
        "|---|---|---|---|---|---|---|---|---|---|",
        *full_rows, ""]
    if rerun_rows:
        lines += ["| paragraphs | one report changed (`rebuild`) | nothing changed (`rebuild`)"
                  " | nothing changed (`rebuild --if-stale`) |", "|---|---|---|---|", *rerun_rows, ""]
    lines += [
        "Throughput is characters of raw pages per second of the full rebuild, which starts with no"
        " index and no clean reports. CPU time is the user and system time of the rebuild and of"
        " every process it started (writers, the page cleaner, workers), as the kernel counted it:"
        " on a shared machine it moves less than the wall time. Peak memory of the process tree is"
        " the largest sum, at one reading, of the resident (RSS) or proportional (PSS: a page"
        " shared by forked processes counted once) memory of the rebuild and all its descendants,"
        f" read from /proc every {context['sample_s']} s. Stages are those `rebuild --timings` reports;"
        " code that reports none shows its reuse stage from its summary line. Load is the 1-minute"
        " load average before and after the run. Targets at 1,000,000 paragraphs (issue 26):"
        " at least 200,000 chars/s, peak RSS of the tree at most 2 GB.", ""]
    return "\n".join(lines)


def put_section(path, section, heading=SECTION, before=BEFORE_SECTIONS):
    """Replace the section under heading ('## Build side') of the results file, or insert it before those named, keeping the rest."""
    path = Path(path)
    text = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    pattern = re.compile(rf"(?ms)^{re.escape(heading)}\n.*?(?=^## |\Z)")
    if pattern.search(text):
        text = pattern.sub(lambda match: section + "\n", text, count=1)
    else:
        place = min((text.find("\n" + name + "\n") for name in before
                     if "\n" + name + "\n" in text), default=-1)
        if place == -1:
            text = text.rstrip("\n") + "\n\n" + section
        else:
            text = text[:place + 1] + section + "\n" + text[place + 1:]
    path.write_text(text, encoding="utf-8")


def parse_args(argv):
    """Parse the command line."""
    main = argparse.ArgumentParser(prog="python -m bench.build", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--sizes", default=",".join(map(str, DEFAULT_SIZES)),
                      help="paragraph counts separated by commas (default: %(default)s)")
    main.add_argument("--full-only", action="store_true", help="only the full rebuilds, no reruns")
    main.add_argument("--base-code", help="a checkout of an earlier version, measured in turn with this code")
    main.add_argument("--runs", type=int, default=1, help="full rebuilds of each version (default: %(default)s)")
    main.add_argument("--memory-log", help="a folder: every memory reading of each full rebuild into a file there")
    main.add_argument("--output", default=str(RESULTS_PATH), help="results file (default: %(default)s)")
    args = main.parse_args(argv)
    args.sizes = counts(main, "--sizes", args.sizes)
    if args.runs < 1:
        main.error(f"--runs {args.runs}: at least one run")
    if args.base_code and not (Path(args.base_code) / "indexer").is_dir():
        main.error(f"--base-code {args.base_code}: not a checkout of this project (no indexer/ in it)")
    return args


def main(argv=None):
    """Time our rebuilds for every size and write them into the results file."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    if args.memory_log:
        Path(args.memory_log).mkdir(parents=True, exist_ok=True)
    full_rows, rerun_rows = [], []
    for size in args.sizes:
        folder, manifest = prepare_corpus(size, SEED)
        chars = sum(entry["chars"] for entry in manifest)
        measured = {name: [] for name in versions(args.base_code)}
        for run in range(args.runs):
            for name, (code, index, timings) in versions(args.base_code).items():
                log(f"[{size:,} paragraphs] full rebuild {run + 1}/{args.runs} by {name} ({code})")
                log_path = args.memory_log and Path(args.memory_log) / f"{size}-{name}-{run + 1}.log"
                measured[name].append(full_rebuild(folder, code, folder / index, timings, log_path))
        for name, runs in measured.items():
            full_rows.append(full_row(size, name, runs, chars))
            print(full_rows[-1], flush=True)
        if not args.full_only:
            # The reruns start from this code's full build, the last one made.
            rerun_rows.append(rerun_row(size, this_codes_reruns(folder, manifest)))
            print(rerun_rows[-1], flush=True)
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load": (load_before, os.getloadavg()[0]), "commit": commit_measured(),
               "base": base_commit(args.base_code) if args.base_code else None,
               "sample_s": TREE_SAMPLE_SECONDS, "command": " ".join([".venv/bin/python -m bench.build", *argv])}
    put_section(args.output, section_text(full_rows, rerun_rows, context))
    print(f"results written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
