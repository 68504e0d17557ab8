"""The reuse stage's peak memory on crowds of near-identical paragraphs, in one command.

    .venv/bin/python -m bench.reuse_memory [--sizes 1000,10000]

Comparing every pair of a crowd of near-identical texts took memory quadratic in the crowd
(issue 23: 3,000 texts 2.6 GB); a crowd is now compared as stars (indexer/reuse/settings.py,
CROWD). For each size, a real index is built of that many near-identical paragraphs (one
boilerplate sentence with its number changed, PER_REPORT to a report); then its reuse stage
runs again alone in a fresh process, which reports its resident memory before the stage and
its peak (getrusage). Printed, and written to the '## Reuse stage memory' section of
bench/RESULTS.md.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from indexer.paths import PROJECT_DIR

from .measure import when_and_where
from .run import RESULTS_PATH, commit_measured, write_section

SECTION = "## Reuse stage memory"
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


def stage_alone(index):
    """Run the reuse stage again on an index's live generation; return its memory, pairs and time (in this process)."""
    import datasketch  # noqa: F401  (loaded before the stage: part of the baseline, not of the stage)
    import scipy.sparse  # noqa: F401
    from indexer.index.generations import current_folder
    from indexer.reuse.stage import find_reuse
    folder = current_folder(index)
    before = resident_now_mb()
    started = time.perf_counter()
    summary = find_reuse(folder)
    return {"before_mb": round(before), "peak_mb": round(peak_mb()), "texts": summary.texts,
            "pairs": summary.pairs, "seconds": round(time.perf_counter() - started, 1)}


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
    parser.add_argument("--stage", help=argparse.SUPPRESS)  # the measured child: run the stage on this index
    args = parser.parse_args(argv)
    if args.stage:
        print(json.dumps(stage_alone(args.stage)))
        return 0
    with tempfile.TemporaryDirectory(prefix="reuse-memory-") as work:
        results = [measure(int(size), work) for size in args.sizes.split(",")]
    for result in results:
        print(json.dumps(result))
    write_section(args.output, section(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
