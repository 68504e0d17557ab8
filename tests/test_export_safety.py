"""Exports of hostile text (issue 23, items 5 and 6): no stored character breaks a workbook, no cell from a page,
a file name or a query runs as a formula, and every export parameter is checked as a search's are."""
import csv
import io
import json
from urllib.parse import urlencode

import openpyxl
import pytest

from web.export import csv_bytes, xlsx_pieces

from conftest import client_beside_a_seed

# A report of our own, under a file name Excel would run as a formula; its title and a paragraph carry
# control characters (the cleaner removes them where text enters) and its paragraphs start like formulas.
FORMULA_NAME = "=1+2"
PAGE = """\x01\x02某某县2021年法治政府建设情况报告

2021年以来，我县坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面推进依法\x08行政，法治政府建设取得新的进展。

一、主要工作举措

（一）深化行政审批制度改革。我县持续推进简政放权，梳理公布权责清单，优化政务服务流程，企业开办时间压缩到一个工作日以内。

（二）完善依法决策机制。严格落实重大行政决策程序规定，重大决策事项全部经过合法性审查和集体讨论决定，法律顾问参与决策论证。

-1+2 全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，开展执法案卷评查，执法水平不断提升。

二、存在的问题

一是部分干部法治意识有待加强；二是基层执法力量相对薄弱，执法人员业务能力参差不齐。
"""
# Control characters a workbook cannot hold (openpyxl.cell.cell.ILLEGAL_CHARACTERS_RE's).
REFUSED = "".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32)]))


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory):
    """A client of an index of one seed and the hostile report."""
    return client_beside_a_seed(tmp_path_factory.mktemp("hostile_exports"), {f"{FORMULA_NAME}.txt": PAGE})


def stored_hit(**values):
    """Return an exported hit as the search core gives it, with some of its stored values replaced."""
    hit = {"report_id": "r", "n": 1, "title": "t", "issuer": "x", "level": "county", "region": {},
           "report_year": 2020, "pub_date": "", "section_class": "", "section_path": [], "heading": False, "text": "t"}
    return {**hit, **values}


def workbook_of(data):
    """Return the rows of an exported workbook's first sheet, as cells (openpyxl reads the workbook as Excel would)."""
    return list(openpyxl.load_workbook(io.BytesIO(data))["检索结果"].iter_rows())


def test_a_stored_control_character_never_breaks_a_workbook():
    """An index built before the cleaner removed them: the workbook leaves them out instead of failing whole."""
    hit = stored_hit(title="\x01\x02某某县报告", text="依法\x08行政" + REFUSED, section_path=["一、\x0b举措"])
    header, row = workbook_of(b"".join(xlsx_pieces([hit], "http://h/")))
    cells = {head.value: cell.value for head, cell in zip(header, row)}
    assert cells["报告标题"] == "某某县报告" and cells["段落文本"] == "依法行政" and cells["所在标题"] == "一、举措"
    csv_row = next(csv.DictReader(io.StringIO(csv_bytes([hit], "http://h/").decode("utf-8-sig"))))
    assert csv_row["段落文本"] == "依法行政" and csv_row["报告标题"] == "某某县报告"


def test_workbook_cells_from_pages_are_text_without_a_visible_quote():
    hit = stored_hit(report_id=FORMULA_NAME, title="=HYPERLINK(\"http://x\")", issuer="@SUM(A1)", text="-1+2",
                     section_path=["+3"], doc_number="#N/A")
    header, row = workbook_of(b"".join(xlsx_pieces([hit], "http://h/"), ))
    cells = {head.value: cell for head, cell in zip(header, row)}
    for column, value in [("报告编号", FORMULA_NAME), ("报告标题", "=HYPERLINK(\"http://x\")"), ("发布机关", "@SUM(A1)"),
                          ("段落文本", "-1+2"), ("所在标题", "+3"), ("文号", "#N/A")]:
        # Shown as written (no apostrophe), typed as text, kept text when edited (quotePrefix).
        assert cells[column].value == value and cells[column].data_type == "s", column
        assert cells[column].quotePrefix, column
    # Our numbers stay numbers.
    assert cells["段落序号"].value == 1 and cells["段落序号"].data_type == "n"
    assert cells["报告年度"].value == 2020 and cells["报告年度"].data_type == "n"


@pytest.mark.integration  # rebuilds a corpus
def test_a_report_named_like_a_formula_exports_as_text(hostile_client):
    query = {"q": "依法行政"}
    rows = list(csv.DictReader(io.StringIO(
        hostile_client.get("/export.csv?" + urlencode(query)).data.decode("utf-8-sig"))))
    mine = [row for row in rows if row["报告编号"] == "'" + FORMULA_NAME]
    assert mine, [row["报告编号"] for row in rows]
    # CSV has no types: a cell a spreadsheet would run starts with a quote; the link carries the id as it is.
    assert all(row["段落链接"].startswith("http://localhost/report/%3D1%2B2") for row in mine)
    assert not [cell for row in rows for cell in row.values() if cell.startswith(("=", "+", "-", "@"))]
    book = openpyxl.load_workbook(io.BytesIO(hostile_client.get("/export.xlsx?" + urlencode(query)).data))
    sheet = list(book["检索结果"].iter_rows())
    ids = [head.value for head in sheet[0]].index("报告编号")
    cells = [row[ids] for row in sheet[1:] if row[ids].value == FORMULA_NAME]
    assert cells and all(cell.data_type == "s" for cell in cells)
    assert not [cell for row in sheet for cell in row if cell.data_type == "f"]


@pytest.mark.integration  # rebuilds a corpus
def test_the_searched_query_is_text_in_the_workbook(hostile_client):
    book = openpyxl.load_workbook(io.BytesIO(hostile_client.get("/export.xlsx?" + urlencode({"q": "=1+2 依法行政"})).data))
    about = {row[0].value: row[1] for row in book["检索条件"].iter_rows()}
    assert about["检索式"].value.startswith("=1+2") and about["检索式"].data_type == "s"
    assert not [cell for row in book["检索条件"].iter_rows() for cell in row if cell.data_type == "f"]


@pytest.mark.integration  # rebuilds a corpus
def test_a_page_with_control_characters_exports_in_every_format(hostile_client):
    query = urlencode({"q": "依法行政"})
    for extension in ("xlsx", "csv", "json"):
        with hostile_client.get(f"/export.{extension}?{query}") as response:
            assert response.status_code == 200 and response.data, extension
    hits = json.loads(hostile_client.get(f"/export.json?{query}").data)
    mine = [hit for hit in hits if hit["report_id"] == FORMULA_NAME]
    assert mine and mine[0]["title"] == "某某县2021年法治政府建设情况报告"
    assert not [hit for hit in hits if set(hit["text"]) & set(REFUSED)]
    sheet = workbook_of(hostile_client.get(f"/export.xlsx?{query}").data)
    assert len(sheet) == len(hits) + 1


@pytest.mark.integration
@pytest.mark.parametrize("extension", ["csv", "xlsx", "json"])
@pytest.mark.parametrize("name, value", [("fold", "junk"), ("page", "x"), ("page", "0"), ("sort", "sideways"),
                                         ("scope", "everywhere"), ("year", "abc"), ("level", "市长")])
def test_every_export_parameter_is_checked_as_the_search_checks_it(hostile_client, extension, name, value):
    response = hostile_client.get(f"/export.{extension}?" + urlencode({"q": "依法行政", name: value}))
    assert response.status_code == 400
    said = response.get_json()["error"] if extension == "json" else response.get_data(as_text=True)
    assert f"参数 {name} 无效" in said
    assert hostile_client.get(f"/search?" + urlencode({"q": "依法行政", name: value})).status_code == 400
