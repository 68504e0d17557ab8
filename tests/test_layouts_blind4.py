"""Layout classes found by the fourth blind set of pages (issue 24, tests/fixtures/unseen4): text dumps
that kept the page's markup (entities, <meta> tags), one-line dumps whose menu is parted by 丨, WeChat's
card over a reposted article and an account's dated line, a time run into the place it was posted
from, and titles naming a county by a one-character name. Each class is reproduced here in a page
written for the test; tests/test_unseen_pages.py scores the blind set itself.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, body, body_text, page, region_of


# A dump that kept the template's entities: decoded, so a field's value ends where the page spaced it
# and the paragraphs' indents are spaces, not "&nbsp;" words.

@pytest.mark.parametrize("space", ["&nbsp;", "&nbsp", "&#160;", "&#xa0;", "&emsp;"])
def test_entities_kept_in_a_dump_are_decoded(space):
    lines = body("海关总署", 2017)
    text = "\n".join([f"首页{space}&gt;{space}信息公开{space}&gt;{space}法治政府建设", "海关总署2017年法治政府建设情况报告",
                      f"发布时间：2018-03-30{space * 4}信息来源：政策法规司{space * 4}字号：【大】【中】【小】",
                      *(space * 4 + line for line in lines)])
    report = clean_text(text, "entities")
    assert report.title == "海关总署2017年法治政府建设情况报告" and report.pub_date == "2018-03-30"
    assert report.level == "department" and region_of(report) == ""
    assert report.paragraphs[0].text == lines[0]
    assert_body_clean(report, "&", "nbsp", "#160", "gt;", "信息来源")


def test_an_ampersand_and_a_comparison_in_the_body_stay_text():
    extra = "空气质量优良率<85%的区域开展R&D专项帮扶，A&B两个执法小组每月通报一次。"
    report = clean_text(page("某县2022年法治政府建设情况报告", subject="某县", year=2022) + "\n" + extra, "text")
    assert extra in body_text(report)


# A dump that kept the page's <meta> tags: the guideline fields in them (ArticleTitle, PubDate) are
# the page's hints, the tags are no text; what the caller knows (the crawl's own hints) comes first.

META = ['<meta name="SiteName" content="国家林业和草原局政府网">',
        '<meta name="ArticleTitle" content="国家林业和草原局2022年法治政府建设情况报告">',
        '<meta name="PubDate" content="2023-03-29 16:20">', '<meta name="ContentSource" content="政策法规司">',
        '<meta name="Keywords" content="法治政府建设,年度报告">']


@pytest.mark.parametrize("printed", [True, False])
def test_meta_tags_kept_in_a_dump_give_the_title_and_date(printed):
    title = "国家林业和草原局2022年法治政府建设情况报告"
    report = clean_text(page(*META, "国家林业和草原局", "首页 机构 新闻 政务 服务 互动 专题", *([title] if printed else []),
                             subject="国家林业和草原局", year=2022), "meta")
    assert report.title == title and report.pub_date == "2023-03-29" and report.report_year == 2022
    assert report.level == "department" and region_of(report) == ""
    assert_body_clean(report, "meta", "content", "<", "关键词", "Keywords")


def test_the_callers_hints_come_before_the_meta_tags_of_the_text():
    report = clean_text(page(*META, "国家林业和草原局2022年法治政府建设情况报告", subject="国家林业和草原局", year=2022),
                        "meta", {"pub_date": "2023-04-01", "url": "https://www.forestry.gov.cn/c/www/zcfg/1.jhtml"})
    assert report.pub_date == "2023-04-01"


# A browser title's site name after a bar no title holds, spaced or not (丨 U+4E28, the full-width ｜).

@pytest.mark.parametrize("bar", ["丨", "｜", " 丨 "])
def test_a_site_name_after_a_bar_is_not_part_of_the_title(bar):
    report = clean_text(page(f"陇县2022年法治政府建设工作报告{bar}陇县人民政府", "发布时间：2023-02-20", subject="陇县",
                             year=2022), "suffix")
    assert report.title == "陇县2022年法治政府建设工作报告" and report.level == "county"


# Tags kept inside a dump's lines end a line where the page showed a break (<br>, <p>), so a heading
# kept after a paragraph's end stays a heading.

def test_line_break_tags_kept_in_a_dump_part_its_lines():
    lines = body("陇县", 2022)
    text = "<p>".join(["陇县2022年法治政府建设工作报告<br/>发布时间：2023-02-20", "<br>".join(lines[:3]), *lines[3:]])
    report = clean_text("<div class=\"article\">" + text + "</p></div>", "tags")
    assert report.title == "陇县2022年法治政府建设工作报告" and report.pub_date == "2023-02-20"
    assert report.paragraphs[0].text == lines[0]
    assert [p.text for p in report.paragraphs if p.heading][:2] == [lines[1], "（一）健全工作机制。"]
    assert_body_clean(report, "<", "br", "div")


def test_markup_that_is_no_pages_structure_stays_text():
    shown = '示例代码<script>alert("x")</script>与<img src=x>原样显示。'
    report = clean_text(page("陇县2022年法治政府建设工作报告", subject="陇县", year=2022) + "\n" + shown, "shown")
    assert shown in body_text(report)


# Further markup a site system leaves in a dump: comments round the article (Hanweb's) and the style
# rules of an editor (TRS's .TRS_Editor), inside the body as well as above the title.

@pytest.mark.parametrize("around", [("<!--ZJEG_RSS.content.begin-->", "<!--ZJEG_RSS.content.end-->"),
                                    ("<!--<$[信息内容]>begin-->", "<!--<$[信息内容]>end-->"),
                                    (".TRS_Editor P{margin-top:0px;line-height:1.8;font-family:宋体;font-size:12pt;}"
                                     ".TRS_Editor DIV{font-size:12pt;}", "")])
def test_comments_and_style_rules_in_a_dump_are_no_text(around):
    opening, closing = around
    text = page("陇县2022年法治政府建设工作报告", "发布时间：2023-02-20", opening, subject="陇县", year=2022) + "\n" + closing
    report = clean_text(text, "comments")
    assert report.title == "陇县2022年法治政府建设工作报告" and report.pub_date == "2023-02-20"
    assert_body_clean(report, "<!--", "ZJEG", "信息内容", "TRS", "{", "font")


# A page that prints its title nowhere but as its breadcrumb's last step: that step is the title, not
# a title composed from the body; a column's name there is not.

def test_a_title_printed_only_as_the_breadcrumbs_last_step():
    report = clean_text("\n".join(["首页 > 信息公开 > 陇县2022年法治政府建设工作报告", "发布时间：2023-02-20",
                                   *body("陇县", 2022)]), "crumb")
    assert report.title == "陇县2022年法治政府建设工作报告" and not report.title_composed


def test_a_column_name_ending_the_breadcrumb_is_no_title():
    report = clean_text("\n".join(["首页 > 信息公开 > 法治政府建设年度报告", "发布时间：2023-02-20", *body("陇县", 2022)]),
                        "column")
    assert report.title_composed and report.title.startswith("陇县2022年")


# A one-line dump whose site name and menu are parted by bars (丨 U+4E28, ｜, |) rather than spaces:
# the run of items is the site's, the title after it is read.

@pytest.mark.parametrize("bar", ["丨", "｜", " | "])
def test_a_menu_parted_by_bars_in_a_one_line_dump_is_the_sites(bar):
    lines = body("春熙路街道", 2021)
    menu = bar.join(["锦江区人民政府", "首页", "政务公开", "春熙路街道", "法治政府建设"])
    dump = " ".join([menu, "春熙路街道2021年法治政府建设工作报告", "发布时间：2022-01-20 来源：春熙路街道办事处", *lines])
    report = clean_text(dump, "bars")
    assert report.title == "春熙路街道2021年法治政府建设工作报告" and report.pub_date == "2022-01-20"
    assert report.report_year == 2021 and report.level == "township"
    assert region_of(report) == "四川省/成都市/锦江区/春熙路街道"
    assert report.paragraphs[0].text.startswith("2021年，春熙路街道" + FIRST_WORDS)
    assert_body_clean(report, "首页", "政务公开", "丨", "发布时间")


# WeChat's card over an article an account reposted from another (以下文章来源于…，作者…), with that
# account's name and one-line profile under it, is chrome; the reposting account's line under the
# title (its name and the day it posted, no time) dates the page.

@pytest.mark.parametrize("dot", [".", ""])
def test_a_wechat_repost_card_and_the_accounts_line(dot):
    report = clean_text(page("安吉县2018年法治政府建设工作报告", "安吉发布 2019-01-25", "以下文章来源于安吉司法 ，作者安吉县司法局",
                             "安吉司法" + dot, "安吉县司法局官方公众号，传递法治声音。", subject="安吉县", year=2018), "card")
    assert report.title == "安吉县2018年法治政府建设工作报告" and report.pub_date == "2019-01-25"
    assert report.level == "county" and region_of(report) == "浙江省/湖州市/安吉县"
    assert_body_clean(report, "以下文章来源于", "安吉司法", "公众号")


def test_a_signature_written_with_year_month_and_day_is_no_account_line():
    text = page("安吉县2018年法治政府建设工作报告", subject="安吉县", year=2018) + "\n安吉县人民政府\n2019年1月25日"
    report = clean_text(text, "signed")
    assert report.pub_date == "2019-01-25" and report.issuer == "安吉县人民政府"
    assert "安吉县人民政府" not in body_text(report)


# A news app's byline runs the place it was posted from into the time ("2021-02-02 18:06福建").

@pytest.mark.parametrize("byline", ["2021-02-02 18:06福建", "莆田发布 2021-02-02 18:06福建", "2021-02-02 18:06 福建"])
def test_a_time_run_into_its_place_dates_the_page(byline):
    report = clean_text(page("百家号", "莆田市2020年法治政府建设情况报告", "莆田发布", byline, "已关注",
                             subject="莆田市", year=2020), "byline")
    assert report.pub_date == "2021-02-02" and report.level == "city"
    assert_body_clean(report, "福建", "已关注")


# A date alone under the title, in Chinese numerals or in brackets of any kind, is the page's.

@pytest.mark.parametrize("dated", ["（二〇二〇年三月三十一日）", "二〇二〇年三月三十一日", "[2020-03-31]", "【2020-03-31】",
                                   "［2020年3月31日］", "发布时间：二〇二〇年三月三十一日"])
def test_a_date_line_under_the_title_in_numerals_or_brackets(dated):
    report = clean_text(page("应急管理部关于2019年", "法治政府建设情况的报告", dated, "党中央、国务院：", subject="应急管理部",
                             year=2019), "dated")
    assert report.title == "应急管理部关于2019年法治政府建设情况的报告" and report.pub_date == "2020-03-31"
    assert report.level == "department" and region_of(report) == ""
    assert_body_clean(report, "二〇二〇", "2020-03-31")


# A title naming no year, its year in brackets on the line below, is joined with it.

@pytest.mark.parametrize("year_line", ["（2022年度）", "(2022年)"])
def test_a_bracketed_year_under_a_title_without_one_is_part_of_it(year_line):
    report = clean_text(page("陇县法治政府建设情况报告", year_line, "发布时间：2023-02-20", subject="陇县", year=2022), "year")
    assert report.title == "陇县法治政府建设情况报告" + year_line and report.report_year == 2022
    assert_body_clean(report, year_line)


# Publication lines of older site systems: a Java clock's own form, a date packed into eight digits
# under its label, the date first and its source after a bar.

@pytest.mark.parametrize("line", ["发布时间：Wed Mar 01 09:30:00 CST 2017", "Date: March 1, 2017", "发布时间：20170301",
                                  "2017-03-01 | 陇县司法局", "2017-03-01丨陇县人民政府网"])
def test_older_publication_lines_date_the_page(line):
    report = clean_text(page("陇县2016年法治政府建设工作报告", line, subject="陇县", year=2016), "older")
    assert report.pub_date == "2017-03-01" and report.report_year == 2016
    assert_body_clean(report, "CST", "March", "20170301", "陇县司法局")


def test_a_dated_line_in_the_body_stays_text():
    row = "2022-05-10 完成验收"
    report = clean_text(page("陇县2022年法治政府建设工作报告", "发布时间：2023-02-20", subject="陇县", year=2022) + "\n" + row,
                        "row")
    assert row in body_text(report) and report.pub_date == "2023-02-20"


# A 文号 printed alone above the title, in any of its brackets, is the report's document number.

@pytest.mark.parametrize("number", ["瑞府字[2021]6号", "瑞府字〔2021〕6号", "瑞府字（2021）6号", "瑞府字【2021】6号"])
def test_a_document_number_above_a_broken_title(number):
    report = clean_text(page("首页-政务公开-法治政府建设", number, "瑞金市人民政府关于2020年度法治政府", "建设工作情况的报告",
                             "发布时间：2021-03-05", "赣州市人民政府：", subject="我市", year=2020), "number")
    assert report.title == "瑞金市人民政府关于2020年度法治政府建设工作情况的报告" and report.doc_number == number
    assert report.level == "county" and region_of(report) == "江西省/赣州市/瑞金市"
    assert_body_clean(report, number, "建设工作情况的报告")


# Hong Kong, Macao and Taiwan sites write their labels' colons with presentation forms (︰ U+FE30,
# ﹕ U+FE55): read as the full-width colon.

@pytest.mark.parametrize("colon", ["\ufe30", "\ufe55", "\ufe13"])
def test_labels_with_presentation_form_colons_are_read(colon):
    report = clean_text(page("香港商報網", "深圳市2022年法治政府建設情況報告", f"發佈日期{colon}2023-03-31 來源{colon}深圳市人民政府",
                             subject="深圳市", year=2022), "colon")
    assert report.title == "深圳市2022年法治政府建設情況報告" and report.pub_date == "2023-03-31"
    assert report.level == "city" and region_of(report) == "广东省/深圳市"
    assert_body_clean(report, "發佈日期", "來源")


# A county with a one-character name (陇县, 沛县, 郏县) named in the title is the issuer, before the
# 县司法局 the 来源 field names.

@pytest.mark.parametrize("title, region", [
    ("陇县2022年法治政府建设工作报告", "陕西省/宝鸡市/陇县"),
    ("关于沛县2022年度法治政府建设情况的报告", "江苏省/徐州市/沛县"),
    ("2022年郏县法治政府建设情况报告", "河南省/平顶山市/郏县"),
])
def test_a_county_with_a_one_character_name_in_the_title_is_the_issuer(title, region):
    report = clean_text(page(title, "发布时间：2023-02-20　　来源：县司法局", subject="我县", year=2022), "short")
    assert report.level == "county" and region_of(report) == region
    assert report.issuer in (region.rsplit("/", 1)[1], region.rsplit("/", 1)[1] + "人民政府")
