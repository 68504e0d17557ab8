"""Command line: python -m search QUERY [--index DIR] [--limit N|all] [--page N] [--sort S]
[--province X] [--city X] [--county X] [--township X] [--year Y|Y1-Y2] [--section S] [--json]."""
import argparse
import html
import json
import re
import sys

from indexer.paths import index_dir

from .engine import IndexMissing, SearchEngine
from .filters import DEFAULT_LIMIT, FILTER_NAMES, SORTS, BadParameter

# --limit all: every hit on one page, for export.
ALL = "all"


def plain(snippet_html):
    """Render a snippet for the terminal: marks become 【】, entities are unescaped."""
    return html.unescape(re.sub(r"</?mark>", lambda m: "】" if m.group().startswith("</") else "【", snippet_html))


def parser():
    """Return the argument parser of the search command."""
    main = argparse.ArgumentParser(prog="python -m search", description="Search the report paragraphs.")
    main.add_argument("query", metavar="QUERY", nargs="?", default="",
                      help='query text, e.g. 枫桥经验, "八五普法", 同句(法律顾问 合法性审查) region:浙江')
    main.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    main.add_argument("--limit", default=str(DEFAULT_LIMIT),
                      help=f"hits per page, 1-100 (default {DEFAULT_LIMIT}); '{ALL}' prints every hit")
    main.add_argument("--page", default="1", help="page number (default 1)")
    main.add_argument("--sort", default="relevance", help=f"order: {', '.join(SORTS)} (default relevance)")
    for name in FILTER_NAMES:
        main.add_argument(f"--{name}", action="append", metavar="X",
                          help=f"only this {name} (repeat for any of several)"
                               + ("; a year or a range like 2020-2022" if name == "year" else ""))
    main.add_argument("--json", action="store_true", help="print the results object as JSON")
    return main


def print_results(results):
    """Print a results object for people: notices, what was searched, counts, hits."""
    for notice in results["notices"]:
        print(f"注意: {notice}")
    if results["description"]:
        print(f"检索: {results['description']}")
    print(f"{results['total']} 段，{results['total_reports']} 篇报告"
          f"（第 {results['page']}/{results['pages']} 页）")
    for hit in results["hits"]:
        print(f"\n{hit['title']}  {hit['url']}\n  {plain(hit['snippet'])}")


def main(argv=None):
    """Run a search and print the hits; return the exit status."""
    args = parser().parse_args(argv)
    filters = {name: getattr(args, name) for name in FILTER_NAMES if getattr(args, name)}
    limit = None if args.limit.strip().lower() == ALL else args.limit
    try:
        results = SearchEngine(index_dir(args.index)).search(
            args.query, filters=filters, sort=args.sort, page=args.page, limit=limit)
    except BadParameter as error:
        print(f"error: --{error.name}: {error.reason}", file=sys.stderr)
        return 2
    except IndexMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print_results(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
