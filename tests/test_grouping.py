"""Results grouped by report (group=report) in the page, the API and the three exports, and the sidebar's counts
in reports and paragraphs, as a reader and an API client meet them."""
import csv
import io
import json
import math
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from web.export import xlsx_pieces

from browsing import read_counts
from conftest import run_module


def api(client, **params):
    """Return the API's answer to a search."""
    answer = client.get("/api/search", query_string=params)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()


def page(client, **params):
    """Return a results page, parsed."""
    answer = client.get("/search", query_string=params)
    assert answer.status_code == 200
    return BeautifulSoup(answer.get_data(as_text=True), "lxml")


def first_seen(hits):
    """Return the report ids of paragraph hits in the order each first appears."""
    return list(dict.fromkeys(hit["report_id"] for hit in hits))


@pytest.mark.parametrize("sort", ["relevance", "newest", "oldest"])
def test_the_api_lists_each_report_once_placed_by_its_first_paragraph(client, sort):
    paragraphs = api(client, q="法治", sort=sort, fold=0, limit="all")
    grouped = api(client, q="法治", sort=sort, group="report", limit=100)
    assert grouped["group"] == "report" and paragraphs["group"] == "paragraph"
    assert (grouped["total"], grouped["total_reports"]) == (paragraphs["total"], paragraphs["total_reports"])
    # A report stands where its best (relevance) or first (dates) paragraph stands among the paragraphs.
    assert [row["report_id"] for row in grouped["hits"]] == first_seen(paragraphs["hits"])
    for row in grouped["hits"]:
        own = [hit for hit in paragraphs["hits"] if hit["report_id"] == row["report_id"]]
        assert row["paragraphs"] == len(own) and row["numbers"] == sorted(hit["n"] for hit in own)
        # Its first matches are its first paragraphs in the same order, each with its snippet, link and citation.
        assert [hit["n"] for hit in row["matches"]] == [hit["n"] for hit in own[:3]]
        assert all(hit["url"] == f"/report/{row['report_id']}#p-{hit['n']}" and hit["citation"] and hit["spans"]
                   for hit in row["matches"])
        assert row["url"] == f"/report/{row['report_id']}" and row["title"] and "level" in row and "issuer" in row
    assert sum(row["paragraphs"] for row in grouped["hits"]) == grouped["total"]


def test_pages_count_reports(client):
    whole = api(client, q="法治", sort="newest", group="report", limit=100)["hits"]
    assert len(whole) > 2
    pages = [api(client, q="法治", sort="newest", group="report", limit=2, page=n) for n in (1, 2, 3)]
    assert all(found["pages"] == math.ceil(len(whole) / 2) for found in pages)
    assert [row["report_id"] for found in pages for row in found["hits"]] == [row["report_id"] for row in whole][:6]


def test_a_bad_group_is_a_400_naming_the_parameter(client):
    answer = client.get("/api/search?q=法治&group=reports")
    assert answer.status_code == 400 and answer.get_json()["parameter"] == "group"
    assert "reports" in answer.get_json()["error"]
    shown = client.get("/search?q=法治&group=段落")
    assert shown.status_code == 400 and "参数 group 无效" in shown.get_data(as_text=True)
    assert client.get("/export.csv?q=法治&group=x").status_code == 400


def test_a_title_search_lists_reports_already_and_says_so(client):
    found = api(client, q="街道", scope="title", group="report")
    assert found["group"] == "paragraph" and found["total"] == found["total_reports"] == 2
    assert any("标题检索本来就按报告列出" in notice for notice in found["notices"])


def test_the_results_page_switches_to_reports_and_keeps_them_through_sorts_and_pages(client):
    paragraphs = page(client, q="法治")
    switch = {a.get_text(): a for a in paragraphs.select(".group-switch a")}
    assert list(switch) == ["按段落", "按报告"] and switch["按段落"].get("aria-current") == "true"
    reports = client.get(switch["按报告"]["href"])
    shown = BeautifulSoup(reports.get_data(as_text=True), "lxml")
    assert shown.select_one(".group-switch a[aria-current]").get_text() == "按报告"
    expected = api(client, q="法治", group="report")
    rows = shown.select("li.group-hit")
    assert len(rows) == expected["total_reports"] == len({row.select_one(".hit-title").get_text() for row in rows})
    assert re.sub(r"\s+", "", shown.select_one(".count").get_text()).startswith(
        f"找到{expected['total_reports']}篇报告，共{expected['total']}个匹配段落")
    for row, wanted in zip(rows, expected["hits"]):
        assert row.select_one(".group-count strong").get_text() == str(wanted["paragraphs"])
        meta = row.select_one(".hit-meta").get_text(" ", strip=True)
        assert wanted["issuer"] in meta and {"township": "乡镇", "county": "县级", "city": "市级",
                                              "province": "省级"}.get(wanted["level"], "") in meta
        links = [urlsplit(a["href"]) for a in row.select(".group-match a.para-link")]
        assert [(link.path, parse_qs(link.query), link.fragment) for link in links] == \
            [(f"/report/{wanted['report_id']}", {"q": ["法治"]}, f"p-{hit['n']}") for hit in wanted["matches"]]
        assert all(match.select_one("mark") for match in row.select(".group-match .snippet"))
    # Sorting keeps the grouping (paging by report: test_pages_count_reports); so do the exports and the tabs.
    kept = shown.select(".sort a, .export a, .tabs a[href^='/search'], .tabs a[href^='/trends']")
    assert len(kept) == 8 and all(parse_qs(urlsplit(a["href"]).query)["group"] == ["report"] for a in kept)
    # The reuse view's `group` names a passage: its tab leaves the grouping behind, and answers.
    reuse = shown.select_one(".tabs a[href^='/reuse']")["href"]
    assert "group" not in parse_qs(urlsplit(reuse).query) and client.get(reuse).status_code == 200


def test_the_sidebar_shows_reports_and_paragraphs_as_the_api_counts_them(client):
    facets = api(client, q="法治")["facets"]
    for scope in ("all", "title"):
        shown = page(client, q="法治" if scope == "all" else "街道", scope=scope)
        for value in shown.select("#facet-year ~ ul a.facet-value"):
            assert value.select_one(".facet-count").get("title") is None  # nothing only a mouse can read
            read_counts(value.select_one(".facet-count").get_text())
    shown = page(client, q="法治")
    counted = {a.select_one(".facet-name").get_text(): read_counts(a.select_one(".facet-count").get_text())
               for a in shown.select("#facet-year ~ ul a.facet-value")}
    assert counted == {row["value"]: (row["reports"], row["count"]) for row in facets["year"]}
    assert any(reports < paragraphs for reports, paragraphs in counted.values())


def exported(client, extension, **params):
    """Return the body of an export of a search."""
    answer = client.get(f"/export.{extension}", query_string=params)
    assert answer.status_code == 200
    return answer.get_data()


def test_the_exports_by_report_hold_a_row_per_report_with_its_paragraph_links(client):
    expected = api(client, q="法治", group="report", sort="oldest", limit=100)["hits"]
    rows = list(csv.DictReader(io.StringIO(exported(client, "csv", q="法治", group="report", sort="oldest")
                                           .decode("utf-8-sig"))))
    assert [row["报告编号"] for row in rows] == [row["report_id"] for row in expected]
    for row, wanted in zip(rows, expected):
        assert row["报告标题"] == wanted["title"] and row["发布机关"] == wanted["issuer"]
        assert int(row["匹配段落数"]) == wanted["paragraphs"]
        assert row["匹配段落序号"] == "、".join(map(str, wanted["numbers"]))
        assert row["匹配段落链接"].split("\n") == [f"http://localhost/report/{wanted['report_id']}#p-{n}"
                                                for n in wanted["numbers"]]
        assert row["报告链接"] == f"http://localhost/report/{wanted['report_id']}"
        assert row["首条匹配段落"] and "段落文本" not in row

    listed = json.loads(exported(client, "json", q="法治", group="report", sort="oldest"))
    assert [(row["report_id"], row["paragraphs"], row["numbers"]) for row in listed] == \
        [(row["report_id"], row["paragraphs"], row["numbers"]) for row in expected]
    assert all(len(row["paragraph_urls"]) == row["paragraphs"] for row in listed)

    book = load_workbook(io.BytesIO(exported(client, "xlsx", q="法治", group="report", sort="oldest")))
    sheet = book["检索结果"]
    headers = [cell.value for cell in sheet[1]]
    assert sheet.max_row == len(expected) + 1 and "匹配段落数" in headers
    link = sheet.cell(2, headers.index("报告链接") + 1)
    assert link.hyperlink.target == f"http://localhost/report/{expected[0]['report_id']}"
    about = dict(book["检索条件"].values)
    assert about["导出的报告"].startswith(f"{len(expected)} 篇") and "每篇报告一行" in about["命中"]


@pytest.mark.integration  # runs the command line in a process of its own
def test_the_command_line_lists_reports_and_names_a_bad_group(seed_index, engine):
    expected = engine.search("法治", group="report", sort="oldest", limit=2)["hits"]
    shown = run_module("search", "法治", "--index", str(seed_index), "--group", "report", "--sort", "oldest",
                       "--limit", "2")
    assert shown.returncode == 0, shown.stderr
    for row in expected:
        assert f"{row['title']}  /report/{row['report_id']}" in shown.stdout
        assert f"匹配 {row['paragraphs']} 段：第 {'、'.join(map(str, row['numbers']))} 段" in shown.stdout
    listed = json.loads(run_module("search", "法治", "--index", str(seed_index), "--group", "report", "--json").stdout)
    assert listed["group"] == "report" and all(hit["url"].startswith(f"/report/{row['report_id']}#p-")
                                               for row in listed["hits"] for hit in row["matches"])
    wrong = run_module("search", "法治", "--index", str(seed_index), "--group", "reports")
    assert wrong.returncode == 2 and wrong.stderr.startswith("error: --group:")


def test_a_report_with_more_links_than_a_cell_holds_is_cut_saying_so(client):
    row = api(client, q="法治", group="report", limit=1)["hits"][0]
    many = dict(row, numbers=list(range(1, 5001)), paragraphs=5000)
    book = load_workbook(io.BytesIO(b"".join(xlsx_pieces([many], "http://localhost", grouped=True))))
    headers = [cell.value for cell in book.active[1]]
    links = book.active.cell(2, headers.index("匹配段落链接") + 1).value
    assert len(links) <= 32_767 and links.endswith("……（共 5000 项，其余见报告链接）")
    kept = links.split("\n")[:-1]
    assert kept == [f"http://localhost/report/{row['report_id']}#p-{n}" for n in range(1, len(kept) + 1)]
    assert book.active.cell(2, headers.index("匹配段落数") + 1).value == 5000
