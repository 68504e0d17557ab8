"""Structure rules on small inputs: heading numbers, inline headings, items, paths, classes."""
import pytest

from indexer.clean.structure import (SECTION_RULES, build_paragraphs, is_heading, numbering_rank, section_class,
                                     split_embedded_items, split_inline_heading)
from model.report import LEAD_CLASS, OTHER_CLASS, SECTION_CLASSES

BODY = "坚持将党的领导贯穿法治政府建设全过程、各方面，调整充实法治建设领导机构，明确各成员职责。"


@pytest.mark.parametrize("text, rank", [
    ("第一部分 2023年工作情况", 0),
    ("一、主要工作成效", 1),
    ("十一、其他事项", 1),
    ("（一）加强组织领导", 2),
    ("(二)全面依法履行职能", 2),
    ("1.履行党委职责", 3),
    ("2、立试点树示范。", 3),
    ("3．勤防范保平安", 3),
    ("1. 履行党委职责", 3),
    ("（1）完善制度", 4),
])
def test_heading_numbers_and_their_rank(text, rank):
    assert numbering_rank(text) == rank


@pytest.mark.parametrize("text", [
    "一是做到职权职责清单化。", "二是加强人民调解工作。", "第一，坚持党的领导。", "2.5万人次参加学法考试。",
    "2020年，全区法治政府建设取得新进展。", "12345热线工单按时办结。", "“十四五”规划开局之年。",
])
def test_enumerations_and_numbers_are_not_headings(text):
    assert numbering_rank(text) is None and not is_heading(text)


def test_heading_is_a_short_numbered_line_of_at_most_one_sentence():
    assert is_heading("三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况")
    assert is_heading("（一）持续提升行政决策质量。")
    assert not is_heading("（一）持续提升行政决策质量。坚持依法依规决策。")
    assert not is_heading("1、" + "依法全面履行政府职能" * 7)


def test_inline_heading_is_split_from_its_body():
    text = "（一）加强组织领导，夯实法治政府建设根基。" + BODY
    assert split_inline_heading(text) == ("（一）加强组织领导，夯实法治政府建设根基。", BODY)


@pytest.mark.parametrize("text", [
    "（一）加强组织领导。坚持党的领导。",  # the rest is too short to stand alone
    "（一）" + "加强组织领导和夯实法治政府建设根基" * 3 + "。" + BODY,  # a first sentence too long for a heading
    "一是加强组织领导。" + BODY,  # an enumeration, not a heading
    "2020年，全区法治政府建设取得新进展。" + BODY,
])
def test_inline_heading_is_not_split_from_these(text):
    assert split_inline_heading(text) is None


def test_items_run_into_one_paragraph_are_split_in_sequence():
    text = "1.推进政府职能协同高效。紧紧围绕目标任务。2.提升行政执法水平。全年培训2.5万人次。3.推进依法决策。聘用法律顾问。"
    assert split_embedded_items(text) == ["1.推进政府职能协同高效。紧紧围绕目标任务。", "2.提升行政执法水平。全年培训2.5万人次。",
                                          "3.推进依法决策。聘用法律顾问。"]


@pytest.mark.parametrize("text", [
    "紧紧围绕目标任务。2.提升行政执法水平。",  # does not open with item 1
    "1.推进政府职能协同高效。全年增长3.2个百分点。",  # a number, not an item
    "1.推进政府职能协同高效。紧紧围绕目标任务。3.推进依法决策。",  # 3 does not follow 1
])
def test_items_are_not_split_out_of_sequence(text):
    assert split_embedded_items(text) == [text]


@pytest.mark.parametrize("heading, name", [
    ("一、2020年法治政府建设主要工作内容", "成效举措"),
    ("一、主要工作成效", "成效举措"),
    ("一、法治政府建设工作情况", "成效举措"),
    ("一、推进法治政府建设的主要举措和成效", "成效举措"),
    ("二、存在的问题", "存在问题"),
    ("二、推进法治政府建设存在的不足和原因", "存在问题"),
    ("三、党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况", "负责人履职"),
    ("四、2021年推进法治政府建设的主要安排", "下一步计划"),
    ("三、2024年度推进法治建设主要目标任务", "下一步计划"),
    ("二、下一步工作思路", "下一步计划"),
    ("五、2020年度法治督查整改情况", "整改落实"),
    ("四、法治督察反馈问题整改情况", "整改落实"),
    ("六、附表", "其他"),
])
def test_section_classes_first_match_wins(heading, name):
    assert section_class(heading) == name


def test_paragraphs_get_heading_flags_paths_and_classes():
    lines = [
        "2023年，全县法治政府建设取得新成效。",
        "一、主要工作成效",
        "（一）加强组织领导，夯实法治政府建设根基。" + BODY,
        "一是健全制度。" + BODY,
        "二、存在的问题",
        "一是行政执法能力还有欠缺。",
    ]
    paragraphs = build_paragraphs(lines)
    assert [p.n for p in paragraphs] == list(range(1, 8))
    assert [p.heading for p in paragraphs] == [False, True, True, False, False, True, False]
    assert [p.section_class for p in paragraphs] == ["导语", "成效举措", "成效举措", "成效举措", "成效举措",
                                                     "存在问题", "存在问题"]
    assert paragraphs[0].section_path == [] and paragraphs[1].section_path == []
    assert paragraphs[2].section_path == ["一、主要工作成效"]
    assert paragraphs[3].text == BODY
    assert paragraphs[3].section_path == ["一、主要工作成效", "（一）加强组织领导，夯实法治政府建设根基。"]
    assert paragraphs[5].section_path == [] and paragraphs[6].section_path == ["二、存在的问题"]


def test_continued_enumeration_closes_numbered_items_inside_the_previous_point():
    lines = ["一、主要工作", "（一）推进基层治理", "一是推进综治中心建设。", "二是成立义警服务队。",
             "1、依靠群众借民力。" + BODY, "2、立试点树示范。" + BODY, "三是加强矛盾纠纷排查。", "（二）加强学法用法"]
    paragraphs = build_paragraphs(lines)
    by_text = {p.text: p for p in paragraphs}
    assert by_text["2、立试点树示范。"].section_path == ["一、主要工作", "（一）推进基层治理"]
    assert by_text["三是加强矛盾纠纷排查。"].section_path == ["一、主要工作", "（一）推进基层治理"]
    assert by_text["（二）加强学法用法"].section_path == ["一、主要工作"]


def test_new_enumeration_inside_a_numbered_item_stays_inside_it():
    lines = ["一、主要工作", "1.履行党委职责", "一是健全制度。", "二是强化考核。", "2.深化行政体制改革", "一是精简材料。"]
    paths = {p.text: p.section_path for p in build_paragraphs(lines)}
    assert paths["二是强化考核。"] == ["一、主要工作", "1.履行党委职责"]
    assert paths["一是精简材料。"] == ["一、主要工作", "2.深化行政体制改革"]


def test_every_section_rule_files_under_a_canonical_class():
    assert {name for name, _rule in SECTION_RULES} | {LEAD_CLASS, OTHER_CLASS} == set(SECTION_CLASSES)
