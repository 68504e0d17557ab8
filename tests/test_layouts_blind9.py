"""Layout classes found by the ninth blind set of pages (issue 24, tests/fixtures/unseen9): pages of 2017–2019
sites decoded with the wrong charset, two-digit-year dates, vertically managed bodies named after the state
office above them, pages flattened onto one line with full-width spaces, titles quoting a plan's year range,
news leads ending in 全文如下 and publishing notes before the report. Each class is reproduced here in a page
written for the test; tests/test_unseen_pages.py scores the blind set.
"""
import pytest

from indexer.clean.textpage import clean_text

from layoutpages import assert_body_clean, page, region_of


# A page served without a charset is ISO-8859-1 by HTTP's default: a GBK or UTF-8 page stored that way is
# Latin mojibake from its first line to its last, with every byte of the page still there to decode again.

@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_a_page_decoded_as_latin1_is_read_in_its_own_encoding(encoding):
    text = page("某县人民政府", "首页 > 政务公开 > 法治政府建设", "渝水区2018年法治政府建设工作报告",
                "发布时间：2019-02-21　　来源：区司法局", subject="渝水区", year=2018)
    report = clean_text(text.encode(encoding).decode("latin-1"), "latin1")
    assert report.title == "渝水区2018年法治政府建设工作报告" and report.pub_date == "2019-02-21"
    assert region_of(report) == "江西省/新余市/渝水区" and report.level == "county"
    assert_body_clean(report, "首页")
    assert any("重新解码" in warning for warning in report.warnings)


def test_western_text_is_not_decoded_again():
    lines = ["Café résumé naïve façade – «déjà vu» " * 4, *page("某县2023年法治政府建设情况报告", "发布时间：2024-03-01",
                                                                  subject="某县", year=2023).splitlines()]
    report = clean_text("\n".join(lines), "western")
    assert report.title == "某县2023年法治政府建设情况报告" and not any("重新解码" in w for w in report.warnings)


# Older list templates and mobile pages print the dateline's year in two digits, alone or in brackets, before
# the other fields: the page's date, with its century.

@pytest.mark.parametrize("dateline", ["[18-03-30]　　来源：政策法规司　　浏览次数：", "18-03-30　　来源：县司法局　　阅读量：326",
                                      "18-03-30 10:23　来源：县司法局"])
def test_a_dateline_with_a_two_digit_year(dateline):
    report = clean_text(page("某县2017年法治政府建设情况报告", dateline, subject="某县", year=2017), "short-year")
    assert report.pub_date == "2018-03-30"
    assert_body_clean(report, "来源", "18-03-30")


def test_numbers_like_a_short_date_inside_the_text_are_no_date():
    lines = page("某县2017年法治政府建设情况报告", subject="某县", year=2017).splitlines()
    lines.insert(2, "18-03-30批次的执法案卷已全部评查完毕，发现的问题均已整改。")
    assert clean_text("\n".join(lines), "not-short-year").pub_date == ""


# The survey teams of 国家统计局 are managed from Beijing but serve one province or city, as the tax bureaus do:
# a department of the place their name gives, not a central body and not the province's government.

@pytest.mark.parametrize("issuer, region", [("国家统计局浙江调查总队", "浙江省"), ("国家统计局宁波调查队", "浙江省/宁波市")])
def test_a_survey_team_of_the_statistics_bureau_is_a_department_of_its_place(issuer, region):
    report = clean_text(page(f"{issuer}2019年法治政府建设工作报告", "发布日期：2020/3/5", subject="我队", year=2019),
                        "survey")
    assert report.issuer == issuer and report.level == "department" and region_of(report) == region


# A page flattened onto one line keeps the ideographic spaces that set its blocks apart and indented its
# paragraphs: those runs are its lost line breaks, so the menu item before the title stays out of it and the
# 来源 after it does not become the issuer.

def test_a_line_flattened_with_ideographic_spaces_splits_at_them():
    lines = page("休宁县人民政府门户网站", "首页", "政务公开", "法治政府", "休宁县2018年法治政府建设工作报告",
                 "发布时间：2019-01-25", "来源：县司法局", subject="休宁县", year=2018).splitlines()
    report = clean_text("　　".join(lines), "flattened")
    assert report.title == "休宁县2018年法治政府建设工作报告" and report.issuer == "休宁县人民政府"
    assert report.level == "county" and report.pub_date == "2019-01-25"
    assert_body_clean(report, "政务公开", "来源")


def test_field_gaps_of_a_metadata_line_are_no_breaks():
    text = page("某县2023年法治政府建设情况报告", "发布时间：2024-03-01　　来源：县司法局　　浏览次数：12",
                subject="某县", year=2023)
    report = clean_text(text, "gaps")
    assert report.pub_date == "2024-03-01" and report.issuer == "某县人民政府"


# A title may quote the plan or outline it carries out, with that plan's range of years, before the year it
# reports on: the year that closes the range is the plan's, and 贯彻落实 after a place still names its issuer.

@pytest.mark.parametrize("title, year", [
    ("青羊区贯彻落实《法治政府建设实施纲要（2015—2020年）》2018年度情况报告", 2018),
    ("某市法治政府建设实施方案（2021-2025年）实施情况暨2022年度法治政府建设情况报告", 2022),
])
def test_a_plans_year_range_in_the_title_is_not_the_report_year(title, year):
    report = clean_text(page(title, "发布时间：2023-01-30", "来源：区司法局", subject="我区", year=year), "range")
    assert report.report_year == year and report.level in ("county", "city")
    assert report.issuer in ("青羊区人民政府", "某市人民政府")


# A news repost's lead announces the full text (…公布了《…报告》，全文如下：) and the report follows with its own
# title again; a page may also say in one sentence that it publishes the report (…予以公布。). Neither the
# lead, the note nor the title printed again is the report's first paragraph.

def test_the_title_again_under_a_full_text_lead_is_not_the_body():
    title = "焦作市2018年法治政府建设情况报告"
    report = clean_text(page("新浪新闻", "焦作市公布2018年法治政府建设情况报告", "2019年03月28日 08:41　焦作日报",
                             f"本报讯（记者 王晓）日前，市政府在门户网站公布了《{title}》，全文如下：", title,
                             subject="焦作市", year=2018), "lead")
    assert report.title == title and report.pub_date == "2019-03-28"
    assert_body_clean(report, "全文如下", "本报讯")
    assert not report.paragraphs[0].text.startswith(title)


def test_a_publishing_note_over_the_report_is_not_the_body():
    report = clean_text(page("良渚街道2019年度法治政府建设情况报告", "发布日期：2020-03-02",
                             "根据《法治政府建设与责任落实督察工作规定》，现将我街道2019年度法治政府建设情况予以公布。",
                             subject="良渚街道", year=2019), "note")
    assert_body_clean(report, "予以公布")


def test_a_lead_in_reporting_to_a_superior_is_the_reports_own():
    lead_in = "根据《法治政府建设与责任落实督察工作规定》，现将我县2019年度法治政府建设情况报告如下："
    report = clean_text(page("某县2019年度法治政府建设情况报告", "发布日期：2020-03-02", lead_in,
                             subject="某县", year=2019), "lead-in")
    assert report.paragraphs[0].text == lead_in


# Issuers (issue 24, the labels of all nine sets): a zone that is no division is reported on by its management
# committee; a government called 某市政府 is 某市人民政府; a sender named only as 我市 beside its slogan is the
# government of the place the report was placed in; joint issuers the title names, spaced or parted by 、, are
# the report's issuers even where the signature names the same bodies in short.

@pytest.mark.parametrize("zone", ["洛阳高新区", "雄安新区"])
def test_a_zone_named_alone_is_reported_on_by_its_committee(zone):
    report = clean_text(page(f"{zone}2018年法治政府建设工作总结", "发布时间：2019-02-22", subject=f"{zone}管委会",
                             year=2018), "zone")
    assert report.issuer == f"{zone}管委会" and report.level == ""


def test_a_government_called_by_zhengfu_alone_is_named_in_full():
    report = clean_text(page("五常市2018年法治政府建设工作报告", "日期：2019年4月8日", subject="五常市政府", year=2018),
                        "zhengfu")
    assert report.issuer == "五常市人民政府" and report.level == "county"


def test_a_sender_named_only_as_wo_shi_is_its_places_government():
    lines = ["关于2018年法治政府建设情况的报告", "2019-03-22 09:10 来源：温州日报", "浙江省人民政府：",
             "2018年，我市深入贯彻落实省委、省政府决策部署，以法治温州建设为抓手，坚持依法行政，把法治建设摆在全局工作的"
             "重要位置，重大决策全部经过合法性审查，群众对执法工作的满意度稳步提高。现将有关情况报告如下：",
             *page(subject="我市", year=2018).splitlines()[1:]]
    report = clean_text("\n".join(lines), "wo-shi")
    assert report.issuer == "温州市人民政府" and report.level == "city" and region_of(report) == "浙江省/温州市"


@pytest.mark.parametrize("issuers, joined", [
    ("中共大同市云冈区委、大同市云冈区人民政府", "中共大同市云冈区委 大同市云冈区人民政府"),
    ("中共五里墩街道工委　五里墩街道办事处", "中共五里墩街道工委 五里墩街道办事处")])
def test_joint_issuers_of_the_title_are_the_reports(issuers, joined):
    lines = [f"{issuers}关于2023年法治政府建设情况的报告", "来源：区司法局", "区委：", *page(subject="我们", year=2023)
             .splitlines(), "云冈区委 云冈区人民政府" if "云冈" in issuers else "五里墩街道工委 五里墩街道办事处",
             "2024年3月20日"]
    report = clean_text("\n".join(lines), "joint")
    assert report.issuer == joined


def test_joint_issuers_of_a_title_without_guanyu():
    title = "中共杭州市上城区湖滨街道工作委员会　杭州市上城区人民政府湖滨街道办事处2023年法治建设工作报告"
    report = clean_text(page(title, "发布时间：2024-01-26", subject="湖滨街道", year=2023), "joint-no-guanyu")
    assert report.issuer == "中共杭州市上城区湖滨街道工作委员会 杭州市上城区人民政府湖滨街道办事处"
    assert report.level == "township"


def test_a_title_as_of_a_year_keeps_that_year():
    text = page("某县截至2023年底法治政府建设情况报告", "发布时间：2024-08-30", subject="某县", year=2023)
    report = clean_text(text.replace("2023年，某县", "一年来，某县"), "as-of")
    assert report.report_year == 2023
