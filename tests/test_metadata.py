"""Metadata rules on small inputs: dates, issuer, report year, composed title, 文号."""
import pytest

from indexer.clean.metadata import (PageFacts, compact_readings, compose_title, doc_number, find_date,
                              issuing_body, read_date, read_metadata, year_reported)
from model.report import Paragraph


def paragraphs(*texts):
    """Return body paragraphs of the given texts."""
    return [Paragraph(n=n, text=text) for n, text in enumerate(texts, start=1)]


@pytest.mark.parametrize("text, iso", [
    ("2024-03-18 17:35:20", "2024-03-18"),
    ("发布时间 : 2021-03-11", "2021-03-11"),
    ("2024年3月15日", "2024-03-15"),
    ("2024.3.5", "2024-03-05"),
    ("二〇二四年三月十五日", "2024-03-15"),
    ("二〇二〇年十二月三十一日", "2020-12-31"),
    ("2024-02-30", ""),
    ("浏览量:-", ""),
])
def test_find_date(text, iso):
    assert find_date(text) == iso


def test_compact_dates_have_every_real_reading():
    assert compact_readings("2021310") == ["2021-03-10"]
    assert compact_readings("2021112") == ["2021-01-12", "2021-11-02"]
    assert compact_readings("20210310") == ["2021-03-10"]
    assert compact_readings("202136") == ["2021-03-06"]
    assert compact_readings("2021103") == ["2021-10-03"]  # never month 1 with a padded day 03
    assert compact_readings("2021") == []


def test_ambiguous_compact_date_is_read_nearest_before_the_page_date():
    assert read_date("2021112", reference="2021-11-05")[0] == "2021-11-02"
    assert read_date("2021112", reference="2021-01-20")[0] == "2021-01-12"
    found, warning = read_date("2021112")
    assert found == "" and "无法确定" in warning


def test_broken_signature_date_is_read_with_a_warning():
    assert read_date("2021310") == ("2021-03-10", "落款日期“2021310”缺少分隔符，按2021-03-10读取")
    assert read_date("2024年3月15日") == ("2024-03-15", "")


def test_publication_field_wins_over_signature_date():
    facts = PageFacts(fields=[("生成日期", "2024-03-18 17:35:20")], signature_dates=["2024年3月15日"])
    assert read_metadata(facts, paragraphs("2023年，城关镇坚持依法行政。"))[0]["pub_date"] == "2024-03-18"
    facts = PageFacts(signature_dates=["2024年3月15日"])
    assert read_metadata(facts, paragraphs("2023年，城关镇坚持依法行政。"))[0]["pub_date"] == "2024-03-15"
    facts = PageFacts(fields=[("生成日期", "2024-03-18")], hints={"pub_date": "2024-03-19"})
    assert read_metadata(facts, paragraphs("正文。"))[0]["pub_date"] == "2024-03-19"


def test_issuer_is_the_signature_qualified_by_the_region_above_it():
    facts = PageFacts(fields=[("发布机构", "高台县城关镇"), ("责任部门", "城关镇人民政府")],
                      signature=["城关镇人民政府"])
    assert issuing_body(facts, paragraphs("2023年,在县委、县政府和镇党委的坚强领导下")) == "高台县城关镇人民政府"


def test_joint_signature_gives_the_government():
    facts = PageFacts(signature=["中共罗店镇委员会", "罗店镇人民政府"])
    assert issuing_body(facts, []) == "罗店镇人民政府"


def test_issuer_prefers_a_full_institution_name_over_a_place():
    facts = PageFacts(title="草滩街道2024年法治政府建设工作报告")
    assert issuing_body(facts, paragraphs("2024年以来,草滩街道办事处坚持依法行政。")) == "草滩街道办事处"


def test_issuer_from_the_title_and_from_the_opening_sentence():
    assert issuing_body(PageFacts(title="芙蓉区人民政府关于2020年度法治政府建设情况的报告"), []) == "芙蓉区人民政府"
    assert issuing_body(PageFacts(), paragraphs("2020年,罗店镇在区委、区政府的坚强领导下。")) == "罗店镇"
    assert issuing_body(PageFacts(), paragraphs("2020年,全区法治政府建设取得新进展。")) == ""


def test_issuer_ignores_sources_that_name_no_body():
    facts = PageFacts(fields=[("来源", "本站原创")], signature=["某某县司法局"])
    assert issuing_body(facts, []) == "某某县司法局"


def test_the_markup_issuer_ranks_below_signature_and_title_above_the_fields():
    # ContentSource names who posted the page, often the office that drafted the report.
    hints = {"issuer": "某某县司法局"}
    assert issuing_body(PageFacts(signature=["某某县人民政府"], hints=hints), []) == "某某县人民政府"
    titled = PageFacts(title="某某县人民政府关于2023年法治政府建设情况的报告", hints=hints)
    assert issuing_body(titled, []) == "某某县人民政府"
    fielded = PageFacts(fields=[("来源", "某某县融媒体中心")], hints=hints)
    assert issuing_body(fielded, []) == "某某县司法局"


def test_a_title_naming_the_place_beats_the_department_that_posted_it():
    facts = PageFacts(title="某某区2024年法治政府建设工作报告", fields=[("发布机构", "某某区司法局")])
    assert issuing_body(facts, []) == "某某区"
    facts.fields.append(("来源", "某某区人民政府"))
    assert issuing_body(facts, []) == "某某区人民政府"


@pytest.mark.parametrize("title, opening, pub_date, year", [
    ("关于2023年法治政府建设有关情况的报告", "", "2024-03-18", 2023),
    ("芙蓉区人民政府关于2020年度法治政府建设情况的报告", "", "2021-03-11", 2020),
    ("某某县二〇二二年度法治政府建设情况报告", "", "", 2022),
    ("", "2024年以来,草滩街道办事处坚持依法行政。", "", 2024),
    ("", "按照规定，现将全区2020年度法治政府建设情况报告如下。", "", 2020),
    ("", "全区法治政府建设取得新进展。", "2021-03-11", 2020),
    ("", "全区法治政府建设取得新进展。", "2020-12-08", 2020),
    ("", "全区法治政府建设取得新进展。", "2020-08-08", None),
    ("", "全区法治政府建设取得新进展。", "", None),
])
def test_report_year(title, opening, pub_date, year):
    assert year_reported(title, paragraphs(opening), pub_date) == year


def test_composed_title_names_place_year_and_report_type():
    body = paragraphs("2020年,罗店镇全力推动法治政府建设。")
    assert compose_title("罗店镇人民政府", 2020, body) == "罗店镇2020年法治政府建设情况报告"
    assert compose_title("罗店镇", None, paragraphs("推进依法行政。")) == "罗店镇依法行政工作情况报告"
    assert compose_title("", None, body) == ""


def test_page_without_title_gets_a_composed_one():
    meta, _ = read_metadata(PageFacts(), paragraphs("2020年,罗店镇在区委的坚强领导下推进法治政府建设。"))
    assert meta["title"] == "罗店镇2020年法治政府建设情况报告" and meta["title_composed"] is True
    meta, _ = read_metadata(PageFacts(fields=[("标题", "罗店镇2020年法治政府建设报告")]), paragraphs("正文。"))
    assert meta["title"] == "罗店镇2020年法治政府建设报告" and meta["title_composed"] is False


@pytest.mark.parametrize("value, number", [
    ("政府报〔2024〕9号", "政府报〔2024〕9号"), ("宝法治政府办[2020]4号", "宝法治政府办[2020]4号"),
    ("无", ""), ("620724077/2024-00019", ""),
])
def test_doc_number_must_read_like_one(value, number):
    assert doc_number(PageFacts(fields=[("文号", value)])) == number


@pytest.mark.parametrize("opening, subject", [
    ("2023年,在区委、区政府的正确领导下,全区依法行政水平不断提高。", ""),
    ("2023年,按照市委部署,全市扎实推进法治政府建设。", ""),
    ("2023年,于都县坚持依法行政,法治政府建设取得新成效。", "于都县"),
    ("2024年,向阳区深入推进法治政府建设。", "向阳区"),
    ("2022年,某县卫生健康局在县委、县政府的领导下推进依法行政。", "某县卫生健康局"),
    ("2020年,罗店镇在区委、区政府和镇党委的坚强领导下推进依法行政。", "罗店镇"),
])
def test_opening_subject_is_a_name_never_a_preposition(opening, subject):
    assert issuing_body(PageFacts(), paragraphs(opening)) == subject
