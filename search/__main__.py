"""Command line: python -m search QUERY [--index DIR] [--limit N] [--json]."""
import argparse
import json
import re
import sys

from indexer.paths import index_dir

from .engine import IndexMissing, SearchEngine


def plain(snippet_html):
    """Render a snippet for the terminal: marks become 【】, entities are unescaped."""
    import html
    return html.unescape(re.sub(r"</?mark>", lambda m: "】" if m.group().startswith("</") else "【", snippet_html))


def parser():
    """Return the argument parser of the search command."""
    main = argparse.ArgumentParser(prog="python -m search", description="Search the report paragraphs.")
    main.add_argument("query", metavar="QUERY")
    main.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    main.add_argument("--limit", type=int, default=20, help="hits per page (default 20)")
    main.add_argument("--page", type=int, default=1, help="page number (default 1)")
    main.add_argument("--json", action="store_true", help="print the results object as JSON")
    return main


def main(argv=None):
    """Run a search and print the hits; return the exit status."""
    args = parser().parse_args(argv)
    try:
        results = SearchEngine(index_dir(args.index)).search(args.query, args.limit, args.page)
    except IndexMissing as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
        return 0
    for notice in results["notices"]:
        print(f"注意: {notice}")
    print(f"{results['total']} 段")
    for hit in results["hits"]:
        print(f"\n{hit['title']}  {hit['url']}\n  {plain(hit['snippet'])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
