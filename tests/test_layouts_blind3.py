"""Layout classes found by the third blind set of pages (issue 24, tests/fixtures/unseen3): metadata
tables copied with tabs or as bar cells with colons, breadcrumbs cut to two steps, link lists above the
title, copy sites' watermarks with digits in their names, news reposts naming the report's own title
under their headline, party bodies over a title's lines, pages wrapped at a fixed width and pages
dumped with no separator at all. Each class is reproduced here in a page written for the test;
tests/test_unseen_pages.py scores the blind set itself.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, body, body_text, page, region_of


# Metadata tables as a text dump copies them: cells separated by tabs, or between bars with the
# label's colon inside its cell.

@pytest.mark.parametrize("printed", [True, False])
def test_a_metadata_table_copied_with_tabs_is_read_as_fields(printed):
    title = "水利部关于2022年法治政府建设情况的报告"
    top = ["索引号\t000014349/2023-00012\t主题分类\t法治建设", "发文机关\t水利部\t成文日期\t2023年03月20日",
           "标题\t" + title, "文号\t\t发布日期\t2023年03月24日", *([title] if printed else [])]
    report = clean_text(page(*top, subject="水利部", year=2022), "tabs")
    assert report.title == title and report.pub_date == "2023-03-24"
    assert report.level == "department" and region_of(report) == ""
    assert_body_clean(report, "索引号", "标题", "发文机关", "主题分类")


def test_bar_table_cells_whose_labels_end_in_a_colon_are_fields():
    title = "盘州市2019年度法治政府建设工作报告"
    report = clean_text(page("| 索引号： | 000000000/2020-00102 | 信息分类： | 法治政府建设 |",
                             "| 发布机构： | 盘州市司法局 | 发文日期： | 2020-03-30 |", f"| 名称： | {title} |", title,
                             subject="盘州市", year=2019), "bars")
    assert report.title == title and report.pub_date == "2020-03-30"
    assert region_of(report) == "贵州省/六盘水市/盘州市" and report.level == "county"
    assert_body_clean(report, "索引号", "名称", "|")


# A breadcrumb cut to its last two steps round one spaced arrow is the site's, never the title.

@pytest.mark.parametrize("crumb", ["霞云岭乡 > 工作总结", "政务公开 → 工作报告", "乡镇动态 » 霞云岭乡"])
def test_a_breadcrumb_of_two_steps_is_never_the_title(crumb):
    title = "霞云岭乡2016年依法行政工作情况报告"
    report = clean_text(page("房山区人民政府门户网站", crumb, title, "时间：2017-01-12", subject="我乡", year=2016),
                        "crumb")
    assert report.title == title and report.pub_date == "2017-01-12" and report.level == "township"
    assert region_of(report) == "北京市/北京市/房山区/霞云岭乡"


def test_a_comparison_between_numbers_stays_in_the_body():
    line = "空气质量优良率 > 85% → 90%"
    report = clean_text(page("阜康市2020年法治政府建设情况报告", subject="阜康市", year=2020) + "\n" + line, "numbers")
    assert line in body_text(report)


# A list of links (推荐阅读, 热门文章) above the title ends where its marked items end or at the next
# chrome line, so the title and the date line under it are read.

@pytest.mark.parametrize("links", [
    ["推荐阅读：", "· 2020年度乡镇法治建设工作总结", "· 司法所2020年工作计划"],
    ["热门文章", "阜康市召开安全生产工作会议"],
])
def test_a_link_list_above_the_title_ends_before_it(links):
    title = "阜康市2020年法治政府建设情况报告"
    report = clean_text(page(*links, "时间：2021-05-20 作者：佚名 来源：网络", title, subject="阜康市", year=2020),
                        "list")
    assert report.title == title and not report.title_composed and report.pub_date == "2021-05-20"
    assert region_of(report) == "新疆维吾尔自治区/昌吉回族自治州/阜康市"
    assert_body_clean(report, "推荐阅读", "工作计划", "安全生产工作会议")


# A copy site whose name holds digits stamps it with its address and a verb, or after a lead, in brackets.

def test_a_watermark_with_digits_in_the_sites_name_goes_whole():
    lines = body("阜康市", 2020)
    text = "\n".join(["范文114网 - 免费范文下载", "阜康市2020年法治政府建设情况报告",
                      lines[0].replace("。现将", "。【范文114网 www.fw114.cn 整理】现将"), *lines[1:3],
                      lines[3] + "【本文来源：范文114网】", *lines[4:], "【范文114网 www.fw114.cn 整理】"])
    report = clean_text(text, "watermark")
    assert report.title == "阜康市2020年法治政府建设情况报告"
    assert_body_clean(report, "范文114", "fw114", "整理", "【", "】")
    assert any("水印" in warning for warning in report.warnings)


# A news repost's headline gives way to the report's own title, printed under it on a 原标题 line or
# quoted in a lead announcing the full text.

@pytest.mark.parametrize("named", [
    "原标题：吐鲁番市人民政府关于2020年度法治政府建设情况的报告",
    "原题：吐鲁番市人民政府关于2020年度法治政府建设情况的报告",
    "近日，吐鲁番市人民政府在门户网站公布了《吐鲁番市人民政府关于2020年度法治政府建设情况的报告》，全文如下：",
])
def test_a_reposts_headline_gives_way_to_the_reports_own_title(named):
    report = clean_text(page("吐鲁番公布2020年法治政府建设情况", "2021-03-06 09:12 来源：吐鲁番日报", named,
                             subject="我市", year=2020), "repost")
    assert report.title == "吐鲁番市人民政府关于2020年度法治政府建设情况的报告" and report.pub_date == "2021-03-06"
    assert report.issuer == "吐鲁番市人民政府" and report.level == "city"
    assert region_of(report) == "新疆维吾尔自治区/吐鲁番市"
    assert_body_clean(report, "原标题", "全文如下", "公布")


def test_a_quoted_notice_before_the_reports_text_is_body():
    lead = "根据《关于做好2020年度法治政府建设年度报告工作的通知》要求，现将全文如下："
    report = clean_text(page("吐鲁番市2020年法治政府建设情况报告", lead, subject="我市", year=2020), "notice")
    assert report.title == "吐鲁番市2020年法治政府建设情况报告" and report.paragraphs[0].text == lead


# A party body and its government or department, each on a line above a title naming no author, are
# its issuers (the party body first); a site's name above them is not.

def test_a_party_group_and_its_department_over_the_title_are_its_issuers():
    report = clean_text(page("四川省水利厅", "中共四川省水利厅党组", "四川省水利厅", "关于2023年度法治政府建设情况的报告",
                             "发布时间：2024-03-01", "省委、省人民政府：", subject="厅党组", year=2023), "issuers")
    assert report.title == "中共四川省水利厅党组 四川省水利厅关于2023年度法治政府建设情况的报告"
    assert report.issuer == "中共四川省水利厅党组 四川省水利厅"
    assert report.level == "department" and region_of(report) == "四川省"
    assert_body_clean(report, "关于2023年度")


# A page wrapped at a fixed width: its title broken before 报告, its first sentence into short lines.

def test_a_page_wrapped_at_a_fixed_width_keeps_its_first_sentence():
    lines = body("千灯镇", 2023)
    wrapped = [lines[0][start:start + 24] for start in range(0, len(lines[0]), 24)]
    text = "\n".join(["昆山市人民政府", "首页 > 区镇 > 千灯镇 > 信息公开", "千灯镇2023年度法治政府建设工作", "报告",
                      "发布日期：2024-02-06    来源：千灯镇", *wrapped, *lines[1:]])
    report = clean_text(text, "wrapped")
    assert report.title == "千灯镇2023年度法治政府建设工作报告" and report.pub_date == "2024-02-06"
    assert report.paragraphs[0].text == lines[0]
    assert region_of(report) == "江苏省/苏州市/昆山市/千灯镇" and report.level == "township"


# A page dumped with no separator at all: breadcrumb, title, fields, tools, headings and paragraphs
# run together; the breaks are found again. A report's own paragraph, which has no spaces either, is
# left as it is.

def test_a_page_dumped_without_any_separator_is_split_at_its_breaks():
    lines = body("格尔木市", 2022)
    dump = "".join(["首页>政务公开>法定主动公开内容>法治政府建设", "格尔木市2022年法治政府建设情况报告",
                    "发布时间:2023-02-21来源:格尔木市司法局字号:大中小打印", *lines])
    report = clean_text(dump, "glued")
    assert report.title == "格尔木市2022年法治政府建设情况报告" and report.pub_date == "2023-02-21"
    assert region_of(report) == "青海省/海西蒙古族藏族自治州/格尔木市" and report.level == "county"
    assert report.paragraphs[0].text == lines[0]
    assert [p.text for p in report.paragraphs if p.heading][:2] == ["一、主要举措和成效", "（一）健全工作机制。"]
    assert_body_clean(report, "发布时间", "字号", "打印", "首页")


def test_a_reports_long_paragraph_without_spaces_is_not_a_dump():
    paragraph = ("依法关闭违规经营的小作坊12家，会议时间：每季度第一周，集中研判执法中的疑难问题，"
                 "对群众反映强烈的问题逐件登记、限期办结，办结情况在政务网站公开，接受群众监督。（一）健全制度。"
                 "制定行政执法公示办法，明确公示内容和时限，全年公示执法信息3200余条，群众查询便捷，"
                 "执法透明度明显提升，行政复议纠错率同比下降。")
    report = clean_text(page("格尔木市2022年法治政府建设情况报告", subject="格尔木市", year=2022) + "\n" + paragraph,
                        "paragraph")
    assert paragraph in body_text(report).replace("\n", "")
    assert "关闭 " not in body_text(report) and " 时间" not in body_text(report)
