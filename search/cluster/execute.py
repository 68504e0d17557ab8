"""A Plan matched on the cluster's front node: search/backend.py's Matched, as search/results.py pages it.

One batch asks the front node, under the plan's query, for the matching paragraphs per report (from
which, with the reports' facet codes kept by reportcodes.py, every facet whose value is its report's
is counted here) and the count of every facet of paragraphs' own values (each under every filter but
its own and those below it, as search/facets.py counts them), and, when the page is known, which paragraphs the
page of hits lists in the plan's order (search/sorts.py; page.py), all on one match per shard (tallies); the page's
rows are then read by id (or, where the page cannot share the match, asked as a statement of its own); a title
search's reports, or a whole result, come once their number is known. The hits are shaped by search/hits.py's shape_hit,
their marks found by search/spans.py in the paragraph's text, exactly as the embedded engine
marks them. A plan that matched as many paragraphs as the embedded engine remembers a plan for
(search/execute.py's REMEMBERED_MATCHES), or whose counts took REMEMBERED_SECONDS, has its
batches remembered (search/remember.py, and on disk for the other workers: kept.py) under the
push the cluster holds (model/cluster/stamp.py), read before and after them: the same batch is
answered from memory while that push is still the one held. A shard that did not answer is named in a notice and in `missing`: the answer is
partial, and says so. Facets are handled by what their kind says (model/kinds.py), never by
asking which kind they are.
"""
import json
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from types import SimpleNamespace

import numpy as np

from model.cluster import stamp
from model.cluster.rows import value_code, version_of
from model.cluster.schema import PARAGRAPH_ATTRS, PARAGRAPHS, REPORTS, VALUES, tally_column
from model.jsonfile import read_json
from model.kinds import MOST_VALUES
from model.registry import BY_NAME, FACETS, deeper
from model.report import Report
from model.text import normalize
from search import execute as arrays_execute, facets
from search.backend import Matched
from search.columns import Coded, coded_values
from search.hits import MATCHES_SHOWN, NO_REUSE_FIELDS, copy, report_fields, report_row, shape_hit
from search.nodes import TITLE, Contains, Everything
from search.parse import FIELDS
from search.remember import Remembered
from search.sorts import ORDERS

from .kept import KeptAnswers
from .match import condition, match_query, text_filters
from .page import DEEPEST, SCORE, SharedPage
from .reportcodes import ReportCodes

# The key a count groups the rows it leaves out under (those failing a condition it is counted under): no code is
# negative.
LEFT_OUT = -1
# Groups a facet of open names brings back at first, most reports first: those a page shows and more, to see whether
# the last shown is tied with the next (ties at the cut are all shown; a few hundred rows cost less than asking again).
TOP = 4 * MOST_VALUES
# Groups a facet's count keeps at first: Sphinx allocates room for max_matches rows per statement
# (100,000 cost 70 ms a statement here), so each facet asks for about as many as it has values;
# a facet that fills its room is asked again with four times as much.
MIN_GROUPS = 32
MORE_GROUPS = 4
# The name of the count of matching paragraphs per report among the facets' counts (no facet has it): the totals and
# the counts of every facet whose values are its report's come from it (ClusterMatch.report_counts).
BY_REPORT = "by report"
# What marks a batch's worked-out counts apart from its answers where both are remembered.
WORKED_OUT = "worked out"
# The paragraph attributes of 64 bits: a count grouping by one alone keeps every statement's sorter of one width.
WIDE_COLUMNS = {name for name, kind in PARAGRAPH_ATTRS if kind == "bigint"}
# Values per facet are counted again after this long (a push adds values).
CAPS_TTL_S = 30
# The column of a paragraph row holding each key of search/sorts.py's orders.
SORT_COLUMNS = {"score": "score", "newest": "newest", "oldest": "oldest", "report": "report_id", "n": "n"}
HIT_COLUMNS = ("id", "report", "n", "heading", "section", "report_id", "body", "path", "version", SCORE)
# Reports whose metadata the web server keeps once read, by code (most recently used kept): a page's rows carry their
# report's version, so a kept report stands in for reading it again only while it is the version the shards hold.
KEPT_REPORTS = 20_000
# A plan whose first batch took this long is remembered whatever it matched (search/execute.py's REMEMBERED_MATCHES
# bounds the embedded engine's plans by their matches, which its cost follows; the shards' cost follows the phrase's
# characters, the commonest of the genre in every phrase of it).
REMEMBERED_SECONDS = 0.05
# Batches remembered with their answers (a count's batch brings back up to a thousand rows: some hundred kB each).
REMEMBERED_BATCHES = 64
# The value of every code of a closed list (a section, a level), coded as model/cluster/rows.py codes them.
CLASS_NAMES = {value_code(facet.name, value): value for facet in FACETS for value in facet.listed}


def order_by(sort):
    """Return the ORDER BY list of a sort (search/sorts.py)."""
    return ", ".join(f"{SORT_COLUMNS[key]} {direction}" for key, direction in ORDERS[sort])


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

    def select(self, columns, without=(), tail="", among=None):
        """Return a SELECT of columns from the paragraphs under the query and every condition but those without
        (among: (column, values), only the rows whose column holds one of the values)."""
        kept = {name: expr for name, expr in self.conditions.items() if name not in without}
        listed = [*columns, *(f"{expr} AS f_{name}" for name, expr in kept.items())]
        where = [f"MATCH('{self.match}')"] if self.match else []
        where += [f"f_{name}=1" for name in kept]
        where += [f"report={self.report}"] if self.report is not None else []
        where += [f"{among[0]} IN ({', '.join(str(int(value)) for value in among[1])})"] if among else []
        clause = f" WHERE {' AND '.join(where)}" if where else ""
        return f"SELECT {', '.join(listed)} FROM {PARAGRAPHS}{clause} {tail}".strip()

    def kept(self, without=()):
        """Return the conditions but those without."""
        return [expr for name, expr in self.conditions.items() if name not in without]

    def keyed(self, column, without=()):
        """Return what a count of a column under every condition but those without groups by: the column as a 64-bit
        number, where (conditions apply) a row passes them, and LEFT_OUT where it does not."""
        kept = self.kept(without)
        if kept:
            return f"IF({' AND '.join(kept)}, BIGINT({column}), {LEFT_OUT})"
        # A 64-bit column is grouped by its name: no expression, so no alias column in every row (tallies).
        return column if column in WIDE_COLUMNS else f"BIGINT({column})"


@dataclass(frozen=True)
class Count:
    """One count of a request: the key its rows group by (Query.keyed's expression), the groups of values each shard
    may keep (room; one more is kept for the rows left out) and how many groups come back, most reports first (top;
    None: all of them)."""

    key: str
    room: int
    top: int | None = None

    def unfinished(self, rows, groups):
        """Return the Count to ask again when this one's answer may be short, else None: its room filled (a shard may
        have had more groups: room, and one more for the rows left out), or its top cut among groups tied with the
        last one a page shows (search/facets.py)."""
        if groups > self.room:
            return replace(self, room=self.room * MORE_GROUPS)
        if self.top is not None and len(rows) >= self.top:
            kept = count_rows(rows)
            shown, next_one = kept[MOST_VALUES - 1] if len(kept) >= MOST_VALUES else None, kept[-1]
            if shown is None or (next_one[2], next_one[1]) >= (shown[2], shown[1]):
                return replace(self, top=self.top * MORE_GROUPS)
        return None


def tallies(query, counts, carried=(), page=None):
    """Return the statements of counts (Count), each counting paragraphs and distinct reports per value of its key,
    alike but for their GROUP BY and order: searchd then matches the query once per shard for all of them (its
    multi-query optimisation, for statements of one batch with the same query, filters and select list and group keys
    of one width; the query log marks them xN). So no condition filters them: each groups by its key (Query.keyed),
    every key in every select list, and the rows a count leaves out come back as one group, LEFT_OUT, that count_rows
    drops. A count with a top orders its groups by reports and paragraphs, and is followed by SHOW META, whose
    total_found is how many groups it found: every shard gives the front node all the groups it has room for, so the
    front node's first rows are exact. carried: columns every row also gives, after its three counts. page: a
    SharedPage, whose statement comes last, on the same match (its columns then last in every row, and every
    statement ranked, as the page is)."""
    # Expressions are grouped by their alias; a multi-valued column by its name.
    aliases = {count.key: f"k{place}" for place, count in enumerate(counts) if "(" in count.key}
    columns = ("GROUPBY()", "COUNT(*) AS p", "COUNT(DISTINCT report) AS r", *carried,
               *(f"{key} AS {alias}" for key, alias in aliases.items()), *(page.columns if page else ()))
    # A count needs no rank; with the page on its match, every statement is ranked as the page is (one query).
    ranker = "" if page else ", ranker=none"
    statements = []
    for count in counts:
        order = "ORDER BY r DESC, p DESC " if count.top is not None else ""
        shown = count.top if count.top is not None else count.room + 1
        statements.append(query.select(columns, without=query.conditions, tail=(
            f"GROUP BY {aliases.get(count.key, count.key)} {order}LIMIT {shown}"
            f" OPTION max_matches={count.room + 1}{ranker}")))
        if count.top is not None:
            statements.append("SHOW META")
    if page:
        statements.append(query.select(columns, without=query.conditions, tail=page.tail()))
    return statements


def tallied_answers(counts, answers):
    """Return (rows, groups found) of each count from the answers to its tallies statements."""
    found, place = [], 0
    for count in counts:
        rows, place = answers[place], place + 1
        if count.top is not None:
            groups, place = int(dict(answers[place]).get("total_found", 0)), place + 1
        else:
            groups = len(rows)
        found.append((rows, groups))
    return found


def count_rows(rows):
    """Return the rows of a count's answer without the group of the rows it left out."""
    return [row for row in rows if int(row[0]) != LEFT_OUT]


def page_statement(plan, query, offset, count, within=None):
    """Return the statement of one page of hits in the plan's order; within: one row per report, its paragraph
    first in that order (a title search: by number; by report: the plan's), and how many of its paragraphs match."""
    grouping = f"GROUP BY report WITHIN GROUP ORDER BY {within} " if within else ""
    columns = HIT_COLUMNS + (("COUNT(*) AS paragraphs",) if within else ())
    needed = max(offset + count, 1)
    return query.select(columns, tail=f"{grouping}ORDER BY {order_by(plan.sort)} LIMIT {offset}, {max(count, 1)}"
                                      f" OPTION max_matches={needed}")


def one_document(report, paragraph):
    """Return the facet columns of one paragraph (its fields by name), as search/facets.py's selects() reads them."""
    only = np.zeros(1, np.int64)
    return SimpleNamespace(facets={facet.name: coded_values(facet, [facet.source.value(report, paragraph)], only)
                                   for facet in FACETS})


def holds_for(report, paragraph):
    """Return holds(node) of one hit: whether a node that is not about its text selects it (search/spans.py asks)."""
    columns = one_document(report, paragraph)
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
        self.kept = KeptAnswers(front.layout.path)
        self.report_codes = ReportCodes(front.layout.path)
        self._caps = (0.0, {})
        self._names = {}
        self._reports = OrderedDict()
        self._lock = threading.Lock()
        self.remembered = Remembered(REMEMBERED_BATCHES)
        # What the counts of a remembered batch came to (ClusterMatch.counts), by push stamp and statements.
        self._worked_out = Remembered(REMEMBERED_BATCHES)

    def caps(self, missing):
        """Return {facet name: groups to ask for}: about as many as the cluster holds values of it; and under REPORTS,
        as many as it holds reports."""
        read_at, caps = self._caps
        if time.monotonic() - read_at > CAPS_TTL_S:
            rows = self.batch([f"SELECT facet_name, COUNT(*) FROM {VALUES} GROUP BY facet_name LIMIT 1000"
                               " OPTION max_matches=1000"], missing)[0]
            held = self.batch([f"SELECT COUNT(*) FROM {REPORTS}"], missing)[0]
            caps = {name: int(count) + 1 for name, count in rows}
            caps[REPORTS] = int(held[0][0]) + 1 if held else 0
            with self._lock:
                self._caps = (time.monotonic(), caps)
        return caps

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
        add_missing(missing, answer.missing)
        return answer.results

    def remembered_batch(self, statements, missing, worth, known=None):
        """Return (the answers of a batch, the push stamp they hold for or None, whether they are remembered). The
        stamp the cluster holds is read first (known: the stamp this request already found): the answers remembered
        at it, in this process or on disk (kept.py), else the batch run now, and its answers remembered when
        worth(answers, seconds it took), every shard answered and the same push was settled before and after it (the
        stamp read again; model/cluster/stamp.py)."""
        key = tuple(statements)
        held = known if known is not None else stamp.settled(self.batch([stamp.READ], missing)[0])
        if held is not None:
            found = self.remembered.get((held, key))
            if found is None and (found := self.kept.read(held, key)) is not None:
                self.remembered.put((held, key), found)
            if found is not None:
                return found, held, True
        started = time.perf_counter()
        answer = self.front.batch(statements)
        add_missing(missing, answer.missing)
        answers = answer.results
        if held is None or answer.missing or not worth(answers, time.perf_counter() - started):
            return answers, held, False
        # Read again in a batch of its own: in the same batch, searchd's warnings would be those of this read.
        if stamp.settled(self.batch([stamp.READ], missing)[0]) != held:
            return answers, None, False
        self.remembered.put((held, key), answers)
        self.kept.write(held, key, answers)
        return answers, held, True

    def worked_out(self, held, key):
        """Return what a remembered batch's answers came to at a push stamp (keep_worked_out), or None."""
        found = self._worked_out.get((held, key))
        if found is None and (found := self.kept.read(held, key)) is not None:
            self._worked_out.put((held, key), found)
        return found

    def keep_worked_out(self, held, key, found):
        """Remember what a remembered batch's answers came to at a push stamp, here and on disk for other workers."""
        self._worked_out.put((held, key), found)
        self.kept.write(held, key, found)

    @staticmethod
    def by_ids_statement(index, columns, codes):
        """Return the statement reading the rows (id first, then columns) of the given ids (not none) of an index."""
        listed = ", ".join(map(str, sorted(codes)))
        return (f"SELECT id, {', '.join(columns)} FROM {index} WHERE id IN ({listed}) LIMIT {len(codes)}"
                f" OPTION max_matches={len(codes)}")

    def by_ids(self, index, columns, codes, missing):
        """Return the rows (id first, then columns) of the given ids of a distributed index."""
        if not codes:
            return []
        return self.batch([self.by_ids_statement(index, columns, codes)], missing)[0]

    def names(self, codes, missing):
        """Return {code: facet value} of the codes of named facets. A code is its value's hash (model/cluster/rows.py
        value_code) and names that value whatever a push changes, so a name read once from the values index is kept."""
        unknown = set(codes) - self._names.keys()
        if unknown:
            found = dict(self.by_ids(VALUES, ("facet_value",), unknown, missing))
            with self._lock:
                self._names.update(found)
        return {code: self._names[code] for code in codes if code in self._names}

    def reports(self, versions, missing):
        """Return {report code: Report without paragraphs} of the given {code: version} (the version a page's row
        carries): those kept at that version, the others read from the reports index (and kept, when the version
        read is the one asked for: a push may have changed a report between the page and this read)."""
        with self._lock:
            kept = {code: found[1] for code, version in versions.items()
                    if (found := self._reports.get(code)) is not None and found[0] == version}
            for code in kept:
                self._reports.move_to_end(code)
        read = self.by_ids(REPORTS, ("report_id", "meta", "digest"), set(versions) - kept.keys(), missing)
        for code, report_id, meta, digest in read:
            kept[code] = Report.from_metadata(report_id, json.loads(meta))
            if version_of(digest) == versions[code]:
                with self._lock:
                    self._reports[code] = (versions[code], kept[code])
                    while len(self._reports) > KEPT_REPORTS:
                        self._reports.popitem(last=False)
        return kept


def add_missing(missing, failed):
    """Add the shards that did not answer a batch ({shard: [agents]}) to missing, each agent named once."""
    for shard, agents in failed.items():
        missing.setdefault(shard, [])
        missing[shard] += [agent for agent in agents if agent not in missing[shard]]


class ClusterMatch(Matched):
    """A plan matched and counted by the front node in one batch (with its page, when the page is known first)."""

    def __init__(self, executor, plan, window, report=None):
        self.executor, self.plan, self.window, self.missing = executor, plan, window, {}
        self.query, self.title_scope = Query(plan, report), plan.scope == "title"
        # The push this request's answers hold for (once read), and whether its batches are worth remembering.
        self.stamp, self.worth = None, False
        # One row per report: a title search's first paragraph, or (by report) its first in the plan's order.
        self.within = "n ASC" if self.title_scope else order_by(plan.sort) if plan.by_report else None
        shown = facets.shown(plan.choices)
        caps = executor.caps(self.missing)
        # A condition on a report's values holds for all its paragraphs: told once per report (carried beside its
        # count of matching paragraphs), the per-report facets counted from those counts and the reports' codes.
        self.per_report = [name for name in self.query.conditions if BY_NAME[name].source.per_report]
        self.carried = ("version", *(f"{self.query.conditions[name]} AS f_{name}" for name in self.per_report))
        counted, paragraphs, reports = self.counts(shown, caps)
        self.facets = facet_rows(plan, counted, lambda codes: executor.names(codes, self.missing))
        self.total = reports if self.title_scope else paragraphs
        if self.title_scope:
            self.total_paragraphs = paragraphs
        # The cluster holds no reuse data (indexer/reuse/): its hits are never folded.
        self.total_reports, self.distinct, self.folded = reports, self.total, False
        self.listed = reports if plan.by_report else self.total

    def counts(self, shown, caps):
        """Return ({facet name: rows of (code, paragraphs, reports)} of the facets shown, paragraphs and reports passing
        every condition): the counts' batch, and the page's when the page is known (self.rows); what a remembered
        batch's answers come to is remembered with them (so a remembered plan's counts are not worked out again)."""
        counting = {BY_REPORT: Count(self.query.keyed("report", self.per_report),
                                     max(MIN_GROUPS, caps.get(REPORTS, 0)))}
        counting.update({facet.name: self.counted(facet, caps) for facet in shown if not facet.source.per_report})
        # A page of paragraphs is known before their number: asked with the counts, on their match where it can be.
        paged = self.plan.limit is not None and not self.title_scope
        counted, self.rows = self.count(counting, list(counting), self.shared_page() if paged else None, paged)
        # What the counts come to is remembered under the batch's statements, marked apart from its answers.
        key = (WORKED_OUT, *tallies(self.query, list(counting.values()), self.carried))
        if self.worth and (found := self.executor.worked_out(self.stamp, key)) is not None:
            return found
        while again := {name: more for name, (rows, groups) in counted.items()
                        if (more := counting[name].unfinished(rows, groups)) is not None}:
            # Room filled, or the top cut among ties: asked again with more.
            counting.update(again)
            counted.update(self.count(counting, list(again))[0])
        rows = {name: [row[:3] for row in count_rows(found)] if name != BY_REPORT else count_rows(found)
                for name, (found, _groups) in counted.items()}
        by_report, (paragraphs, reports) = self.report_counts(
            rows.pop(BY_REPORT), [facet for facet in shown if facet.source.per_report], caps.get(REPORTS, 0))
        found = ({name: shown_rows(BY_NAME[name], found, self.plan.choices.get(name))
                  for name, found in (rows | by_report).items()}, paragraphs, reports)
        if self.worth:
            self.executor.keep_worked_out(self.stamp, key, found)
        return found

    def counted(self, facet, caps):
        """Return the Count of a facet of each paragraph's own value (a report's are counted per report: report_counts):
        under every condition but its own and those below it; a facet of open names not chosen only its first groups
        (a page shows MOST_VALUES, search/facets.py)."""
        without = [facet.name, *(f.name for f in deeper(facet))]
        room = max(MIN_GROUPS, facet.most_codes or caps.get(facet.name, 0))
        top = TOP if facet.open_names and facet.name not in self.plan.choices else None
        return Count(self.query.keyed(tally_column(facet), without), room, top)

    def report_counts(self, rows, shown, held):
        """Return ({facet name: rows of (code, paragraphs, reports)} of the shown per-report facets, (paragraphs,
        reports) passing every condition) from the matching paragraphs per report (BY_REPORT's rows: the report's
        code, its paragraphs, its version, whether it passes each per-report condition) and the reports' codes
        (reportcodes.py; held: how many reports the cluster holds). Each facet counts the reports passing every
        condition but its own and those below it, as search/facets.py counts them."""
        # No report matched: no rows, but the columns read below.
        numbers = np.array(rows, np.int64) if rows else np.zeros((0, 4 + len(self.per_report)), np.int64)
        reports, paragraphs, versions = numbers[:, 0], numbers[:, 1], numbers[:, 3]
        passing = {name: numbers[:, 4 + place] == 1 for place, name in enumerate(self.per_report)}
        codes = self.executor.report_codes
        table = codes.codes(reports, versions, lambda statement: self.executor.batch([statement], self.missing)[0],
                            held, self.stamp)

        def under(without):
            """Return which reports pass every per-report condition but those without."""
            kept = np.ones(len(rows), bool)
            for name, passes in passing.items():
                if name not in without:
                    kept &= passes
            return kept

        counted = {}
        for facet in shown:
            kept = under([facet.name, *(f.name for f in deeper(facet))])
            if facet.several:
                # A report's paragraphs count under each of its codes, as a GROUP BY over the column counts them.
                place = codes.several.index(facet)
                owner = np.repeat(np.arange(len(rows)), np.diff(table.starts[place]))
                chosen = kept[owner]
                numbers, weights = table.values[place][chosen], paragraphs[owner[chosen]]
                distinct = table.distinct[len(codes.single) + place]
            else:
                place = codes.single.index(facet)
                numbers, weights, distinct = table.single[kept, place], paragraphs[kept], table.distinct[place]
            # The codes are numbered densely per table (reportcodes.py): counted by bincount, without sorting them.
            in_reports = np.bincount(numbers, minlength=len(distinct))
            found = np.flatnonzero(in_reports)
            counted[facet.name] = list(zip(distinct[found].tolist(),
                                           np.bincount(numbers, weights, len(distinct))[found].astype(int).tolist(),
                                           in_reports[found].tolist()))
        everything = under(())
        return counted, (int(paragraphs[everything].sum()), int(everything.sum()))

    def count(self, counting, names, shared=None, paged=False):
        """Return ({name: (rows, groups found)} of the counts named, each row (value, paragraphs, reports, then the
        carried columns), the rows of the page or None): the counts in one batch, sharing one match per shard
        (tallies), with the page's statement when shared (a SharedPage), else, when paged, the page's own statement
        (its select list and conditions its own) in a second."""
        counts = [counting[name] for name in names]
        if BY_REPORT in names:
            # The plan's first batch: remembered when it matched as many paragraphs as the embedded engine remembers a
            # plan for (its count per report comes first: every paragraph matched, before the filters), or took as
            # long as a plan of those would (a phrase of common characters costs the shards whatever it matches);
            # the plan's other batches are remembered when it is.
            answers, self.stamp, self.worth = self.executor.remembered_batch(
                tallies(self.query, counts, self.carried, shared), self.missing,
                lambda found, seconds: (matched(found[0]) >= arrays_execute.REMEMBERED_MATCHES
                                        or seconds >= REMEMBERED_SECONDS), self.stamp)
        else:
            answers = self.ask(tallies(self.query, counts, self.carried))
        counted = dict(zip(names, tallied_answers(counts, answers)))
        rows = self.page_rows(shared, answers[-1]) if shared else None
        if rows is None and paged:
            rows = self.ask([page_statement(self.plan, self.query, *self.window, self.within)])[0]
        return counted, rows

    def shared_page(self):
        """Return the SharedPage of the plan's page, or None where the page is asked on its own: a page of one row
        per report (search/hits.py's report rows), or one ending deeper than DEEPEST."""
        offset, count = self.window
        if self.within or offset + count > DEEPEST:
            return None
        return SharedPage(self.plan.sort, offset, count, tuple(self.query.kept()))

    def page_rows(self, page, rows):
        """Return the page's rows (HIT_COLUMNS) from its statement's rows on the counts' match: the candidates read by
        id and ordered (page.py); None when the page must be asked on its own."""
        found = page.candidates(rows)
        if found is None:
            return None
        before, candidates = found
        ids = {int(columns[0]) for columns in candidates}
        read = self.ask([self.executor.by_ids_statement(PARAGRAPHS, HIT_COLUMNS[1:-1], ids)])[0] if ids else []
        return page.window(before, candidates, {row[0]: row for row in read})

    def ask(self, statements):
        """Return the answers of a batch of this plan's, remembered at the push the cluster holds when the plan is."""
        answers, self.stamp, _remembered = self.executor.remembered_batch(
            statements, self.missing, lambda _answers, _seconds: self.worth, self.stamp)
        return answers

    def hits(self, marks):
        """Return the hits of the window: the page read with the counts, or read now (a title search, a whole result)."""
        if self.rows is None:
            offset, count = self.window
            count = self.listed if count is None else min(count, self.listed)
            self.rows = self.ask([page_statement(self.plan, self.query, offset, count, self.within)])[0]
        if self.plan.by_report:
            return self.report_rows(marks)
        reports = self.executor.reports(page_versions(self.rows), self.missing)
        # A report's fields are worked out once for its hits on the page (search/hits.py).
        fields = {code: report_fields(report) for code, report in reports.items()}
        return [hit_of(self.plan, row, reports.get(row[1]), marks, self.title_scope,
                       copy(fields[row[1]]) if row[1] in fields else None) for row in self.rows]

    def report_rows(self, marks):
        """Return the rows of the page's reports (search/hits.py's report_row): the numbers of every matching
        paragraph of each, in the plan's order, then its first MATCHES_SHOWN read whole."""
        codes = [row[1] for row in self.rows]
        matching = sum(int(row[len(HIT_COLUMNS)]) for row in self.rows)
        if not codes:
            return []
        # Every report on the page: no report condition needed.
        among = ("report", codes) if len(codes) < self.listed else None
        placed = self.ask([self.query.select(("id", "report", "n", HIT_COLUMNS[-1]), among=among, tail=(
            f"ORDER BY {order_by(self.plan.sort)} LIMIT {matching} OPTION max_matches={matching}"))])[0]
        numbers, first = {code: [] for code in codes}, {code: [] for code in codes}
        for paragraph, code, n, _score, *_conditions in placed:
            numbers[code].append(int(n))
            if len(first[code]) < MATCHES_SHOWN:
                first[code].append(paragraph)
        shown = [paragraph for code in codes for paragraph in first[code]]
        read = {row[0]: row for row in self.ask([self.query.select(HIT_COLUMNS, among=("id", shown), tail=(
            f"LIMIT {len(shown)} OPTION max_matches={len(shown)}"))])[0]} if shown else {}
        reports = self.executor.reports(page_versions(self.rows), self.missing)
        found = []
        for row in self.rows:
            report = reports.get(row[1]) or Report.from_metadata(row[5], {})
            fields = report_fields(report)
            matches = [hit_of(self.plan, read[paragraph], report, marks, False, copy(fields))
                       for paragraph in first[row[1]] if paragraph in read]
            found.append(report_row(report.report_id, fields, numbers[row[1]], matches))
        return found

    def amend(self, results):
        """Name the shards that did not answer, first among the notices and in `missing`: the answer is partial."""
        if self.missing:
            notice, results["missing"] = self.executor.missing_notice(self.missing)
            results["notices"].insert(0, notice)


def matched(rows):
    """Return the paragraphs a count's rows hold, those it left out included: every paragraph the query matched."""
    return sum(int(row[1]) for row in rows)


def page_versions(rows):
    """Return {report code: version} of the reports of page rows (HIT_COLUMNS): the version of the push each was read at."""
    return {row[1]: row[8] for row in rows}


def hit_of(plan, row, report, marks, title_scope, fields=None):
    """Shape one page row (HIT_COLUMNS) and its report (None when unread) into a hit, with its match spans when
    marks; fields: the report's (search/hits.py's report_fields), when kept for the page."""
    _id, _code, n, heading, section, report_id, body, path, _version = row[:9]
    report = report or Report.from_metadata(report_id, {})
    stored = {"report_id": report_id, "n": int(n), "text": body, "heading": bool(heading),
              "section_class": CLASS_NAMES.get(section, ""), "section_path": json.loads(path or "[]")}
    hit = shape_hit(stored, report, plan.compiled, holds_for(report, stored) if marks else None, fields)
    hit.update(NO_REUSE_FIELDS, folded_hits=[])
    if title_scope:
        hit["paragraphs"] = int(row[len(HIT_COLUMNS)])
    return hit


def facet_rows(plan, counted, names_of):
    """Return the facets object from {facet name: rows of (code, paragraphs, reports)}; names_of(codes) gives
    {code: name} of the codes of open names (the values index holds them)."""
    counted = {name: shown_rows(BY_NAME[name], rows, plan.choices.get(name)) for name, rows in counted.items()}
    names = names_of({code for name, rows in counted.items() if BY_NAME[name].open_names
                      for code, _p, _r in rows if code})
    shaped = {}
    for name, rows in counted.items():
        facet, choice = BY_NAME[name], plan.choices.get(name)
        if facet.numbered:
            # The codes are the values (years), as the embedded engine's columns hold them.
            shaped[name] = facet.rows(tallied(rows), Coded(None, None), choice)
        else:
            # A column of the names counted, code 0 for none, as search/facets.py's tally counts names.
            column = Coded(None, [""] + [names.get(code) or CLASS_NAMES.get(code, "") for code, _p, _r in rows])
            shaped[name] = facet.rows(tallied([(place, p, r) for place, (_code, p, r) in enumerate(rows, 1)]),
                                      column, choice)
    return facets.grouped(shaped)


def shown_rows(facet, rows, choice):
    """Return the rows of a facet a page can show: a facet of open names its MOST_VALUES rows in most reports (then
    with most paragraphs), all those tied at the cut (model/kinds.py most_hits chooses among them by name) and its
    chosen ones, so that only their names are read (an issuer facet of a national corpus has tens of thousands); any
    other facet all its rows."""
    if not facet.open_names or len(rows) <= MOST_VALUES:
        return rows
    codes, paragraphs, reports = np.array([row[:3] for row in rows], np.int64).T
    last = np.lexsort((paragraphs, reports))[-MOST_VALUES]
    chosen = [value_code(facet.name, value) for value in (choice.values if choice else ())]
    kept = ((reports > reports[last]) | ((reports == reports[last]) & (paragraphs >= paragraphs[last]))
            | np.isin(codes, chosen))
    return [rows[place] for place in np.flatnonzero(kept)]


def tallied(rows):
    """Return rows of (code, paragraphs, reports) as the two count arrays search/facets.py tally gives."""
    size = max((int(code) for code, _p, _r in rows), default=-1) + 1
    paragraphs, reports = np.zeros(size, np.int64), np.zeros(size, np.int64)
    for code, found_paragraphs, found_reports in rows:
        paragraphs[int(code)], reports[int(code)] = found_paragraphs, found_reports
    return paragraphs, reports
