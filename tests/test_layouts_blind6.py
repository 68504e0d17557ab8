"""Layout classes found by the sixth blind set of pages (issue 24, tests/fixtures/unseen6): articles
stored as JSON data (a site's article API answer, a script-rendered page's state object, in a text dump
or in an HTML page's <script>), districts whose names are kinds of area (矿区, 城区, 郊区) named after their
city, zero-width characters put between characters against copying, bracketed tools glued to a paragraph,
an e-paper's day over its page number, a posting account's name as region evidence, the site's name over
its trail above a 关于… title, a title in a table row after a navigation cell, and the bodies that are
none of the five kinds (courts, procuratorates, zones, 兵团 units). Each class is reproduced here in a
page written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import json

import pytest

from indexer.clean.rawfile import clean_file
from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, body, body_text, page, region_of


# An article stored as data: the title, date and body are fields of one JSON value, the body as HTML
# paragraphs. The article is read from its fields, under the names sites give them.

def api_answer(title, date, fields=("title", "publishTime", "source", "content")):
    """Return an article API's JSON answer holding a report of 某区 (中原区) under the given field names."""
    title_key, date_key, source_key, body_key = fields
    paragraphs = "".join(f'<p style="text-indent: 2em;">{line}</p>' for line in body("中原区", 2023))
    article = {"id": 5521, "channelName": "法治政府建设", title_key: title, "subTitle": "", date_key: date,
               source_key: "区司法局", body_key: paragraphs, "views": 88}
    return {"code": 0, "msg": "success", "data": article}


@pytest.mark.parametrize("fields", [("title", "publishTime", "source", "content"),
                                    ("docTitle", "pubDate", "docSource", "docContent"),
                                    ("articleTitle", "releaseTime", "publisher", "body")])
def test_an_article_api_answer_is_read_from_its_fields(fields):
    title = "郑州市中原区2023年法治政府建设情况报告"
    text = json.dumps(api_answer(title, "2024-03-22 10:41:05", fields), ensure_ascii=False)
    report = clean_text(text, "api")
    assert report.title == title and report.pub_date == "2024-03-22" and report.report_year == 2023
    assert region_of(report) == "河南省/郑州市/中原区" and report.level == "county"
    assert report.paragraphs[0].text.startswith("2023年，中原区" + FIRST_WORDS)
    assert_body_clean(report, "success", "channelName", "text-indent", "<p")


def test_a_script_state_object_is_read_as_the_article():
    # Stored before rendering: a no-script notice and the site's name, then the state the script renders,
    # its tags escaped as \u003c…\u003e as frameworks write them into a <script>.
    title = "中原区2023年法治政府建设工作情况报告"
    state = json.dumps({"route": {"path": "/article/detail"}, "article": api_answer(title, "2024-03-22")["data"]},
                       ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")
    text = "\n".join(["当前浏览器不支持JavaScript，请开启后访问本站", "郑州市中原区人民政府", "加载中...",
                      f"window.__INITIAL_STATE__={state};"])
    report = clean_text(text, "state")
    assert report.title == title and report.pub_date == "2024-03-22" and report.level == "county"
    assert_body_clean(report, "JavaScript", "加载中", "__INITIAL_STATE__", "\\u003c")


def test_a_script_rendered_html_page_is_read_from_the_data_in_its_script(tmp_path):
    # The stored HTML before its script ran: an empty mount point, the site's menu, and the state object.
    title = "中原区2023年法治政府建设工作情况报告"
    state = json.dumps({"article": api_answer(title, "2024-03-22 09:00:00")["data"]},
                       ensure_ascii=False).replace("<", "\\u003c")
    html = ("<!DOCTYPE html><html><head><meta charset='utf-8'><title>郑州市中原区人民政府</title></head><body>"
            "<div class='nav'>首页 政务公开 政务服务</div><div id='app'>加载中...</div>"
            "<noscript>当前浏览器不支持JavaScript</noscript>"
            f"<script>window.__INITIAL_STATE__={state};</script></body></html>")
    page_file = tmp_path / "vue.html"
    page_file.write_text(html, encoding="utf-8")
    report = clean_file(page_file)
    assert report.title == title and report.pub_date == "2024-03-22" and report.level == "county"
    assert_body_clean(report, "加载中", "JavaScript", "政务服务")


def test_a_page_with_braces_but_no_article_data_is_read_as_text():
    # A short JSON value (a widget's settings) is no article: the page around it is the report.
    text = page('window.siteConfig = {"title": "中原区人民政府", "content": "首页"};', "中原区人民政府",
                "中原区2023年法治政府建设情况报告", "发布时间：2024-03-22", subject="中原区", year=2023)
    report = clean_text(text, "config")
    assert report.title == "中原区2023年法治政府建设情况报告" and report.pub_date == "2024-03-22"
    assert FIRST_WORDS in report.paragraphs[0].text


# A district named by a kind of area (矿区, 城区, 郊区) is that district when its city's name stands
# before it; such a word alone names none (城区道路 in a county's report).

@pytest.mark.parametrize("district, region", [("阳泉市矿区", "山西省/阳泉市/矿区"), ("晋城市城区", "山西省/晋城市/城区"),
                                              ("铜陵市郊区", "安徽省/铜陵市/郊区"), ("阳泉郊区", "山西省/阳泉市/郊区")])
def test_a_district_named_by_a_kind_of_area_is_found_after_its_city(district, region):
    title = f"{district}2022年法治政府建设年度报告"
    report = clean_text(page(f"{district}人民政府", "首页 > 政务公开 > 法治政府建设", title, "发布时间：2023-02-24",
                             subject=district[-2:], year=2022), "area")
    assert report.title == title and region_of(report) == region and report.level == "county"


def test_a_kind_of_area_alone_names_no_district():
    text = page("通渭县人民政府", "通渭县2022年法治政府建设工作报告", "发布时间：2023-02-20", subject="通渭县", year=2022)
    report = clean_text(text.replace("现将有关情况报告如下", "城区、郊区和矿区道路执法全面规范，现将有关情况报告如下"), "word")
    assert region_of(report) == "甘肃省/定西市/通渭县" and report.level == "county"


# Zero-width characters put between characters against copying hide every name and year.

@pytest.mark.parametrize("invisible", ["\u200b", "\ufeff", "\u2060", "\u200c"])
def test_zero_width_characters_are_removed(invisible):
    title = "洛阳市2023年法治政府建设情况报告"
    text = page("洛阳市人民政府", title, "发布时间：2024-03-30", subject="洛阳市", year=2023)
    spread = invisible.join(text[i:i + 3] for i in range(0, len(text), 3))
    report = clean_text(spread, "invisible")
    assert report.title == title and report.pub_date == "2024-03-30" and report.report_year == 2023
    assert region_of(report) == "河南省/洛阳市" and report.level == "city"
    assert invisible not in body_text(report) and FIRST_WORDS in report.paragraphs[0].text


# Bracketed tools glued to a paragraph, on the line of the metadata before it or after its last sentence.

@pytest.mark.parametrize("tools", ["【字号 大 中 小】【打印本页】【关闭窗口】", "【打印】【关闭】", "[打印本页][关闭窗口]"])
def test_tools_glued_to_the_first_paragraph_leave_it_whole(tools):
    lines = body("綦江区", 2023)
    text = "\n".join(["重庆市綦江区人民政府", "綦江区2023年法治政府建设情况报告",
                      f"发布日期：2024-03-28　来源：区司法局　{tools}{lines[0]}", *lines[1:]])
    report = clean_text(text, "glued")
    assert report.pub_date == "2024-03-28" and report.paragraphs[0].text == lines[0]
    assert_body_clean(report, "打印", "关闭", "字号")


def test_tools_glued_to_the_last_paragraph_are_not_its_words():
    lines = body("江山市", 2025)
    text = "\n".join(["江山市人民政府", "江山市2025年法治政府建设年度报告", "发布时间：2026-03-16", *lines[:-1],
                      lines[-1] + "【打印本页】【关闭窗口】", "主办：江山市人民政府办公室"])
    report = clean_text(text, "glued-end")
    assert report.paragraphs[-1].text == lines[-1]
    assert_body_clean(report, "打印本页", "关闭窗口")


def test_a_bracketed_word_inside_a_sentence_stays():
    lines = body("綦江区", 2023)
    lines[2] = lines[2].replace("对落后事项逐项督办。", "对落后事项逐项督办，【大】力推行“一件事一次办”。")
    report = clean_text("\n".join(["綦江区2023年法治政府建设情况报告", "发布日期：2024-03-28", *lines]), "inside")
    assert "【大】力推行" in body_text(report)


# A newspaper's e-paper prints the paper's day (with its weekday) over the page's number (第03版); that
# day is the page's date. A date with a weekday over a portal's title is the site's clock, no page date.

@pytest.mark.parametrize("day, edition", [("2024年03月28日 星期四", "第03版：要闻"), ("2024年3月28日", "A2版"),
                                          ("2024年03月28日 周四", "第3版")])
def test_an_e_papers_day_over_its_page_is_the_date(day, edition):
    title = "凯里市2023年法治政府建设情况报告"
    report = clean_text(page("黔东南日报", day, edition, "上一版　下一版", title, subject="凯里市", year=2023)
                        + "\n本版其他文章\n州人大常委会召开主任会议", "paper")
    assert report.title == title and report.pub_date == "2024-03-28" and report.report_year == 2023
    assert_body_clean(report, "版", "州人大常委会召开主任会议")


def test_a_portals_clock_over_the_title_is_no_date():
    report = clean_text(page("凯里市人民政府", "2026年12月7日 星期一", "凯里市2023年法治政府建设情况报告", subject="凯里市",
                             year=2023), "clock")
    assert report.pub_date == "" and report.report_year == 2023


# A government's account on a news platform (某某发布) printed under a repost's headline names its place:
# the district 南山区 is 深圳's (鹤岗 has one too).

@pytest.mark.parametrize("account, region", [("深圳南山发布", "广东省/深圳市/南山区"), ("鹤岗南山发布", "黑龙江省/鹤岗市/南山区")])
def test_the_posting_accounts_name_tells_which_district(account, region):
    title = "南山区2024年法治政府建设年度报告"
    report = clean_text(page("腾讯新闻", "首页 > 正文", title, account, "2025-03-30 15:20发布于广东", "+关注",
                             subject="南山区", year=2024), "account")
    assert report.title == title and region_of(report) == region and report.level == "county"
    assert report.issuer != account and report.pub_date == "2025-03-30"


# The site's name, its trail, then a 关于… title: the trail parted the name from the title on the page, so
# the name is no issuer line of the title; the issuer is the government of the place the title is about. Without a trail
# between them, an issuer's line over a 关于… line is the title's first line.

@pytest.mark.parametrize("title, issuer", [("关于荥经县2025年法治政府建设情况的报告", "荥经县"),
                                           ("关于泸水市“法治泸水”建设暨2022年度法治政府建设工作情况的报告", "泸水市")])
@pytest.mark.parametrize("trail", ["首页 > 信息公开 > 法治政府建设", "首页 | 政务公开 | 政务服务 | 互动交流"])
def test_the_sites_name_over_its_trail_is_not_the_titles_first_line(title, issuer, trail):
    report = clean_text(page(f"{issuer}人民政府", trail, title, "发布时间：2026-03-10　来源：司法局", subject=issuer),
                        "trail")
    assert report.title == title and report.issuer == f"{issuer}人民政府" and report.level == "county"


def test_an_issuers_line_right_over_a_title_about_is_its_first_line():
    report = clean_text(page("荥经县人民政府", "关于2025年法治政府建设情况的报告", "发布时间：2026-03-10", subject="我县"),
                        "two-line")
    assert report.title == "荥经县人民政府关于2025年法治政府建设情况的报告" and report.level == "county"


# An old site laid out in a table, read row by row: the navigation column's last item shares the title's
# row, parted from it by a tab, and every line of the content cell opens with a tab.

@pytest.mark.parametrize("row", ["人事信息\t{}", "政务公开\t规划计划\t{}", "\t{}\t"])
def test_a_title_in_a_tables_row_after_the_navigation_cell(row):
    title = "通渭县2016年法治政府建设工作报告"
    lines = ["通渭县人民政府网\t\t设为首页 | 加入收藏", "首页\t政务公开\t招商引资\t通渭概况", "政务公开", "规划计划",
             row.format(title), "\t作者：县法制办　 发布时间：2017-02-20　 点击数：318",
             *("\t" + line for line in body("县政府", 2016))]
    report = clean_text("\n".join(lines), "table")
    assert report.title == title and report.pub_date == "2017-02-20" and report.level == "county"
    assert_body_clean(report, "人事信息", "规划计划", "点击数")


# Bodies that are none of the five kinds have no level: courts and procuratorates (judicial organs, whose
# 法治建设 reports sit beside the governments'), a zone's 管委会, and a zone that is no division. A new area
# or zone the division codes hold as a county (滨海新区, 苏州工业园区) is a county. A zone named without its
# committee is reported on by the committee that runs it (郑州高新区 → 郑州高新区管委会; unseen9).

@pytest.mark.parametrize("issuer, region, named", [
    ("苏州市吴江区人民法院", "江苏省/苏州市/吴江区", "苏州市吴江区人民法院"),
    ("青岛市黄岛区人民检察院", "山东省/青岛市/黄岛区", "青岛市黄岛区人民检察院"),
    ("合肥经济技术开发区管理委员会", "安徽省/合肥市/合肥经济技术开发区", "合肥经济技术开发区管理委员会"),
    ("郑州高新区", "河南省/郑州市", "郑州高新区管委会")])
def test_a_court_a_procuratorate_or_a_zone_has_no_level(issuer, region, named):
    title = f"{issuer}2023年度法治建设工作情况报告"
    report = clean_text(page(issuer, "首页 > 司法公开 > 工作报告", title, "发布时间：2024-02-06", subject=issuer, year=2023),
                        "no-level")
    assert report.title == title and report.issuer == named and report.level == ""
    assert region_of(report) == region


@pytest.mark.parametrize("issuer, region", [("天津市滨海新区", "天津市/天津市/滨海新区"), ("苏州工业园区", "江苏省/苏州市/苏州工业园区")])
def test_a_zone_that_is_a_division_is_a_county(issuer, region):
    title = f"{issuer}2023年法治政府建设情况报告"
    report = clean_text(page(title, "发布时间：2024-03-06", subject=issuer, year=2023), "zone")
    assert report.level == "county" and region_of(report) == region


def test_a_courts_opening_names_no_place_before_its_superiors():
    # "2023年，吴江法院在区委…": the subject ends before 在; 吴江法院在区 is no name.
    text = page("苏州市吴江区人民法院", "法治建设工作情况报告", "发布时间：2024-02-06", subject="吴江法院", year=2023)
    report = clean_text(text.replace("吴江法院坚持依法行政", "吴江法院在区委的领导下坚持依法行政"), "court")
    assert "在" not in report.issuer and report.level == ""


# The 师 and 团 of 新疆生产建设兵团 are corps units, none of the five kinds: a title names them as its issuer,
# and they have no level; a department of the 兵团 is a department.

@pytest.mark.parametrize("unit", ["第一师十团", "第八师石河子市", "新疆生产建设兵团第三师"])
def test_a_corps_unit_is_the_issuer_and_has_no_level(unit):
    title = f"{unit}2023年法治建设工作报告"
    report = clean_text(page("首页 > 专题专栏 > 法治建设", title, "发布时间：2024-01-30", subject="团党委", year=2023),
                        "corps")
    assert report.title == title and report.issuer == unit and report.level == ""


def test_a_corps_department_is_a_department():
    title = "新疆生产建设兵团司法局2022年法治政府建设情况报告"
    report = clean_text(page(title, "发布时间：2023-03-15", subject="兵团司法局", year=2022), "corps-dept")
    assert report.level == "department" and region_of(report) == "新疆维吾尔自治区"
