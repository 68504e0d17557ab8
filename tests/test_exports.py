"""Exports as a researcher opens them (issue 25, item 9): one charset, null for what a report does not give,
a workbook with links to click, a filter on its header row and a sheet saying what was searched."""
import io
import json
from urllib.parse import parse_qs, urlencode, urlsplit

import openpyxl

from web.export import columns

SEARCH = {"q": "依法行政", "level": "乡镇", "sort": "newest"}


def test_the_csv_names_its_charset_once(client):
    response = client.get("/export.csv?" + urlencode(SEARCH))
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_json_gives_null_where_a_report_gives_no_value(client):
    hits = json.loads(client.get("/export.json?" + urlencode(SEARCH)).get_data(as_text=True))
    undated = [hit for hit in hits if hit["pub_date"] is None]
    assert undated and all(hit["doc_number"] is None for hit in hits if hit["report_id"] != "004_f24fc2990dbe03d0")
    assert all(hit["source_url"] is None for hit in hits)  # text dumps: no address recorded
    assert "" not in [value for hit in hits for value in hit.values()]
    assert "" not in [value for hit in hits for value in hit["region"].values()]
    assert all(isinstance(hit["n"], int) and hit["url"].startswith("http://localhost/report/") for hit in hits)


def workbook(client, params):
    """Return the exported workbook of a search, opened as Excel would."""
    return openpyxl.load_workbook(io.BytesIO(client.get("/export.xlsx?" + urlencode(params)).data))


def test_the_workbook_links_its_addresses_filters_its_header_and_says_what_was_searched(client):
    book = workbook(client, SEARCH)
    sheet = book["检索结果"]
    total = client.get("/api/search?" + urlencode(SEARCH)).get_json()["total"]
    assert sheet.max_row == total + 1
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(columns())).column_letter}{total + 1}"
    url_column = [column.header for column in columns()].index("段落链接") + 1
    for row in range(2, total + 2):
        cell = sheet.cell(row, url_column)
        assert cell.hyperlink is not None and cell.hyperlink.target == cell.value
        assert cell.value.startswith("http://localhost/report/")
    about = dict(row for row in book["检索条件"].iter_rows(values_only=True))
    assert about["检索式"] == "依法行政"
    assert about["筛选条件"] == "层级：乡镇" and "层级：乡镇" in about["检索说明"]
    assert about["排序"] == "最新"
    assert about["导出的段落"].startswith(f"{total} 段")
    assert about["导出时间"].endswith("北京时间")
    searched = urlsplit(about["检索网址"])
    assert searched.path == "/search" and parse_qs(searched.query) == {key: [value] for key, value in SEARCH.items()}
    address = next(row for row in book["检索条件"].iter_rows() if row[0].value == "检索网址")[1]
    assert address.hyperlink.target == about["检索网址"]
    assert about["匹配方式"].startswith("精确匹配")
