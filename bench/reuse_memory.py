"""The reuse stage's peak memory on crowds of near-identical paragraphs, or on a built index, in one command.

    .venv/bin/python -m bench.reuse_memory [--sizes 1000,10000]
    .venv/bin/python -m bench.reuse_memory --index DIR [--segments N] [--processes N] [--log FILE]

Comparing every pair of a crowd of near-identical texts took memory quadratic in the crowd
(issue 23: 3,000 texts 2.6 GB); a crowd is now compared as stars (indexer/reuse/settings.py,
CROWD). For each size, a real index is built of that many near-identical paragraphs (one
boilerplate sentence with its number changed, PER_REPORT to a report); then its reuse stage
runs again alone in a fresh process, which reports its resident memory before the stage and
its peak (getrusage). Printed, and written to the '## Reuse stage memory' section of
bench/RESULTS.md.

With --index, the reuse stage of a full build runs again alone on the live generation of an
index folder (or a gen-... folder), left untouched: the generation is hard-linked into a
scratch folder (its arrays and sketches shared, its reuse data not) and the stage runs there
in a fresh process, on its first N segments with --segments (every paragraph live, as in a
full build), with --processes N as a rebuild gives it (indexer/index/build.py, BUILD_PROCESSES).
Its resident memory (of the stage's process and the ones it forks) is sampled from /proc every 10 ms
(and its peak read by getrusage), the step of the stage running at the peak named; its CPU time
includes its forked processes'; with every segment, the reuse data it writes is compared with the
generation's own. Printed, not written to the results file.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import shutil
import time
from pathlib import Path

from indexer.paths import PROJECT_DIR

from .measure import run_measured, when_and_where
from .run import RESULTS_PATH, commit_measured, write_section

SECTION = "## Reuse stage memory"
# How often the stage's resident memory is read alone on an index: its peaks last tens of ms.
SAMPLE_SECONDS = 0.01
# Bound on the stage alone: at 10^6 paragraphs it took a quarter of an hour on a busy machine.
STAGE_TIMEOUT_S = 4 * 3600
# The steps of the stage (functions of indexer/reuse) whose start is logged, to name the one at the peak.
STEPS = {"indexer.reuse.stage": ("sketch_segments", "live_paragraphs", "text_sketches", "near_pairs", "leaders",
                                 "spanning", "write_reuse"),
         "indexer.reuse.pairs": ("candidates", "exact_check", "leaders")}
SIZES = (1_000, 10_000)
# Paragraphs of a crowd in one report: the crowd spans reports, as boilerplate does.
PER_REPORT = 10
# The boilerplate a crowd prints, its number changed: near-identical (Jaccard 0.8-0.95) to every other.
BOILERPLATE = ("本单位认真贯彻落实上级关于法治政府建设的决策部署，第{}次召开专题会议研究依法行政工作，"
               "推动各项任务落地见效，法治政府建设取得新进展。")


def crowd_texts(count):
    """Return count distinct near-identical paragraphs (the boilerplate with numbers 1..count)."""
    return [BOILERPLATE.format(number) for number in range(1, count + 1)]


def crowd_reports(count):
    """Return Reports holding count near-identical paragraphs, PER_REPORT to a report, one issuer and year each."""
    from model.report import Paragraph, Report
    texts = crowd_texts(count)
    return [Report(report_id=f"crowd{start:06d}", title=f"第{start}号单位法治政府建设情况报告", issuer=f"第{start}号单位",
                   report_year=2020, pub_date=f"2021-01-{1 + start % 28:02d}",
                   paragraphs=[Paragraph(n=n, text=text) for n, text in enumerate(texts[start:start + PER_REPORT], 1)])
            for start in range(0, count, PER_REPORT)]


def resident_now_mb():
    """Return this process's resident memory now, in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    """Return this process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def generation(index):
    """Return the generation folder of index: its live one, or index itself when it is a gen-... folder."""
    from indexer.index.generations import current_folder
    index = Path(index)
    return index if (index / "build.json").is_file() else current_folder(index)


def logged_steps():
    """Make each of the stage's STEPS write its start (time.time()) to stderr, to tell which step a peak came in."""
    import importlib
    for module_name, names in STEPS.items():
        module = importlib.import_module(module_name)
        for name in names:
            def step(*args, _call=getattr(module, name), _name=name, **kwargs):
                """Log the step, then run it."""
                print(f"step {_name} {time.time():.2f}", file=sys.stderr, flush=True)
                return _call(*args, **kwargs)
            setattr(module, name, step)


def first_segments(count):
    """Make the reuse stage see only the first count segments of a generation."""
    from indexer.reuse import stage
    every = stage.leaves
    stage.leaves = lambda reader: every(reader)[:count]


def stage_alone(index, segments=None, steps=False, processes=1):
    """Run the reuse stage again on an index's live generation (its first segments only, when given) with up to
    processes processes; return its memory, pairs and time (in this process, CPU with its forked ones')."""
    import datasketch  # noqa: F401  (loaded before the stage: part of the baseline, not of the stage)
    import scipy.sparse  # noqa: F401
    from indexer.reuse.stage import find_reuse
    folder = generation(index)
    if segments:
        first_segments(segments)
    if steps:
        logged_steps()
    before = resident_now_mb()
    started, cpu = time.perf_counter(), cpu_seconds()
    summary = find_reuse(folder, processes=processes)
    return {"before_mb": round(before), "peak_mb": round(peak_mb()), "texts": summary.texts,
            "pairs": summary.pairs, "seconds": round(time.perf_counter() - started, 1),
            "cpu_seconds": round(cpu_seconds() - cpu, 1)}


def cpu_seconds():
    """Return the CPU time of this process and of its children ended so far (the stage's forked workers)."""
    own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + ended.ru_utime + ended.ru_stime


def linked_generation(source, scratch):
    """Hard-link a generation's files (not its reuse data, which the stage writes again) into the folder scratch."""
    shutil.rmtree(scratch, ignore_errors=True)
    shutil.copytree(source, scratch, copy_function=os.link, ignore=shutil.ignore_patterns("reuse", "*.lock"))
    return scratch


def same_reuse_data(one, other):
    """Tell whether two generations' reuse data are the same byte for byte."""
    from indexer.index.format import DATA_FILE, LAYOUT_FILE, REUSE_FOLDER
    return all((Path(one) / REUSE_FOLDER / name).read_bytes() == (Path(other) / REUSE_FOLDER / name).read_bytes()
               for name in (DATA_FILE, LAYOUT_FILE))


def step_at(stderr, moment):
    """Return the step of the stage that had started last at moment (time.time()), from the child's step lines."""
    found = "before the stage"
    for line in stderr.splitlines():
        words = line.split()
        # The stage's forked workers log their steps too: lines written at once can come interleaved.
        if len(words) == 3 and words[0] == "step" and words[2].replace(".", "", 1).isdigit():
            if float(words[2]) <= moment:
                found = words[1]
    return found


def measure_index(index, segments, log_path, processes=1):
    """Run the reuse stage alone on a copy (hard links) of an index's live generation; return what it measured."""
    source = generation(index)
    scratch = linked_generation(source, Path(tempfile.gettempdir()) / f"reuse-stage-{os.getpid()}" / source.name)
    command = [sys.executable, "-m", "bench.reuse_memory", "--stage", str(scratch), "--steps", "--processes", str(processes)]
    if segments:
        command += ["--segments", str(segments)]
    try:
        with open(log_path or os.devnull, "w", encoding="utf-8") as log:
            run = run_measured(command, STAGE_TIMEOUT_S, tree=True, every=SAMPLE_SECONDS, log=log)
        run.check(f"the reuse stage alone on {scratch}")
        found = json.loads(run.stdout.strip().splitlines()[-1])
        whole = not segments or segments >= len(list((source / "arrays").iterdir()))
        return {"index": str(source), "segments": segments or "all", "processes": processes, **found,
                "peak_sampled_mb": round(run.tree_rss_mb), "pss_sampled_mb": round(run.tree_pss_mb),
                "step_at_peak": step_at(run.stderr, run.tree_rss_at),
                "reuse_data_as_the_index's": same_reuse_data(source, scratch) if whole else None}
    finally:
        shutil.rmtree(scratch.parent, ignore_errors=True)


def measure(size, work):
    """Build an index of a crowd of size paragraphs in work, then measure its reuse stage in a fresh process."""
    from indexer.index.build import publish_reports
    index = Path(work) / f"crowd-{size}"
    publish_reports(index, crowd_reports(size))
    done = subprocess.run([sys.executable, "-m", "bench.reuse_memory", "--stage", str(index)], cwd=PROJECT_DIR,
                          capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"bench.reuse_memory: the reuse stage on {index} failed:\n{done.stderr.strip()[-2000:]}")
    return {"size": size, **json.loads(done.stdout.strip().splitlines()[-1])}


def section(results):
    """Return the results file's section of the measures."""
    rows = [f"| {r['size']:,} | {r['pairs']:,} | {r['before_mb']} MB | {r['peak_mb']} MB |"
            f" {r['peak_mb'] - r['before_mb']} MB | {r['seconds']} s |" for r in results]
    return "\n".join([
        SECTION, "",
        *when_and_where(),
        f"- Code measured: {commit_measured()}",
        f"- Command: `.venv/bin/python -m bench.reuse_memory --sizes {','.join(str(r['size']) for r in results)}`",
        f"- Corpus: one crowd of near-identical paragraphs (one boilerplate sentence, its number changed; Jaccard"
        f" 0.8-0.95 between any two), {PER_REPORT} to a report; the reuse stage of a full build run again alone in a"
        " fresh process (the build's sketches read, pairs, groups, written), its resident memory read before it and its peak by getrusage",
        "", "| near-identical texts | pairs kept | memory before the stage | peak | the stage's own | time |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |", *rows, "",
        "Before (issue 23): 1,000 such texts 0.34 GB, 3,000 2.6 GB, 5,000 out of memory under 4 GB.", ""])


def main(argv=None):
    """Measure every size, print the results and write them to the results file."""
    parser = argparse.ArgumentParser(prog="python -m bench.reuse_memory", description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="crowd sizes, comma-separated")
    parser.add_argument("--output", default=str(RESULTS_PATH), help="results file (default bench/RESULTS.md)")
    parser.add_argument("--index", help="run the stage alone on this index folder's live generation (or a gen-... folder)")
    parser.add_argument("--segments", type=int, help="with --index: only the generation's first N segments")
    parser.add_argument("--log", help="with --index: write every memory reading to this file")
    parser.add_argument("--processes", type=int, default=1, help="with --index: processes the stage may use (default 1)")
    parser.add_argument("--stage", help=argparse.SUPPRESS)  # the measured child: run the stage on this index
    parser.add_argument("--steps", action="store_true", help=argparse.SUPPRESS)  # the child logs its steps
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(stage_alone(args.stage, args.segments, args.steps, args.processes)))
        return 0
    if args.index:
        print(json.dumps(measure_index(args.index, args.segments, args.log, args.processes)))
        return 0
    with tempfile.TemporaryDirectory(prefix="reuse-memory-") as work:
        results = [measure(int(size), work) for size in args.sizes.split(",")]
    for result in results:
        print(json.dumps(result))
    write_section(args.output, section(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
