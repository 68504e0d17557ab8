"""Layouts of the newer real pages (issue 24), each class reproduced in a page written for the test.

Central ministries, department and 党组 reports, reports opening with their addressee, column
names and cover letters above the title, titles only quoted in an encyclopedia's lead, pinyin
glosses and copy sites' watermarks inside the text, single-line text dumps, years and dates
spaced or tabulated. Each test asserts the field the layout hides and that none of the page's
chrome reaches a body paragraph; the last ones are pages of the same kinds written without
looking at any rule, to see that the rules hold beyond the pages they were made on.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import FIRST_WORDS, assert_body_clean, assert_no_words, body, body_text, page, region_of

NO_REGION = {"province": "", "city": "", "county": "", "township": ""}
# A sentence of a central body's report naming provinces, none of them its own place.
PROVINCES_NAMED = "指导浙江、江苏、广东三省开展行政执法协调监督工作体系建设试点，总结推广试点地区的经验做法。"


# The level of departments: central ministries and commissions, provincial 厅, city and county
# 局 and 办, and reports signed by a department's 党组.

@pytest.mark.parametrize("top, subject, issuer", [
    (["司法部2022年法治政府建设年度报告"], "司法部", "司法部"),
    (["生态环境部关于2021年度法治政府建设情况的报告"], "生态环境部", "生态环境部"),
    (["海关总署2020年法治政府建设年度报告"], "海关总署", "海关总署"),
    (["关于2022年度法治政府建设情况的报告"], "国家发展和改革委员会", "国家发展和改革委员会"),
    (["首页 > 政务公开 > 法治政府建设", "2019年法治政府建设年度报告", "发布时间：2020-03-30 来源：法规司"], "我部", ""),
])
def test_a_central_ministry_is_a_department_of_no_place(top, subject, issuer):
    lines = body(subject, 2022)
    report = clean_text("\n".join([*top, lines[0], PROVINCES_NAMED, *lines[1:]]), "ministry")
    assert report.level == "department" and report.issuer == issuer
    assert report.region == NO_REGION  # the provinces it names are not its own
    assert_body_clean(report, "首页", "发布时间", "法规司")


@pytest.mark.parametrize("top, subject, issuer, region", [
    # A provincial 厅 named only in the opening sentence, with its 党组.
    (["关于2022年度法治政府建设工作情况的报告"], "浙江省交通运输厅党组", "浙江省交通运输厅党组", "浙江省"),
    # A city 局 on a line of its own above a title that names no author.
    (["湖州市市场监督管理局", "2022年度法治政府建设工作报告"], "我局", "湖州市市场监督管理局", "浙江省/湖州市"),
    # A department's 党组 above the title.
    (["中共湖州市生态环境局党组", "2022年度法治政府建设报告"], "市生态环境局", "中共湖州市生态环境局党组",
     "浙江省/湖州市"),
    # A county's 办 named in the title, and a department whose name holds 和.
    (["中共长兴县委全面依法治县委员会办公室关于2022年度法治建设情况的报告"], "县委依法治县办",
     "中共长兴县委全面依法治县委员会办公室", "浙江省/湖州市/长兴县"),
    (["关于2022年度法治政府建设情况的报告"], "长兴县住房和城乡建设局", "长兴县住房和城乡建设局", "浙江省/湖州市/长兴县"),
])
def test_provincial_city_and_county_departments_are_departments(top, subject, issuer, region):
    report = clean_text(page(*top, subject=subject, year=2022), "department")
    assert report.issuer == issuer and report.level == "department" and region_of(report) == region
    assert_body_clean(report, *top)


def test_a_governments_party_group_reports_for_its_government():
    report = clean_text(page("中共湖州市人民政府党组", "2022年度法治政府建设情况报告", subject="市政府", year=2022), "group")
    assert report.title == "中共湖州市人民政府党组2022年度法治政府建设情况报告"
    assert report.level == "city" and region_of(report) == "浙江省/湖州市"


# Salutations: the addressee is never the issuer; the report is one level below a government it
# is sent to, and in its place; the sender is named by its slogans or its 文号's code. Where its place is
# known at its level, the sender is that place's government (unseen9); where only the level is, it stays unnamed.

SLOGANS = "法治浙江建设在我市落地见效，法治湖州品牌持续擦亮，群众对法治建设的满意度位居全省前列。"


def sent_up(salutation, subject, *top, extra=()):
    """Return a page opening with a salutation above the body, extra sentences after its first."""
    lines = body(subject, 2022)
    return "\n".join([*top, salutation, lines[0], *extra, *lines[1:]])


@pytest.mark.parametrize("text, region, level, issuer", [
    # A city's report to its province, naming itself only by its slogan.
    (sent_up("浙江省人民政府：", "我市", extra=[SLOGANS]), "浙江省/湖州市", "city", "湖州市人民政府"),
    # ... or by the code its 文号 opens with.
    (sent_up("浙江省人民政府：", "我市", "2022年法治政府建设情况报告", "湖政报〔2023〕5号"), "浙江省/湖州市", "city",
     "湖州市人民政府"),
    # Neither: only the province is known, and the level below it.
    (sent_up("浙江省人民政府：", "我市"), "浙江省", "city", ""),
    # A county's report to its city.
    (sent_up("湖州市人民政府：", "我县"), "浙江省/湖州市", "county", ""),
    (sent_up("湖州市人民政府：", "我县", extra=["全力打造法治长兴金名片，平安长兴建设连续十年达标。"]),
     "浙江省/湖州市/长兴县", "county", "长兴县人民政府"),
    # The addressee in a short form: its level, and the province the page names.
    (sent_up("省政府：", "我市", extra=["深入推进法治浙江建设，全面落实省委省政府的部署。"]), "浙江省", "city", ""),
    # Party committee and government together: the government is the superior.
    (sent_up("中共湖州市委、湖州市人民政府：", "我县"), "浙江省/湖州市", "county", ""),
    # A department reports to its own government: still a department.
    (sent_up("湖州市人民政府：", "我局"), "浙江省/湖州市", "department", ""),
    # A people's congress of the same place is no superior: its place is the report's.
    (sent_up("长兴县人大常委会：", "我县"), "浙江省/湖州市/长兴县", "county", "长兴县人民政府"),
])
def test_the_addressee_places_the_sender_below_it(text, region, level, issuer):
    report = clean_text(text, "addressee")
    assert report.issuer == issuer and region_of(report) == region and report.level == level
    assert_body_clean(report, "湖政报")


def test_an_addressee_is_never_the_issuer_even_when_named_like_one():
    # The signature names the sender; the salutation names the province it is sent to.
    text = sent_up("浙江省人民政府：", "我市") + "\n湖州市人民政府\n2023年3月1日"
    report = clean_text(text, "signed")
    assert report.issuer == "湖州市人民政府" and report.level == "city" and region_of(report) == "浙江省/湖州市"


# Titles: column names refused, an issuer line joined to its title, a title quoted in an
# encyclopedia's lead, the report's own title over its cover letter's.

@pytest.mark.parametrize("top", [
    ["其他专题报告", "长兴县2022年法治政府建设年度报告"],
    ["法治政府建设年度报告", "长兴县2022年法治政府建设年度报告"],
    ["政府信息公开", "年度工作报告", "长兴县2022年法治政府建设年度报告"],
])
def test_a_column_name_is_not_the_title(top):
    report = clean_text(page(*top, subject="我县", year=2022), "column")
    assert report.title == "长兴县2022年法治政府建设年度报告" and not report.title_composed
    assert_body_clean(report, *top)


def test_a_page_titled_only_by_its_column_gets_a_composed_title():
    report = clean_text(page("其他专题报告", subject="长兴县", year=2022), "column")
    assert report.title_composed and report.title.startswith("长兴县2022年")
    assert_body_clean(report, "其他专题报告")


@pytest.mark.parametrize("lines, title", [
    (["中共湖州市生态环境局党组", "2022年度法治政府建设报告"], "中共湖州市生态环境局党组2022年度法治政府建设报告"),
    (["长兴县人民政府", "法治政府建设情况报告"], "长兴县人民政府法治政府建设情况报告"),
    (["中共某某镇委员会 某某镇人民政府", "2023年度法治政府建设情况报告"],
     "中共某某镇委员会 某某镇人民政府2023年度法治政府建设情况报告"),
])
def test_an_issuer_line_and_a_title_naming_no_author_are_one_title(lines, title):
    report = clean_text(page(*lines), "issuer line")
    assert report.title == title
    assert_body_clean(report, lines[0] + "\n", lines[1])


@pytest.mark.parametrize("site, title", [
    ("湖州市人民政府门户网站", "2022年度法治政府建设情况报告"),
    ("湖州市人民政府", "2022年湖州市法治政府建设情况报告"),
])
def test_a_site_name_above_a_title_stays_out_of_it(site, title):
    report = clean_text(page(site, title, subject="我市"), "site")
    assert report.title == title
    assert_body_clean(report, site + "\n")


def test_a_title_quoted_only_in_an_encyclopedia_lead_is_the_title():
    report = clean_text(page("《湖州市2018年法治政府建设情况报告》是湖州市人民政府于2019年3月发布的报告。", "基本信息",
                             "• 中文名：湖州市2018年法治政府建设情况报告", subject="我市", year=2018), "lead")
    assert report.title == "湖州市2018年法治政府建设情况报告" and report.issuer == "湖州市人民政府"
    assert report.report_year == 2018 and report.level == "city"
    assert_body_clean(report, "是湖州市人民政府", "基本信息", "中文名")


COVER_LETTER = ["长兴县人民政府关于报送2022年度法治政府建设情况报告的报告", "长政报〔2023〕3号", "湖州市人民政府：",
                "现将《长兴县2022年度法治政府建设情况报告》报送给你们，请审阅。", "长兴县人民政府", "2023年2月20日"]


def test_the_reports_own_title_below_a_cover_letter_is_the_title():
    report = clean_text(page(*COVER_LETTER, "长兴县2022年度法治政府建设情况报告", subject="我县", year=2022), "cover")
    assert report.title == "长兴县2022年度法治政府建设情况报告" and report.issuer == "长兴县人民政府"
    assert report.doc_number == "长政报〔2023〕3号" and report.pub_date == "2023-02-20"
    assert report.level == "county" and region_of(report) == "浙江省/湖州市/长兴县"
    assert_body_clean(report, "报送给你们", "关于报送", "湖州市人民政府：")


def test_a_cover_letter_quoting_the_reports_title_gives_it():
    report = clean_text(page(*COVER_LETTER, subject="我县", year=2022), "cover")
    assert report.title == "长兴县2022年度法治政府建设情况报告"
    assert_body_clean(report, "报送给你们", "关于报送", "湖州市人民政府：")


def test_a_report_sent_with_its_own_salutation_keeps_its_report_title():
    # "关于报送…的报告" is the report itself when no other title follows.
    report = clean_text(page("中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告", "中共某某市委、某某市人民政府：",
                             subject="我镇"), "sent")
    assert report.title == "中共某某镇委员会某某镇人民政府关于报送2024年度法治政府建设的报告"
    assert report.paragraphs[0].text == "中共某某市委、某某市人民政府："


# Junk inside the text: pinyin glosses and copy sites' watermarks, out before names are matched.

def test_pinyin_glosses_inside_names_are_removed():
    report = clean_text(page("内(nèi)蒙古自治区2019年法治政府建设情况报告", subject="呼(hū)和浩特市", year=2019), "gloss")
    assert report.title == "内蒙古自治区2019年法治政府建设情况报告"
    assert report.region["province"] == "内蒙古自治区" and report.level == "province"
    assert_body_clean(report, "(nèi)", "(hū)")
    assert "（PPP）" in clean_text(page(subject="我县").replace("重大决策", "重大项目（PPP）决策"), "ppp").paragraphs[0].text


def test_a_gloss_in_capitals_is_removed_from_a_page_with_no_other_tone_mark():
    # The page is searched for a tone mark before its lines are: in capitals too, as the gloss pattern reads them.
    report = clean_text(page("内(NÈI)蒙古自治区2019年法治政府建设情况报告", subject="我区", year=2019), "capitals")
    assert report.title == "内蒙古自治区2019年法治政府建设情况报告"
    assert report.region["province"] == "内蒙古自治区"


def test_a_copy_sites_watermark_through_the_text_is_removed():
    lines = [line[:12] + "秘书之家" + line[12:] for line in body("长兴县", 2022)]
    text = "\n".join(["长兴秘书之家县2022年法治政府建设情况报告", *lines, "秘书之家 版权所有"])
    report = clean_text(text, "watermark")
    assert report.title == "长兴县2022年法治政府建设情况报告" and region_of(report) == "浙江省/湖州市/长兴县"
    assert report.paragraphs[0].text == body("长兴县", 2022)[0]
    assert_no_words(report, "秘书之家")
    assert any("水印" in warning for warning in report.warnings)


def test_a_repeated_site_address_and_its_name_are_a_watermark():
    mark = "（本文来源：好范文网 www.haofanwen.example.com）"
    lines = body("长兴县", 2022)
    text = "\n".join(["长兴县2022年法治政府建设情况报告", lines[0] + mark, lines[1], lines[2] + mark, *lines[3:], mark])
    report = clean_text(text, "watermark")
    assert_body_clean(report, "好范文网", "haofanwen", "本文来源")
    # A government site a report cites is no watermark.
    cited = "全部信息在中国政府网（www.gov.cn）和本县门户网站（www.changxing.gov.cn）同步公开，接受社会监督。"
    report = clean_text(page(subject="我县").replace("稳步提高。", "稳步提高。" + cited + cited), "cited")
    assert body_text(report).count("www.gov.cn") == 2


# Single-line dumps: breadcrumb, title, metadata and body on one line, years spaced from 年.

def test_a_single_line_dump_is_split_into_title_metadata_and_body():
    line = " ".join(["当前位置：首页 > 政务公开 > 法治政府建设", "长兴县2020 年度法治政府建设情况报告",
                     "发布时间：2021-03-05 09:30 来源：长兴县司法局 浏览次数：126", "湖州市人民政府：", *body("我县", "2020 ")])
    report = clean_text(line, "dump")
    assert report.title == "长兴县2020年度法治政府建设情况报告" and report.report_year == 2020
    assert report.pub_date == "2021-03-05" and report.level == "county"
    assert [p.text for p in report.paragraphs[:2]] == ["湖州市人民政府：", body("我县", 2020)[0]]
    assert_body_clean(report, "当前位置", "发布时间", "浏览次数", "来源")


@pytest.mark.parametrize("text", [
    page("长兴县2020 年法治政府建设情况报告", subject="我县", year="2020 "),
    page("关于2020 年度法治政府建设情况的报告", subject="长兴县", year="2020 "),
    "\n".join(body("长兴县", "2020 ")),
    page("长兴县2020\t年法治政府建设情况报告", subject="我县", year="2020\t"),
])
def test_a_year_spaced_from_its_nian_is_read(text):
    report = clean_text(text, "spaced")
    assert report.report_year == 2020 and "2020 年" not in body_text(report) + report.title
    assert "2020\t年" not in body_text(report) + report.title


# Dates in other layouts: a label without a colon, a table's cells.

@pytest.mark.parametrize("top, chrome", [
    (["长兴县2023年法治政府建设情况报告", "发布时间 2024-02-27"], ["发布时间"]),
    (["长兴县2023年法治政府建设情况报告", "来源：长兴县司法局 发布时间 2024-02-27 浏览次数：9"], ["来源", "发布时间"]),
    (["长兴县2023年法治政府建设情况报告", "| 发布时间 | 2024-02-27 |"], ["发布时间", "|"]),
    (["| 索引号 | 002609283/2024-00012 | 发布机构 | 长兴县司法局 |", "| 发布时间 | 2024-02-27 | 文号 | |",
      "|---|---|---|---|", "长兴县2023年法治政府建设情况报告"], ["索引号", "发布时间", "|"]),
])
def test_a_publication_date_without_a_colon_or_in_a_table_cell(top, chrome):
    report = clean_text(page(*top, year=2023), "date")
    assert report.pub_date == "2024-02-27" and report.title == "长兴县2023年法治政府建设情况报告"
    assert_body_clean(report, *chrome)


# Pages of the same kinds, written to test the rules on layouts they were not made on.

def test_a_ministrys_older_page_with_its_site_chrome():
    report = clean_text(page(
        "中华人民共和国某某部 网站首页 | 机构职能 | 政务公开", "您现在的位置：首页 > 政务公开 > 法治政府建设",
        "国家某某局2017年法治政府建设情况报告", "发布时间：2018-03-28 来源：政策法规司 【字体：大 中 小】",
        subject="国家某某局", year=2017), "ministry 2017")
    assert report.title == "国家某某局2017年法治政府建设情况报告" and report.report_year == 2017
    assert report.pub_date == "2018-03-28" and report.level == "department" and report.region == NO_REGION
    assert_body_clean(report, "网站首页", "您现在的位置", "政策法规司", "字体")


def test_a_county_report_reposted_on_a_mirror_with_a_watermark_and_an_addressee():
    lines = body("我县", 2018)
    text = "\n".join(["范文大全 > 工作报告 > 其他专题报告", "关于2018年度法治政府建设情况的报告",
                      "2019-04-02 10:21  来源：网友投稿  阅读：318", "湖州市人民政府：",
                      lines[0] + "（来源：好范文网 www.haofanwen.example.com）", "深入开展法治长兴建设，平安长兴实现十二连冠。",
                      *lines[1:], "本文来源：好范文网 www.haofanwen.example.com", "上一篇：某某镇2018年工作总结"])
    report = clean_text(text, "mirror")
    assert report.title == "关于2018年度法治政府建设情况的报告" and report.report_year == 2018
    assert report.pub_date == "2019-04-02"
    assert region_of(report) == "浙江省/湖州市/长兴县" and report.level == "county"
    assert_body_clean(report, "范文", "网友投稿", "haofanwen", "上一篇")


def test_a_single_line_dump_of_a_department_report_sent_to_its_government():
    line = " ".join(["中共长兴县司法局党组 2019 年度法治政府建设工作报告", "发布日期：2020-01-15", "长兴县人民政府：",
                     *body("我局", "2019 ")])
    report = clean_text(line, "dump")
    assert report.title == "中共长兴县司法局党组2019年度法治政府建设工作报告"
    assert report.issuer == "中共长兴县司法局党组" and report.level == "department"
    assert report.report_year == 2019 and report.pub_date == "2020-01-15"
    assert report.paragraphs[1].text.startswith("2019年，我局" + FIRST_WORDS)
