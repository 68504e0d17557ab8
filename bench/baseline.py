"""The usual Whoosh + jieba setup, built and queried the way tutorials do it, for comparison.

One stored TEXT field analysed by jieba.analyse.ChineseAnalyzer, plain ID fields for the
facets, one writer with no extra processes committing once, QueryParser queries, groupedby
facets over the plain fields and hit.highlights() snippets. Pages are split into lines with
no cleaning beyond dropping empty lines and what stands above the title.

    python -m bench.baseline build --corpus DIR --index DIR
    python -m bench.baseline query --index DIR --mix FILE [--repeat N] [--facets] [--started-at T]
"""
import argparse
import json
import re
import sys
import time
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema
from whoosh.qparser import QueryParser
from whoosh.query import And, Term
from whoosh.sorting import FieldFacet

from .queries import PAGE_SIZE, load_mix

# Province-level names a page's top lines (title, 来源, 发布机构) may carry.
PROVINCES = (
    "北京市", "天津市", "河北省", "山西省", "内蒙古自治区", "辽宁省", "吉林省", "黑龙江省", "上海市",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省",
    "广西壮族自治区", "海南省", "重庆市", "四川省", "贵州省", "云南省", "西藏自治区", "陕西省",
    "甘肃省", "青海省", "宁夏回族自治区", "新疆维吾尔自治区", "台湾省", "香港特别行政区",
    "澳门特别行政区",
)
# Only the top of a page names the issuer.
HEADER_LINES = 12
TITLE_WORD = "报告"
YEAR = re.compile(r"(20\d\d)年")
SECTION_HEADING = re.compile(r"^[一二三四五六七八九十]+、\s*(.+)$")
FACET_FIELDS = ("province", "year", "section")
CONTENT = "content"


def usual_schema():
    """Return the usual schema: jieba-analysed stored text and plain metadata fields."""
    # jieba.analyse loads its keyword tables on import (about a second): only a build needs it.
    from jieba.analyse import ChineseAnalyzer
    return Schema(
        report_id=ID(stored=True), n=NUMERIC(stored=True), title=STORED(),
        content=TEXT(analyzer=ChineseAnalyzer(), stored=True),
        province=ID(stored=True), year=ID(stored=True), section=ID(stored=True),
    )


def read_page(path):
    """Return (title, province, year, [(section, line), ...]) of a raw page, split into lines."""
    lines = [line.strip() for line in Path(path).read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    title = next((line for line in lines[:HEADER_LINES] if TITLE_WORD in line), "")
    body = lines[lines.index(title) + 1:] if title else lines
    header = lines[:HEADER_LINES]
    province = next((name for line in header for name in PROVINCES if name in line), "")
    year = YEAR.search(title)
    section, paragraphs = "", []
    for line in body:
        heading = SECTION_HEADING.match(line)
        if heading:
            section = heading.group(1)
        paragraphs.append((section, line))
    return title, province, year.group(1) if year else "", paragraphs


def build(corpus, index_dir):
    """Index every raw page of a corpus folder with one writer; return the counts."""
    raw = Path(corpus) / "raw" if (Path(corpus) / "raw").is_dir() else Path(corpus)
    Path(index_dir).mkdir(parents=True, exist_ok=True)
    ix = whoosh_index.create_in(str(index_dir), usual_schema())
    writer = ix.writer()
    reports = paragraphs = 0
    for path in sorted(raw.glob("*.txt")):
        title, province, year, lines = read_page(path)
        for n, (section, text) in enumerate(lines, start=1):
            writer.add_document(report_id=path.stem, n=n, title=title, content=text,
                                province=province, year=year, section=section)
        reports += 1
        paragraphs += len(lines)
    writer.commit()
    return {"reports": reports, "paragraphs": paragraphs}


def answer(searcher, parser, query, facets):
    """Run one query of the mix the usual way and return its total and page of snippets."""
    parsed = parser.parse(query.q)
    chosen = And([Term(name, value) for name, value in query.filters]) if query.filters else None
    options = {"groupedby": [FieldFacet(name) for name in FACET_FIELDS]} if facets else {}
    page = searcher.search_page(parsed, query.page, pagelen=PAGE_SIZE, filter=chosen, **options)
    counts = {name: page.results.groups(name) for name in FACET_FIELDS} if facets else {}
    snippets = [hit.highlights(CONTENT) for hit in page]
    return page.total, snippets, counts


def resident_mb():
    """Return this process's resident memory in MB, from /proc."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None


def run_mix(index_dir, mix, repeat, facets, started_at=None):
    """Open the index, run the mix repeat times and return the timings and memory."""
    ix = whoosh_index.open_dir(str(index_dir))
    parser = QueryParser(CONTENT, ix.schema)
    latencies, totals = [], {}
    with ix.searcher() as searcher:
        first = time.perf_counter()
        answer(searcher, parser, mix[0], facets)
        first_query_s = (time.time() - started_at) if started_at else time.perf_counter() - first
        for _ in range(repeat):
            for query in mix:
                started = time.perf_counter()
                total, _, _ = answer(searcher, parser, query, facets)
                latencies.append((time.perf_counter() - started) * 1000)
                totals[query.key] = total
    return {"first_query_s": first_query_s, "latencies_ms": latencies, "totals": totals,
            "rss_mb": resident_mb()}


def parser_of_commands():
    """Return the argument parser of the baseline commands."""
    main = argparse.ArgumentParser(prog="python -m bench.baseline", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="index a corpus the usual way")
    build_cmd.add_argument("--corpus", required=True)
    build_cmd.add_argument("--index", required=True)
    query_cmd = commands.add_parser("query", help="run a query mix the usual way")
    query_cmd.add_argument("--index", required=True)
    query_cmd.add_argument("--mix", required=True, help="JSON file written by bench.queries.save_mix")
    query_cmd.add_argument("--repeat", type=int, default=5)
    query_cmd.add_argument("--facets", action="store_true", help="group by province, year, section")
    query_cmd.add_argument("--started-at", type=float, help="time.time() when the process was started")
    return main


def main(argv=None):
    """Run a baseline command, printing its result as one JSON line."""
    args = parser_of_commands().parse_args(argv)
    if args.command == "build":
        if not Path(args.corpus).is_dir():
            print(f"error: --corpus {args.corpus}: no such folder", file=sys.stderr)
            return 2
        result = build(args.corpus, args.index)
    else:
        if not whoosh_index.exists_in(args.index):
            print(f"error: --index {args.index}: no index there", file=sys.stderr)
            return 2
        result = run_mix(args.index, load_mix(args.mix), args.repeat, args.facets, args.started_at)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
