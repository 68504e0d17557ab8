"""The cluster's pieces that need no node: tokens, the query text, date ranges, layouts, configurations, rows read."""
import json
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.cluster.connection import SphinxConnection, connection_class, integer_rows
from model.cluster.rows import sentence_tokens, shard_of, text_tokens, tokens
from model.cluster.layout import BadLayout, read_layout
from model.kinds import date_periods, periods_covering
from search.cluster.local import local_layout
from search.cluster.match import match_query
from search.cluster.page import SharedPage
from search.cluster.reportcodes import CodeTable
from model.cluster.schema import node_config
from model.cluster.settings import backend, layout_path
from search.plan import plan
from search.sorts import ORDERS

from conftest import examples


def test_every_character_is_one_ascii_token_after_the_embedded_folding():
    assert tokens("枫桥5g") == "x67ab x6865 x35 x67"
    # Full width, case and traditional characters fold as model/text.py folds them; punctuation goes.
    assert text_tokens("楓橋「經驗」５Ｇ") == text_tokens("枫桥经验5g")
    assert text_tokens("，。“”") == ""


def test_sentences_are_ended_where_the_embedded_index_ends_them():
    assert sentence_tokens("法治。枫桥！好；") == "x6cd5 x6cbb ! x67ab x6865 ! x597d"


def test_queries_are_tokens_and_operators_only():
    for q in ["枫桥经验", '"枫桥经验" OR 八五普法 -法治', "同句(法律顾问 合法性审查)", "region:浙江 year:2020 level:乡镇",
              "-法治", "title:枫桥", "issuer:司法局", "'; DROP TABLE x; --", "a\\'b"]:
        text = match_query(plan(q).compiled.match)
        assert "'" not in text and "\\" not in text and ";" not in text
    assert match_query(plan("-法治").compiled.match) == '((@tags all) -(@text "x6cd5 x6cbb"))'
    assert match_query(plan("同句(法律 审查)").compiled.match) == '(@sent "x6cd5 x5f8b" SENTENCE "x5ba1 x67e5")'
    assert '"^x6d59 x6c5f"' in match_query(plan("region:浙江").compiled.match)


DAYS = st.dates(min_value=date(2015, 1, 1), max_value=date(2026, 12, 31))


@settings(max_examples=examples(200), deadline=None)
@given(first=DAYS, span=st.integers(0, 800))
def test_a_date_range_is_exactly_the_days_its_tags_cover(first, span):
    last = first + timedelta(days=span)
    key = lambda day: day.year * 10000 + day.month * 100 + day.day  # noqa: E731
    wanted = set(periods_covering(key(first), key(last)))
    for offset in range(-40, span + 40):
        day = first + timedelta(days=offset)
        inside = first <= day <= last
        assert bool(wanted & set(date_periods(key(day)))) == inside, day
    assert len(wanted) <= 2 * (11 + 31) + (last.year - first.year + 1)


def test_shards_are_a_stable_spread_of_report_ids():
    ids = [f"report_{k}" for k in range(2000)]
    spread = [shard_of(report_id, 2) for report_id in ids]
    assert spread == [shard_of(report_id, 2) for report_id in ids]
    assert 900 < spread.count(0) < 1100


def test_the_front_node_has_one_agent_per_shard_with_its_mirrors(tmp_path):
    layout = local_layout(tmp_path, shards=2)
    front = node_config(layout, "front", tmp_path)
    for kind in ("paragraphs", "reports", "values"):
        assert f"index {kind}\n" in front
    agents = [line for line in front.splitlines() if line.strip().startswith("agent =")]
    assert len(agents) == 6 and all(line.count("|") == 1 for line in agents)
    assert "ha_strategy = nodeads" in front
    mirror = node_config(layout, "mirror", tmp_path)
    assert "index paragraphs_s0" in mirror and "index paragraphs_s1" in mirror and "index_sp = 1" in mirror
    node0 = node_config(layout, "node0", tmp_path)
    assert "index paragraphs_s0" in node0 and "paragraphs_s1" not in node0


def test_a_bad_layout_or_backend_is_named(tmp_path, monkeypatch):
    with pytest.raises(BadLayout, match="no cluster layout there"):
        read_layout(tmp_path / "missing.json")
    (tmp_path / "bad.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(BadLayout, match="bad.json: unreadable"):
        read_layout(tmp_path / "bad.json")
    (tmp_path / "empty.json").write_text(json.dumps({"front": {"node": "f", "host": "h", "sql_port": 1},
                                                     "shards": []}), encoding="utf-8")
    with pytest.raises(BadLayout, match="at least one shard"):
        read_layout(tmp_path / "empty.json")
    monkeypatch.delenv("SEARCH_CLUSTER", raising=False)
    with pytest.raises(BadLayout, match="SEARCH_CLUSTER"):
        layout_path()
    with pytest.raises(BadLayout, match="not a backend"):
        backend("elastic")
    assert backend(None) in ("embedded", "cluster")


def test_a_facet_of_many_names_reads_only_the_names_a_page_shows():
    from model.cluster.rows import value_code
    from search.cluster.execute import shown_rows
    from model.kinds import MOST_VALUES
    from model.registry import BY_NAME, LEVEL

    issuer = BY_NAME["issuer"]
    rows = [(value_code("issuer", f"机关{i}"), i + 1, 1) for i in range(MOST_VALUES * 3)]
    chosen = plan("", {"issuer": ["机关0"]}).choices.get("issuer")
    kept = shown_rows(issuer, rows, chosen)
    # The MOST_VALUES with most hits, and the chosen one with the fewest: what the sidebar lists.
    assert len(kept) == MOST_VALUES + 1 and rows[0] in kept and rows[-1] in kept
    assert shown_rows(issuer, rows[:MOST_VALUES], None) == rows[:MOST_VALUES]
    levels = [(1, 5, 1)] * (MOST_VALUES + 5)
    assert shown_rows(LEVEL, levels, None) == levels  # a closed list is shown whole


def row_packet(values):
    """Return the body of a MySQL text-protocol row packet holding integers (each its length byte and its digits)."""
    return b"".join(bytes([len(str(value))]) + str(value).encode("ascii") for value in values)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.integers(-2 ** 63, 2 ** 63 - 1), min_size=3, max_size=3), max_size=30))
def test_rows_of_integers_read_in_bulk_are_those_pymysql_reads(rows):
    read, expected = integer_rows([row_packet(row) for row in rows], 3), tuple(map(tuple, rows))
    if all(abs(value) < 9 * 10 ** 18 for row in rows for value in row):
        assert read == expected
    else:
        assert read in (expected, None)  # a number near the 64-bit bounds may be left to pymysql


def test_rows_the_bulk_reading_cannot_read_are_left_to_pymysql():
    assert integer_rows([row_packet([1, 2]), b"\x011\xfb"], 2) is None  # a NULL
    assert integer_rows([row_packet([1, 2]), b"\x011\x00"], 2) is None  # an empty value
    assert integer_rows([row_packet([2 ** 64 - 1, 2])], 2) is None  # past 64 bits
    assert integer_rows([row_packet([1, 2]), b"\x011\x02ab"], 2) is None  # not digits
    assert integer_rows([row_packet([2 ** 62, -1])], 2) == ((2 ** 62, -1),)


def test_another_pymysql_gets_its_own_connection_not_the_bulk_reading_of_private_parts():
    assert connection_class() is SphinxConnection  # the pinned version: rows read in bulk
    other = connection_class("1.3.0")
    assert other is not SphinxConnection and other.__module__ == "pymysql.connections"


report_rows = st.lists(st.tuples(st.integers(1, 40), st.integers(0, 3), st.sampled_from([0, 7, 2 ** 61, 12345]),
                                 st.sampled_from([0, 2016, 2020]),
                                 st.lists(st.sampled_from(["5", "99", str(2 ** 60)]), max_size=3).map(",".join)),
                       max_size=30, unique_by=lambda row: row[0])


@given(report_rows, report_rows, st.lists(st.integers(0, 45), max_size=40))
@settings(max_examples=200, deadline=None)
def test_report_codes_numbered_and_merged_count_as_the_codes_read(first, newer, asked):
    table = CodeTable.of_rows(first, 2, 1).merged(CodeTable.of_rows(newer, 2, 1))
    held = {row[0]: row for row in first} | {row[0]: row for row in newer}
    taken = table.take(table.places(np.array(asked, np.int64)))
    single, (several,) = taken.codes()
    for place, report in enumerate(asked):
        row = held.get(report, (report, 0, 0, 0, ""))
        assert single[place].tolist() == [row[2], row[3]]
        start, end = taken.starts[0][place], taken.starts[0][place + 1]
        assert several[start:end].tolist() == [int(code) for code in row[4].split(",") if code]
    # A count by bincount over the numbers is the count of the codes by sorting them.
    for column in range(2):
        counted = np.bincount(taken.single[:, column], minlength=len(taken.distinct[column]))
        codes, times = np.unique(single[:, column], return_counts=True)
        assert taken.distinct[column][np.flatnonzero(counted)].tolist() == codes.tolist()
        assert counted[np.flatnonzero(counted)].tolist() == times.tolist()


paragraph_rows = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 1), st.integers(0, 2), st.integers(1, 3),
                                    st.integers(0, 1)),
                          max_size=80)


@given(paragraph_rows, st.sampled_from(["relevance", "newest", "oldest"]), st.integers(0, 30), st.integers(1, 20),
       st.booleans(), st.integers(0, 40))
@settings(max_examples=300, deadline=None)
def test_a_page_on_the_counts_match_is_the_page_in_the_plans_order(rows, sort, offset, count, conditioned, past):
    # Each paragraph: its report (whose id is a string ordered otherwise than its code), score, date, number, flag.
    paragraphs = [{"pid": place + 1, "report": report, "report_id": f"r{(7 - report) % 4}", "score": score,
                   "newest": when, "oldest": -when, "n": n + 10 * place, "ok": ok if conditioned else 1}
                  for place, (report, score, when, n, ok) in enumerate(rows)]
    shared = SharedPage(sort, offset, count, ("f=1",) if conditioned else (), past)
    names = ["pid", *(key for key, _direction in shared.keys)]
    # What the front node gives: every paragraph ordered by the statement's keys (the number last), cut at asked.
    given_rows = [tuple(row[name] for name in names) for row in paragraphs]
    given_rows.sort(key=lambda columns: (shared.key(columns), columns[names.index("n")]))
    found = shared.candidates([(0, 0, 0, *columns) for columns in given_rows[:shared.asked]])
    passing = [row for row in paragraphs if row["ok"]]
    keys = {"score": "score", "newest": "newest", "oldest": "oldest", "report": "report_id", "n": "n"}
    passing.sort(key=lambda row: tuple(-row[keys[key]] if direction == "DESC" else row[keys[key]]
                                       for key, direction in ORDERS[sort] if key not in ("report", "n"))
                 + (row["report_id"], row["n"]))
    expected = [row["pid"] for row in passing[offset:offset + count]]
    if found is None:
        # Asked on its own only when the hits tied with the page's last may run past the rows asked.
        assert len(given_rows) >= shared.asked
        return
    read = {row["pid"]: (row["pid"], row["report"], row["n"], 0, 0, row["report_id"], "", "", 0) for row in paragraphs}
    assert [row[0] for row in shared.window(*found, read)] == expected
