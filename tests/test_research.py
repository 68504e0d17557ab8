"""Research tools: citations, related reports, side-by-side reading, on a corpus where one government reports twice."""
import csv
import io
import re
import shutil
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from docx import Document

from indexer.fetch.provenance import provenance_path, write_record
from indexer.index.build import rebuild
from web.citation import citation

from conftest import SEED_FILES, make_app

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"
ZHUJI = [PAGES / "zhuji_2022.txt", PAGES / "zhuji_2023.txt"]
ORIGINAL = "http://www.zhuji.gov.cn/art/2024/3/1/art_1229.html"


@pytest.fixture(scope="module")
def research_index(tmp_path_factory):
    """An index of the seeds and two years of 诸暨市's reports."""
    raw = tmp_path_factory.mktemp("research") / "corpus" / "raw"
    raw.mkdir(parents=True)
    for page in [*SEED_FILES, *ZHUJI]:
        shutil.copy(page, raw / page.name)
    # The 2023 report as the crawler would have saved it: with where and when it was fetched.
    write_provenance(raw / ZHUJI[1].name, {"url": ORIGINAL, "final_url": ORIGINAL, "status": 200,
                                           "fetched_at": "2026-11-30T16:30:00+00:00"})
    index = raw.parent.parent / "index"
    rebuild(raw.parent, index, warn=lambda message: None)
    return index


@pytest.fixture(scope="module")
def research(research_index):
    """A test client over the research index, one for the module (its tests only read)."""
    return make_app({"TESTING": True, "INDEX_DIR": str(research_index)}).test_client()


def soup(client, path):
    """Return the parsed HTML of a page that must answer 200."""
    response = client.get(path)
    assert response.status_code == 200, path
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def test_citation_follows_gb_t_7714_with_the_paragraph():
    report = {"issuer": "诸暨市人民政府", "title": "诸暨市人民政府关于2022年度法治政府建设情况的报告",
              "doc_number": "诸政报〔2023〕5号", "pub_date": "2023-02-20", "source_url": "https://www.zhuji.gov.cn/a.html"}
    assert citation(report, "2026-12-01", "http://h/report/x#p-3", 3) == (
        "诸暨市人民政府. 诸暨市人民政府关于2022年度法治政府建设情况的报告：诸政报〔2023〕5号[EB/OL]. "
        "(2023-02-20)[2026-12-01]. https://www.zhuji.gov.cn/a.html. 第3段.")
    assert citation(report, "2026-12-01", "http://h/report/x").endswith("https://www.zhuji.gov.cn/a.html.")


def test_a_report_without_a_recorded_source_is_not_cited_at_this_site_as_if_it_were_its_source():
    bare = citation({"title": "某报告"}, "2026-12-01", "http://h/report/x#p-1", 1)
    assert bare == "某报告[EB/OL]. [2026-12-01]. 来源网址未记录，本站收录：http://h/report/x#p-1. 第1段."


def test_a_composed_title_is_cited_as_composed():
    composed = {"issuer": "罗店镇", "title": "罗店镇2020年法治政府建设情况报告", "title_composed": True}
    assert citation(composed, "2026-12-01", "http://h/report/x#p-1", 1).startswith(
        "罗店镇. [系统生成标题]罗店镇2020年法治政府建设情况报告[EB/OL].")


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_every_paragraph_offers_its_citation_without_javascript(research):
    page = soup(research, "/report/zhuji_2022")
    paragraph = page.select_one("#p-4")  # (p-2 and p-3 are headings, which offer no citation)
    link = paragraph.select_one("a.cite-link")
    assert link.get_text() == "复制引用" and link["href"] == "#cite-4"
    shown = page.select_one("#cite-4").get_text()
    assert link["data-citation"] in shown
    assert shown.startswith("引用第 4 段：诸暨市人民政府. 诸暨市人民政府关于2022年度法治政府建设情况的报告[EB/OL]. (2023-02-20)[")
    assert shown.endswith("/report/zhuji_2022#p-4. 第4段.")


def write_provenance(page, record):
    """Write the provenance record of a raw page as the fetcher does."""
    write_record(provenance_path(page), record)


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_a_fetched_report_shows_its_original_page_site_and_fetch_time_and_is_cited_there(research):
    page = soup(research, "/report/zhuji_2023")
    facts = {div.select_one("dt").get_text(): div.select_one("dd").get_text() for div in page.select(".facts > div")}
    assert facts["原文链接"] == ORIGINAL
    assert facts["来源网站"] == "www.zhuji.gov.cn（2026-12-01 00:30 北京时间抓取）"
    assert page.select_one("#cite-4").get_text().endswith(f"{ORIGINAL}. 第4段.")


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_a_report_lists_the_same_issuers_other_years_and_opens_them_side_by_side(research):
    page = soup(research, "/report/zhuji_2022")
    related = page.select_one(".related")
    assert "同一发布机关的其他年度" in related.get_text()
    other = related.select_one("a[href^='/report/zhuji_2023']")
    assert other.get_text() == "诸暨市人民政府关于2023年度法治政府建设情况的报告"
    compare = other.find_parent("li").select_one("a.compare-link")["href"]
    view = soup(research, compare + "&q=法律顾问")
    sections = [section.select_one("h2").get_text() for section in view.select(".compare-section")]
    assert sections == ["导语", "成效举措", "存在问题", "下一步计划"]
    problems = view.select(".compare-section")[2]
    left, right = problems.select(".compare-left p:not(.compare-col-title)"), problems.select(".compare-right p:not(.compare-col-title)")
    assert "执法力量与任务还不完全匹配" in " ".join(p.get_text() for p in left)
    assert "合法性审查力量薄弱" in " ".join(p.get_text() for p in right)
    # The query is marked in both reports.
    assert view.select(".compare-left mark") and view.select(".compare-right mark")
    assert all(mark.get_text() == "法律顾问" for mark in view.select(".compare-section mark"))


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_comparing_from_a_search_result_offers_the_reports_to_pick(research):
    results = soup(research, "/search?q=枫桥经验")
    pick = results.select_one(".hit a.compare-link")["href"]
    chooser = soup(research, pick)
    offers = [a["href"] for a in chooser.select(".compare-choices a")]
    assert offers and all(re.search(r"[?&]b=", href) for href in offers)
    assert soup(research, offers[0]).select(".compare-section")


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_an_unknown_report_to_compare_is_a_404_and_none_a_400(research):
    assert research.get("/compare?a=zhuji_2022&b=nothing").status_code == 404
    response = research.get("/compare")
    assert response.status_code == 400 and "参数 a 无效" in response.get_data(as_text=True)


def test_the_seeds_composed_title_and_missing_source_are_cited_as_such_everywhere(client):
    # 002 (罗店镇) has no title of its own and, as a text dump, no recorded address.
    report_id = "002_3e0c808a9c5a1d0f"
    page = soup(client, f"/report/{report_id}")
    cited = page.select_one("p.citation").get_text()
    assert "[系统生成标题]罗店镇2020年法治政府建设情况报告[EB/OL]" in cited
    assert f"来源网址未记录，本站收录：http://localhost/report/{report_id}#p-" in cited
    assert page.select_one(".report-citation").get_text().endswith(f"本站收录：http://localhost/report/{report_id}.")
    hits = client.get("/api/search?q=罗店镇&limit=all").get_json()["hits"]
    assert hits and all(hit["title_composed"] for hit in hits if hit["report_id"] == report_id)
    for hit in hits:
        assert "本站收录" in hit["citation"]
        assert ("[系统生成标题]" in hit["citation"]) == (hit["report_id"] == report_id)
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv?q=罗店镇").get_data().decode("utf-8-sig"))))
    assert {row["引用"] for row in rows} == {hit["citation"] for hit in hits}


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_a_report_downloads_as_a_word_document_with_its_facts_source_citation_and_numbers(research):
    page = soup(research, "/report/zhuji_2023")
    link = page.select_one("a.docx-link")
    assert link.get_text() == "下载 Word 文档" and link["href"] == "/report/zhuji_2023.docx"
    response = research.get(link["href"])
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    document = Document(io.BytesIO(response.data))
    lines = [paragraph.text for paragraph in document.paragraphs]
    report = research.application.extensions["search_engine"].report("zhuji_2023")
    assert lines[0] == report.title and document.core_properties.title == report.title
    assert f"发布机关：{report.issuer}" in lines and f"发布日期：{report.pub_date}" in lines
    assert f"原文链接：{ORIGINAL}" in lines
    links = [rel.target_ref for rel in document.part.rels.values() if rel.reltype.endswith("/hyperlink")]
    assert ORIGINAL in links and "http://localhost/report/zhuji_2023" in links
    cited = next(line for line in lines if line.startswith("引用本报告："))
    assert cited.endswith(f"{ORIGINAL}.") and "[EB/OL]" in cited
    numbered = lines[-len(report.paragraphs):]
    assert numbered == [f"{p.n}　{p.text}" for p in report.paragraphs]
    headings = [paragraph.text for paragraph in document.paragraphs if paragraph.style.name.startswith("Heading")]
    assert headings == [f"{p.n}　{p.text}" for p in report.paragraphs if p.heading]


@pytest.mark.integration  # rebuilds a corpus of its own (research_index)
def test_a_missing_report_has_no_word_document(research):
    assert research.get("/report/nothing.docx").status_code == 404


def test_the_compare_picker_hides_no_report_and_finds_the_others_by_title_or_issuer(client, monkeypatch):
    left = "000_ef5e6d0c53c68148"
    picker = soup(client, f"/compare?a={left}&q=枫桥经验")
    matching = [a.get_text() for a in picker.select(".compare-matching a")]
    others = [a.get_text() for a in picker.select(".compare-others li a")]
    assert len(matching) + len(others) == 4 and not set(matching) & set(others)
    assert all("含检索词" in li.get_text() for li in picker.select(".compare-matching li"))
    found = soup(client, f"/compare?a={left}&q=枫桥经验&find=街道")
    assert [a.get_text() for a in found.select(".compare-others li a")] == [t for t in others if "街道" in t]
    assert "未列出" in found.select_one(".compare-unlisted").get_text()
    # Past the first PICKER_OTHERS, the rest are counted and found by name, never dropped in silence.
    monkeypatch.setattr("web.compare.PICKER_OTHERS", 1)
    cut = soup(client, f"/compare?a={left}")
    assert len(cut.select(".compare-others li")) == 1
    assert "另有 3 篇未列出" in cut.select_one(".compare-unlisted").get_text()
