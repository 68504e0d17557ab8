"""SQLite FTS5 with the trigram tokenizer: the peer a user would pick for exact Chinese substring search.

    python -m bench.peer build --corpus DIR --db FILE [--source clean|raw]
    python -m bench.peer query --db FILE --mix FILE [--rounds N]

build, --source clean (the default): one row per paragraph of the corpus's clean reports (DIR/clean/, which
a rebuild or `python -m indexer clean` writes), the paragraph's text as the cleaner wrote it, with the report
and one column per facet the search counts (model/registry.py: region levels, level, issuer, year, publication
year, section; the cited documents in a table beside it). The same paragraphs as the embedded engine, with the
same facet values, so that totals and facets can be compared. --source raw: the lines of the raw pages as the
usual setup splits them (bench/baseline.py: no cleaning, province from the page's top lines, year from the
title), as the issue's own measure did, for the build time a user without this project's cleaner would see;
its level is unknown without the cleaner. Either build is one transaction, then FTS5's 'optimize' (which merges
its b-trees, for faster queries), each timed.

query: each query of the mix answered as the API answers it (bench/queries.py), the way a user of FTS5 would:
every chunk of the query (a quoted phrase or a word between spaces) must occur as written, a chunk of 3
characters or more through MATCH (trigrams), a shorter one through LIKE (trigrams cannot hold it, so SQLite
scans the rows the longer chunks left, or all of them); the matching rows are kept once in a temporary table
with their bm25; from it the total, one GROUP BY per facet the API would count (each applying every filter but
its own, as search/facets.py does) and the page of 20 by bm25, whose snippets FTS5 makes. Prints one JSON line:
the first answer, each answer's time in ms in the order of the mix, the totals, the process's memory.
"""
import argparse
import json
import re
import sqlite3
import sys
import time
from collections import Counter
from pathlib import Path

from indexer.paths import clean_dir
from model.registry import BY_NAME, FACETS, deeper
from model.report import read_report
from model.text import normalize
from search.facets import shown

from .baseline import read_page, resident_mb
from .queries import PAGE_SIZE, load_mix

# The trigram tokenizer came with SQLite 3.34.0.
TRIGRAM_SINCE = (3, 34, 0)
# A chunk shorter than a trigram matches nothing through MATCH: LIKE finds it.
TRIGRAM = 3
TABLE = "paragraphs"
CITES_TABLE = "cites"
# Rows sent to SQLite per executemany, so that a 10^6-paragraph build never holds them all.
BATCH_ROWS = 5000
# Snippet: FTS5's marks, ellipsis and tokens (characters, for trigrams) around the match.
SNIPPET = ("<b>", "</b>", "…", 24)
# The columns of a table built from the raw lines: all a page tells without the cleaner.
RAW_COLUMNS = ("province", "year", "section")
# A query's chunks: a quoted phrase, or a run of characters between spaces.
CHUNK = re.compile(r'"([^"]*)"|(\S+)')


def facet_columns():
    """Return the names of the facets stored as a column of the paragraphs: every counted one of a single value."""
    return tuple(facet.name for facet in FACETS if facet.counted and not facet.several)


def several_facets():
    """Return the counted facets of several values per report (the cited documents), kept in a table beside."""
    return tuple(facet for facet in FACETS if facet.counted and facet.several)


def counted_value(facet, value):
    """Return the text a facet's value is grouped by: as is, a date by its year (as the API counts dates)."""
    if not value:
        return ""
    return str(value)[:4] if facet.tallied_apart else str(value)


def pages(corpus, source):
    """Return the files a build reads, the clean reports or the raw pages; stop naming the folder when there are none."""
    if source == "clean":
        found = sorted(clean_dir(corpus).glob("*.json"))
        hint = f"no clean reports; run `python -m indexer clean --corpus {corpus}` first"
    else:
        found = sorted((Path(corpus) / "raw").glob("*.txt"))
        hint = "no raw pages (*.txt)"
    if not found:
        raise SystemExit(f"error: {clean_dir(corpus) if source == 'clean' else Path(corpus) / 'raw'}: {hint}")
    return found


def clean_rows(paths):
    """Yield (text, report, facet values...) per paragraph of the clean reports, and the cited names per report."""
    facets = [BY_NAME[name] for name in facet_columns()]
    for path in paths:
        report = read_report(path)
        if report is None:
            print(f"warning: {path}: not a clean report, left out", file=sys.stderr)
            continue
        cited = [(report.report_id, name) for facet in several_facets()
                 for name in facet.names(facet.source.of(report))]
        for paragraph in report.paragraphs:
            fields = vars(paragraph)
            yield (paragraph.text, report.report_id,
                   *(counted_value(facet, facet.source.value(report, fields)) for facet in facets)), cited
            cited = []


def raw_rows(paths):
    """Yield (text, report, province, year, section) per line of the raw pages, split as the usual setup does."""
    for path in paths:
        _, province, year, lines = read_page(path)
        for section, line in lines:
            yield (line, path.stem, province, year, section), []


def batches(rows):
    """Yield (paragraph rows, cited rows) in batches of BATCH_ROWS paragraphs."""
    paragraphs, cited = [], []
    for row, names in rows:
        paragraphs.append(row)
        cited += names
        if len(paragraphs) == BATCH_ROWS:
            yield paragraphs, cited
            paragraphs, cited = [], []
    if paragraphs:
        yield paragraphs, cited


def check_sqlite():
    """Stop with the reason when this Python's SQLite has no trigram tokenizer."""
    if sqlite3.sqlite_version_info < TRIGRAM_SINCE:
        raise SystemExit(f"error: SQLite {sqlite3.sqlite_version} has no trigram tokenizer "
                         f"(it came with {'.'.join(map(str, TRIGRAM_SINCE))})")


def build(corpus, db, source):
    """Build the FTS5 table of a corpus into a new database file; return what was indexed and how long it took."""
    check_sqlite()
    db = Path(db)
    db.unlink(missing_ok=True)
    columns = facet_columns() if source == "clean" else RAW_COLUMNS
    rows = (clean_rows if source == "clean" else raw_rows)(pages(corpus, source))
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    unindexed = ", ".join(f"{name} UNINDEXED" for name in ("report", *columns))
    connection.execute(f"CREATE VIRTUAL TABLE {TABLE} USING fts5(text, {unindexed}, tokenize='trigram')")
    connection.execute(f"CREATE TABLE {CITES_TABLE} (report TEXT, name TEXT)")
    insert = f"INSERT INTO {TABLE} VALUES ({', '.join('?' * (len(columns) + 2))})"
    count = chars = 0
    with connection:  # one transaction
        for paragraphs, cited in batches(rows):
            connection.executemany(insert, paragraphs)
            connection.executemany(f"INSERT INTO {CITES_TABLE} VALUES (?, ?)", cited)
            count += len(paragraphs)
            chars += sum(len(row[0]) for row in paragraphs)
        connection.execute(f"CREATE INDEX {CITES_TABLE}_report ON {CITES_TABLE} (report)")
    inserted = time.perf_counter()
    with connection:
        connection.execute(f"INSERT INTO {TABLE}({TABLE}) VALUES ('optimize')")
    connection.close()
    done = time.perf_counter()
    return {"source": source, "rows": count, "chars": chars, "columns": list(columns),
            "insert_s": inserted - started, "optimize_s": done - inserted, "seconds": done - started,
            "db_mb": db.stat().st_size / 2 ** 20, "sqlite": sqlite3.sqlite_version}


def chunks(q):
    """Return the chunks of a query that must each occur as written: its quoted phrases and its words."""
    return [quoted or word for quoted, word in CHUNK.findall(q) if (quoted or word).strip()]


def fts_phrase(chunk):
    """Return a chunk as an FTS5 string (its double quotes doubled)."""
    return '"' + chunk.replace('"', '""') + '"'


def like_pattern(chunk):
    """Return a LIKE pattern finding a chunk anywhere, its wildcards escaped with a backslash."""
    return "%" + re.sub(r"([\\%_])", r"\\\1", chunk) + "%"


def condition(q):
    """Return (WHERE clause, its parameters, the MATCH expression or None) finding every chunk of a query."""
    parts = chunks(q)
    long = [part for part in parts if len(part) >= TRIGRAM]
    short = [part for part in parts if len(part) < TRIGRAM]
    match = " AND ".join(map(fts_phrase, long)) or None
    clauses = ([f"{TABLE} MATCH ?"] if match else []) + ["text LIKE ? ESCAPE '\\'"] * len(short)
    return " AND ".join(clauses) or "1", ([match] if match else []) + [like_pattern(p) for p in short], match


def where_filters(filters, leave_out=()):
    """Return (WHERE clause, parameters) keeping the hits every filter takes in, but those of the facets left out."""
    kept = [(name, value) for name, value in filters if name not in leave_out]
    clause = " AND ".join(f"{name} = ?" for name, _ in kept) or "1"
    return clause, [value for _, value in kept]


def facet_counts(connection, columns, filters):
    """Return {facet: [(value, paragraphs, reports), ...]} over the hits for each facet the API counts that the
    table holds (a table of raw lines has no level, issuer or cited documents)."""
    counts = {}
    for facet in shown(dict(filters)):
        if facet.name not in columns and not facet.several:
            continue
        clause, params = where_filters(filters, {facet.name, *(other.name for other in deeper(facet))})
        if facet.several:
            # Hits counted per report first: the join then pairs each report, not each paragraph, with its names
            # (5 times faster than COUNT(DISTINCT) over the joined paragraphs at 10^4).
            sql = (f"SELECT c.name, SUM(h.n), COUNT(*) FROM (SELECT report, COUNT(*) AS n FROM hits WHERE {clause}"
                   f" GROUP BY report) h JOIN {CITES_TABLE} c ON c.report = h.report GROUP BY c.name")
        else:
            sql = f"SELECT {facet.name}, COUNT(*), COUNT(DISTINCT report) FROM hits WHERE {clause} GROUP BY {facet.name}"
        counts[facet.name] = connection.execute(sql, params).fetchall()
    return counts


def page_of_hits(connection, query, match):
    """Return the page's hits by bm25, best first: (rowid, report, snippet)."""
    clause, params = where_filters(query.filters)
    ranked = connection.execute(f"SELECT id, report FROM hits WHERE {clause} ORDER BY score, id LIMIT ? OFFSET ?",
                                params + [PAGE_SIZE, (query.page - 1) * PAGE_SIZE]).fetchall()
    if match:
        sql = f"SELECT snippet({TABLE}, 0, ?, ?, ?, ?) FROM {TABLE} WHERE {TABLE} MATCH ? AND rowid = ?"
        return [(rowid, report, connection.execute(sql, (*SNIPPET, match, rowid)).fetchone()[0])
                for rowid, report in ranked]
    # No MATCH (every chunk shorter than a trigram): no snippet function, the text around the first chunk.
    needle = chunks(query.q)[0]
    sql = f"SELECT substr(text, max(1, instr(text, ?) - ?), ?) FROM {TABLE} WHERE rowid = ?"
    return [(rowid, report, connection.execute(sql, (needle, SNIPPET[3], 2 * SNIPPET[3], rowid)).fetchone()[0])
            for rowid, report in ranked]


def answer(connection, columns, query):
    """Answer one query of the mix: total, paragraphs and reports per facet value, the page with snippets."""
    where, params, match = condition(query.q)
    score = f"bm25({TABLE})" if match else "0"
    connection.execute("DROP TABLE IF EXISTS temp.hits")
    connection.execute(f"CREATE TEMP TABLE hits AS SELECT rowid AS id, {score} AS score, report, {', '.join(columns)}"
                       f" FROM {TABLE} WHERE {where}", params)
    clause, filter_params = where_filters(query.filters)
    total = connection.execute(f"SELECT COUNT(*) FROM hits WHERE {clause}", filter_params).fetchone()[0]
    return {"total": total, "facets": facet_counts(connection, columns, query.filters),
            "hits": page_of_hits(connection, query, match)}


def connect(db):
    """Return a connection to a peer's database and the facet columns its table holds."""
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA temp_store = MEMORY")  # the hits of each answer: never worth a file
    return connection, [row[1] for row in connection.execute(f"PRAGMA table_info({TABLE})")][2:]


def run_mix(db, mix, rounds):
    """Open the database, answer the first query, then the mix rounds times; return the timings, totals and memory."""
    check_sqlite()
    if not Path(db).is_file():
        raise SystemExit(f"error: --db {db}: no such database; build it with `python -m bench.peer build`")
    started = time.perf_counter()
    connection, columns = connect(db)
    answer(connection, columns, mix[0])
    first = time.perf_counter() - started
    latencies, totals = [], {}
    for _ in range(rounds):
        for query in mix:
            before = time.perf_counter()
            found = answer(connection, columns, query)
            latencies.append((time.perf_counter() - before) * 1000)
            totals[query.key] = found["total"]
    connection.close()
    return {"first_query_s": first, "latencies_ms": latencies, "totals": totals, "rss_mb": resident_mb()}


def explain_differences(corpus, mix, engine_totals, peer_totals):
    """Return {query key: why the peer's total differs from the engine's} for the queries where they differ.

    The clean paragraphs are searched by brute force for every chunk of the query, as written (what FTS5 matches)
    and in the searchable form on both sides (model/text.py: what the engine matches). When these counts are the
    two totals, the difference is the searchable form's: punctuation and spaces between the characters, widths and
    variants such as 答覆/答复 folded.
    """
    differing = [query for query in mix if engine_totals[query.key] != peer_totals[query.key]]
    if not differing:
        return {}
    written, folded = Counter(), Counter()
    needles = {query.key: (chunks(query.q), [normalize(chunk) for chunk in chunks(query.q)]) for query in differing}
    for path in pages(corpus, "clean"):
        report = read_report(path)
        for paragraph in report.paragraphs if report else ():
            searchable, fields = normalize(paragraph.text), vars(paragraph)
            for query in differing:
                if any(counted_value(BY_NAME[name], BY_NAME[name].source.value(report, fields)) != value
                       for name, value in query.filters):
                    continue
                as_written, as_folded = needles[query.key]
                written[query.key] += all(chunk in paragraph.text for chunk in as_written)
                folded[query.key] += all(chunk in searchable for chunk in as_folded)
    reasons = {}
    for query in differing:
        counts = f"as written in {written[query.key]:,} paragraphs, in the searchable form in {folded[query.key]:,}"
        explained = (written[query.key], folded[query.key]) == (peer_totals[query.key], engine_totals[query.key])
        reasons[query.key] = (f"{counts}: the engine folds punctuation, spaces, widths and variants (答覆/答复) away,"
                              " FTS5 matches the text as written" if explained else f"not explained ({counts})")
    return reasons


def parser_of_commands():
    """Return the argument parser of the peer's commands."""
    main = argparse.ArgumentParser(prog="python -m bench.peer", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = main.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build the FTS5 trigram table of a corpus")
    build_cmd.add_argument("--corpus", required=True)
    build_cmd.add_argument("--db", required=True, help="the database file to write (replaced)")
    build_cmd.add_argument("--source", choices=("clean", "raw"), default="clean",
                           help="the clean reports' paragraphs (default) or the raw pages' lines")
    query_cmd = commands.add_parser("query", help="answer a query mix")
    query_cmd.add_argument("--db", required=True)
    query_cmd.add_argument("--mix", required=True, help="JSON file written by bench.queries.save_mix")
    query_cmd.add_argument("--rounds", type=int, default=3)
    return main


def main(argv=None):
    """Run a peer command, printing its result as one JSON line (a missing corpus or database stops it, named)."""
    parser = parser_of_commands()
    args = parser.parse_args(argv)
    if args.command == "build":
        result = build(args.corpus, args.db, args.source)
    elif args.rounds < 1:
        parser.error(f"--rounds {args.rounds}: at least one round")
    else:
        result = run_mix(args.db, load_mix(args.mix), args.rounds)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
