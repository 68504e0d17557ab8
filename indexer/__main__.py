"""Command line: python -m indexer rebuild | clean | scrape."""
import argparse
import json
import sys
import time
from pathlib import Path

from indexer.fetch import politeness
from indexer.index.build import is_stale, rebuild
from indexer.clean.budget import PageCleaner
from indexer.clean.rawfile import BadPage
from indexer.clean.cache import clean_corpus
from indexer.paths import clean_dir, corpus_dir, index_dir
from indexer.progress import progress_display


def run_rebuild(args):
    """Rebuild the index (or only when stale, with --if-stale) and print the summary."""
    corpus, index = corpus_dir(args.corpus), index_dir(args.index)
    if args.if_stale and not is_stale(corpus, index):
        print(f"index {index} is up to date")
        return 0
    # Progress goes to stderr: stdout keeps only the one-line summary.
    summary = rebuild(corpus, index, full=args.full, progress=progress_display(sys.stderr))
    print(summary.line())
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
    from indexer.fetch import scrape  # requests loads in a tenth of a second that other commands need not wait
    try:
        urls = scrape.read_url_file(args.urls_file)
    except (OSError, UnicodeDecodeError) as error:
        print(f"scrape: cannot read URL list {args.urls_file}: {error}", file=sys.stderr)
        return 2
    if not urls:
        print(f"scrape: no URLs in {args.urls_file} (one URL a line, # for comments)",
              file=sys.stderr)
        return 1
    out = Path(args.out) if args.out else corpus_dir() / "raw"
    scraper = scrape.Scraper(out, delay=args.delay, timeout=args.timeout,
                             max_bytes=args.max_bytes, retries=args.retries)
    summary = scraper.run(urls, show=lambda line: print(line, flush=True))
    print(summary.line(out))
    return 1 if summary.all_failed() else 0


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
    build.set_defaults(run=run_rebuild)
    clean = commands.add_parser(
        "clean", help="print the clean report of each FILE, or clean the whole corpus into its clean/ folder")
    clean.add_argument("files", nargs="*", metavar="FILE")
    clean.add_argument("--corpus", help="corpus folder to clean when no FILE is given")
    clean.add_argument("--json", action="store_true", help="one JSON object per line")
    clean.set_defaults(run=run_clean)
    fetch = commands.add_parser("scrape", help="fetch report pages listed in a file, politely")
    fetch.add_argument("urls_file", metavar="URLS_FILE", help="one URL a line; # starts a comment")
    fetch.add_argument("--out", help="folder for pages and sidecars (default: $CORPUS_DIR/raw)")
    fetch.add_argument("--delay", type=number(float, 0), default=politeness.DEFAULT_DELAY,
                       help="seconds between requests to one host (default: %(default)s)")
    fetch.add_argument("--timeout", type=number(float, 0.1), default=politeness.DEFAULT_TIMEOUT,
                       help="connect and read timeout in seconds (default: %(default)s)")
    fetch.add_argument("--max-bytes", type=number(int, 1), default=politeness.DEFAULT_MAX_BYTES,
                       help="skip pages larger than this (default: %(default)s)")
    fetch.add_argument("--retries", type=number(int, 0), default=politeness.DEFAULT_RETRIES,
                       help="extra attempts after a timeout or 5xx (default: %(default)s)")
    fetch.set_defaults(run=run_scrape)
    return main


def main(argv=None):
    """Run an indexer command and return its exit status."""
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
