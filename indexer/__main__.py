"""Command line: python -m indexer rebuild | push | check | arrays | clean | scrape | crawl."""
import argparse
import json
import sys
import time
from pathlib import Path

from indexer.fetch.options import CRAWL_OPTIONS, FETCH_OPTIONS
from indexer.index.build import derive_again, is_stale, rebuild
from indexer.index.buildinfo import BUILD_INFO, verify
from indexer.index.format import REBUILD_COMMAND, IndexUnusable
from indexer.index.generations import UnwritableIndex, current_folder
from indexer.clean.budget import PageCleaner
from indexer.clean.rawfile import BadPage
from indexer.clean.cache import clean_corpus
from indexer.paths import clean_dir, corpus_dir, index_dir
from indexer.progress import progress_display, timed


def run_rebuild(args):
    """Rebuild the index (or only when stale, with --if-stale) and print the summary; --backend cluster pushes."""
    if args.backend == "cluster":
        return run_push(args)
    corpus, index = corpus_dir(args.corpus), index_dir(args.index)
    try:
        if args.if_stale and not is_stale(corpus, index):
            print(f"index {index} is up to date")
            return 0
        # Progress goes to stderr: stdout keeps only the one-line summary.
        progress = progress_display(sys.stderr)
        summary = rebuild(corpus, index, full=args.full, progress=timed(progress) if args.timings else progress)
    except UnwritableIndex as error:
        print(f"rebuild: {error}", file=sys.stderr)
        return 1
    print(summary.line())
    return 0


def run_push(args):
    """Push the corpus's clean reports into a Sphinx cluster and print the summary; exit 1 when a replica was left behind."""
    from indexer.push import FrontUnmarked, push  # pymysql and the cluster's rows, only for this command
    from model.cluster.layout import BadLayout
    from model.cluster.settings import layout_path
    try:
        summary = push(corpus_dir(args.corpus), layout_path(args.cluster), full=args.full)
    except (BadLayout, FrontUnmarked) as error:
        print(f"push: {error}", file=sys.stderr)
        return 1
    print(summary.line())
    return 1 if summary.unreachable else 0


def generation_of(folder):
    """Return the generation a folder names: itself when it holds a build.json, else its live one (or None)."""
    folder = Path(folder)
    return folder if (folder / BUILD_INFO).is_file() else current_folder(folder)


def run_check(args):
    """Verify a generation's files against its record and its arrays against its Whoosh index; exit 1 on damage."""
    from indexer.index.derive import structure_problems  # numpy and Whoosh, only to read the index
    index = index_dir(args.index)
    folder = generation_of(index)
    if folder is None:
        print(f"check: no index at {index}; build it with: {REBUILD_COMMAND}", file=sys.stderr)
        return 1
    problems = [f"{folder / problem.path}: {problem.reason}" for problem in verify(folder)]
    # Only files that match their record are worth opening.
    problems = problems or structure_problems(folder)
    for line in problems:
        print(line)
    if problems:
        print(f"check: {folder} is damaged ({len(problems)} problem(s)); repair it with: {REBUILD_COMMAND}",
              file=sys.stderr)
        return 1
    print(f"{folder}: every file matches its recorded size and digest; its arrays and reuse data match its Whoosh index")
    return 0


def run_arrays(args):
    """Write the live generation's arrays again from its Whoosh index alone, as a new generation."""
    index = index_dir(args.index)
    try:
        folder = derive_again(index)
    except (IndexUnusable, UnwritableIndex) as error:
        print(f"arrays: {error}", file=sys.stderr)
        return 1
    print(f"arrays derived again from the Whoosh index into {folder}")
    return 0


def run_clean(args):
    """Clean the given files (printing them), or the whole corpus into its clean/ folder."""
    if not args.files:
        corpus = corpus_dir(args.corpus)
        summary = clean_corpus(corpus, clean_dir(corpus), warn=lambda line: print(line, file=sys.stderr))
        print(f"{summary.line()} -> {clean_dir(corpus)}")
        return 0
    failed = paragraphs = warned = 0
    started = time.monotonic()
    with PageCleaner() as cleaner:
        for path in args.files:
            try:
                report = cleaner.clean(path)
            except (BadPage, OSError) as error:
                print(f"skipped {path}: {error}", file=sys.stderr)
                failed += 1
                continue
            paragraphs += len(report.paragraphs)
            warned += bool(report.warnings)
            if args.json:
                print(json.dumps(report.to_dict(), ensure_ascii=False))
            else:
                print(f"{path}: {report.title or '(无标题)'} · {len(report.paragraphs)} paragraphs")
    cleaned = len(args.files) - failed
    # On stderr, so that stdout stays one JSON object per line.
    print(f"cleaned {cleaned} of {len(args.files)} files ({paragraphs} paragraphs,"
          f" {warned} with warnings, {failed} skipped) in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return 1 if failed and failed == len(args.files) else 0


def run_scrape(args):
    """Fetch the URLs listed in a file into the raw corpus folder, one line per URL."""
    from indexer.fetch.run import scrape_command  # Scrapy loads in half a second other commands need not wait
    return scrape_command(args.urls_file, vars(args))


def run_crawl(args):
    """Crawl report columns from their list pages into the raw corpus folder."""
    from indexer.fetch.run import crawl_command
    return crawl_command(args.start_urls, vars(args))


def number(kind, least):
    """Return an argparse type converting to kind and refusing values below least."""
    def convert(text):
        """Convert one command-line value, refusing values out of range."""
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
        if value < least:
            raise argparse.ArgumentTypeError(f"must be at least {least}: {text}")
        return value
    return convert


def add_options(command, options):
    """Add fetch options (indexer.fetch.options) to a command's parser."""
    for option in options:
        kind = option.kind if option.least is None else number(option.kind, option.least)
        default = None if option.repeat else option.default  # argparse appends to a copy of a list default
        command.add_argument(option.flag, type=kind, default=default, help=option.help_text(),
                             metavar=option.metavar, action="append" if option.repeat else "store")


def parser():
    """Return the argument parser of the indexer commands."""
    main = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("rebuild", help="rebuild the index from a corpus folder")
    build.add_argument("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
    build.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    build.add_argument("--if-stale", action="store_true",
                       help="only rebuild when the index is missing or older than the corpus")
    build.add_argument("--full", action="store_true",
                       help="re-index every report, not only the changed ones")
    build.add_argument("--timings", action="store_true",
                       help="write each stage's time to stderr when it ends (stage NAME: S s)")
    build.add_argument("--backend", choices=("embedded", "cluster"), default="embedded",
                       help="embedded: the Whoosh index (default); cluster: the same as push")
    build.add_argument("--cluster", metavar="LAYOUT", help="with --backend cluster: the cluster's layout file"
                                                           " (default: $SEARCH_CLUSTER)")
    build.set_defaults(run=run_rebuild)
    send = commands.add_parser("push", help="send the clean reports to a Sphinx cluster's shards (changed and"
                                            " removed ones only) and write its nodes' configuration")
    send.add_argument("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
    send.add_argument("--cluster", metavar="LAYOUT", help="the cluster's layout file (default: $SEARCH_CLUSTER)")
    send.add_argument("--full", action="store_true", help="send every report again")
    send.set_defaults(run=run_push)
    check = commands.add_parser("check", help="verify the live generation (or the generation folder DIR) and say"
                                              " what is wrong; exit 1 when it is damaged")
    check.add_argument("--index", metavar="DIR", help="index folder or one generation folder"
                                                      " (default: $INDEX_DIR or instance/index/)")
    check.set_defaults(run=run_check)
    arrays = commands.add_parser("arrays", help="write the live generation's arrays again from its Whoosh index")
    arrays.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    arrays.set_defaults(run=run_arrays)
    clean = commands.add_parser(
        "clean", help="print the clean report of each FILE, or clean the whole corpus into its clean/ folder")
    clean.add_argument("files", nargs="*", metavar="FILE")
    clean.add_argument("--corpus", help="corpus folder to clean when no FILE is given")
    clean.add_argument("--json", action="store_true", help="one JSON object per line")
    clean.set_defaults(run=run_clean)
    fetch = commands.add_parser("scrape", help="fetch report pages listed in a file, politely")
    fetch.add_argument("urls_file", metavar="URLS_FILE", help="one URL a line; # starts a comment")
    add_options(fetch, FETCH_OPTIONS)
    fetch.set_defaults(run=run_scrape)
    crawl = commands.add_parser(
        "crawl", help="crawl report columns: follow list pages, fetch the reports they link to")
    crawl.add_argument("start_urls", nargs="+", metavar="START_URL",
                       help="the first list page of a column (TRS, Hanweb, ?page=N or 下一页 paging)")
    add_options(crawl, CRAWL_OPTIONS)
    crawl.set_defaults(run=run_crawl)
    return main


def main(argv=None):
    """Run an indexer command and return its exit status."""
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
