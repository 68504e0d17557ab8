"""Layout classes found by a blind set of pages (issue 24): written without reading the cleaner, they
missed what the rules made on the newer real pages did not reach. Each class is reproduced here in
a page written for the test; tests/test_unseen_pages.py scores the blind set itself.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, assert_no_words, body, body_text, page, region_of


def headings(report):
    """Return the texts of a report's heading paragraphs."""
    return [p.text for p in report.paragraphs if p.heading]


# Single-line dumps that open with the site's name and menu rather than a breadcrumb, with the
# page's tools among the fields, and headings run into their paragraphs.

@pytest.mark.parametrize("site, title, fields, tools", [
    ("剑川县人民政府 网站首页 政务公开 乡镇动态", "甸南镇2019年法治政府建设工作总结",
     "发布时间：2020-01-09 点击数：57", ""),
    ("某某省交通运输厅 首页 > 政务公开 > 法治政府建设", "甸南镇2019年法治政府建设工作总结",
     "发布日期：2020-01-09 来源：党政办", "【打印】【关闭】"),
    ("剑川县人民政府门户网站 首页 > 政务公开 > 法治政府建设", "甸南镇2019年法治政府建设工作总结",
     "来源：甸南镇 发布时间：2020-01-09 16:08", "【字体：大 中 小】 分享到：微信 微博"),
])
def test_a_dump_opening_with_the_sites_name_and_menu_is_split(site, title, fields, tools):
    lines = body("甸南镇", 2019)
    line = " ".join(filter(None, [site, title, fields, tools, *lines]))
    report = clean_text(line, "dump")
    assert report.title == title and report.report_year == 2019 and report.pub_date == "2020-01-09"
    assert region_of(report) == "云南省/大理白族自治州/剑川县/甸南镇" and report.level == "township"
    assert report.paragraphs[0].text == lines[0]
    assert_body_clean(report, "网站首页", "首页", "点击", "来源", "打印", "字体", "分享", "微博")


def test_a_dump_of_a_joint_report_with_its_addressee_and_headings_run_into_paragraphs():
    lines = body("银川市委、市政府", 2018)
    run = [lines[0], lines[1] + " " + lines[2], *lines[3:]]  # "一、主要举措和成效 （一）…" as printed
    line = " ".join(["某某网 首页 政务公开 法治政府建设", "中共银川市委 银川市人民政府关于2018年度法治政府建设情况的报告",
                     "发布日期：2019-03-25 来源：市司法局 浏览次数：2210", "自治区党委、政府：", *run,
                     "二、下一步工作 继续加强法治政府建设，推动各项任务落实落细。"])
    report = clean_text(line, "joint dump")
    assert report.title == "中共银川市委 银川市人民政府关于2018年度法治政府建设情况的报告"
    assert report.issuer == "中共银川市委 银川市人民政府" and report.level == "city"
    assert region_of(report) == "宁夏回族自治区/银川市" and report.pub_date == "2019-03-25"
    assert report.paragraphs[0].text == "自治区党委、政府：" and report.paragraphs[1].text == lines[0]
    assert "二、下一步工作" in headings(report)  # split from the paragraph it ran into
    assert_body_clean(report, "某某网", "浏览次数", "市司法局")


# Copy and essay sites: a row of category links is no title, their notices are no body text, and
# a watermark's site name alone in brackets goes with its address.

@pytest.mark.parametrize("menu", [
    "好范文网 - 工作总结 - 工作报告 - 心得体会 - 述职报告",
    "首页 | 工作报告 | 工作总结 | 调研报告 | 述职报告",
    "范文大全 / 报告大全 / 情况报告 / 总结报告",
])
def test_a_row_of_category_links_is_not_the_title(menu):
    report = clean_text(page(menu, "您现在的位置：首页 > 工作总结", "水利部关于2019年法治政府建设情况的报告",
                             "时间：2020-05-12 21:07", subject="水利部", year=2019), "menu")
    assert report.title == "水利部关于2019年法治政府建设情况的报告" and report.level == "department"
    assert_body_clean(report, "述职报告", "报告大全")


def test_a_copy_sites_notices_stay_out_of_the_body():
    report = clean_text(page("某县2018年法治政府建设工作报告", "（本文由好范文库整理，转载请注明出处）",
                             subject="我县", year=2018) + "\n更多精彩范文请访问好范文库\n提醒您：本文仅供参考，请勿照搬。",
                        "notices")
    assert_body_clean(report, "范文", "仅供参考", "转载")


def test_a_watermarks_site_name_alone_in_brackets_is_a_watermark():
    mark = "好范文库 www.haofanwenku.example.com"
    lines = body("五常市", 2018)
    text = "\n".join(["五常市2018年法治政府建设工作报告【好范文库】", lines[0] + mark, lines[1],
                      lines[2][:10] + mark + lines[2][10:], *lines[3:]])
    report = clean_text(text, "bracketed")
    assert report.title == "五常市2018年法治政府建设工作报告" and region_of(report) == "黑龙江省/哈尔滨市/五常市"
    assert_body_clean(report, "好范文库", "haofanwenku")
    # A name bracketed in a report's own words is left alone unless the page stamps it as a watermark.
    plain = clean_text(page("五常市2018年法治政府建设工作报告").replace("重大决策", "重大决策【好范文库】"), "plain")
    assert "【好范文库】" in body_text(plain)


# Full-width digits in the title, the date and the body.

def test_full_width_digits_are_read_as_years_and_dates():
    report = clean_text(page("林芝市人民政府２０１９年度法治政府建设工作报告", "发布时间：２０２０－０３－２６　来源：市司法局",
                             subject="市政府", year="２０１９"), "full width")
    assert report.report_year == 2019 and report.pub_date == "2020-03-26"
    assert report.title == "林芝市人民政府2019年度法治政府建设工作报告"
    assert report.paragraphs[0].text.startswith("2019年，市政府" + FIRST_WORDS)
    dated = clean_text(page("林芝市人民政府２０１９年度法治政府建设工作报告", "发布日期：２０２０年３月５日"), "full width")
    assert dated.pub_date == "2020-03-05"


# The governments of 地区 and 盟 are their 行政公署 (行署), which end in 署 but are no departments.

@pytest.mark.parametrize("top, subject, region", [
    (["和田地区行政公署2022年度法治政府建设情况报告", "来源：地区司法局　发布时间：2023-03-18"], "行署",
     "新疆维吾尔自治区/和田地区"),
    (["阿拉善盟行政公署 2020 年法治政府建设情况报告", "时间：2021-03-18　来源：盟司法局"], "盟行政公署",
     "内蒙古自治区/阿拉善盟"),
    (["关于2021年度法治政府建设情况的报告", "发布时间：2022-03-18"], "兴安盟行署", "内蒙古自治区/兴安盟"),
])
def test_a_prefectures_administrative_office_is_its_government(top, subject, region):
    report = clean_text(page(*top, subject=subject, year=2021), "office")
    assert report.level == "city" and region_of(report) == region
    assert "司法局" not in report.issuer


# A title names its issuer though the page's 来源 is the 司法局 that posted it: a year-first title
# naming its place, a name spaced from its year.

@pytest.mark.parametrize("title, level, region", [
    ("2022年贵阳市法治政府建设情况报告", "city", "贵州省/贵阳市"),
    ("2023年度天津市法治政府建设情况报告", "province", "天津市/天津市"),
    ("浦东新区 2017 年法治政府建设情况报告", "county", "上海市/上海市/浦东新区"),
    ("兰考县市场监督管理局 2017 年度法治政府建设工作报告", "department", "河南省/开封市/兰考县"),
])
def test_the_title_names_the_issuer_over_the_source_field(title, level, region):
    report = clean_text(page(title, "来源：某某司法局 发布时间：2023-03-28", subject="全市各级政府", year=2022), "source")
    assert report.level == level and region_of(report) == region
    assert "司法局" not in report.issuer


# A timestamp line with a labelled note after it (a news site's 发布于：某省) is the page's date.

def test_a_timestamp_with_a_labelled_note_is_the_pages_date():
    report = clean_text(page("2023年法治政府建设情况报告", "2024-02-26 16:42 发布于：福建省", "泉州市人民政府：",
                             subject="我市", year=2023), "timestamp")
    assert report.pub_date == "2024-02-26"
    assert_no_words(report, "发布于")
