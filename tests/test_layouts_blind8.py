"""Layout classes found by the eighth blind set of pages (issue 24, tests/fixtures/unseen8): counties of one
or two characters abolished or renamed since their report (华县, 蓟县, 开县, 户县), banners and autonomous
counties under their everyday names (莫旗, 双江自治县), reader-service and markdown dumps, scripts left in the
text, feed items, notices that carry the report behind them, a title broken after 关于, a title sharing its
line with the date, a short-form date of a microblog and the ASCII punctuation of OCR. Each class is
reproduced here in a page written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, body, page, region_of


# Counties abolished or renamed since the 2015 outline, whose older reports name them: two-character ones
# (华县, 户县, 蓟县, 滦县) and the one-character 开县 as well. They are placed where they then stood; a
# two-character name still has to start a word (召开县委会议 names no county).

@pytest.mark.parametrize("issuer, region", [("华县", "陕西省/渭南市/华县"), ("户县", "陕西省/西安市/户县"),
                                            ("蓟县", "天津市/天津市/蓟县"), ("开县", "重庆市/重庆市/开县"),
                                            ("滦县", "河北省/唐山市/滦县"), ("凤翔县", "陕西省/宝鸡市/凤翔县")])
def test_a_former_county_is_placed_where_it_then_stood(issuer, region):
    title = f"{issuer}2015年法治政府建设工作报告"
    report = clean_text(page(f"{issuer}人民政府", title, "发布时间：2016-03-10", subject=issuer, year=2015), "former")
    assert report.title == title and report.level == "county" and region_of(report) == region


def test_a_word_holding_a_former_county_names_none():
    lines = body("我市", 2023)
    lines[0] = "2023年，我市召开县区长会议部署法治建设，" + lines[0][len("2023年，"):]
    report = clean_text("\n".join(["某市2023年法治政府建设情况报告", "发布时间：2024-03-10", *lines]), "word")
    assert region_of(report) == ""


# An autonomous county or banner is called by its short name with 自治县 (双江自治县, for 双江拉祜族佤族布朗族傣族
# 自治县), and a banner by its first character and 旗 (莫旗, 准旗) in its own pages.

@pytest.mark.parametrize("name, region", [("双江自治县", "云南省/临沧市/双江拉祜族佤族布朗族傣族自治县"),
                                          ("莫旗", "内蒙古自治区/呼伦贝尔市/莫力达瓦达斡尔族自治旗"),
                                          ("准旗", "内蒙古自治区/鄂尔多斯市/准格尔旗")])
def test_an_autonomous_county_or_banner_by_its_everyday_name(name, region):
    report = clean_text(page(f"{name}2023年法治政府建设年度报告", "发布时间：2024-03-28", subject=name, year=2023),
                        "everyday")
    assert region_of(report) == region and report.level == "county"


# OCR of a scan, and some converters, write Chinese text with ASCII punctuation: its commas, colons and full
# stops are the report's clauses and sentences, and a report so written is a report. The reader sees the
# punctuation the page has.

def test_ascii_punctuation_of_ocr_reads_as_the_texts_own():
    lines = [line.replace("，", ",").replace("。", ".").replace("：", ":").replace("（", "(").replace("）", ")")
             for line in ["凤翔县人民政府", "关于2016年度法治政府建设工作情况的报告", "宝鸡市人民政府：",
                          *body("我县", 2016)]]
    report = clean_text("\n".join(lines), "ocr-ascii")
    assert report.title == "凤翔县人民政府关于2016年度法治政府建设工作情况的报告" and report.level == "county"
    first, *rest = [p for p in report.paragraphs if p.text != "宝鸡市人民政府:"]
    assert first.text.startswith("2016年,我县坚持依法行政,把法治建设") and first.text.endswith("报告如下:")
    assert [p.text for p in rest if p.heading] == ["一、主要举措和成效", "(一)健全工作机制.", "(二)规范执法行为.",
                                                   "二、存在的问题"]


@pytest.mark.parametrize("kept", ["全年新增1.5万户", "上午10:30召开", "网址:http://www.gov.cn", "(PPP)项目"])
def test_ascii_punctuation_among_digits_and_letters_stays(kept):
    lines = body("我县", 2023)
    lines[3] = lines[3] + kept + "。"
    report = clean_text(page("某县2023年法治政府建设情况报告", "发布时间：2024-03-10", subject="我县", year=2023)
                        .replace(body("我县", 2023)[3], lines[3]), "kept")
    assert kept in "\n".join(p.text for p in report.paragraphs)


# A reader service's output (Title:, URL Source:, Published Time:, Markdown Content:) over a page turned into
# markdown, with its headings underlined (=== and ---): the header is the service's, the page follows.

def test_a_reader_services_header_is_no_part_of_the_page():
    title = "嘉兴市人民政府关于2023年度法治政府建设情况的报告"
    report = clean_text(page(f"Title: {title}_嘉兴市人民政府", "", "URL Source: https://www.jiaxing.gov.cn/art/1.html",
                             "", "Published Time: 2024-03-26T02:15:00+00:00", "", "Markdown Content:", title,
                             "=" * 30, "", "发布日期：2024-03-26 来源：市司法局", subject="我市", year=2023), "reader")
    assert report.title == title and report.pub_date == "2024-03-26" and report.level == "city"
    assert_body_clean(report, "Markdown", "URL Source", "===")


# Script code a text dump kept from the page (an analytics snippet, a font-size function, document.write)
# is no text of the report, however many semicolons it holds.

@pytest.mark.parametrize("code", ['var _hmt = _hmt || [];(function() {var hm = document.createElement("script");})();',
                                  'var fontSize = 16; function setFont(n){ document.getElementById("zoom"); }',
                                  "document.write('<script src=\"/js/share.js\"></script>');",
                                  "$(function(){ $('.share').show(); });"])
def test_script_code_in_a_dump_is_dropped(code):
    report = clean_text(page("六安市2023年法治政府建设年度报告", "发布时间：2024-03-27 09:12 来源：市司法局", code,
                             subject="我市", year=2023), "script")
    assert report.title == "六安市2023年法治政府建设年度报告"
    assert_body_clean(report, "var ", "function", "document.")


# A heading printed as a list row, its day at the line's far end after wide spaces and with no label: the
# title is the words, the day the page's.

@pytest.mark.parametrize("day, date", [("2024-03-29", "2024-03-29"), ("2024年3月29日", "2024-03-29")])
def test_a_title_with_its_day_at_the_lines_end(day, date):
    title = "麻城市2023年法治政府建设年度报告"
    report = clean_text(page("麻城市人民政府门户网站", f"{title}\u3000\u3000\u3000\u3000{day}", subject="我市", year=2023),
                        "beside")
    assert report.title == title and report.pub_date == date
    assert_body_clean(report)


# A title broken right after its 关于: the issuer's name and 关于 on the first line, the rest on the second.

def test_a_title_broken_after_its_guanyu_is_joined():
    report = clean_text(page("梧州市人民政府门户网站", "首页 » 信息公开 » 法治政府建设", "梧州市人民政府关于",
                             "2023年度法治政府建设情况的报告", "发布时间：2024-03-29 来源：梧州市司法局",
                             "自治区人民政府：", subject="我市", year=2023), "guanyu")
    assert report.title == "梧州市人民政府关于2023年度法治政府建设情况的报告"
    assert report.level == "city" and region_of(report) == "广西壮族自治区/梧州市"
    assert_body_clean(report)


# A notice that publishes or circulates the report (关于公布《…》的公告, …办公室关于印发《…》的通知), its addressee,
# sentence and signature above the report's own title: the title, the body and the level are the report's.

@pytest.mark.parametrize("notice, sender", [
    ("关于公布《平阴县2023年法治政府建设年度报告》的公告", "平阴县人民政府"),
    ("平阴县人民政府办公室关于印发《平阴县2023年法治政府建设年度报告》的通知", "平阴县人民政府办公室")])
def test_a_notice_over_the_report_is_its_header(notice, sender):
    title = "平阴县2023年法治政府建设年度报告"
    report = clean_text(page("平阴县人民政府", "首页 > 政务公开 > 法治政府建设", notice, "发布日期：2024-03-22",
                             "各镇人民政府、街道办事处，县政府各部门：", f"现将《{title}》予以公布，请认真贯彻落实。",
                             f"附件：{title}.pdf", sender, "2024年3月21日", title, subject="平阴县", year=2023), "notice")
    assert report.title == title and report.level == "county" and report.pub_date == "2024-03-22"
    assert region_of(report) == "山东省/济南市/平阴县"
    assert_body_clean(report, "予以公布", "附件")


# A site's feed stored as the page: the first item's title, its RFC 822 date (in China's time) and its body,
# HTML inside CDATA, are the page's; the channel's title is the site's.

def test_a_feeds_item_is_read_as_the_page():
    paragraphs = "".join(f"<p>{line}</p>" for line in body("我市", 2023))
    feed = ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>南平市人民政府</title>\n'
            "<item><title>南平市2023年度法治政府建设情况报告</title><link>http://www.np.gov.cn/a/1.html</link>\n"
            "<pubDate>Wed, 27 Mar 2024 17:40:00 +0000</pubDate>\n"
            f"<description><![CDATA[{paragraphs}]]></description></item></channel></rss>")
    report = clean_text(feed, "feed")
    assert report.title == "南平市2023年度法治政府建设情况报告" and report.pub_date == "2024-03-28"
    assert region_of(report) == "福建省/南平市" and report.level == "city"
    assert_body_clean(report, "<p>", "CDATA", "pubDate")


def test_a_broken_feed_is_read_as_text():
    report = clean_text(page("<rss><channel><item>", "南平市2023年度法治政府建设情况报告", "发布时间：2024-03-28",
                             subject="我市", year=2023), "broken-feed")
    assert report.title == "南平市2023年度法治政府建设情况报告"


# A microblog's long post: the post line writes the year in two digits before the client it was sent from.

def test_a_microblogs_two_digit_year_is_read():
    report = clean_text(page("宿迁发布", "24-3-28 17:32 来自 微博网页版 已编辑", "#法治政府建设# 【宿迁市2023年法治政府建设年度报告】",
                             subject="我市", year=2023), "weibo")
    assert report.pub_date == "2024-03-28" and report.title == "宿迁市2023年法治政府建设年度报告"
    assert_body_clean(report, "来自")


# A report whose title or opening names only its place ("永修县2018年…") is that place's government's: the
# issuer is the government's name, as a reader filters by it, a qualified place keeping its qualifier and an
# everyday name giving way to the division's. A zone counted as a division is run by a 管委会, so it stays.

@pytest.mark.parametrize("place, issuer", [
    ("永修县", "永修县人民政府"), ("九江市", "九江市人民政府"), ("江西省", "江西省人民政府"),
    ("济南市历城区", "济南市历城区人民政府"), ("浦东新区", "浦东新区人民政府"), ("莫旗", "莫力达瓦达斡尔族自治旗人民政府"),
    ("昌吉州", "昌吉回族自治州人民政府"), ("阿克苏地区", "阿克苏地区行政公署"), ("湖滨街道", "湖滨街道办事处"),
    ("周庄镇", "周庄镇人民政府"), ("苏州工业园区", "苏州工业园区")])
def test_a_place_named_alone_as_issuer_is_its_government(place, issuer):
    report = clean_text(page(f"{place}2023年法治政府建设年度报告", "发布时间：2024-03-20", subject=place, year=2023), "place")
    assert report.issuer == issuer


@pytest.mark.parametrize("issuer", ["永修县司法局", "中共永修县委 永修县人民政府"])
def test_a_named_body_stays_the_issuer(issuer):
    report = clean_text(page(f"{issuer}关于2023年度法治政府建设情况的报告", "发布时间：2024-03-20", year=2023), "body")
    assert report.issuer == issuer


# An account's headline tags the title before a bar ("权威发布丨…"): the tag is no part of the title or issuer.

def test_a_headlines_tag_before_a_bar_is_not_the_titles():
    report = clean_text(page("权威发布丨黄冈市2023年法治政府建设年度报告", "原创 黄冈发布 黄冈发布 2024-03-30 18:30 湖北",
                             subject="黄冈市", year=2023), "tag")
    assert report.title == "黄冈市2023年法治政府建设年度报告" and report.issuer == "黄冈市人民政府"
