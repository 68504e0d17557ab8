"""Layout classes found by the fifth blind set of pages (issue 24, tests/fixtures/unseen5): 苏木 townships
and the 苏木乡镇 column of Inner Mongolian portals, breadcrumbs parted by bars, titles wrapped in 《》 or
quotes or followed by their edition (（全文）), headings set with letter spacing in a PDF, a mobile template's
unlabelled bar with a dotted day, a bureau's district office (海淀分局) and vertically managed offices. The
minority scripts of bilingual portals are tested where pages are decoded (tests/test_encoding.py). Each
class is reproduced here in a page written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import assert_body_clean, body_text, page, region_of


# A 苏木 is the township of a 旗; its name is a Mongolian word, one character long at least once (辉苏木).

@pytest.mark.parametrize("sumu, region", [
    ("辉苏木", "内蒙古自治区/呼伦贝尔市/鄂温克族自治旗/辉苏木"),
    ("宝力根花苏木", "内蒙古自治区/兴安盟/扎赉特旗/宝力根花苏木"),
])
def test_a_sumu_is_the_township_that_reports(sumu, region):
    report = clean_text(page("旗人民政府网站", "首页 > 苏木乡镇 > " + sumu, f"{sumu}2023年度法治政府建设情况报告",
                             "发布时间：2024-02-16", subject=sumu, year=2023), "sumu")
    assert report.title == f"{sumu}2023年度法治政府建设情况报告" and report.level == "township"
    assert region_of(report) == region and report.issuer.startswith(sumu)
    assert_body_clean(report, "苏木乡镇")


def test_the_column_of_a_banners_townships_names_no_township():
    # 苏木乡镇 holds 苏木乡, a township of 杞县 in 河南; a page naming no place has no region.
    report = clean_text(page("首页 > 苏木乡镇 > 工作动态", "2022年度法治政府建设工作报告", subject="我旗", year=2022),
                        "column")
    assert region_of(report) == "" and report.level != "township"


# A breadcrumb parted by bars or slashes, whose last step is a column named like a report (工作报告,
# 年度报告), is the site's trail, not the title.

@pytest.mark.parametrize("trail", ["首页 | 政务公开 | 工作报告", "网站首页 / 信息公开 / 年度报告", "首页｜法治政府｜工作报告",
                                   "首页丨工作报告"])
def test_a_trail_parted_by_bars_is_no_title(trail):
    title = "隆化县2016年度法治政府建设情况报告"
    report = clean_text(page("隆化县人民政府", trail, title, "[ 2017-03-21 ]　[ 作者：县法制办 ]", subject="隆化县",
                             year=2016), "bars")
    assert report.title == title and report.pub_date == "2017-03-21"
    assert_body_clean(report, "首页", "工作报告", "年度报告")


# A headline wrapping the whole title in title marks or quotes: the title is what they wrap, and its
# issuer (a 自治州 under its short name here) is read from it. Quotes inside a title stay.

@pytest.mark.parametrize("wrapped", ["《{}》", "「{}」", "“{}”", "《{}》_昌吉回族自治州人民政府网", "【法治建设】《{}》"])
def test_a_title_wrapped_in_title_marks_is_what_they_wrap(wrapped):
    title = "昌吉州2022年度法治政府建设情况报告"
    report = clean_text(page("昌吉回族自治州人民政府网", wrapped.format(title), "日期：2023-03-29　来源：州司法局",
                             subject="昌吉州", year=2022), "wrapped")
    assert report.title == title and report.level == "city" and report.issuer == "昌吉回族自治州人民政府"
    assert region_of(report) == "新疆维吾尔自治区/昌吉回族自治州"


def test_quotes_inside_a_title_stay():
    title = "关于泸水市“法治泸水”建设暨2022年度法治政府建设工作情况的报告"
    report = clean_text(page("泸水市人民政府门户网站", "首页 > 信息公开 > 法治政府", title, "发布时间：2023-03-22", subject="泸水市",
                             year=2022), "quoted")
    assert report.title == title and report.level == "county"


# A PDF's headings set with letter spacing: the issuer and the title come out one character at a time.

@pytest.mark.parametrize("title_line", ["峡 江 县 2021 年 度 法 治 政 府 建 设 情 况 报 告",
                                        "峡 江 县 2 0 2 1 年 度 法 治 政 府 建 设 情 况 报 告",
                                        "\u3000".join(["峡", "江", "县", "2021", *"年度法治政府建设情况报告"])])
def test_a_letter_spaced_title_is_read_as_written_together(title_line):
    report = clean_text(page("峡 江 县 人 民 政 府", "峡府字〔2022〕12号", title_line, subject="峡江县", year=2021), "spaced")
    assert report.title == "峡江县2021年度法治政府建设情况报告" and report.issuer == "峡江县人民政府"
    assert region_of(report) == "江西省/吉安市/峡江县" and report.level == "county"


def test_short_spaced_words_and_rows_of_figures_stay_spaced():
    rows = ["前  言", "大 中 小", "2019 2020 2021 2022 2023", "案件 12 15 18 21 24"]
    report = clean_text(page("峡江县2021年度法治政府建设情况报告", subject="峡江县", year=2021) + "\n" + "\n".join(rows),
                        "rows")
    text = body_text(report)
    assert "2019 2020 2021 2022 2023" in text and "案件 12 15 18 21 24" in text


# A mobile template's bar under the title: the issuer, the day in a site system's form and the view count,
# with no labels: the day dates the page.

@pytest.mark.parametrize("bar, date", [("绵阳市生态环境局 | 2024.03.01 | 阅读 356", "2024-03-01"),
                                       ("绵阳市生态环境局 2024/3/1 浏览量：88", "2024-03-01"),
                                       ("绵阳发布 · 2024-03-01 · 阅读 1024", "2024-03-01")])
def test_a_mobile_bar_with_a_day_and_a_view_count_dates_the_page(bar, date):
    title = "绵阳市生态环境局2023年度法治政府建设情况报告"
    report = clean_text(page("绵阳市人民政府（手机版）", "首页 / 部门动态", title, bar, subject="绵阳市生态环境局", year=2023),
                        "mobile")
    assert report.title == title and report.pub_date == date and report.level == "department"
    assert_body_clean(report, "阅读", "浏览", "356")


# Departments whose names say their place another way. A city bureau's office in a district (a 派出机构)
# is named after the district's short name: the district is the report's county; an office named after a
# line of work names none. Vertically managed offices are named with 国家税务总局 or a central regulator in
# front, yet they are the province's, city's or county's; a customs office under 海关总署 is named after
# its seat and ends in 海关.

@pytest.mark.parametrize("issuer, region", [
    ("北京市公安局海淀分局", "北京市/北京市/海淀区"),
    ("北京市公安局朝阳分局", "北京市/北京市/朝阳区"),
    ("上海市公安局浦东分局", "上海市/上海市/浦东新区"),
    ("沈阳市生态环境局和平分局", "辽宁省/沈阳市/和平区"),
    ("北京市规划和自然资源委员会海淀分局", "北京市/北京市/海淀区"),
    ("沈阳市公安局交通管理分局", "辽宁省/沈阳市"),
    ("国家税务总局江苏省税务局", "江苏省"),
    ("国家税务总局宁波市税务局", "浙江省/宁波市"),
    ("国家税务总局宁陵县税务局", "河南省/商丘市/宁陵县"),
    ("国家金融监督管理总局江苏监管局", "江苏省"),
    ("拱北海关", ""),
])
def test_a_department_named_after_its_district_or_above_it_is_of_its_place(issuer, region):
    title = f"{issuer}2022年法治政府建设年度情况报告"
    report = clean_text(page("首页 > 信息发布 > 法治建设", title, "发布日期：2023-03-30", subject="我局", year=2022), "office")
    assert report.title == title and report.level == "department" and report.issuer == issuer
    assert region_of(report) == region


@pytest.mark.parametrize("edition", ["（全文）", "(全文)", "【全文】", "（摘要）", "（公开版）"])
def test_the_edition_after_a_title_is_not_part_of_it(edition):
    title = "上饶市广信区2023年法治政府建设年度报告"
    report = clean_text(page("上饶市广信区人民政府", "首页 > 信息公开 > 法治政府", title + edition, "发布时间：2024-02-26 15:40",
                             subject="广信区", year=2023), "edition")
    assert report.title == title and region_of(report) == "江西省/上饶市/广信区"
