"""One issuer's reports by year (/timeline?issuer=…): what changed from each report to the next (paragraphs new,
dropped, rewritten, kept), linked from every report page and from the issuer facet, for every issuer of the corpus,
and a clear 404 for an issuer no report has."""
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from indexer.index.build import publish_reports
from model.report import Paragraph, Report
from search import SearchEngine

from conftest import make_app

ISSUER = "某县人民政府"
# Paragraphs of at least 30 characters, as the reuse stage compares them.
KEPT = "全县坚持以习近平法治思想为指导，深入推进法治政府建设，各项工作取得明显成效，群众满意度持续提升。"
REVIEW_2020 = "严格落实重大行政决策程序规定，全年对十二项重大行政决策事项开展合法性审查，做到应审尽审、不审不决。"
REVIEW_2021 = "严格落实重大行政决策程序规定，全年对十五项重大行政决策事项开展合法性审查，做到应审尽审、不审不决。"
DROPPED = "开展行政执法案卷评查活动，抽查执法案卷八十六卷，发现问题二十三个并督促整改到位，执法规范化水平提高。"
NEW_2021 = "深化“枫桥经验”县域实践，建成县乡村三级矛盾纠纷调解中心，化解各类矛盾纠纷一千二百余件，调解成功率较高。"
NEW_2022 = "全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，执法透明度和公信力不断增强。"
HEADING = "一、主要工作和成效"


def report(report_id, year, paragraphs, issuer=ISSUER):
    """Return a report of the issuer for a year, its paragraphs (text, heading) numbered from 1."""
    return Report(report_id=report_id, title=f"{issuer}{year}年法治政府建设情况报告", issuer=issuer, report_year=year,
                  pub_date=f"{year + 1}-03-01", level="county",
                  region={"province": "某省", "city": "某市", "county": "某县", "township": ""},
                  paragraphs=[Paragraph(n=n, text=text, heading=heading)
                              for n, (text, heading) in enumerate(paragraphs, start=1)])


REPORTS = [
    report("mx-2020", 2020, [(HEADING, True), (KEPT, False), (REVIEW_2020, False), (DROPPED, False)]),
    report("mx-2021", 2021, [(HEADING, True), (KEPT, False), (NEW_2021, False), (REVIEW_2021, False)]),
    report("mx-2022", 2022, [("一、2022年工作成效", True), (KEPT, False), (REVIEW_2021, False), (NEW_2021, False),
                             (NEW_2022, False)]),
    report("other-2021", 2021, [(KEPT, False)], issuer="另一县人民政府"),
]


@pytest.fixture(scope="module")
def years_index(tmp_path_factory):
    """A real index of one issuer's three years and another issuer's one report."""
    folder = tmp_path_factory.mktemp("timeline") / "index"
    publish_reports(folder, REPORTS)
    return folder


@pytest.fixture(scope="module")
def years_client(years_index):
    """A client of the site over that index, one for the module (its tests only read)."""
    return make_app({"TESTING": True, "INDEX_DIR": str(years_index)}).test_client()


def test_each_step_names_the_paragraphs_new_dropped_rewritten_and_kept(years_index):
    found = SearchEngine(years_index).timeline(ISSUER)
    assert [year["year"] for year in found["years"]] == [2020, 2021, 2022]
    first, second = found["steps"]
    assert (first["older"]["report_id"], first["newer"]["report_id"]) == ("mx-2020", "mx-2021")
    # 2020 → 2021: the lead kept, the review rewritten (十二 → 十五), the case review dropped, 枫桥经验 new; the
    # heading never counts.
    assert first["kept"] == 1
    assert [(before.n, after.n) for before, after, _similarity in first["rewritten"]] == [(3, 4)]
    assert [p.text for p in first["dropped"]] == [DROPPED] and [p.text for p in first["new"]] == [NEW_2021]
    # 2021 → 2022: three kept word for word (moved or not), one new, nothing dropped or rewritten.
    assert second["kept"] == 3 and not second["rewritten"] and not second["dropped"]
    assert [p.text for p in second["new"]] == [NEW_2022]


def test_the_page_lists_the_years_and_marks_what_a_rewrite_changed(years_client):
    page = BeautifulSoup(years_client.get("/timeline", query_string={"issuer": ISSUER}).get_data(as_text=True),
                         "lxml")
    assert page.h1.get_text() == f"{ISSUER} 历年报告"
    assert [span.get_text() for span in page.select(".timeline-year")] == ["2020 年度", "2021 年度", "2022 年度"]
    steps = page.select("section.timeline-step")
    assert [step.h3.get_text() for step in steps] == ["2020 → 2021 年度", "2021 → 2022 年度"]
    counts = [step.select_one(".step-counts").get_text(" ", strip=True) for step in steps]
    assert counts[0].startswith("新增 1 段 删去 1 段 改写 1 段 保留 1 段")
    # The rewrite side by side: only the older's 二 struck through, only the newer's 五 underlined, each linked.
    pair = steps[0].select_one(".step-rewritten-list")
    assert [d.get_text() for d in pair.select("del.diff")] == ["二"] and [i.get_text() for i in pair.select("ins.diff")] == ["五"]
    assert [a["href"] for a in pair.select(".compare-col-title a")] == ["/report/mx-2020#p-3", "/report/mx-2021#p-4"]
    new = steps[0].select_one(".step-new-list li")
    assert new.a["href"] == "/report/mx-2021#p-3" and NEW_2021 in new.get_text()
    assert steps[0].select_one(".step-dropped-list li a")["href"] == "/report/mx-2020#p-4"


def test_every_report_page_and_the_issuer_facet_link_the_timeline(years_client):
    for made in REPORTS:
        page = BeautifulSoup(years_client.get(f"/report/{made.report_id}").get_data(as_text=True), "lxml")
        link = page.select_one("a.timeline-link")
        assert parse_qs(urlsplit(link["href"]).query) == {"issuer": [made.issuer]}
        listed = BeautifulSoup(years_client.get(link["href"]).get_data(as_text=True), "lxml")
        assert f"/report/{made.report_id}" in {a["href"] for a in listed.select(".timeline-years a")}
    results = BeautifulSoup(years_client.get("/search?q=法治").get_data(as_text=True), "lxml")
    group = results.select_one("section[aria-labelledby=facet-issuer]")
    timelines = {a["href"] for a in group.select("a.facet-timeline")}
    assert timelines == {f"/timeline?issuer={issuer}" for issuer in ("%E6%9F%90%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C",
                                                                     "%E5%8F%A6%E4%B8%80%E5%8E%BF%E4%BA%BA%E6%B0%91%E6%94%BF%E5%BA%9C")}


def test_every_issuer_of_the_seed_corpus_has_its_timeline(client, engine):
    rows = engine.overview()["reports"]
    issuers = {row["issuer"] for row in rows if row["issuer"]}
    assert len(issuers) == len({row["issuer"] for row in rows}) > 1
    for issuer in issuers:
        response = client.get("/timeline", query_string={"issuer": issuer})
        assert response.status_code == 200, issuer
        page = BeautifulSoup(response.get_data(as_text=True), "lxml")
        listed = {a["href"].split("/report/", 1)[1] for a in page.select(".timeline-years a")}
        assert listed == {row["report_id"] for row in rows if row["issuer"] == issuer}


def test_an_unknown_issuer_is_a_404_page_saying_so_and_a_missing_one_a_400(years_client):
    response = years_client.get("/timeline", query_string={"issuer": "没有这个机关<b>"})
    page = BeautifulSoup(response.get_data(as_text=True), "lxml")
    assert response.status_code == 404 and page.h1.get_text() == "没有这个发布机关的报告"
    assert "没有发布机关为“没有这个机关<b>”的报告" in page.select_one(".error").get_text() and not page.select(".error b")
    response = years_client.get("/timeline")
    assert response.status_code == 400 and "issuer" in response.get_data(as_text=True)
