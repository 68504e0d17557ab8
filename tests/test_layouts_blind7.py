"""Layout classes found by the seventh blind set of pages (issue 24, tests/fixtures/unseen7): OCR of scans
with a space between characters, copies kept by archives and caches under their banners, 国家级新区 and
divisions renamed or abolished since their report, districts named by a position found through the site's
name, an addressee glued to the first paragraph, an editor's note before a repost, departments whose names
hold 人民政府 or 管理委员会, and dates in a meta tag's or an article API's own forms. Each class is reproduced
here in a page written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import json

import pytest

from indexer.clean.sitehost import site_places
from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, body, page, region_of


def spaced(line):
    """Return a line as OCR of a scan writes it: a space after every character."""
    return " ".join(line)


# OCR of a scanned report puts a space between every character, its punctuation and the digits of a year
# included: the lines are written together before names and years are read.

def test_ocr_spacing_is_removed_from_every_line():
    lines = ["宁陵县人民政府文件", "宁政〔2024〕6号", "宁陵县人民政府", "关于2023年度法治政府建设情况的报告",
             "商丘市人民政府：", *body("我县", 2023)]
    report = clean_text("\n".join(map(spaced, lines)), "ocr")
    assert report.title == "宁陵县人民政府关于2023年度法治政府建设情况的报告" and report.report_year == 2023
    assert region_of(report) == "河南省/商丘市/宁陵县" and report.level == "county"
    assert_body_clean(report, "文件")
    assert FIRST_WORDS in report.paragraphs[1].text and " " not in report.paragraphs[1].text


@pytest.mark.parametrize("year, written", [("2 0 2 3 年度", "2023年度"), ("〔2 0 2 4〕", "〔2024〕")])
def test_a_year_whose_digits_ocr_spaced_is_one_number(year, written):
    report = clean_text(page(f"某县{year}法治政府建设情况报告", subject="某县", year=2023), "year")
    assert written in report.title


def test_a_short_spaced_run_and_a_row_of_figures_stay():
    lines = body("我县", 2023)
    lines[3] = "全年受理 12 件 34 件 56 件，办结率 98 %。" + lines[3]
    report = clean_text(page("某县2023年法治政府建设情况报告", "字号 大 中 小", subject="我县", year=2023)
                        .replace(body("我县", 2023)[3], lines[3]), "figures")
    assert "12 件 34 件" in "\n".join(p.text for p in report.paragraphs)


# A copy kept by an archive prints the archive's banner over the page: the Wayback Machine's toolbar (its
# captures, month and year strips and buttons), archive.today's bar, a cache's notice with its snapshot
# date. The banner is no part of the page, and the copy's address names the page it copied.

WAYBACK = ["The Wayback Machine - https://web.archive.org/web/20190315082233/http://www.yongxiu.gov.cn/a/1.html",
           "http://www.yongxiu.gov.cn/a/1.html", "Go", "37 captures", "15 Mar 2019 - 02 Aug 2022", "FEB\tMAR\tAPR",
           "15", "2018\t2019\t2020", "success", "fail", "About this capture", "COLLECTED BY",
           "Collection: Common Crawl", "TIMESTAMPS"]
ARCHIVE_TODAY = ["archive.today webpage capture\tSaved from\thttp://www.yongxiu.gov.cn/a/1.html\tsearch\t"
                 "31 Jan 2019 03:11:52 UTC", "All snapshots from host www.yongxiu.gov.cn",
                 "Webpage\tScreenshot\tshare\tdownload .zip\treport bug or abuse"]
CACHE = ["这是 Google 对 http://www.yongxiu.gov.cn/a/1.html 的缓存。 这是该网页在 2019年3月20日 05:12:07 GMT 的快照。"
         " 当前页在此期间可能已经更改。 了解详情。"]


@pytest.mark.parametrize("banner", [WAYBACK, ARCHIVE_TODAY, CACHE])
def test_an_archives_banner_is_no_part_of_the_page(banner):
    title = "永修县2018年法治政府建设工作情况报告"
    report = clean_text(page(*banner, "永修县人民政府", "当前位置：首页 > 政务公开 > 法治政府建设", title,
                             "发布时间：2019-02-26　来源：县司法局", subject="永修县", year=2018), "archive")
    assert report.title == title and report.pub_date == "2019-02-26" and report.level == "county"
    assert region_of(report) == "江西省/九江市/永修县"
    assert_body_clean(report, "Wayback", "captures", "快照", "snapshots")


@pytest.mark.parametrize("copy", ["https://web.archive.org/web/20190315082233/http://www.yongxiu.gov.cn/a/1.html",
                                  "https://web.archive.org/web/20190315082233id_/http://www.yongxiu.gov.cn/a/1.html",
                                  "http://webcache.googleusercontent.com/search?q=cache:Hq7s2JkTx3EJ:"
                                  "www.yongxiu.gov.cn/a/1.html+&cd=1"])
def test_an_archived_copys_address_names_the_site_it_copied(copy):
    assert site_places(copy) == site_places("http://www.yongxiu.gov.cn/a/1.html") != ()


# A 国家级新区 the division codes do not hold (雄安, 两江, 西咸) names the place it lies in, the province where
# it spans cities, and its report, like a zone's, has no level.

@pytest.mark.parametrize("area, region", [("雄安新区", "河北省"), ("两江新区", "重庆市/重庆市"), ("西咸新区", "陕西省"),
                                          ("贵安新区", "贵州省"), ("湘江新区", "湖南省/长沙市")])
def test_a_new_area_names_its_province_and_has_no_level(area, region):
    title = f"{area}2023年法治政府建设情况报告"
    report = clean_text(page(f"{area}管委会", "首页 > 政务公开 > 法治政府建设", title, "发布时间：2024-03-28",
                             subject=f"{area}党工委、管委会", year=2023), "area")
    assert report.title == title and region_of(report) == region and report.level == ""


# A division renamed, merged or made a city since its report keeps the name the report gives it, where it
# then stood: 上饶县 (广信区 since 2019), 玉环县 (玉环市 since 2017), 莱芜市 (merged into 济南 in 2019), 那曲地区.

@pytest.mark.parametrize("issuer, region, level", [("上饶县", "江西省/上饶市/上饶县", "county"),
                                                   ("玉环县", "浙江省/台州市/玉环县", "county"),
                                                   ("莱芜市", "山东省/莱芜市", "city"),
                                                   ("那曲地区", "西藏自治区/那曲地区", "city")])
def test_a_division_since_renamed_is_placed_where_it_stood(issuer, region, level):
    title = f"{issuer}2016年法治政府建设工作报告"
    report = clean_text(page(f"{issuer}人民政府", title, "发布时间：2017-03-10", subject=issuer, year=2016), "former")
    assert report.title == title and region_of(report) == region and report.level == level


# The site's name printed above the title names whose site it is: a district named by a position (市中区,
# found in four cities) or named like one elsewhere (新市区) is the one of the city the site's name gives.

@pytest.mark.parametrize("site, district, region", [
    ("枣庄市市中区人民政府", "市中区", "山东省/枣庄市/市中区"), ("乐山市市中区人民政府", "市中区", "四川省/乐山市/市中区"),
    ("乌鲁木齐市新市区（高新区）门户网站", "新市区", "新疆维吾尔自治区/乌鲁木齐市/新市区")])
def test_the_sites_name_above_the_title_tells_which_district(site, district, region):
    title = f"{district}2023年法治政府建设年度报告"
    report = clean_text(page(site, "首页 | 政务公开 | 政务服务", "当前位置：首页 > 政务公开 > 法治政府建设", title,
                             "发布日期：2024-03-12", subject=district, year=2023), "site")
    assert report.title == title and region_of(report) == region and report.level == "county"


def test_a_news_sites_name_above_a_repost_names_no_place():
    title = "鄞州区2023年法治政府建设年度报告"
    report = clean_text(page("中国江西网", "首页 > 新闻", title, "2024-03-26 15:40　来源：鄞州发布", subject="鄞州区",
                             year=2023), "news")
    assert region_of(report) == "浙江省/宁波市/鄞州区"


# A salutation run into the first paragraph on one line stands apart from it, as on a line of its own.

@pytest.mark.parametrize("salutation", ["株洲市人民政府：", "省人民政府：\u3000\u3000", "市委、市政府:"])
def test_a_salutation_glued_to_the_first_paragraph_stands_apart(salutation):
    lines = body("醴陵市", 2023)
    text = "\n".join(["醴陵市人民政府关于2023年度法治政府建设情况的报告", "发布时间：2024-02-19", salutation + lines[0],
                      *lines[1:]])
    report = clean_text(text, "glued")
    assert report.paragraphs[0].text == salutation.strip()
    assert report.paragraphs[1].text == lines[0] and report.issuer == "醴陵市人民政府"
    assert region_of(report) == "湖南省/株洲市/醴陵市" and report.level == "county"


def test_a_first_paragraph_with_a_colon_inside_is_whole():
    lines = body("醴陵市", 2023)
    lines[0] = "根据《法治政府建设与责任落实督察工作规定》：" + lines[0]
    report = clean_text("\n".join(["醴陵市2023年法治政府建设情况报告", "发布时间：2024-02-19", *lines]), "colon")
    assert report.paragraphs[0].text == lines[0]


# A repost's editor's note over the report (编者按：…, 【导读】…) is the page's words, not the report's.

@pytest.mark.parametrize("note", ["编者按：按照年度报告制度要求，襄阳市政府日前对外公布了报告，本网全文刊发。",
                                  "【导读】日前，襄阳市政府公布2023年法治政府建设情况。本网予以刊发，以飨读者。"])
def test_an_editors_note_is_no_part_of_the_body(note):
    title = "襄阳市2023年法治政府建设年度报告"
    report = clean_text(page("汉江网", "汉江网 > 新闻 > 襄阳", title, "2024-03-27 08:40:11　来源：汉江网", note,
                             subject="襄阳市", year=2023), "note")
    assert report.title == title and report.pub_date == "2024-03-27"
    assert_body_clean(report, "编者按", "导读", "本网")


# A department whose name holds 人民政府 or 管理委员会 is a department: a province's 办公厅 and 国资委, a city's
# 外事办公室, a city's 城市管理委员会. A 管理委员会 after a zone's name is the zone's 管委会, with no level.

@pytest.mark.parametrize("issuer, region", [("福建省人民政府办公厅", "福建省"),
                                            ("江西省人民政府国有资产监督管理委员会", "江西省"),
                                            ("绍兴市人民政府外事办公室", "浙江省/绍兴市"),
                                            ("北京市城市管理委员会", "北京市/北京市")])
def test_a_department_named_after_its_government_is_a_department(issuer, region):
    title = f"{issuer}2023年法治政府建设年度报告"
    report = clean_text(page(title, "发布时间：2024-03-20", subject="我委", year=2023), "dept")
    assert report.title == title and report.level == "department" and region_of(report) == region


@pytest.mark.parametrize("zone", ["长沙经济技术开发区管理委员会", "苏州高新技术产业开发区管理委员会", "某某工业园管理委员会"])
def test_a_zones_management_committee_has_no_level(zone):
    report = clean_text(page(f"{zone}2023年法治建设工作报告", "发布时间：2024-03-20", subject="管委会", year=2023), "zone")
    assert report.level == ""


# The page's date under the names news and Open Graph templates give its <meta> tag (firstpublishedtime with
# its time joined by a hyphen, publishdate, article:published_time), and an article API's moment in epoch
# seconds or milliseconds, read in China's time.

@pytest.mark.parametrize("tag", ['<meta name="firstpublishedtime" content="2024-03-05-10:21:33" />',
                                 '<meta name="publishdate" content="2024-03-05" />',
                                 '<meta property="article:published_time" content="2024-03-05T10:21:33+08:00" />'])
def test_a_meta_tags_publication_time_is_the_date(tag):
    title = "三明市2023年法治政府建设情况报告"
    report = clean_text(page(tag, '<meta name="lastmodifiedtime" content="2024-03-06-08:00:12" />', "三明市人民政府",
                             title, subject="三明市", year=2023), "meta")
    assert report.title == title and report.pub_date == "2024-03-05"
    assert_body_clean(report, "meta", "content")


@pytest.mark.parametrize("moment", [1711935000000, 1711935000, 1711900800000])
def test_an_apis_epoch_time_is_the_date_in_china(moment):
    # 1711900800 is 2024-03-31 16:00 UTC: midnight of 2024-04-01 in China.
    lines = body("仪征市", 2023)
    article = {"title": "仪征市2023年法治政府建设年度报告", "publishTime": moment,
               "content": "".join(f"<p>{line}</p>" for line in lines)}
    report = clean_text(json.dumps({"code": 200, "data": article}, ensure_ascii=False), "epoch")
    assert report.pub_date == "2024-04-01" and report.title == article["title"]


def test_a_number_that_is_no_moment_is_no_date():
    article = {"title": "仪征市2023年法治政府建设年度报告", "publishTime": 42,
               "content": "".join(f"<p>{line}</p>" for line in body("仪征市", 2023))}
    report = clean_text(json.dumps({"data": article}, ensure_ascii=False), "count")
    assert report.pub_date == ""


# A title opening with its year in Chinese numerals, 零 for zero ("二零二三年度灌南县…"), names its issuer after
# the year, as one in digits does.

@pytest.mark.parametrize("year", ["二零二三年度", "二〇二三年度", "二○二三年"])
def test_a_year_in_chinese_numerals_before_the_issuer_is_not_its_name(year):
    title = f"{year}灌南县法治政府建设工作报告"
    report = clean_text(page(title, "发布日期：2024-02-06", subject="灌南县", year=2023), "cn-year")
    assert report.issuer == "灌南县人民政府" and report.report_year == 2023 and report.level == "county"
    assert region_of(report) == "江苏省/连云港市/灌南县"
