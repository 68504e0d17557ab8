"""The web routes through the Flask test client: every page, every URL parameter, exports, errors, headers."""
import csv
import io
import json
import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from app import SECURITY_HEADERS
from web.charts import column_chart
from web.export import columns, csv_bytes, export_name
from web.links import FACET_SHOWN, facet_group, page_numbers
from web.state import SearchState

from browsing import read_counts
from conftest import client_beside_a_seed, make_app, run_module

# 法治 finds 83 paragraphs in 5 reports of the seeds: more than one page of 20.
BROAD = "法治"


def soup(client, url, status=200):
    """Fetch a page, check its status and return it parsed."""
    response = client.get(url)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    return BeautifulSoup(response.get_data(as_text=True), "lxml")


def params(href):
    """Return the query parameters of a link as {name: [values]}."""
    return parse_qs(urlsplit(href).query)


def count_line(page):
    """Return (paragraphs, reports) from the results page's count line."""
    numbers = [int(n.get_text()) for n in page.select(".count strong")]
    return numbers[0], numbers[1]


def facet_links(page, group):
    """Return {value: (href, selected, count)} of one facet group in the sidebar."""
    found = {}
    for link in page.select(f"section[aria-labelledby=facet-{group}] a.facet-value"):
        name = link.select_one(".facet-name").get_text()
        found[name] = (link["href"], "selected" in link["class"], read_counts(link.select_one(".facet-count").get_text())[1])
    return found


def chip_links(page):
    """Return {label: href} of the chips of the filters in force."""
    return {chip.select_one("span").get_text(): chip["href"] for chip in page.select("a.chip")}


# Search page.

def test_home_has_search_box_examples_and_syntax_in_chinese(client):
    page = soup(client, "/")
    assert page.html["lang"] == "zh-CN"
    form = page.select_one("form.searchbox")
    assert form["action"] == "/search" and form["method"] == "get"
    assert {i["value"] for i in form.select("input[name=scope]")} == {"all", "title"}
    examples = [a["href"] for a in page.select(".examples a")]
    assert examples and all(a.startswith("/search?q=") for a in examples)
    assert page.select_one("#syntax") is not None and "同句(" in page.select_one("#syntax").get_text()


def test_search_lists_three_hits_with_paragraph_links(client):
    page = soup(client, "/search?q=枫桥经验")
    links = [a["href"] for a in page.select("a.para-link")]
    assert len(set(links)) == 3 and all("查看原文段落" in a.get_text() for a in page.select("a.para-link"))
    assert all(re.fullmatch(r"/report/[\w-]+\?q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C#p-\d+", link) for link in links)
    assert [m.get_text() for m in page.select(".snippet mark")] == ["枫桥经验"] * 3
    assert page.select_one("#q")["value"] == "枫桥经验"
    assert count_line(page) == (3, 3)


def test_hit_shows_title_region_year_section_and_its_paragraph_link(client):
    api = client.get("/api/search?q=枫桥经验").get_json()["hits"][0]
    assert api["url"] == f"/report/{api['report_id']}#p-{api['n']}"  # the API keeps the plain link
    hit = soup(client, "/search?q=枫桥经验").select_one(".hit")
    assert hit.select_one(".hit-title").get_text(strip=True) == "湘桥街道2020年度法治政府建设情况报告"
    meta = hit.select_one(".hit-meta").get_text(" ", strip=True)
    assert "广东省 · 潮州市 · 湘桥区 · 湘桥街道" in meta and "2020 年度" in meta and "成效举措" in meta
    link = hit.select_one("a.para-link")["href"]
    assert link == f"/report/{api['report_id']}?q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C#p-{api['n']}"


def test_region_shown_once_when_city_repeats_province(client):
    hit = soup(client, "/search?q=枫桥经验&province=上海市").select_one(".hit-meta")
    assert "上海市 · 宝山区 · 罗店镇" in hit.get_text(" ", strip=True)


def test_filters_sort_and_scope_are_kept_in_every_link_and_the_form(client):
    page = soup(client, f"/search?q={BROAD}&province=广东省&sort=newest")
    # Every link that narrows, widens, orders or pages the search (an issuer's timeline is another page).
    links = [a["href"] for a in page.select(".facets a:not(.facet-timeline), .chips a, .tabs a, .export a, .pager a")]
    assert links
    for href in links:
        assert params(href)["q"] == [BROAD] and params(href)["sort"] == ["newest"]
    hidden = {(i["name"], i["value"]) for i in page.select("form.searchbox input[type=hidden]")}
    assert hidden == {("province", "广东省"), ("sort", "newest")}
    chips = chip_links(page)
    assert list(chips) == ["省：广东省"]
    assert "province" not in params(chips["省：广东省"])
    current = page.select_one(".sort a[aria-current=true]")
    assert current.get_text() == "最新"


def test_facet_counts_and_filters_change_the_hits(client):
    page = soup(client, f"/search?q={BROAD}")
    provinces = facet_links(page, "province")
    href, selected, count = provinces["广东省"]
    assert not selected
    narrowed = soup(client, href)
    assert count_line(narrowed)[0] == count < count_line(page)[0]
    assert facet_links(narrowed, "province")["广东省"][1]  # now selected
    assert facet_links(narrowed, "year") != facet_links(page, "year")


def test_several_values_of_one_facet_are_any_of_them(client):
    page = soup(client, f"/search?q={BROAD}&year=2020")
    years = facet_links(page, "year")
    assert years["2020"][1] and not years["2023"][1]
    both = years["2023"][0]
    assert params(both)["year"] == ["2020", "2023"]
    assert count_line(soup(client, both))[0] == years["2020"][2] + years["2023"][2]
    assert "year" not in params(years["2020"][0])  # clicking a selected value removes it


def test_region_drills_down_and_a_removed_province_takes_its_city_along(client):
    page = soup(client, f"/search?q={BROAD}&province=广东省")
    cities = facet_links(page, "city")
    assert list(cities) == ["潮州市"]
    city_page = soup(client, cities["潮州市"][0])
    assert params(cities["潮州市"][0])["province"] == ["广东省"]
    assert "湘桥区" in facet_links(city_page, "county")
    chips = chip_links(city_page)
    assert set(chips) == {"省：广东省", "市：潮州市"}
    assert params(chips["省：广东省"]) == {"q": [BROAD]}
    assert params(chips["市：潮州市"])["province"] == ["广东省"]


def test_a_year_range_selects_its_years_and_clicking_one_drops_the_range(client):
    page = soup(client, f"/search?q={BROAD}&year=2020-2023")
    years = facet_links(page, "year")
    assert years["2020"][1] and years["2023"][1] and not years["2024"][1]
    assert "year" not in params(years["2020"][0])
    assert "报告年度：2020-2023" in chip_links(page)


def test_pages_link_with_numbers_previous_and_next(client):
    first = soup(client, f"/search?q={BROAD}")
    assert len(first.select(".hit")) == 20
    numbers = [a.get_text() for a in first.select(".pager a") if a.get_text().isdigit()]
    assert numbers == ["1", "2", "3", "4", "5"]
    third = soup(client, f"/search?q={BROAD}&page=3")
    assert third.select_one("ol.hits")["start"] == "41"
    assert params(third.select_one(".pager a[rel=prev]")["href"])["page"] == ["2"]
    assert params(third.select_one(".pager a[rel=next]")["href"])["page"] == ["4"]
    page_one = third.select_one(".pager").find("a", string="1")["href"]
    assert "page" not in params(page_one)
    assert third.select_one(".pager a[aria-current=page]").get_text() == "3"


def test_a_page_past_the_end_says_so_and_offers_the_pages(client):
    page = soup(client, f"/search?q={BROAD}&page=9")
    assert "超出范围" in page.select_one(".notices").get_text()
    assert page.select(".hit") == [] and page.select_one(".pager") is not None


def test_sort_orders_by_report_year_then_publication_date(client):
    def titles(sort):
        """Return the titles of the reports in the order of their first hit, each once."""
        found, page, pages = [], 1, 1
        while page <= pages:
            results = client.get(f"/api/search?q={BROAD}&sort={sort}&limit=100&page={page}").get_json()
            found += [hit["title"] for hit in results["hits"]]
            page, pages = page + 1, results["pages"]
        return list(dict.fromkeys(found))

    # The 2024 report has no publication date: its year still makes it the newest.
    assert titles("newest")[0] == "草滩街道2024年法治政府建设工作报告"
    assert soup(client, f"/search?q={BROAD}&sort=newest").select_one(".hit-title").get_text(strip=True) \
        == "草滩街道2024年法治政府建设工作报告"
    # Of the reports on 2020 the dated ones come first, by date, and the undated one after them.
    assert titles("oldest")[:3] == ["湘桥街道2020年度法治政府建设情况报告",
                                    "芙蓉区人民政府关于2020年度法治政府建设情况的报告", "罗店镇2020年法治政府建设情况报告"]


def test_title_scope_searches_titles_only(client):
    page = soup(client, "/search?q=街道&scope=title")
    assert page.select_one("input[name=scope][value=title]").has_attr("checked")
    assert "标题含" in page.select_one(".description").get_text()
    assert count_line(page) == (2, 58 + 24)  # two 街道 reports, all their paragraphs
    # One row per report, not one per paragraph: its title marked and its paragraph count.
    titles = [t.get_text(strip=True) for t in page.select(".hit-title")]
    assert len(titles) == len(set(titles)) == 2
    assert all(t.select_one("mark").get_text() == "街道" for t in page.select(".hit-title"))
    assert sorted(int(re.search(r"(\d+) 段", p.get_text()).group(1)) for p in page.select(".para-no")) == [24, 58]
    assert all("?q=" not in a["href"] for a in page.select("a.para-link"))
    # The sidebar counts reports too.
    assert sum(read_counts(c.get_text())[0] for c in page.select("#facet-province ~ ul .facet-count")) == 2
    api = client.get("/api/search?q=街道&scope=title").get_json()
    assert (api["total"], api["total_reports"], api["total_paragraphs"], api["scope"]) == (2, 2, 82, "title")
    assert sorted(hit["paragraphs"] for hit in api["hits"]) == [24, 58]
    assert client.get("/api/search?q=街道").get_json()["total"] != 2


def test_unknown_scope_is_a_chinese_400(client):
    response = client.get("/search?q=法治&scope=body")
    assert response.status_code == 400 and "参数 scope 无效" in response.get_data(as_text=True)
    assert client.get("/api/search?q=法治&scope=body").get_json()["parameter"] == "scope"


def test_empty_result_offers_to_drop_filters_and_shows_the_syntax(client):
    page = soup(client, "/search?q=枫桥经验&year=2024")
    assert count_line(page)[0] == 0
    drop = page.find("a", string="去掉全部筛选条件再检索")["href"]
    assert params(drop) == {"q": ["枫桥经验"]}
    assert count_line(soup(client, drop))[0] == 3
    assert page.select_one("#syntax") is not None
    titles = soup(client, "/search?q=枫桥经验&scope=title")
    assert params(titles.find("a", string="改为在全文中检索")["href"]) == {"q": ["枫桥经验"]}


def test_no_query_asks_for_one(client):
    page = soup(client, "/search")
    assert "请输入检索词" in page.h1.get_text() and page.select(".hit") == []


def test_filters_alone_browse_their_paragraphs(client):
    page = soup(client, "/search?year=2024")
    assert count_line(page) == (24, 1)


def test_bad_page_is_a_chinese_400_naming_it(client):
    response = client.get(f"/search?q={BROAD}&page=abc")
    assert response.status_code == 400 and "参数 page 无效" in response.get_data(as_text=True)


# Report page.

def test_report_page_shows_its_facts_and_source(client):
    page = soup(client, "/report/004_f24fc2990dbe03d0")
    facts = dict(zip([dt.get_text() for dt in page.select(".facts dt")],
                     [dd.get_text(" ", strip=True) for dd in page.select(".facts dd")]))
    assert facts["发布机关"] == "高台县城关镇人民政府" and facts["层级"] == "乡镇"
    assert facts["文号"] == "政府报〔2024〕9号"
    assert facts["发布日期"] == "2024-03-18" and facts["报告年度"] == "2023 年度"
    assert facts["地区"] == "甘肃省 · 张掖市 · 高台县 · 城关镇"
    assert facts["原文链接"].startswith("来源网址未记录") and "004_f24fc2990dbe03d0.txt" in facts["原文链接"]


def test_composed_title_is_marked(client):
    assert "标题为系统生成" in soup(client, "/report/002_3e0c808a9c5a1d0f").select_one(".report-head").get_text()
    assert "标题为系统生成" not in soup(client, "/report/000_ef5e6d0c53c68148").get_text()


def test_tampered_page_warning_is_in_a_notice_box(client):
    box = soup(client, "/report/001_3803b543c87d1562").select_one(".warning-box")
    assert box is not None and "页面疑遭篡改" in box.get_text()
    assert soup(client, "/report/000_ef5e6d0c53c68148").select_one(".warning-box") is None


def test_outline_nests_the_headings_and_links_to_them(client):
    page = soup(client, "/report/000_ef5e6d0c53c68148")
    top = page.select(".outline > details > ol > li")
    assert [li.a.get_text() for li in top] == ["一、2020年法治政府建设主要工作内容", "二、下一步工作思路"]
    second_level = [li.a.get_text() for li in top[0].select(":scope > ol > li")]
    assert len(second_level) == 9 and second_level[4].startswith("(五)")
    third_level = top[0].select(":scope > ol > li")[4].select(":scope > ol > li")
    assert [li.a.get_text() for li in third_level] == ["1、依靠群众借民力。", "2、立试点树示范。", "3、勤防范保平安。"]
    for link in page.select(".outline a"):
        assert page.find(id=link["href"][1:]) is not None


def test_every_paragraph_has_an_anchor_and_its_own_link(client, engine):
    report = engine.report("000_ef5e6d0c53c68148")
    page = soup(client, "/report/000_ef5e6d0c53c68148")
    for paragraph in report.paragraphs:
        element = page.find(id=f"p-{paragraph.n}")
        assert element is not None and element.select_one("a.pnum")["href"] == f"#p-{paragraph.n}"
        assert element.select_one(".ptext").get_text() == paragraph.text
    headings = page.select(".report-body h2.para, .report-body h3.para, .report-body h4.para")
    assert len(headings) == sum(p.heading for p in report.paragraphs)


def test_report_marks_the_query_throughout(client):
    page = soup(client, "/report/001_3803b543c87d1562?q=法治")
    marked = [p["id"] for p in page.select(".para") if p.select("mark")]
    assert len(marked) > 3 and all(m.get_text() == "法治" for m in page.select(".report-body mark"))
    bar = page.select_one(".query-bar")
    assert f"{len(marked)} 段" in bar.get_text()
    assert [a["href"] for a in bar.select("a[href^='#']:not(.match-step)")] == [f"#{i}" for i in marked]
    assert bar.select_one(".match-step")["href"] == f"#{marked[0]}"
    assert soup(client, "/report/001_3803b543c87d1562").select("mark") == []


def test_each_match_links_to_the_previous_and_next_without_javascript(client):
    page = soup(client, "/report/001_3803b543c87d1562?q=法治")
    matched = [p["id"] for p in page.select(".para.matched")]
    for place, para_id in enumerate(matched):
        nav = page.select_one(f"#{para_id} .match-nav")
        assert f"第 {place + 1}/{len(matched)} 处" in nav.get_text()
        previous, following = nav.select_one("a[rel=prev]"), nav.select_one("a[rel=next]")
        assert (previous["href"] if previous else None) == (f"#{matched[place - 1]}" if place else None)
        assert (following["href"] if following else None) == (
            f"#{matched[place + 1]}" if place + 1 < len(matched) else None)


def test_report_escapes_the_query(client):
    html = client.get('/report/001_3803b543c87d1562?q=<script>alert(1)</script>').get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html


def test_unknown_report_is_a_chinese_404(client):
    response = client.get("/report/does-not-exist")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


# Trends.

def test_trends_draw_the_year_and_province_facets_with_links(client):
    api = client.get(f"/api/search?q={BROAD}").get_json()["facets"]
    page = soup(client, f"/trends?q={BROAD}")
    paragraph_bars = {a["aria-label"]: a["href"] for a in page.select(".column-chart")[1].select("a")}
    for row in api["year"]:
        label = f"{row['value']} 年：{row['count']} 段"
        assert params(paragraph_bars[label]) == {"q": [BROAD], "year": [row["value"]]}
    bars = page.select(".column-chart")[1].select(".bar")
    assert [b.select_one(".label").get_text() for b in bars] == ["2020", "2021", "2022", "2023", "2024"]
    assert len(paragraph_bars) == 3  # the years without hits are drawn as gaps, without a link
    wide = page.select_one(".rank-wide")
    provinces = api["region"]["levels"][0]["values"]
    labels = [a["aria-label"] for a in wide.select("a")]
    assert sorted(labels) == sorted(f"{row['value']}：{row['reports']} / 1 篇报告提及（100%），{row['count']} 段"
                                    for row in provinces)
    assert params(wide.select_one("a")["href"])["province"] == [labels[0].split("：")[0]]


def test_trends_show_shares_of_the_reports_with_their_denominators(client):
    # 枫桥经验 is in 3 reports: two of the three 2020 reports and the 2023 one.
    page = soup(client, "/trends?q=枫桥经验")
    shares = [a["aria-label"] for a in page.select(".column-chart")[0].select("a")]
    assert "2020 年：2 / 3 篇报告提及（66.7%）" in shares and "2023 年：1 / 1 篇报告提及（100%）" in shares
    table = [[cell.get_text(strip=True) for cell in row.select("th, td")] for row in page.select(".chart-data tbody tr")]
    assert ["2020", "2", "3", "66.7%", "2"] in table
    # Under a filter the denominators are the reports that filter selects.
    narrowed = soup(client, "/trends?q=枫桥经验&level=township")
    # (the 2020 county report of 芙蓉区 drops out of both)
    assert "2020 年：2 / 2 篇报告提及（100%）" in [a["aria-label"] for a in narrowed.select(".column-chart")[0].select("a")]


def test_trends_compare_two_queries_on_one_chart(client):
    page = soup(client, "/trends?q=枫桥经验&vs=网格化")
    bars = page.select(".column-chart")[0].select(".bar")
    assert {" ".join(b["class"]) for b in bars} >= {"bar series-1", "bar series-2"}
    titles = [b.select_one("title").get_text() for b in bars]
    assert any("提及“网格化”" in title for title in titles) and any("提及“枫桥经验”" in title for title in titles)
    assert "网格化" in page.select_one(".legend").get_text()
    assert page.select_one("#vs")["value"] == "网格化"


def test_trends_count_each_facet_without_its_own_filter(client):
    page = soup(client, f"/trends?q={BROAD}&province=广东省&city=潮州市")
    labels = [a["aria-label"] for a in page.select(".rank-wide a")]
    assert len(labels) == 5  # every province, not just the chosen one
    link = params(page.select_one(".rank-wide a")["href"])
    assert "city" not in link and len(link["province"]) == 1


def test_trends_without_a_query_ask_for_one(client):
    assert "请先输入检索词" in soup(client, "/trends").get_text()


# A report of our own that names no place and no year, with a seed beside it that names both.
UNPLACED = """某某县法治政府建设情况报告

今年以来，我县坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，全面推进依法行政，法治政府建设取得新的进展。

一、主要工作举措

（一）深化行政审批制度改革。我县持续推进简政放权，梳理公布权责清单，优化政务服务流程，企业开办时间压缩到一个工作日以内。

（二）完善依法决策机制。严格落实重大行政决策程序规定，重大决策事项全部经过合法性审查和集体讨论决定，法律顾问参与决策论证。

二、存在的问题

一是部分干部法治意识有待加强；二是基层执法力量相对薄弱，执法人员业务能力参差不齐。
"""


@pytest.fixture(scope="module")
def unplaced_client(tmp_path_factory):
    """A client of an index of one seed and a report with neither a province nor a year."""
    return client_beside_a_seed(tmp_path_factory.mktemp("unplaced"), {"unplaced.txt": UNPLACED})


@pytest.mark.integration  # rebuilds a corpus
@pytest.mark.parametrize("vs", ["", "执法人员业务能力"])
def test_trends_without_a_province_or_a_year_say_so(unplaced_client, vs):
    """Hits only in a report naming neither: each chart says why it is empty instead of the page failing."""
    page = soup(unplaced_client, "/trends?q=企业开办时间" + (f"&vs={vs}" if vs else ""))
    notes = [note.get_text() for note in page.select(".no-data")]
    assert len(notes) == 2 and "没有报告年度" in notes[0] and "没有省份" in notes[1]
    assert not page.select(".rank-chart") and not page.select(".column-chart")
    # Beside hits that have both, the charts show those.
    both = soup(unplaced_client, "/trends?q=法治政府建设")
    assert not both.select(".no-data") and both.select(".rank-chart") and both.select(".column-chart")


# Exports.

def test_csv_export_holds_every_hit_in_excel_friendly_utf8(client):
    total = client.get(f"/api/search?q={BROAD}").get_json()["total"]
    response = client.get(f"/export.csv?q={BROAD}")
    assert response.mimetype == "text/csv"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith(f"法治报告检索-{BROAD}-")
    assert response.data.startswith(b"\xef\xbb\xbf")
    reader = csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))
    rows = list(reader)
    # The registry's fields in its order (the sidebar's), then the paragraph's columns.
    assert reader.fieldnames == ["报告标题", "标题为系统生成", "省份", "城市", "区县", "乡镇街道", "层级", "发布机关", "报告年度", "发布日期",
                                 "报告部分", "引用的法规文件", "文号", "原文链接", "文字识别（OCR）", "所在标题", "段落序号", "段落文本", "段落链接",
                                 "引用", "报告编号", "相似段落组", "最早出处", "最早出处链接"]
    assert len(rows) == total > 20
    assert all(BROAD in row["段落文本"] for row in rows)
    first = rows[0]
    assert first["段落链接"] == f"http://localhost/report/{first['报告编号']}#p-{first['段落序号']}"
    assert first["引用"].endswith(f"{first['段落链接']}. 第{first['段落序号']}段.")
    assert {row["层级"] for row in rows} <= {"乡镇", "县级"} and any(row["文号"] for row in rows)
    assert {row["文字识别（OCR）"] for row in rows} == {""}  # no seed was read by OCR


def test_exports_follow_the_filters_and_sort(client):
    filtered = client.get(f"/api/search?q={BROAD}&province=广东省").get_json()["total"]
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/export.csv?q={BROAD}&province=广东省&sort=oldest").data.decode("utf-8-sig"))))
    assert len(rows) == filtered and {row["省份"] for row in rows} == {"广东省"}
    assert [int(row["段落序号"]) for row in rows] == sorted(int(row["段落序号"]) for row in rows)


def test_json_export_is_a_list_of_hits_with_metadata_and_links(client):
    total = client.get(f"/api/search?q={BROAD}").get_json()["total"]
    response = client.get(f"/export.json?q={BROAD}")
    assert response.headers["Content-Disposition"].startswith("attachment;")
    hits = json.loads(response.data)
    assert isinstance(hits, list) and len(hits) == total
    assert set(hits[0]) >= {"report_id", "n", "title", "issuer", "level", "region", "report_year", "pub_date",
                            "doc_number", "section_class", "section_path", "text", "url", "source_url", "citation"}
    assert hits[0]["url"].startswith("http://localhost/report/")
    assert set(hits[0]) >= {column.key for column in columns()} - {"province", "city", "county", "township"}


def test_exports_and_the_api_link_below_the_path_the_site_is_served_under(client):
    """Behind a proxy at /fz (SCRIPT_NAME), absolute links carry it: tests/test_subpath.py checks every link."""
    under = {"base_url": "http://localhost/fz/"}
    hits = json.loads(client.get(f"/export.json?q={BROAD}", **under).data)
    assert hits and all(hit["url"].startswith("http://localhost/fz/report/") for hit in hits)
    rows = list(csv.DictReader(io.StringIO(client.get(f"/export.csv?q={BROAD}", **under).data.decode("utf-8-sig"))))
    assert rows and all(row["段落链接"].startswith("http://localhost/fz/report/") for row in rows)
    api = client.get(f"/api/search?q={BROAD}", **under).get_json()["hits"]
    assert api and all(hit["url"].startswith("/fz/report/") for hit in api)


def test_an_export_holds_at_most_its_limit_first_in_the_search_order(seed_index):
    """Beyond the limit, the export keeps the best hits and the results page says so."""
    client = make_app({"TESTING": True, "INDEX_DIR": str(seed_index), "MAX_EXPORT_HITS": 5}).test_client()
    first = [(hit["report_id"], hit["n"]) for hit in
             client.get(f"/api/search?q={BROAD}&sort=newest&limit=5").get_json()["hits"]]
    rows = list(csv.DictReader(io.StringIO(
        client.get(f"/export.csv?q={BROAD}&sort=newest").data.decode("utf-8-sig"))))
    assert [(row["报告编号"], int(row["段落序号"])) for row in rows] == first
    page = client.get(f"/search?q={BROAD}").get_data(as_text=True)
    assert "导出按当前排序的前 5 条" in page


def test_csv_cells_never_run_as_formulas():
    hit = {"report_id": "r", "n": 1, "title": "=HYPERLINK(\"x\")", "issuer": "@x", "level": "", "region": {},
           "report_year": None, "pub_date": "", "section_class": "", "section_path": [], "heading": False,
           "text": "-1+2"}
    row = next(csv.DictReader(io.StringIO(csv_bytes([hit], "http://h/").decode("utf-8-sig"))))
    assert row["报告标题"] == "'=HYPERLINK(\"x\")" and row["发布机关"] == "'@x" and row["段落文本"] == "'-1+2"
    assert row["段落链接"] == "http://h/report/r#p-1"


def test_export_file_name_is_safe():
    name = export_name('a/b:"c"*<d>|e', "csv")
    assert not set('/\\:"*<>|') & set(name) and name.endswith(".csv")
    assert export_name("", "json").startswith("法治报告检索-全部-")


# Corpus page.

def test_corpus_page_counts_reports_by_year_and_province(client):
    page = soup(client, "/corpus")
    lead = page.select_one(".lead").get_text()
    assert "5 篇报告" in lead and "179 个段落" in lead and "北京时间" in lead
    years = {row.th.get_text(): (row.th.a["href"], [td.get_text() for td in row.select("td")])
             for row in page.select("section[aria-labelledby=corpus-years] tbody tr")}
    assert years["2020"][1] == ["3", "118"]
    assert count_line(soup(client, years["2020"][0])) == (118, 3)
    provinces = {row.th.get_text(): row.th.a["href"] for row in page.select("section[aria-labelledby=corpus-provinces] tbody tr")}
    assert set(provinces) == {"广东省", "湖南省", "上海市", "陕西省", "甘肃省"}
    assert count_line(soup(client, provinces["广东省"])) == (58, 1)


def test_corpus_page_lists_the_reports_and_how_to_add_more(client):
    page = soup(client, "/corpus")
    links = [a["href"] for a in page.select(".report-list a")]
    assert len(links) == 5
    for href in links:
        assert client.get(href).status_code == 200
    howto = page.select_one(".howto").get_text()
    assert "python -m indexer rebuild" in howto and "corpus/raw/" in howto


def test_missing_index_page_names_rebuild_command(tmp_path):
    client = make_app({"TESTING": True, "INDEX_DIR": str(tmp_path / "none")}).test_client()
    for url in ["/search?q=法治", "/corpus", "/trends?q=法治", "/export.csv?q=法治"]:
        response = client.get(url)
        assert response.status_code == 503
        assert "python -m indexer rebuild" in response.get_data(as_text=True)
    assert client.get("/api/search?q=法治").status_code == 503


# Errors, headers, escaping.

@pytest.fixture()
def failing_client(seed_index):
    """A client of an app with one route that fails, exceptions handled as in production."""
    app = make_app({"INDEX_DIR": str(seed_index), "PROPAGATE_EXCEPTIONS": False})

    def broken():
        """Fail the way an unexpected bug would."""
        raise RuntimeError("secret internal detail")

    app.add_url_rule("/broken", "broken", broken)
    return app.test_client()


def test_unexpected_error_is_a_chinese_500_without_traceback(failing_client):
    response = failing_client.get("/broken")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "服务器出错了" in html and '<html lang="zh-CN">' in html
    assert "Traceback" not in html and "secret internal detail" not in html
    assert response.headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"]


def test_unknown_page_is_a_chinese_404(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)


@pytest.mark.parametrize("url", ["/", f"/search?q={BROAD}", f"/trends?q={BROAD}", "/corpus",
                                 "/report/000_ef5e6d0c53c68148", f"/api/search?q={BROAD}",
                                 f"/export.csv?q={BROAD}", "/static/style.css", "/missing"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    for name, value in SECURITY_HEADERS.items():
        assert headers[name] == value
    assert "default-src 'self'" in headers["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", f"/search?q={BROAD}&province=广东省", f"/trends?q={BROAD}", "/corpus",
                                 "/report/001_3803b543c87d1562?q=法治", "/search?q=不存在xyz", "/missing"])
def test_pages_hold_no_inline_script_style_or_handler(client, url):
    page = BeautifulSoup(client.get(url).get_data(as_text=True), "lxml")
    assert all(script.get("src") and not script.string for script in page.find_all("script"))
    assert page.find_all("style") == []
    for element in page.find_all(True):
        assert "style" not in element.attrs, element
        assert not [a for a in element.attrs if a.startswith("on")], element


PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_escaped_in_box_chips_description_and_notices(client, payload):
    response = client.get("/search", query_string={"q": f"foo:{payload}", "province": payload})
    html = response.get_data(as_text=True)
    assert payload not in html
    assert "<img src=x" not in html and "<script>alert" not in html
    page = BeautifulSoup(html, "lxml")
    assert page.select_one("#q")["value"] == f"foo:{payload}"  # shown as typed, as text
    assert f"省：{payload}" in chip_links(page)
    assert payload in page.select_one(".description").get_text()
    assert page.find("img") is None and all(s.get("src") for s in page.find_all("script"))


def test_hostile_text_is_escaped_in_notices(client):
    html = client.get("/search", query_string={"q": "foo:<b>x</b>"}).get_data(as_text=True)
    assert "<b>x</b>" not in html
    notice = BeautifulSoup(html, "lxml").select_one(".notices")
    assert "foo:<b>x</b>" in notice.get_text() and notice.find("b") is None


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_is_escaped_on_trends_and_report(client, payload):
    for url in ["/trends", "/report/001_3803b543c87d1562"]:
        html = client.get(url, query_string={"q": payload}).get_data(as_text=True)
        assert payload not in html and "<img src=x" not in html


@pytest.mark.integration
def test_api_search_answers_what_the_cli_prints(client, seed_index):
    api = client.get("/api/search?q=枫桥经验&limit=2").get_json()
    cli = json.loads(run_module("search", "枫桥经验", "--limit", "2", "--json", "--index", str(seed_index)).stdout)
    assert api["total"] == cli["total"] == 3 and len(api["hits"]) == len(cli["hits"]) == 2
    assert set(api) == set(cli)
    for ours, theirs in zip(api["hits"], cli["hits"]):
        # The API adds the paragraph's citation, with this site's absolute link.
        citation = ours.pop("citation")
        assert citation.endswith(f"http://localhost/report/{ours['report_id']}#p-{ours['n']}. 第{ours['n']}段.")
        assert ours == theirs
        assert ours["url"] == f"/report/{ours['report_id']}#p-{ours['n']}"


def test_page_numbers_keep_ends_and_neighbours():
    assert page_numbers(1, 1) == [1]
    assert page_numbers(6, 12) == [1, None, 4, 5, 6, 7, 8, None, 12]
    assert page_numbers(5, 10) == [1, 2, 3, 4, 5, 6, 7, None, 10]
    assert page_numbers(1, 5) == [1, 2, 3, 4, 5]  # no ellipsis standing for a single page
    assert page_numbers(2, 4) == [1, 2, 3, 4]


def test_long_facets_fold_the_rest_under_more():
    values = [{"value": f"省{i}", "count": 20 - i, "reports": 1, "selected": i == 9} for i in range(12)]
    group = facet_group("province", values, SearchState(q="法治", filters={"province": ("省9",)}), "/search")
    assert [row["value"] for row in group["shown"]] == [f"省{i}" for i in range(FACET_SHOWN)] + ["省9"]
    assert [row["value"] for row in group["more"]] == ["省8", "省10", "省11"]  # the selected one stays in sight
    assert group["selected"] == 1
    assert params(group["shown"][-1]["url"]) == {"q": ["法治"]}  # the selected one links to its removal
    assert params(group["shown"][0]["url"]) == {"q": ["法治"], "province": ["省9", "省0"]}


def test_many_years_label_every_few_columns():
    rows = [{"label": str(2010 + i), "paragraphs": i, "reports": 1, "url": None, "selected": False}
            for i in range(15)]
    chart = column_chart(rows, [("paragraphs", "series-1", lambda row: row["label"], str)])
    labelled = [bar["label"] for bar in chart["bars"] if bar["show_label"]]
    assert labelled[0] == "2010" and 1 < len(labelled) < 15
    assert chart["ticks"][-1]["value"] >= 14 and all(bar["h"] >= 0 for bar in chart["bars"])
    assert max(bar["x"] + bar["w"] for bar in chart["bars"]) <= chart["right"]


@pytest.mark.parametrize("query, total, reports", [
    ("湘桥 OR 草滩", 58 + 24, 2),
    ("街道 -湘桥", 24, 1),
    ('"湘桥街道"', 58, 1),
    ("同句(湘桥 街道)", 58, 1),  # in a title, "one sentence" means the title
    ("街道 year:2024", 24, 1),
])
def test_title_scope_maps_every_operator_onto_titles(engine, query, total, reports):
    results = engine.search(query, scope="title")
    assert (results["total"], results["total_reports"], results["total_paragraphs"]) == (reports, reports, total)
    assert "标题" in results["description"]


def test_a_near_miss_offers_the_spelling_the_corpus_holds_as_a_link(client):
    page = soup(client, "/search?q=风桥经验")
    assert count_line(page)[0] == 0
    offer = page.select_one(".meant a")
    assert offer.get_text() == "枫桥经验" and "3 段" in page.select_one(".meant").get_text()
    followed = soup(client, offer["href"])
    assert count_line(followed)[0] == 3 and followed.select_one(".meant") is None


@pytest.mark.parametrize("typed, meant", [("枫桥经念", "枫桥经验"), ("行政复义", "行政复议"), ('"风桥经验"', '"枫桥经验"')])
def test_wrong_characters_and_homophones_are_respelled(client, typed, meant):
    api = client.get("/api/search", query_string={"q": typed}).get_json()
    assert api["total"] == 0
    assert api["suggestions"][0]["query"] == meant and api["suggestions"][0]["total"] > 0


def test_every_hit_says_its_issuer_level_and_publication_date(client):
    from model.registry import LEVEL
    hits = client.get("/api/search?q=法治&level=county&level=township").get_json()["hits"]
    metas = soup(client, "/search?q=法治&level=county&level=township").select(".hit .hit-meta")
    assert len(metas) == len(hits) == 20
    for meta, hit in zip(metas, hits):
        assert meta.select_one(".hit-issuer").get_text() == f"发布机关：{hit['issuer']}"
        assert meta.select_one(".hit-level").get_text() == f"层级：{LEVEL.display(hit['level'])}"
        assert meta.select_one(".hit-date").get_text() == (f"发布于 {hit['pub_date']}" if hit["pub_date"] else "发布日期未注明")
    assert {meta.select_one(".hit-level").get_text() for meta in metas} == {"层级：县级", "层级：乡镇"}


@pytest.mark.parametrize("typed", ["答覆", "答复", '"答覆"'])
def test_a_word_is_never_respelled_into_a_piece_of_another(client, typed):
    # 答复 is in 2 paragraphs; 政复 in 5, every one inside 行政复议: no respelling to offer.
    page = soup(client, f"/search?q={typed}")
    assert count_line(page)[0] == 2 and page.select_one(".meant") is None
    assert client.get("/api/search", query_string={"q": typed}).get_json()["suggestions"] == []


def test_a_respelling_must_stand_in_the_corpus_as_words_of_its_own(engine):
    from search.suggest import stands_alone
    corpus = engine.corpus()
    assert len(corpus.containing("政复")) == 5 and not stands_alone(corpus, "政复")  # only in 行政复议
    assert not stands_alone(corpus, "政执")  # in 行政执法, never alone
    assert all(stands_alone(corpus, phrase) for phrase in ("枫桥经验", "行政复议", "答复", "法律顾问"))


def test_a_title_search_marks_the_exact_title_phrase_only(client):
    page = soup(client, "/search?q=法治政府&scope=title")
    titles = page.select(".hit-title a")
    assert titles and all(title.select("mark") for title in titles)
    assert {mark.get_text() for title in titles for mark in title.select("mark")} == {"法治政府"}
    held = [title for title in titles if "人民政府" in title.get_text()]
    assert held, "a title holding 人民政府 should be among the hits"


def test_a_search_that_finds_enough_suggests_nothing(client):
    assert client.get("/api/search?q=枫桥经验").get_json()["suggestions"] == []


def test_a_place_typed_as_a_word_is_offered_as_its_region_filter(client):
    page = soup(client, "/search?q=芙蓉 法律顾问")
    chip = page.select_one(".meant.places a")
    assert chip.get_text(strip=True).startswith("区县：芙蓉区")
    assert parse_qs(urlsplit(chip["href"]).query) == {"q": ["法律顾问"], "county": ["芙蓉区"]}
    # The words still search the text meanwhile.
    assert count_line(page)[0] > 0


def test_api_limit_all_is_every_hit_as_on_the_command_line(client, engine):
    whole = client.get("/api/search?q=法治&limit=all").get_json()
    assert whole["total"] > 50 and len(whole["hits"]) == whole["total"] and whole["pages"] == 1
    assert client.get("/api/search?q=法治&limit=ALL").status_code == 200


def test_api_limit_all_stops_at_the_export_cap_and_says_so(seed_index):
    client = make_app({"TESTING": True, "INDEX_DIR": str(seed_index), "MAX_EXPORT_HITS": 7}).test_client()
    capped = client.get("/api/search?q=法治&limit=all").get_json()
    assert len(capped["hits"]) == 7 and capped["total"] > 7
    assert any("只返回按当前排序的前 7 条" in notice for notice in capped["notices"])


def test_two_series_share_each_slot_without_overlapping():
    rows = [{"label": str(2010 + i), "a": i, "b": 15 - i, "url": None, "selected": False} for i in range(15)]
    chart = column_chart(rows, [("a", "series-1", str, str), ("b", "series-2", str, str)])
    bars = chart["bars"]
    assert len(bars) == 30 and [bar["css"] for bar in bars[:2]] == ["series-1", "series-2"]
    assert all(left["x"] + left["w"] <= right["x"] + 0.1 for left, right in zip(bars, bars[1:]))
    assert max(bar["x"] + bar["w"] for bar in bars) <= chart["right"]


def test_xlsx_export_opens_with_chinese_headers_and_a_row_per_hit(client):
    import openpyxl
    total = client.get(f"/api/search?q={BROAD}").get_json()["total"]
    response = client.get(f"/export.xlsx?q={BROAD}")
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert unquote(response.headers["Content-Disposition"].split("filename*=UTF-8''")[1]).endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data), read_only=True)["检索结果"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == [column.header for column in columns()]
    assert len(rows) - 1 == total
    text = rows[0].index("段落文本")
    assert all(BROAD in row[text] for row in rows[1:])
    assert isinstance(rows[1][rows[0].index("段落序号")], int)


def test_export_file_names_are_dated_in_beijing_time():
    from datetime import date, datetime, timezone
    from web.dates import beijing_today
    # 16:30 UTC on 2024-04-30 is already 1 May in Beijing.
    assert beijing_today(datetime(2024, 4, 30, 16, 30, tzinfo=timezone.utc)) == date(2024, 5, 1)
    assert export_name("枫桥经验", "xlsx", date(2024, 5, 1)) == "法治报告检索-枫桥经验-2024-05-01.xlsx"
