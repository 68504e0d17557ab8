"""The documents a report cites (issue 25, item 7's groundwork): extracted by the cleaner, laws folded to their full
names by the list kept as data, shown on the report page with a search for each."""
from collections import Counter
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup

from indexer.clean.citations import cited_documents
from indexer.clean.textpage import clean_text
from model.laws import LAWS_FILE, full_name, listed_names, short_name
from model.report import Paragraph
from model.text import normalize


def paragraphs(*texts):
    """Return body paragraphs holding the texts."""
    return [Paragraph(n=n, text=text) for n, text in enumerate(texts, 1)]


def test_laws_are_folded_to_their_full_names_and_local_documents_kept_as_written():
    found = cited_documents(paragraphs(
        "认真贯彻《宪法》《民法典》和新修订的《行政复议法》，落实《中华人民共和国行政复议法》。",
        "制定《2023年某某县法治政府建设工作要点》，执行《重大行政决策程序暂行条例》和《 政府信息公开条例 》。",
        "学习《党政主要负责人履行推进法治建设第一责任人职责规定》，对照《宪法》。"))
    assert found == ["中华人民共和国宪法", "中华人民共和国民法典", "中华人民共和国行政复议法",
                     "2023年某某县法治政府建设工作要点", "重大行政决策程序暂行条例", "中华人民共和国政府信息公开条例",
                     "党政主要负责人履行推进法治建设第一责任人职责规定"]


def test_the_reports_own_title_stray_marks_and_traditional_characters():
    found = cited_documents(paragraphs("现将《某某县2023年法治政府建设情况报告》报告如下。", "《憲法》和《民法典》",
                                       "一个没有合上的《书名号，" + "字" * 200 + "》"),
                            title="某某县2023年法治政府建设情况报告")
    assert found == ["中华人民共和国宪法", "中华人民共和国民法典"]


def test_no_short_name_of_the_list_stands_for_two_documents():
    owners = {}
    for full, others in listed_names(LAWS_FILE.read_text(encoding="utf-8")):
        for name in {full, short_name(full), *others}:
            owners.setdefault(normalize(name), set()).add(full)
    assert {name: fulls for name, fulls in owners.items() if len(fulls) > 1} == {}
    counted = Counter(full for full, _others in listed_names(LAWS_FILE.read_text(encoding="utf-8")))
    assert len(counted) >= 300 and max(counted.values()) == 1
    assert full_name("民法典") == "中华人民共和国民法典" and full_name("地方组织法").endswith("地方各级人民政府组织法")
    assert full_name("某某县工作要点") is None


def test_the_cleaner_gives_a_report_its_citations():
    report = clean_text("某某县人民政府关于2023年度法治政府建设情况的报告\n"
                        "2023年，我县深入贯彻《宪法》，认真落实《法治政府建设实施纲要（2021-2025年）》，全面推进依法行政。\n"
                        "严格执行《中华人民共和国行政处罚法》，规范行政执法行为。\n"
                        "坚持依法决策，完善重大行政决策程序，重大事项均经合法性审查和集体讨论决定。\n"
                        "推进政务公开，全年主动公开政府信息一千二百余条，依申请公开答复率百分之百。\n"
                        "加强行政执法监督，开展行政执法案卷评查，整改发现的问题二十三个。\n"
                        "提升基层治理法治化水平，建成村级公共法律服务工作室八十个，化解矛盾纠纷四百余件。\n"
                        "深化法治宣传教育，落实谁执法谁普法责任制，组织开展宪法宣传周和民法典宣传月活动。\n"
                        + "某某县人民政府\n2024年3月1日", "cites")
    assert report.citations == ["中华人民共和国宪法", "法治政府建设实施纲要（2021-2025年）", "中华人民共和国行政处罚法"]


def test_the_report_page_lists_the_cited_documents_with_a_filter_and_a_search_for_each(client, engine):
    report_id = "002_3e0c808a9c5a1d0f"
    cited = engine.report(report_id).citations
    assert "中华人民共和国民法典" in cited
    page = BeautifulSoup(client.get(f"/report/{report_id}").get_data(as_text=True), "lxml")
    links = page.select(".cited li a.cited-filter")
    assert [a.get_text() for a in links] == [f"《{name}》" for name in cited]
    law = next(a for a in links if a.get_text() == "《中华人民共和国民法典》")
    assert parse_qs(urlsplit(law["href"]).query) == {"cites": ["中华人民共和国民法典"]}
    search = law.find_next_sibling("a", class_="cited-search")
    assert parse_qs(urlsplit(search["href"]).query) == {"q": ['"民法典"']}
    found = client.get(search["href"].replace("/search", "/api/search")).get_json()
    assert found["total"] > 0 and all("民法典" in hit["text"] for hit in found["hits"])
