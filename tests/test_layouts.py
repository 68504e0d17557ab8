"""Layouts of real report pages, each reproduced in a page written for the test.

Every class of layout the cleaner meets on published pages (metadata in other layouts, chrome
above the body, broken titles, years, regions, levels, traditional characters, the host name)
gets a page of its own, and each test asserts the field the layout hides and that none of
its chrome reaches a body paragraph. The texts are made up; only the layouts are real.
"""
import pytest

from indexer.clean.rawfile import clean_file
from indexer.clean.textpage import clean_text
from model.report import GOVERNMENT_LEVEL_LABELS, GOVERNMENT_LEVELS

from layoutpages import assert_body_clean, assert_no_words, body, body_text, page

# Metadata in other layouts: list items, labels in brackets, fields run together on one line,
# slashes and run-together timestamps, only a 生成日期.

@pytest.mark.parametrize("top, pub_date, chrome", [
    (["- [ 索引号 ] 11330000/2025-00017", "- [ 发布机构 ] 某某县司法局", "[ 发布日期 ] 2026-02-10",
      "某某县2025年法治政府建设年度报告"], "2026-02-10", ["索引号", "[ 发布"]),
    (["某某县2025年法治政府建设年度报告", "- 发布时间: 2026-02-24", "- 来源: 某某县司法局", "- 浏览次数: 88"],
     "2026-02-24", ["发布时间", "来源", "浏览"]),
    (["某某县2020年法治政府建设情况报告", "发布时间：2021/03/29 11:30:01 来源：某某县人民政府"],
     "2021-03-29", ["2021/03/29", "来源"]),
    (["发布日期：2024-03-01 发布机构：某某县人民政府 文号：", "某某县2023年法治政府建设情况报告"],
     "2024-03-01", ["发布机构", "文号"]),
    (["索引号：11330000/2022-0018 主题分类：", "发布机构：某某县人民政府 生成日期：2022-02-20",
      "某某县2021年度法治政府建设工作报告"], "2022-02-20", ["生成日期", "主题分类"]),
    (["某某省2024年度法治政府建设情况报告", "202504271014 某某省人民政府网"], "2025-04-27",
     ["202504271014", "人民政府网"]),
    (["某某省2021年度法治政府建设情况", "20220330155920"], "2022-03-30", ["20220330155920"]),
])
def test_metadata_in_other_layouts(top, pub_date, chrome):
    report = clean_text(page(*top), "layout")
    assert report.pub_date == pub_date
    assert_body_clean(report, *chrome)


# Chrome between the title and the body.

def test_tools_counters_share_bars_and_widgets_stay_out_of_the_body():
    report = clean_text(page(
        "某某市人民政府门户网站", "通知公告", "某某市2024年法治政府建设情况报告",
        "浏览:5072次 时间:2025-03-02 来源:本站", "  • 浏览量:", "  • 字体【      】", "[字体: ] 打印",
        "分享到:", "| | | |", ">", "一图读懂：某某市2024年法治政府建设情况", "司法信息", "阅读 2525"),
        "chrome")
    assert report.title == "某某市2024年法治政府建设情况报告" and report.pub_date == "2025-03-02"
    assert_body_clean(report, "浏览", "字体", "打印", "分享到", "|", ">", "一图读懂", "司法信息", "2525",
                      "门户网站", "通知公告")


def test_site_and_column_names_and_a_dated_byline_under_the_title_are_header():
    report = clean_text(page("某某县教育局2020年度法治政府建设年度报告", "- 某某区教育云", "- 2021-01-25 10:47",
                             "- 阅读 2525", subject="区教育局"), "byline")
    assert report.pub_date == "2021-01-25"
    assert_body_clean(report, "教育云", "10:47", "阅读")


def test_a_title_printed_again_broken_over_lines_is_header():
    report = clean_text(page("某某市人民政府2021年度法治政府建设情况报告", "2022-03-29 17:13:17 来源: 某某市司法局 打印",
                             "某某市人民政府", "2021年度法治政府建设情况报告"), "again")
    assert report.title == "某某市人民政府2021年度法治政府建设情况报告" and report.pub_date == "2022-03-29"
    assert report.issuer == "某某市人民政府"
    assert_body_clean(report, "某某市人民政府\n", "来源", "打印")
    assert not any(p.text == "2021年度法治政府建设情况报告" for p in report.paragraphs)


def test_an_encyclopedia_mirror_describing_the_page_is_header():
    title = "某某市人民政府关于2016年度法治政府建设情况的报告"
    report = clean_text(page(title, f"《{title}》是2017年某某市人民政府发布的报告。", "基本介绍",
                             "• 中文名：" + title, "• 发布单位：某某市人民政府", "某政呈〔2017〕3号 签发人：某某某",
                             "某某省人民政府：", subject="我市", year=2016), "wiki")
    assert report.title == title and report.doc_number == "某政呈〔2017〕3号"
    assert report.paragraphs[0].text == "某某省人民政府："  # the addressee stays, as on paper
    assert_body_clean(report, "是2017年", "基本介绍", "中文名", "签发人")


# The wrong line as title.

@pytest.mark.parametrize("top", [
    ["您所在的位置:政务公开 > 工作报告", "某某区2023年法治政府建设工作报告"],
    ["首页 -> 政务公开 -> 其他政府信息 -> 工作报告 -> 部门工作报告", "某某区2023年法治政府建设工作报告"],
    ["您当前所在的位置: 首页", ">> 政务公开 >> 信息公开目录 >> 工作报告", "某某区2023年法治政府建设工作报告"],
    ["[ 主题分类 ] 综合政务/工作报告", "[ 体裁分类 ] 工作报告", "某某区2023年法治政府建设工作报告"],
    ["  • 115002242037431382/2024-00011", "  • 工作报告", "  • 某某区司法局", "  • 2024-03-22",
     "某某区2023年法治政府建设工作报告"],
])
def test_breadcrumbs_and_metadata_rows_are_not_the_title(top):
    report = clean_text(page(*top, subject="区政府", year=2023), "crumbs")
    assert report.title == "某某区2023年法治政府建设工作报告" and report.report_year == 2023
    assert_body_clean(report, "的位置", "首页", "工作报告\n", ">", "分类", "1150022420")


def test_unlabelled_dates_above_the_title_date_the_page():
    report = clean_text(page("  • 2024-03-22", "某某区2023年法治政府建设工作报告", subject="区政府"), "dates")
    assert report.pub_date == "2024-03-22"


@pytest.mark.parametrize("lines, title", [
    (["关于某某市某某区2025年度法治政府", "建设情况的报告"], "关于某某市某某区2025年度法治政府建设情况的报告"),
    (["某某区关于2024年推进法治政府", "建设工作情况的报告"], "某某区关于2024年推进法治政府建设工作情况的报告"),
    (["太和县人民政府", "关于2023年法治政府建设情况的报告"], "太和县人民政府关于2023年法治政府建设情况的报告"),
    (["中共某某省委 某某省人民政府", "关于2022年法治政府建设情况的报告"],
     "中共某某省委 某某省人民政府关于2022年法治政府建设情况的报告"),
    (["某某县2023年度法治政府建设情况", "报告"], "某某县2023年度法治政府建设情况报告"),
])
def test_a_title_broken_over_lines_is_joined(lines, title):
    report = clean_text(page(*lines), "broken")
    assert report.title == title
    assert_body_clean(report, lines[0], lines[1] + "\n")


def test_a_site_or_column_name_above_the_title_is_not_part_of_it():
    report = clean_text(page("通知公告", "某某县2025年法治政府建设年度报告"), "column")
    assert report.title == "某某县2025年法治政府建设年度报告"


def test_a_doc_number_heading_the_title_goes_to_doc_number():
    report = clean_text(page("[某政发〔2026〕7号]某某市人民政府关于2025年度法治政府建设情况的报告"), "number")
    assert report.title == "某某市人民政府关于2025年度法治政府建设情况的报告"
    assert report.doc_number == "某政发〔2026〕7号"


def test_a_page_run_onto_one_line_is_split_into_title_salutation_and_paragraphs():
    line = " ".join(["中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告", "中共某某市委、某某市人民政府:",
                     *body("我镇", 2024)])
    report = clean_text(line, "oneline")
    assert report.title == "中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告"
    assert report.report_year == 2024 and report.issuer == "中共某某镇委员会某某镇人民政府"
    assert [p.text for p in report.paragraphs[:3]] == ["中共某某市委、某某市人民政府:", body("我镇")[0], "一、主要举措和成效"]
    assert [p.heading for p in report.paragraphs].count(True) == 4


# The report year.

@pytest.mark.parametrize("text, year", [
    ("区委、区政府：\n" + "\n".join(body("我镇", 2025)), 2025),
    ("县委依法治县办:\n" + "\n".join(body("某某镇人民政府", 2025)), 2025),
    ("某某区人民政府关于法治政府建设情况的报告\n市人大常委会：\n按照工作安排，现就法治政府建设情况报告如下。\n"
     + "\n".join(body("我区", 2023)), 2023),
    ("根据上级《全面深化法治领域改革纲要（2023—2027年）》的部署，结合本地实际，某某街道全面推进依法行政，"
     "现对2023年所做工作总结如下：\n" + "\n".join(body("我街道", 2023)[1:]), 2023),
    ("某某镇关于报送2024年度法治政府建设的报告\n" + "\n".join(body("我镇", 2023)), 2024),
])
def test_report_year_from_title_lines_and_opening_sentences(text, year):
    assert clean_text(text, "year").report_year == year


# Regions.

@pytest.mark.parametrize("text, region", [
    # A county-level city and a township in it.
    (page("高平市寺庄镇2024年法治政府建设情况报告", subject="寺庄镇"), ("山西省", "晋城市", "高平市", "寺庄镇")),
    # The short form of an autonomous prefecture, and of an autonomous region.
    (page(subject="伊犁州人民政府", year=2021), ("新疆维吾尔自治区", "伊犁哈萨克自治州", "", "")),
    (page("内蒙古2016年度法治政府建设工作报告", subject="全区"), ("内蒙古自治区", "", "", "")),
    # A district of a municipality.
    (page("重庆市铜梁区2023年法治政府建设工作报告", subject="区政府"), ("重庆市", "重庆市", "铜梁区", "")),
    # The issuer named only in the 发布机构 field, or only in the signature.
    (page("发布机构：碌曲县西仓镇人民政府", "关于2025年度法治政府建设情况的报告", subject="我镇"),
     ("甘肃省", "甘南藏族自治州", "碌曲县", "西仓镇")),
    ("\n".join(["关于2025年度法治政府建设情况的报告", *body("我镇"), "禄丰市中村乡人民政府", "2026年1月5日"]),
     ("云南省", "楚雄彝族自治州", "禄丰市", "中村乡")),
])
def test_regions(text, region):
    report = clean_text(text, "region")
    assert tuple(report.region.values()) == region


# The host of a government site names its place (pinyin or initials, several places nested).

@pytest.mark.parametrize("url, subject, region", [
    # A page naming only its township, on the county's site.
    ("http://www.luqu.gov.cn/info/1061/1.htm", "西仓镇人民政府", ("甘肃省", "甘南藏族自治州", "碌曲县", "西仓镇")),
    # A township name many counties share, told apart by the initials of province and county.
    ("https://www.bjmy.gov.cn/zwgk/1.html", "鼓楼街道办事处", ("北京市", "北京市", "密云区", "鼓楼街道")),
    # Two places spell the host (武冈市, 舞钢市): the township that lies in one of them decides.
    ("https://www.wugang.gov.cn/a/1.shtml", "龙溪镇", ("湖南省", "邵阳市", "武冈市", "龙溪镇")),
    # A page naming no place at all is the site's: 南昌县 under 南昌 (ncx.nc).
    ("http://ncx.nc.gov.cn/a/1.shtml", "我县", ("江西省", "南昌市", "南昌县", "")),
])
def test_the_site_host_places_the_report(url, subject, region):
    report = clean_text(page(subject=subject), "host", {"url": url})
    assert tuple(report.region.values()) == region


@pytest.mark.parametrize("url", [
    "https://www.wugang-news.com/a/1.html",  # not a government host
    "https://www.wugang.gov.cn/a/1.shtml",  # two places spell it, and the page names none
    "https://sfj.example.gov.cn/a/1.html",  # a department's label and a word that is no place
])
def test_a_host_that_names_no_one_place_adds_nothing(url):
    report = clean_text(page(subject="我镇"), "host", {"url": url})
    assert not any(report.region.values())


def test_the_host_does_not_move_a_report_that_names_its_own_place():
    # A province's report reposted on one of its counties' sites stays the province's.
    report = clean_text(page("黑龙江省2024年度法治政府建设情况报告", subject="黑龙江省"), "repost",
                        {"url": "https://www.suibin.gov.cn/a/1.shtml"})
    assert report.region == {"province": "黑龙江省", "city": "", "county": "", "township": ""}
    assert report.level == "province"


# The level of the issuing government.

@pytest.mark.parametrize("text, level", [
    (page("某某省2024年度法治政府建设情况报告", subject="某某省"), "province"),
    (page(subject="山西省委、省政府"), "province"),
    (page("宁夏回族自治区2022年度法治政府建设工作报告", subject="自治区党委和政府"), "province"),
    (page("2024年上海市法治政府建设情况报告", subject="全市各区、各部门"), "province"),
    (page("中共海南省委 海南省人民政府", "关于2022年法治政府建设情况的报告"), "province"),
    (page("吉林市2022年度法治政府建设工作报告", subject="吉林市"), "city"),
    (page(subject="延边州政府", year=2022), "city"),
    (page("禄丰市2023年法治政府建设工作报告", subject="禄丰市"), "county"),
    (page("中共重庆市大渡口区委重庆市大渡口区人民政府2023年法治政府建设情况报告"), "county"),
    (page(subject="新县", year=2023), "county"),
    (page("北城街街道办事处2025年法治政府建设年度报告", subject="北城街街道办事处"), "township"),
    (page("中共黄湾镇委员会黄湾镇人民政府关于2024年度法治政府建设的报告"), "township"),
    (page("龙溪镇2024年法治政府建设年度报告", subject="龙溪镇"), "township"),
    (page("武汉市司法局2022年度推进法治政府建设情况报告", subject="市司法局"), "department"),
    (page(subject="某某省司法厅"), "department"),
    (page(subject="元谋县卫生健康局"), "department"),
    (page("某某区2024年法治政府建设工作报告", "发布机构：某某区司法局"), "county"),
    ("\n".join(["根据上级通知要求，现对我局2019年度法治政府建设工作情况总结如下：", *body("区教育局", 2019)[1:],
                "我们将继续对照考核标准查找不足，加强执法人员培训，推动教育系统依法治理水平进一步提升。"]),
     "department"),
])
def test_level(text, level):
    report = clean_text(text, "level")
    assert report.level == level and report.level in GOVERNMENT_LEVELS
    assert GOVERNMENT_LEVEL_LABELS[report.level]


def test_level_words_in_ordinary_sentences_make_no_department():
    text = "\n".join([*body("全县", 2024), "本办法自印发之日起施行，全县法治建设的基本局面保持稳定，各部门的积极性不断提高。"])
    report = clean_text(text, "plain", {"url": "http://taikang.gov.cn/a/1.html"})
    assert report.level == "county" and report.region["county"] == "太康县"


# Traditional characters: analysed in simplified form, shown as the page prints them.

TRADITIONAL_PAGE = "\n".join([
    "湘潭縣衛生健康局2025年法治政府建設年度工作報告",
    "湘潭縣人民政府門戶網站 www.example.com.cn 發布時間:2025-12-31 16:33",
    "2025年，湘潭縣衛生健康局堅持依法行政，把法治建設擺在全局工作的重要位置，重大決策全部經過合法性審查，"
    "行政執法公示、全過程記錄和法制審核三項制度全面落實，群眾對執法工作的滿意度穩步提高。現將有關情況報告如下：",
    "一、主要工作開展情況",
    "（一）健全工作機制。年初制定法治建設工作要點，明確責任分工和完成時限，每季度召開一次專題會議聽取進展匯報。",
    "（二）規範執法行為。組織執法人員參加業務培訓和案卷評查，發現的問題當場反饋並限期整改，全年未發生行政復議被糾錯案件。",
])


def test_a_traditional_page_is_read_in_simplified_form_and_kept_in_its_own():
    report = clean_text(TRADITIONAL_PAGE, "traditional")
    assert report.title == "湘潭縣衛生健康局2025年法治政府建設年度工作報告"
    assert report.issuer == "湘潭縣衛生健康局" and report.level == "department"
    assert report.pub_date == "2025-12-31" and report.report_year == 2025
    assert tuple(report.region.values()) == ("湖南省", "湘潭市", "湘潭县", "")
    assert report.paragraphs[0].text.startswith("2025年，湘潭縣衛生健康局堅持依法行政")
    assert report.paragraphs[1].text == "一、主要工作開展情況" and report.paragraphs[1].heading
    assert report.paragraphs[2].section_path == ["一、主要工作開展情況"]
    assert "發布時間" not in body_text(report) and "門戶網站" not in body_text(report)


def test_repairs_on_a_traditional_page_keep_its_characters_around_them():
    text = TRADITIONAL_PAGE.replace("年初制定", "20259月起制定")
    report = clean_text(text, "traditional")
    assert "2025年9月起制定法治建設工作要點，明確責任分工" in body_text(report)


def test_a_simplified_page_is_left_exactly_as_it_was():
    text = page("某某县2024年法治政府建设情况报告")
    report = clean_text(text, "simplified")
    assert "".join(p.text for p in report.paragraphs) == "".join(body())


# An HTML page whose ContentSource names the department that posted the government's report.

def test_content_source_names_the_poster_not_the_author():
    report = clean_file("tests/fixtures/html/contentsource_department.html")
    assert report.issuer == "诸暨市人民政府" and report.level == "county"
    # The standard information table stands outside the article: its 文号 is read all the same.
    assert report.doc_number == "诸政报〔2024〕6号" and report.pub_date == "2024-03-28"
    assert tuple(report.region.values()) == ("浙江省", "绍兴市", "诸暨市", "")
    assert report.paragraphs[1].text.startswith("2023年，我市以建设人民满意的法治政府为目标")
    assert_no_words(report, "索引号", "002609283", "发布机构", "字号", "来源", "版权所有")


# Report text that looks like chrome in part must stay.

@pytest.mark.parametrize("line", [
    "（三）资金来源：财政拨款",
    "2023年5月12日 县长带队检查执法工作",
    "群众申请→窗口受理→部门审批→限时办结",
    "按照“谁执法谁普法”的原则，满意度>95%的单位予以通报表扬",
    "空气优良率>85% 水质达标率>90% 噪声达标率>95%",
])
def test_body_lines_that_look_like_chrome_in_part_stay(line):
    lines = body()
    text = "\n".join([lines[0], lines[1], line, *lines[2:]])
    report = clean_text(text, "stays")
    assert line in [p.text for p in report.paragraphs]


def test_a_first_paragraph_without_a_full_stop_is_kept_when_long():
    opening = body()[0].replace("。", "，").rstrip("：") + "各项工作有序推进"
    report = clean_text("\n".join(["某某县2024年法治政府建设情况报告", opening, *body()[1:]]), "long")
    assert report.paragraphs[0].text == opening


def test_a_long_paragraph_with_spaces_is_not_split():
    spaced = ("全年共办理行政复议案件 36 件，其中维持 20 件、确认违法 3 件、撤销 2 件，调解和解 11 件，涉及的风险等级分为 "
              "一、二、三级，"
              "行政机关负责人出庭应诉率达到 100% ，败诉率较上年下降 4 个百分点，复议纠错的案件全部督促整改到位，"
              "整改情况在年终考核中予以通报，推动行政机关依法履职能力明显提升。")
    lines = body()
    report = clean_text("\n".join([*lines[:3], spaced, *lines[3:]]), "spaced")
    assert spaced in [p.text for p in report.paragraphs]
