"""Executing a Plan on the cluster's front node into the results object search/execute.py returns.

One batch asks the front node, under the plan's query and filters, for the matches per shard
(paragraphs and reports), the count of every facet shown (each under every filter but its own
and those below it, as search/facets.py counts them) and, when the page is known, the page of
hits in the plan's order; a title search's reports, or a whole result, come in a second batch
once their number is known. The hits are shaped by search/execute.py's shape_hit, their marks
found by search/spans.py in the paragraph's text, exactly as the embedded engine marks them.
A shard that did not answer is named in a notice and in `missing`: the answer is partial, and says so.
"""
import json
import math
import threading
import time
from types import SimpleNamespace

import numpy as np

from model.jsonfile import read_json
from model.report import FIRST_YEAR, LAST_YEAR, Report
from model.text import normalize
from search import facets
from search.columns import Coded
from search.execute import NO_REUSE_FIELDS, empty_results, shape_hit
from model.kinds import MOST_VALUES, Classes, FromParagraph, Named
from search.nodes import TITLE, Contains, Everything
from search.parse import FIELDS
from model.registry import BY_NAME, FACETS, SECTION, deeper

from model.cluster.rows import value_code
from .match import condition, group_column, match_query, text_filters
from model.cluster.schema import PARAGRAPHS, REPORTS, VALUES

# Groups a facet's count keeps at first: Sphinx allocates room for max_matches rows per statement
# (100,000 cost 70 ms a statement here), so each facet asks for about as many as it has values;
# a facet that fills its room is asked again with four times as much.
MIN_GROUPS = 32
MORE_GROUPS = 4
# Values per facet are counted again after this long (a push adds values).
CAPS_TTL_S = 30
# Sphinx's rank of a paragraph, plus this for a heading (as HEADING_BOOST does in the embedded engine).
HEADING_WEIGHT = 500
ORDERS = {
    "relevance": "score DESC, newest DESC, report_id ASC, n ASC",
    "newest": "newest DESC, report_id ASC, n ASC",
    "oldest": "oldest ASC, report_id ASC, n ASC",
}
HIT_COLUMNS = ("id", "report", "n", "heading", "section", "report_id", "body", "path",
               f"WEIGHT() + heading * {HEADING_WEIGHT} AS score")


def class_names(facet):
    """Return {code: class} of a facet of classes: the search core codes them as documents.py does."""
    return {value_code(facet.name, value): value for value in facet.ordered_by}


SECTION_NAMES = class_names(SECTION)


class Query:
    """What every statement of one plan shares: its full-text query, its filter conditions, a report it is limited to."""

    def __init__(self, plan, report=None):
        parts = [match_query(plan.compiled.match)] if plan.compiled.match is not None else []
        parts += text_filters(plan.choices)
        self.match = " ".join(parts)
        if "'" in self.match or "\\" in self.match:
            raise ValueError("a cluster query holds only spelled tokens and operators")
        self.conditions = {name: expr for name, choice in plan.choices.items()
                           if (expr := condition(BY_NAME[name], choice)) is not None}
        self.report = report

    def select(self, columns, without=(), tail=""):
        """Return a SELECT of columns from the paragraphs under the query and every condition but those without."""
        kept = {name: expr for name, expr in self.conditions.items() if name not in without}
        listed = [*columns, *(f"{expr} AS f_{name}" for name, expr in kept.items())]
        where = [f"MATCH('{self.match}')"] if self.match else []
        where += [f"f_{name}=1" for name in kept]
        where += [f"report={self.report}"] if self.report is not None else []
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"SELECT {', '.join(listed)} FROM {PARAGRAPHS}{clause} {tail}".strip()


def counted_by(query, column, without=(), cap=MIN_GROUPS):
    """Return the statement counting paragraphs and distinct reports per value of a column."""
    return query.select((column, "COUNT(*)", "COUNT(DISTINCT report)"), without,
                        f"GROUP BY {column} LIMIT {cap} OPTION max_matches={cap}")


def page_statement(plan, query, offset, count, title_scope):
    """Return the statement of one page of hits in the plan's order (a title search: one row per report)."""
    grouping = "GROUP BY report WITHIN GROUP ORDER BY n ASC " if title_scope else ""
    columns = HIT_COLUMNS + (("COUNT(*) AS paragraphs",) if title_scope else ())
    needed = max(offset + count, 1)
    return query.select(columns, tail=f"{grouping}ORDER BY {ORDERS[plan.sort]} LIMIT {offset}, {max(count, 1)}"
                                      f" OPTION max_matches={needed}")


def one_document(report, section):
    """Return the facet columns of one paragraph, as search/facets.py's selects() reads them."""
    found = {}
    for facet in FACETS:
        value = section if isinstance(facet.source, FromParagraph) else facet.source.of(report)
        if hasattr(facet, "number"):
            found[facet.name] = Coded(np.array([facet.number(value)], np.int64))
        else:
            found[facet.name] = Coded(np.array([0], np.int64), [value or ""])
    return SimpleNamespace(facets=found)


def holds_for(report, section):
    """Return holds(node) of one hit: whether a node that is not about its text selects it (search/spans.py asks)."""
    columns = one_document(report, section)
    title = normalize(report.title)

    def holds(node):
        """Tell whether the node selects this paragraph."""
        if isinstance(node, Everything):
            return True
        if isinstance(node, Contains) and node.scope == TITLE:
            return node.norm in title
        return bool(facets.selects(columns, FIELDS[node.name], node.choice)[0])
    return holds


class Executor:
    """Runs plans on one cluster's front node."""

    def __init__(self, front):
        self.front = front
        self._caps = (0.0, {})
        self._lock = threading.Lock()

    def caps(self, missing):
        """Return {facet name: groups to ask for}: about as many as the cluster holds values of it."""
        read_at, caps = self._caps
        if time.monotonic() - read_at > CAPS_TTL_S:
            rows = self.batch([f"SELECT facet_name, COUNT(*) FROM {VALUES} GROUP BY facet_name LIMIT 1000"
                               " OPTION max_matches=1000"], missing)[0]
            caps = {name: int(count) + 1 for name, count in rows}
            with self._lock:
                self._caps = (time.monotonic(), caps)
        return caps

    def cap_of(self, facet, caps):
        """Return the groups to ask a facet's count for first."""
        if isinstance(facet, Classes):
            known = len(facet.ordered_by) + 1
        elif isinstance(facet, Named):
            known = caps.get(facet.name, 0)
        else:
            known = LAST_YEAR - FIRST_YEAR + 2
        return max(MIN_GROUPS, known)

    def shard_sizes(self):
        """Return {shard: {reports, paragraphs}} as the last push recorded them (empty when unknown)."""
        data = read_json(self.front.layout.sizes_path) or {}
        return {row["shard"]: row for row in data.get("shards", []) if isinstance(row, dict) and "shard" in row}

    def missing_notice(self, missing):
        """Return (notice, missing rows) naming the shards that did not answer and how much of the corpus they hold."""
        sizes = self.shard_sizes()
        rows, parts = [], []
        for shard in sorted(missing):
            size = sizes.get(shard, {})
            rows.append({"shard": shard, "failed": missing[shard], "reports": size.get("reports"),
                         "paragraphs": size.get("paragraphs")})
            held = f"，约 {size['reports']} 篇报告、{size['paragraphs']} 段" if "reports" in size else ""
            parts.append(f"第 {shard + 1} 个分片（共 {len(self.front.layout.shards)} 个{held}；"
                         f"{'、'.join(missing[shard])} 均未响应）")
        notice = ("检索结果不完整：" + "；".join(parts) + "暂时无法访问，以下命中和计数不含这部分报告。")
        return notice, rows

    def batch(self, statements, missing):
        """Run a batch on the front node, adding the shards that did not answer to missing."""
        answer = self.front.batch(statements)
        for shard, agents in answer.missing.items():
            missing.setdefault(shard, [])
            missing[shard] += [agent for agent in agents if agent not in missing[shard]]
        return answer.results

    def by_ids(self, index, columns, codes, missing):
        """Return the rows (id first, then columns) of the given ids of a distributed index."""
        if not codes:
            return []
        listed = ", ".join(map(str, sorted(codes)))
        return self.batch([f"SELECT id, {', '.join(columns)} FROM {index} WHERE id IN ({listed}) LIMIT {len(codes)}"
                           f" OPTION max_matches={len(codes)}"], missing)[0]

    def names(self, codes, missing):
        """Return {code: facet value} of the codes of named facets, read from the values index."""
        return dict(self.by_ids(VALUES, ("facet_value",), codes, missing))

    def reports(self, codes, missing):
        """Return {report code: Report without paragraphs} of the given codes, read from the reports index."""
        return {code: Report.from_metadata(report_id, json.loads(meta))
                for code, report_id, meta in self.by_ids(REPORTS, ("report_id", "meta"), codes, missing)}

    def facet_rows(self, plan, counted, missing):
        """Return the facets object from {facet name: rows of (value, paragraphs, reports)}."""
        counted = {name: shown_rows(BY_NAME[name], rows, plan.choices.get(name)) for name, rows in counted.items()}
        named = {code for name, rows in counted.items() if isinstance(BY_NAME[name], Named)
                 and not isinstance(BY_NAME[name], Classes) for code, _p, _r in rows if code}
        names = self.names(named, missing)
        shaped = {}
        for name, rows in counted.items():
            facet = BY_NAME[name]
            if isinstance(facet, Named):
                known = class_names(facet) if isinstance(facet, Classes) else names
                column = Coded(None, [""] + [known.get(code, "") for code, _p, _r in rows])
                counted_rows = [(place, p, r) for place, (_code, p, r) in enumerate(rows, 1)]
            else:
                column = Coded(None, None)
                counted_rows = rows
            shaped[name] = facet.rows(tallied(counted_rows), column, plan.choices.get(name))
        return facets.grouped(shaped)

    def run(self, plan, at_most=None, marks=True, report=None, browse=False):
        """Return the results object of a plan (see search/execute.py's execute for the options)."""
        started = time.perf_counter()
        results = empty_results(plan)
        if plan.runs() or browse:
            self.fill(plan, results, at_most, marks, report)
        results["notices"] = list(dict.fromkeys(results["notices"]))
        results["elapsed_ms"] = round((time.perf_counter() - started) * 1000, 1)
        return results

    def fill(self, plan, results, at_most, marks, report):
        """Count, facet, page and shape the hits of a plan into the results object."""
        query, missing = Query(plan, report), {}
        title_scope = plan.scope == "title"
        shown = facets.shown(plan.choices)
        caps = self.caps(missing)
        counting = {facet.name: (group_column(facet), [facet.name, *(f.name for f in deeper(facet))],
                                 self.cap_of(facet, caps)) for facet in shown}
        statements = [counted_by(query, "shard", cap=len(self.front.layout.shards) + 1)]
        statements += [counted_by(query, *counting[facet.name]) for facet in shown]
        limit = plan.limit
        paged = limit is not None and not title_scope
        if paged:
            statements.append(page_statement(plan, query, (plan.page - 1) * limit, limit, False))
        answers = self.batch(statements, missing)
        # Every grouped row starts (value, paragraphs, reports); the filter conditions follow.
        per_shard = [row[:3] for row in answers[0]]
        paragraphs = sum(int(p) for _shard, p, _r in per_shard)
        reports = sum(int(r) for _shard, _p, r in per_shard)
        counted = {facet.name: rows for facet, rows in zip(shown, answers[1:])}
        while full := [name for name, rows in counted.items() if len(rows) >= counting[name][2]]:
            # Room filled: more values than known; asked again with more room.
            counting.update({name: (*counting[name][:2], counting[name][2] * MORE_GROUPS) for name in full})
            counted.update(zip(full, self.batch([counted_by(query, *counting[name]) for name in full], missing)))
        results["facets"] = self.facet_rows(plan, {name: [row[:3] for row in rows]
                                                   for name, rows in counted.items()}, missing)
        total = reports if title_scope else paragraphs
        if title_scope:
            results["total_paragraphs"] = paragraphs
        # The cluster holds no reuse data (indexer/reuse/): its hits are never folded.
        results.update(total=total, total_reports=reports, distinct=total, fold=False,
                       pages=(math.ceil(total / limit) if limit else 1) if total else 0)
        if total and plan.page > results["pages"]:
            results["notices"].append(f"第 {plan.page} 页超出范围：共 {results['pages']} 页。")
        elif total:
            if limit is None and at_most is not None and total > at_most:
                results["notices"].append(f"共 {total} 条，只返回按当前排序的前 {at_most} 条。")
            if paged:
                rows = answers[-1]
            else:
                count = min(total, at_most) if limit is None and at_most is not None else total
                offset, count = (0, count) if limit is None else ((plan.page - 1) * limit, limit)
                rows = self.batch([page_statement(plan, query, offset, count, title_scope)], missing)[0]
            results["hits"] = self.hits(plan, rows, marks, title_scope, missing)
        if missing:
            notice, results["missing"] = self.missing_notice(missing)
            results["notices"].insert(0, notice)

    def hits(self, plan, rows, marks, title_scope, missing):
        """Shape page rows into hits, with their report's metadata and (marks) their match spans."""
        reports = self.reports({row[1] for row in rows}, missing)
        found = []
        for row in rows:
            _id, code, n, heading, section, report_id, body, path = row[:8]
            report = reports.get(code) or Report.from_metadata(report_id, {})
            section_name = SECTION_NAMES.get(section, "")
            stored = {"report_id": report_id, "n": int(n), "text": body, "heading": bool(heading),
                      "section_class": section_name, "section_path": json.loads(path or "[]")}
            hit = shape_hit(stored, report, plan.compiled, holds_for(report, section_name) if marks else None)
            hit.update(NO_REUSE_FIELDS, folded_hits=[])
            if title_scope:
                hit["paragraphs"] = int(row[len(HIT_COLUMNS)])
            found.append(hit)
        return found


def shown_rows(facet, rows, choice):
    """Return the rows of a facet a page can show: a facet of names (not a closed list) its MOST_VALUES
    rows with most hits and its chosen ones, so that only their names are read (an issuer facet of a
    national corpus has tens of thousands); any other facet all its rows."""
    if not isinstance(facet, Named) or facet.ordered_by or len(rows) <= MOST_VALUES:
        return rows
    chosen = {value_code(facet.name, value) for value in (choice.values if choice else ())}
    most = sorted(rows, key=lambda row: (-row[1], row[0]))[:MOST_VALUES]
    return most + [row for row in rows if row[0] in chosen and row not in most]


def tallied(rows):
    """Return rows of (code, paragraphs, reports) as the two count arrays search/facets.py tally gives."""
    size = max((int(code) for code, _p, _r in rows), default=-1) + 1
    paragraphs, reports = np.zeros(size, np.int64), np.zeros(size, np.int64)
    for code, found_paragraphs, found_reports in rows:
        paragraphs[int(code)], reports[int(code)] = found_paragraphs, found_reports
    return paragraphs, reports
