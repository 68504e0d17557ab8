"""Command line: python -m search QUERY [--index DIR] [--limit N|all] [--page N] [--sort S] [--group report]
[--match exact|words]
[--province X] [--city X] [--county X] [--township X] [--year Y|Y1-Y2] [--section S] [--json].

SEARCH_BACKEND=cluster with SEARCH_CLUSTER=LAYOUT searches a Sphinx cluster instead of the index."""
import argparse
import json
import sys

from indexer.paths import index_dir
from model.cluster.layout import BadLayout
from model.kinds import Dates, Years
from model.registry import BY_NAME, FACET_NAMES
from model.text import prepare_for_queries

from .engine import engine_for
from .generation import IndexMissing
from .params import (ALL, DEFAULT_LIMIT, EXACT, GROUPS, MATCH_NOTES, MAX_EXPORT_HITS, PARAGRAPH, REPORT, SORTS, WORDS,
                     BadParameter)
from .urls import with_report_urls, with_urls


def plain_snippet(hit):
    """Render a hit's snippet for the terminal: its window of the text, matches in 【】."""
    start, end = hit["snippet"]
    parts, position = ["…" if start else ""], start
    for first, last in hit["spans"]:
        first, last = max(first, start), min(last, end)
        if first < last:
            parts += [hit["text"][position:first], "【", hit["text"][first:last], "】"]
            position = last
    parts += [hit["text"][position:end], "…" if end < len(hit["text"]) else ""]
    return "".join(parts)


def parser():
    """Return the argument parser of the search command."""
    main = argparse.ArgumentParser(prog="python -m search", description="Search the report paragraphs.")
    main.add_argument("query", metavar="QUERY", nargs="?", default="",
                      help='query text, e.g. 枫桥经验, "八五普法", 同句(法律顾问 合法性审查) region:浙江')
    main.add_argument("--index", help="index folder (default: $INDEX_DIR or instance/index/)")
    main.add_argument("--limit", default=str(DEFAULT_LIMIT),
                      help=f"hits per page, 1-100 (default {DEFAULT_LIMIT}); '{ALL}' prints every hit, "
                           f"up to the first {MAX_EXPORT_HITS}")
    main.add_argument("--page", default="1", help="page number (default 1)")
    main.add_argument("--sort", default="relevance", help=f"order: {', '.join(SORTS)} (default relevance)")
    for name in FACET_NAMES:
        main.add_argument(f"--{name}", action="append", metavar="X",
                          help=f"only this {name}, {BY_NAME[name].label} (repeat for any of several)"
                               + ("; a year or a range like 2020-2022" if isinstance(BY_NAME[name], Years) else "")
                               + ("; a date, month, year or a range like 2021-01-01~2021-06-30"
                                  if isinstance(BY_NAME[name], Dates) else ""))
    main.add_argument("--group", default=PARAGRAPH,
                      help=f"what is listed: {', '.join(GROUPS)} (default {PARAGRAPH}); {REPORT} lists each report "
                           "once, with its matching paragraphs")
    main.add_argument("--match", default=EXACT,
                      help=f"{EXACT}: every unquoted term as written, a substring like a quoted phrase (default); "
                           f"{WORDS}: by its jieba words, which may lie apart (模糊)")
    main.add_argument("--no-fold", action="store_true",
                      help="show every hit (by default near-identical hits fold under their earliest)")
    main.add_argument("--json", action="store_true", help="print the results object as JSON")
    return main


def print_results(results):
    """Print a results object for people: notices, what was searched, counts, hits."""
    for notice in results["notices"]:
        print(f"注意: {notice}")
    if results["description"]:
        print(f"检索: {results['description']}")
        print(f"匹配: {MATCH_NOTES[results['match']]}")
    print(f"{results['total']} 段（{results['distinct']} 段不同文字），{results['total_reports']} 篇报告"
          f"（第 {results['page']}/{results['pages']} 页）")
    if results["group"] == REPORT:
        for row in results["hits"]:
            numbers = "、".join(map(str, row["numbers"]))
            print(f"\n{row['title']}  {row['url']}\n  匹配 {row['paragraphs']} 段：第 {numbers} 段")
            for hit in row["matches"]:
                print(f"  第 {hit['n']} 段  {plain_snippet(hit)}")
        return
    for hit in results["hits"]:
        folded = f"\n  （折叠 {hit['folded']} 条相似结果）" if hit["folded"] else ""
        print(f"\n{hit['title']}  {hit['url']}\n  {plain_snippet(hit)}{folded}")


def main(argv=None):
    """Run a search and print the hits; return the exit status."""
    args = parser().parse_args(argv)
    filters = {name: getattr(args, name) for name in FACET_NAMES if getattr(args, name)}
    prepare_for_queries()  # jieba's dictionary in milliseconds: one query is cut
    try:
        results = engine_for(index_dir(args.index)).search(
            args.query, filters=filters, sort=args.sort, page=args.page, limit=args.limit, at_most=MAX_EXPORT_HITS,
            fold=not args.no_fold, group=args.group, match=args.match)
    except BadParameter as error:
        print(f"error: --{error.name}: {error.reason}", file=sys.stderr)
        return 2
    except (IndexMissing, BadLayout) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    (with_report_urls if results["group"] == REPORT else with_urls)(results["hits"])
    if args.json:
        print(json.dumps(results, ensure_ascii=False))
    else:
        print_results(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
