"""Run the benchmark: python -m bench.run [--sizes 10000,100000] [--quick].

For each corpus size: generate (or reuse) the synthetic corpus; time our rebuilds (full,
nothing changed, one report changed) as subprocesses; start our gunicorn server and time
its first answer, the query mix through GET /api/search and its memory; then build and
query the usual Whoosh + jieba setup (bench/baseline.py) on the same corpus. Prints the
tables side by side and writes bench/RESULTS.md (--quick: bench/work/RESULTS-quick.md).
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path

from indexer.paths import PROJECT_DIR

from . import synth
from .measure import BenchError, exit_on_sigterm, latency_summary, machine, run_measured
from .queries import query_mix, save_mix
from .results import console_table, results_markdown
from .server import Server, search_path

WORK_DIR = PROJECT_DIR / "bench" / "work"
RESULTS_PATH = PROJECT_DIR / "bench" / "RESULTS.md"
QUICK_RESULTS_PATH = WORK_DIR / "RESULTS-quick.md"
DEFAULT_SIZES = (10_000, 100_000)
QUICK_SIZES = (2_000,)
SEED = 0

# Bounds on every child process. A full build of 100,000 paragraphs takes minutes.
FULL_BUILD_TIMEOUT_S = 3600
# Rebuilds whose targets are under 3 s and 1 s: past this bound they are stopped and
# reported as such, so that a product without incremental rebuilds cannot stretch the run.
RERUN_TIMEOUT_S = 120
QUERY_RUN_TIMEOUT_S = 1800
# Rounds of the query mix. The usual setup's highlights and facets slow down as the corpus
# grows (up to about a second per query at 100,000 paragraphs): fewer rounds keep the run
# bounded there.
OUR_ROUNDS = 5
USUAL_ROUNDS = 5
USUAL_ROUNDS_LARGE = 2
LARGE_CORPUS = 50_000
QUICK_ROUNDS = 2

# What "changing one report" appends to its first prose paragraph: a line this long that
# ends a sentence (headings and chrome lines are shorter or end otherwise).
CHANGE = "本段在基准测试中作了修改。"
PROSE_MIN_CHARS = 40
REBUILD_SUMMARY = re.compile(r"indexed (\d+) reports, (\d+) paragraphs")
# The reuse stage's part of a rebuild's summary line (indexer/reuse/stage.py).
REUSE_SUMMARY = re.compile(r"reuse: (\d+) near-identical pairs, (\d+) of (\d+) texts compared, ([\d.]+) s")


def log(message):
    """Tell the person running the benchmark what it is doing now."""
    print(message, file=sys.stderr, flush=True)


def generator_fingerprint():
    """Return a hash of what the synthetic corpus depends on: the generator and the seeds."""
    digest = hashlib.sha256(Path(synth.__file__).read_bytes())
    for path in sorted(synth.SEED_DIR.glob("*.txt")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def corpus_intact(raw, manifest):
    """Tell whether the raw folder holds exactly the pages of the manifest, unaltered in size."""
    files = sorted(raw.glob(synth.FILE_PATTERN))
    if [path.name for path in files] != [entry["file"] for entry in manifest]:
        return False
    return all(len(path.read_text(encoding="utf-8")) == entry["chars"]
               for path, entry in zip(files, manifest))


def prepare_corpus(size, seed):
    """Return (folder, manifest) of the synthetic corpus of size paragraphs, generating it if needed."""
    folder = WORK_DIR / f"synthetic-{size}"
    stamp = {"paragraphs": size, "seed": seed, "generator": generator_fingerprint()}
    saved_path = folder / "corpus.json"
    if saved_path.is_file():
        saved = json.loads(saved_path.read_text(encoding="utf-8"))
        if saved["stamp"] == stamp and corpus_intact(folder / "raw", saved["manifest"]):
            return folder, saved["manifest"]
    log(f"[{size}] generating the synthetic corpus")
    manifest = synth.generate(folder / "raw", size, seed)
    saved_path.write_text(json.dumps({"stamp": stamp, "manifest": manifest}, ensure_ascii=False),
                          encoding="utf-8")
    return folder, manifest


def clear_leftovers(index):
    """Remove what a stopped rebuild left beside the index (its half-built folder)."""
    for path in index.parent.glob(index.name + ".*"):
        shutil.rmtree(path, ignore_errors=True)
    if not index.is_dir():
        raise BenchError(f"{index}: a stopped rebuild left no index; run the benchmark again")


@contextmanager
def one_report_changed(path):
    """Append a sentence to the first long paragraph of a page, restoring the page afterwards."""
    original = path.read_bytes()
    lines = original.decode("utf-8").split("\n")
    target = next(i for i, line in enumerate(lines) if len(line) > PROSE_MIN_CHARS
                  and line.endswith("。"))
    lines[target] += CHANGE
    path.write_text("\n".join(lines), encoding="utf-8")
    try:
        yield
    finally:
        path.write_bytes(original)


def measured_rerun(command, what, timeout):
    """Run a rebuild that may be stopped at its bound; fail only if it fails by itself."""
    run = run_measured(command, timeout)
    if not run.timed_out:
        run.check(what)
    return asdict(run)


def our_rebuilds(folder, manifest, rerun_timeout):
    """Time our full rebuild, then rebuilds with nothing changed and with one report changed."""
    index = folder / "index"
    shutil.rmtree(index, ignore_errors=True)
    # From raw: the clean reports an earlier run left would spare the full build its cleaning.
    shutil.rmtree(folder / "clean", ignore_errors=True)
    for leftover in index.parent.glob(index.name + ".*"):
        shutil.rmtree(leftover, ignore_errors=True)
    command = [sys.executable, "-m", "indexer", "rebuild",
               "--corpus", str(folder), "--index", str(index)]
    log(f"[{len(manifest)} reports] our full rebuild")
    full = run_measured(command, FULL_BUILD_TIMEOUT_S).check("our full rebuild")
    counted = REBUILD_SUMMARY.search(full.stdout)
    return {"full": asdict(full), **reruns(command, folder, index, manifest, rerun_timeout),
            "paragraphs": int(counted.group(2)) if counted else 0}


def reruns(command, folder, index, manifest, timeout):
    """Time a rebuild command run again with nothing changed (with and without --if-stale), then with one report
    of the corpus folder changed; index is the folder it builds."""
    log("  nothing changed: rebuild --if-stale, rebuild")
    stale = measured_rerun(command + ["--if-stale"], "rebuild --if-stale", timeout)
    again = measured_rerun(command, "rebuild with nothing changed", timeout)
    clear_leftovers(index)
    log("  one report changed: rebuild")
    with one_report_changed(folder / "raw" / manifest[len(manifest) // 2]["file"]):
        changed = measured_rerun(command, "rebuild after one change", timeout)
        clear_leftovers(index)
    return {"if_stale": stale, "nothing_changed": again, "changed_one": changed}


def reuse_stage(run):
    """Return what the reuse stage of a measured rebuild said: pairs, texts compared and in all, seconds (None without)."""
    found = REUSE_SUMMARY.search(run["stdout"])
    return found and {"pairs": int(found.group(1)), "compared": int(found.group(2)), "texts": int(found.group(3)),
                      "seconds": float(found.group(4))}


def our_server(folder, mix, rounds):
    """Start our server, time its first answer, run the mix through HTTP (near-identical hits folded, then
    not), read its memory."""
    log("  our server: first answer, query mix folded and unfolded, memory")
    with Server(folder / "index", folder, folder / "server.log") as server:
        first = server.first_answer(search_path(mix[0]))
        latencies, totals = server.run_mix(mix, rounds, folds=(True, False))
        rss, pss = server.memory_mb()
    return {"first_query_s": first, "mix": latency_summary(latencies[True]), "totals": totals,
            "mix_unfolded": latency_summary(latencies[False]), "server_rss_mb": rss, "server_pss_mb": pss,
            "repeat": rounds}


def usual_setup(folder, mix_path, rounds):
    """Build the usual setup's index, then run the mix without and with facets."""
    index = folder / "usual-index"
    shutil.rmtree(index, ignore_errors=True)
    base = [sys.executable, "-m", "bench.baseline"]
    log("  usual setup: build")
    build = run_measured(base + ["build", "--corpus", str(folder), "--index", str(index)],
                         FULL_BUILD_TIMEOUT_S).check("the usual setup's build")
    result = {"build": asdict(build), "paragraphs": json.loads(build.stdout)["paragraphs"],
              "repeat": rounds}
    for name, extra in (("plain", []), ("facets", ["--facets"])):
        log(f"  usual setup: query mix ({name})")
        command = base + ["query", "--index", str(index), "--mix", str(mix_path),
                          "--repeat", str(rounds), "--started-at", repr(time.time())] + extra
        run = run_measured(command, QUERY_RUN_TIMEOUT_S).check(f"the usual setup's queries ({name})")
        answered = json.loads(run.stdout)
        result[name] = {"mix": latency_summary(answered["latencies_ms"]),
                        "first_query_s": answered["first_query_s"], "rss_mb": answered["rss_mb"],
                        "totals": answered["totals"]}
    return result


def bench_size(size, options):
    """Measure both setups on the synthetic corpus of size paragraphs; return the results."""
    folder, manifest = prepare_corpus(size, options.seed)
    mix = query_mix(manifest)
    mix_path = folder / "mix.json"
    save_mix(mix, mix_path)
    chars = sum(entry["chars"] for entry in manifest)
    ours = our_rebuilds(folder, manifest, options.rerun_timeout)
    ours["reuse"] = {name: reuse_stage(ours[name]) for name in ("full", "changed_one")}
    ours.update(our_server(folder, mix, options.rounds))
    usual_rounds = options.usual_rounds or (USUAL_ROUNDS_LARGE if size >= LARGE_CORPUS else USUAL_ROUNDS)
    usual = usual_setup(folder, mix_path, usual_rounds)
    result = {"size": size, "reports": len(manifest), "chars": chars,
              "mix": [asdict(query) for query in mix], "ours": ours, "usual": usual}
    (folder / "results.json").write_text(json.dumps(result, ensure_ascii=False, indent=1),
                                         encoding="utf-8")
    return result


PRODUCT_PATHS = ("indexer", "search", "app.py", "gunicorn.conf.py")


def commit_measured():
    """Say which commit was measured and where its product code last changed."""
    def git(*args):
        """Run a git command in the project; return its output or ""."""
        try:
            done = subprocess.run(["git", *args], cwd=PROJECT_DIR, capture_output=True,
                                  text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            return ""
        return done.stdout.strip() if done.returncode == 0 else ""
    head = git("rev-parse", "--short", "HEAD") or "unknown"
    product = git("log", "-1", "--format=%h", "--", *PRODUCT_PATHS) or "unknown"
    dirty = git("status", "--porcelain", "--", *PRODUCT_PATHS)
    return (f"`{head}`; product code ({', '.join(PRODUCT_PATHS)}) as of `{product}`"
            + (", with uncommitted changes" if dirty else ""))


def notes(options):
    """Return the How-it-was-measured section."""
    usual = options.usual_rounds or USUAL_ROUNDS
    usual_large = options.usual_rounds or USUAL_ROUNDS_LARGE
    rounds = (f"- Rounds of the mix: ours {options.rounds}; the usual setup {usual} below "
              f"{LARGE_CORPUS:,} paragraphs and {usual_large} from there on, to keep the run "
              "bounded. The first query (the start-time probe) is not part of the percentiles.")
    return f"""\
- What the profiles showed at each step, and what was changed for it: `bench/PROFILES.md`.
- Corpus: `bench.synth.generate(folder, N, seed={options.seed})`, cached in `bench/work/`
  (git-ignored) and regenerated when the generator or the seeds change. Every page's first
  line is a breadcrumb naming it synthetic, which the cleaner drops as chrome; files are
  `synthetic_<k>.txt`. Characters are those of the raw pages, chrome included, the same
  count for both setups.
- Ours: `python -m indexer rebuild --corpus C --index I` as a subprocess; wall time and peak
  resident memory from `os.wait4` of that process. The full rebuild starts with no index
  and no clean reports (`C/clean/` removed), so it cleans every page.
  Then, with nothing changed, `rebuild --if-stale` and `rebuild`; then one report changed
  (a sentence appended to one paragraph) and `rebuild`. These reruns are stopped after
  {options.rerun_timeout} s: their targets are seconds, and a product that only rebuilds in
  full would otherwise add several full builds to the run.
- Reuse: every rebuild ends with the reuse stage (near-identical paragraphs, `indexer/reuse/`),
  whose time the rebuild's summary line gives; the build without it is the rebuild's time less
  the stage's (the stage runs after indexing, alone). Each query of the mix is sent twice in a
  row to the same server, near-identical hits folded (the default, the target's measure) and not
  (`fold=0`), which goes first alternating by round.
- Server: `gunicorn --config gunicorn.conf.py --workers 2 'app:create_app()'` as `make run`
  starts it; start time is from spawning gunicorn to the first 200 answer of the first query
  of the mix. The mix goes through HTTP GET /api/search (limit 20), one request after
  another from one client, timed at the client, so HTTP and JSON are included. Filters are
  sent as `province=` and `year=` parameters: a server that does not know them ignores
  them (then its totals are those of the unfiltered query). Memory after the mix is the
  PSS summed over the master and its workers, the measure the target is judged on: a page
  the workers share with the master (jieba's dictionary, the app, the mapped arrays) counts
  once, as the machine holds it. The VmRSS sum beside it counts such a page in every process.
- Usual setup (`bench/baseline.py`): `jieba.analyse.ChineseAnalyzer` on one stored TEXT
  field, ID fields for province, year and section, one `ix.writer()` committing once;
  pages split into lines (empty lines and lines above the title dropped, no other
  cleaning); province from the page's top lines, year from the title. Queries through
  `QueryParser` with `filter=` terms; `groupedby` FieldFacets on the plain fields (not
  columns); `hit.highlights()` for every hit of the page. Build and queries run as
  subprocesses, timed in-process per query; its memory is the query process's VmRSS after
  the mix with facets; its start time is from spawning the process to its first answer.
- Quoted phrases find nothing in the usual setup: jieba's tokenizer gives character
  offsets as token positions, so Whoosh phrase queries never match; its phrase timings are
  those of empty answers. See the totals tables.
{rounds}
"""


def parse_args(argv):
    """Parse the command line."""
    main = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--sizes", help="comma-separated paragraph counts (default 10000,100000)")
    main.add_argument("--quick", action="store_true",
                      help=f"check the harness fast: {QUICK_SIZES[0]} paragraphs, {QUICK_ROUNDS} "
                           f"rounds, results to {QUICK_RESULTS_PATH.relative_to(PROJECT_DIR)}")
    main.add_argument("--seed", type=int, default=SEED, help="seed of the synthetic corpus")
    main.add_argument("--rerun-timeout", type=float, default=RERUN_TIMEOUT_S,
                      help="bound in seconds on the rebuilds after the full one "
                           f"(default {RERUN_TIMEOUT_S})")
    main.add_argument("--output", help="where to write the results (default bench/RESULTS.md)")
    args = main.parse_args(argv)
    try:
        sizes = [int(size) for size in args.sizes.split(",")] if args.sizes else None
    except ValueError:
        main.error(f"--sizes {args.sizes!r}: give paragraph counts separated by commas, "
                   "e.g. 10000,100000")
    if sizes is not None and any(size < 1 for size in sizes):
        main.error(f"--sizes {args.sizes!r}: every paragraph count must be positive")
    args.sizes = sizes or list(QUICK_SIZES if args.quick else DEFAULT_SIZES)
    args.rounds = QUICK_ROUNDS if args.quick else OUR_ROUNDS
    args.usual_rounds = QUICK_ROUNDS if args.quick else None
    default_output = QUICK_RESULTS_PATH if args.quick else RESULTS_PATH
    args.output = Path(args.output) if args.output else default_output
    return args


def sections(text):
    """Return the '## ' sections of a results text, {heading: the section's text}, in order."""
    found = {}
    for part in re.split(r"(?m)^(?=## )", text)[1:]:
        found[part.splitlines()[0]] = part.rstrip("\n") + "\n"
    return found


def write_section(path, text):
    """Put one section (its first line the heading) into the results file, replacing an earlier one."""
    path = Path(path)
    old = path.read_text(encoding="utf-8") if path.is_file() else "# Benchmark results\n"
    parts = sections(old)
    head = old[:old.find("\n## ") + 1] if parts else old.rstrip("\n") + "\n\n"
    parts[text.splitlines()[0]] = text
    path.write_text(head + "\n".join(part.rstrip("\n") + "\n" for part in parts.values()), encoding="utf-8")


def write_results(path, markdown):
    """Write the benchmark's results, keeping the sections other commands wrote (load test, versus, …)."""
    old = sections(Path(path).read_text(encoding="utf-8")) if Path(path).is_file() else {}
    ours = sections(markdown)
    kept = [text for heading, text in old.items() if heading not in ours]
    text = markdown.rstrip("\n") + "\n" + "".join("\n" + part for part in kept)
    Path(path).write_text(text, encoding="utf-8")


def main(argv=None):
    """Run the benchmark for every size, print the tables and write the results file."""
    argv = sys.argv[1:] if argv is None else argv
    options = parse_args(argv)
    exit_on_sigterm("benchmark")
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        for size in options.sizes:
            results.append(bench_size(size, options))
            print(console_table(results[-1]) + "\n", flush=True)
    except BenchError as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
               "machine": machine(), "load": (load_before, os.getloadavg()[0]),
               "commit": commit_measured(),
               "command": " ".join([".venv/bin/python -m bench.run", *argv]),
               "default_run": not argv,
               "elapsed_min": (time.perf_counter() - started) / 60}
    options.output.parent.mkdir(parents=True, exist_ok=True)
    write_results(options.output, results_markdown(results, context, notes(options)))
    log(f"results written to {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
