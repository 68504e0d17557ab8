"""Command line: python -m indexer rebuild | clean."""
import argparse
import json
import sys

from .build import is_stale, rebuild
from .clean import BadPage, clean_file
from .paths import corpus_dir, index_dir


def run_rebuild(args):
    """Rebuild the index (or only when stale, with --if-stale) and print the summary."""
    corpus, index = corpus_dir(args.corpus), index_dir(args.index)
    if args.if_stale and not is_stale(corpus, index):
        print(f"index {index} is up to date")
        return 0
    summary = rebuild(corpus, index)
    print(summary.line())
    return 0


def run_clean(args):
    """Clean the given files, printing each report as one JSON line."""
    failed = 0
    for path in args.files:
        try:
            report = clean_file(path)
        except (BadPage, OSError) as error:
            print(f"skipped {path}: {error}", file=sys.stderr)
            failed += 1
            continue
        if args.json:
            print(json.dumps(report.to_dict(), ensure_ascii=False))
        else:
            print(f"{path}: {report.title or '(无标题)'} · {len(report.paragraphs)} paragraphs")
    return 1 if failed and failed == len(args.files) else 0


def parser():
    """Return the argument parser of the indexer commands."""
    main = argparse.ArgumentParser(prog="python -m indexer", description=__doc__)
    commands = main.add_subparsers(dest="command", required=True)
    build = commands.add_parser("rebuild", help="rebuild the index from a corpus folder")
    build.add_argument("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
    build.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    build.add_argument("--if-stale", action="store_true",
                       help="only rebuild when the index is missing or older than the corpus")
    build.set_defaults(run=run_rebuild)
    clean = commands.add_parser("clean", help="print the clean report of each file")
    clean.add_argument("files", nargs="+", metavar="FILE")
    clean.add_argument("--json", action="store_true", help="one JSON object per line")
    clean.set_defaults(run=run_clean)
    return main


def main(argv=None):
    """Run an indexer command and return its exit status."""
    args = parser().parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
