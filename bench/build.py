"""The build side of the benchmark alone: our full and repeated rebuilds, no server, no usual setup.

python -m bench.build [--sizes 10000,100000] [--output bench/RESULTS.md]

Times the same rebuilds as `python -m bench.run` (full from raw, nothing changed with and
without --if-stale, one report changed) and puts them into the '## Build side' section of
the results file, leaving the rest of the file as it was. For when the whole benchmark
would take too long, or only the indexer changed.
"""
import argparse
import os
import re
import sys
from datetime import datetime, timezone
from pathlib import Path

from .measure import machine
from .run import (DEFAULT_SIZES, RERUN_TIMEOUT_S, RESULTS_PATH, SEED, WORK_DIR, commit_measured,
                  our_rebuilds, prepare_corpus)

SECTION = "## Build side"
# Where the section goes when the file has none: before these sections, else at the end.
BEFORE_SECTIONS = ("## How it was measured", "## Load test")


def rerun_seconds(run):
    """Return a rerun's wall time as table text, saying when it was stopped at its bound."""
    return f"> {run['seconds']:.0f} s (stopped)" if run["timed_out"] else f"{run['seconds']:.2f} s"


def size_rows(size, rebuilds, chars):
    """Return the markdown table rows of one corpus size."""
    full = rebuilds["full"]
    return [f"| {size:,} | {full['seconds']:.1f} s | {chars / full['seconds']:,.0f} chars/s"
            f" | {full['peak_mb']:.0f} MB | {rerun_seconds(rebuilds['changed_one'])}"
            f" | {rerun_seconds(rebuilds['nothing_changed'])} | {rerun_seconds(rebuilds['if_stale'])} |"]


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


def section_text(rows, context):
    """Return the '## Build side' section: context, table and what each column means."""
    return "\n".join([
        *section_head(SECTION, context),
        "| paragraphs | full rebuild from raw | throughput | peak memory (main process)"
        " | one report changed (`rebuild`) | nothing changed (`rebuild`) | nothing changed (`rebuild --if-stale`) |",
        "|---|---|---|---|---|---|---|",
        *rows, "",
        "Throughput is characters of raw pages per second of the full rebuild, which starts"
        " with no index and no clean reports. Targets at 100,000 paragraphs: one report"
        " changed under 3 s, nothing changed under 1 s, throughput at least 2× the usual"
        " setup's (see its row in the tables above).", ""])


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
    main.add_argument("--output", default=str(RESULTS_PATH), help="results file (default: %(default)s)")
    args = main.parse_args(argv)
    args.sizes = counts(main, "--sizes", args.sizes)
    return args


def main(argv=None):
    """Time our rebuilds for every size and write them into the results file."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    load_before = os.getloadavg()[0]
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        folder, manifest = prepare_corpus(size, SEED)
        rebuilds = our_rebuilds(folder, manifest, RERUN_TIMEOUT_S)
        rows += size_rows(size, rebuilds, sum(entry["chars"] for entry in manifest))
        print(rows[-1], flush=True)
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load": (load_before, os.getloadavg()[0]), "commit": commit_measured(),
               "command": " ".join([".venv/bin/python -m bench.build", *argv])}
    put_section(args.output, section_text(rows, context))
    print(f"results written to {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
