"""Layout classes found by the second blind set of pages (issue 24, tests/fixtures/unseen2): reposts on
blogs, WeChat, news apps and document-sharing sites, bilingual templates, text taken from printed
documents, and titles broken or wrapped in a headline's words. Each class is reproduced here in a page
written for the test; tests/test_unseen_pages.py scores the blind set itself.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, assert_no_words, body, body_text, page, region_of

TITLE = "鹰潭市2022年法治政府建设情况报告"


# The page's date in a reposting platform's byline: a timestamp inside an account line, a blog's
# 发表于, a document site's uploader line, a bilingual template's English labels.

@pytest.mark.parametrize("top, date", [
    ([TITLE, "原创 鹰潭市司法局 鹰潭司法 2023-04-02 09:15 江西", "点击上方蓝字 关注我们"], "2023-04-02"),
    ([TITLE, "鹰潭发布", "2023-03-30 20:11·江西", "关注"], "2023-03-30"),
    ([TITLE, "发表于 2023年4月6日 由 editor 分类：地方法治 标签：年度报告 2条评论"], "2023-04-06"),
    (["上传者：k***2 2023-03-28 发布 | 5页 | 320阅读 | 12下载", "立即下载 开通VIP", TITLE], "2023-03-28"),
    ([TITLE, "Release Date: 2023-02-05  Source: 市司法局  Views: 88", "Print | Close"], "2023-02-05"),
])
def test_a_reposting_platforms_byline_dates_the_page(top, date):
    report = clean_text(page(*top, subject="鹰潭市", year=2022), "byline")
    assert report.pub_date == date and report.title == TITLE and report.report_year == 2022
    assert region_of(report) == "江西省/鹰潭市" and report.level == "city"
    assert_body_clean(report, "原创", "关注", "发表于", "上传者", "VIP", "Source", "Print")


def test_a_speech_date_without_a_time_is_no_page_date():
    report = clean_text(page(TITLE, "——2023年6月28日在市第九届人大常委会第十次会议上", "市人大常委会：",
                             subject="市政府", year=2022), "speech")
    assert report.pub_date == "" and report.report_year == 2022


# Platform furniture round a copied text: buttons and notices of WeChat, news apps and document
# sites, a repost's note naming its source, the page numbers of a printed document.

def test_platform_furniture_stays_out_of_the_body():
    lines = body("我县", 2021)
    text = "\n".join([
        "弥勒市2021年法治政府建设工作报告", "下载积分：800 | 加入阅览室 | 分享到：",
        "本文转自“弥勒发布”微信公众号，仅供学习参考。", lines[0], lines[1], "- 2 -", lines[2], "— 3 —",
        lines[3], "第 4 页 共 6 页", *lines[4:], "往期推荐", "阅读原文", "关注该公众号", "举报/反馈", "相关推荐",
        "返回搜狐，查看更多", "特别声明：以上内容为自媒体平台用户上传并发布，本平台仅提供信息存储服务。",
        "本文档由用户上传，仅提供信息存储空间"])
    report = clean_text(text, "furniture")
    assert report.title == "弥勒市2021年法治政府建设工作报告" and region_of(report) == "云南省/红河哈尼族彝族自治州/弥勒市"
    plain = clean_text(page("弥勒市2021年法治政府建设工作报告", subject="我县", year=2021), "plain")
    assert [p.text for p in report.paragraphs] == [p.text for p in plain.paragraphs]  # all the text, and only it
    assert_body_clean(report, "下载积分", "转自", "往期推荐", "阅读原文", "公众号", "举报", "推荐", "搜狐", "声明",
                      "用户上传", "页", "- 2 -", "— 3 —")


def test_a_report_sentence_about_sources_is_kept():
    sentence = "来源于群众来信来访的问题线索全部登记在册。"
    report = clean_text(page("弥勒市2021年法治政府建设工作报告", subject="我市", year=2021) + "\n" + sentence, "kept")
    assert sentence in body_text(report)


# A one-line dump whose font-size tool, labelled like a field, follows the fields.

def test_a_dumps_font_tool_after_its_fields_is_split_off_whole():
    lines = body("红塔区", 2023)
    line = " ".join(["玉溪市红塔区2023年法治政府建设年度报告", "发布时间：2024-01-12 来源：区司法局 字号：大 中 小", *lines])
    report = clean_text(line, "tools")
    assert report.pub_date == "2024-01-12" and report.paragraphs[0].text == lines[0]
    assert region_of(report) == "云南省/玉溪市/红塔区" and report.level == "county"
    assert_no_words(report, "字号", "中 小", "大 中")


# Titles broken over three lines, none of whose pieces reads as a title alone, or whose head is
# under the issuers' line.

@pytest.mark.parametrize("pieces", [
    ("西畴县人民政府", "关于2021年法治政府建设工作", "情况的报告"),
    ("西畴县人民政府", "关于2021年度法治政府", "建设情况的报告"),
])
def test_a_title_over_three_lines_is_joined_whole(pieces):
    report = clean_text(page("西畴县人民政府门户网站", *pieces, "发布日期：2022-02-21", "文山州人民政府：",
                             subject="我县", year=2021), "three lines")
    assert report.title == "".join(pieces) and not report.title_composed
    assert report.issuer == "西畴县人民政府" and report.level == "county"
    assert region_of(report) == "云南省/文山壮族苗族自治州/西畴县"
    assert_body_clean(report, "情况的报告", "门户网站")


# What a headline wraps round the report's own title: the site's name after it, a column's tag or an
# editor's slogan before it.

@pytest.mark.parametrize("headline", [
    "马关县2021年法治政府建设年度报告_马关县人民政府",
    "马关县2021年法治政府建设年度报告 | 马关县人民政府门户网站",
    "【依法行政】马关县2021年法治政府建设年度报告",
    "法治护航 砥砺前行——马关县2021年法治政府建设年度报告",
])
def test_a_headlines_own_words_are_not_the_title(headline):
    report = clean_text(page(headline, "首页 > 政务公开 > 马关县2021年法治政府建设年度报告",
                             "马关县2021年法治政府建设年度报告", "发布时间：2022-03-08", subject="马关县", year=2021),
                        "headline")
    assert report.title == "马关县2021年法治政府建设年度报告" and report.level == "county"
    assert region_of(report) == "云南省/文山壮族苗族自治州/马关县" and report.issuer.startswith("马关县")
    assert_body_clean(report, "马关县2021年法治政府建设年度报告", "砥砺前行", "依法行政】")


def test_a_subtitle_after_the_reports_title_keeps_the_title():
    title = "马关县2021年法治政府建设年度报告——在县人大常委会第五次会议上"
    report = clean_text(page(title, "发布时间：2022-03-08", subject="县政府", year=2021), "subtitle")
    assert report.title.startswith("马关县2021年法治政府建设年度报告")


# The title's place names the issuer (the place's government) when it stands right before what the report
# is on (the year in brackets after it), and 关于 is never part of that place's name.

@pytest.mark.parametrize("title, issuer, level, region", [
    ("玉溪市法治政府建设年度报告（2023年）", "玉溪市人民政府", "city", "云南省/玉溪市"),
    ("玉溪市依法行政工作报告（2023年）", "玉溪市人民政府", "city", "云南省/玉溪市"),
    ("关于澄江市2023年度法治政府建设情况的报告", "澄江市人民政府", "county", "云南省/玉溪市/澄江市"),
])
def test_the_titles_place_names_the_issuer(title, issuer, level, region):
    report = clean_text(page(title, "发布日期：2024-03-20 信息来源：市司法局", subject="全市", year=2023), "place")
    assert report.issuer == issuer and report.level == level and region_of(report) == region
    assert report.paragraphs[0].text.startswith("2023年，全市" + FIRST_WORDS)
