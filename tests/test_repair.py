"""Repairs on small inputs: spam, broken dates, broken lines, repeated paragraphs."""
import pytest

from indexer.clean.repair import drop_repeats, join_broken_lines, remove_spam, repair_dates

LONG = ("全面推行行政执法公示制度、执法全过程记录制度和重大执法决定法制审核制度，持续规范行政执法行为，"
        "严格落实执法责任制，全年共开展执法检查三百余次。")
OTHER = "深入开展“八五”普法，落实“谁执法谁普法”普法责任制，推动法治宣传教育进机关、进乡村、进社区、进学校、进企业、进单位。"


def test_spam_in_the_institution_slot_is_restored():
    lines, warnings = remove_spam(["凯发一触即发", "芙蓉区凯发一触即发关于2020年度法治政府建设情况的报告",
                                   "来源:长沙市芙蓉区凯发一触即发     字体大小:", "长沙市芙蓉区凯发一触即发"])
    assert lines == ["芙蓉区人民政府关于2020年度法治政府建设情况的报告",
                     "来源:长沙市芙蓉区人民政府     字体大小:", "长沙市芙蓉区人民政府"]
    assert warnings == ["页面疑遭篡改：发现并移除注入的赌博网站推广词（共4处），被顶替的机构名已恢复为“区人民政府”"]


def test_spam_after_a_subdistrict_stands_for_its_office():
    lines, _ = remove_spam(["湘桥街道澳门新葡京关于2020年度法治政府建设情况的报告"])
    assert lines == ["湘桥街道办事处关于2020年度法治政府建设情况的报告"]


def test_unambiguous_brand_inside_a_sentence_is_removed():
    lines, warnings = remove_spam(["全面推进bet365依法行政，开元棋牌严格规范公正文明执法。"])
    assert lines == ["全面推进依法行政，严格规范公正文明执法。"]
    assert "共2处" in warnings[0] and "bet365" not in warnings[0] and "恢复" not in warnings[0]


@pytest.mark.parametrize("line", [
    "贵州省金沙县人民政府关于2020年度法治政府建设情况的报告",
    "金沙县司法局积极开展“八五”普法宣传活动。",
    "沿金沙江流域开展生态环境执法检查。",
    "化解了一批一触即发的矛盾纠纷，依法严厉打击网络博彩和百家乐赌博违法犯罪活动。",
    "务必发挥法律顾问作用，亚博会期间加强安保。",
    "开云县城关镇人民政府",
])
def test_words_that_are_also_places_or_idioms_are_not_spam(line):
    assert remove_spam([line]) == ([line], [])


def test_ambiguous_brand_alone_on_a_line_is_spam():
    lines, warnings = remove_spam(["金沙", "法治政府建设情况报告"])
    assert lines == ["法治政府建设情况报告"] and "共1处" in warnings[0]


def test_year_run_into_month_gets_its_nian_back():
    lines, warnings = repair_dates(["20209月全区“七五”普法任务指标完成考核验收。", "202012月底前完成。"])
    assert lines == ["2020年9月全区“七五”普法任务指标完成考核验收。", "2020年12月底前完成。"]
    assert warnings == ["日期疑有缺字：已将“20209月”恢复为“2020年9月”", "日期疑有缺字：已将“202012月”恢复为“2020年12月”"]


@pytest.mark.parametrize("line", ["2020年9月完成考核验收。", "受理热线工单20209件。", "增长12.20209月"])
def test_well_formed_dates_and_numbers_are_left_alone(line):
    assert repair_dates([line]) == ([line], [])


def test_line_broken_mid_sentence_is_joined():
    lines = ["(三)完善政府法律顾问使用管理机制。加强对政府法律", "顾问的日常管理，完善工作台账制度。"]
    assert join_broken_lines(lines) == ["(三)完善政府法律顾问使用管理机制。加强对政府法律顾问的日常管理，完善工作台账制度。"]


def test_line_ending_in_a_comma_is_joined():
    assert join_broken_lines(["坚持依法决策，", "提升行政效能。"]) == ["坚持依法决策，提升行政效能。"]


@pytest.mark.parametrize("lines", [
    ["一、主要工作成效", "2020年，全区法治政府建设取得新进展"],  # a heading keeps its own line
    ["（一）深化行政审批改革，依法全面履行政府职能", "一是做到职权职责清单化。"],
    ["推进依法行政，加强执法", "（二）完善依法行政制度体系。"],  # the next line is a heading
    ["推进依法行政，加强执法", "一是落实行政审批公示。"],  # the next line is a list item
    ["推进依法行政，加强执法", "1.履行党委职责。"],
    ["主要表现在：", "行政执法能力还有欠缺。"],  # a lead-in ends with a colon
    ["坚持“谁执法谁普法”。”", "加强宣传。"],
    ["存在的问题", "行政执法能力还有欠缺。"],  # a bare caption
])
def test_no_join_across_headings_list_items_and_paragraph_ends(lines):
    assert join_broken_lines(lines) == lines


def test_body_shown_twice_is_kept_once():
    body = ["一、主要工作成效", "（一）加强组织领导。", LONG, "二、存在的问题", OTHER]
    kept, warnings = drop_repeats(body + body)
    assert kept == body
    assert warnings == ["删除重复段落5处（页面重复显示了正文）"]


def test_near_repeat_of_a_long_paragraph_is_dropped():
    nearly = LONG.replace("严格落实", "严格执行")
    assert drop_repeats([LONG, "二、存在的问题", nearly])[0] == [LONG, "二、存在的问题"]


def test_near_repeat_with_scattered_edits_is_dropped():
    edited = LONG.replace("推行", "推进").replace("持续", "继续").replace("严格", "从严").replace("全年", "年内")
    assert drop_repeats([LONG, OTHER, edited])[0] == [LONG, OTHER]


def test_repeat_differing_only_in_punctuation_and_width_is_dropped():
    other = LONG.replace("，", ",").replace("、", " ")
    assert drop_repeats([LONG, other])[0] == [LONG]


def test_short_heading_recurring_with_new_text_is_kept():
    lines = ["一、2020年工作情况", "（一）加强组织领导", LONG, "二、2021年工作安排", "（一）加强组织领导",
             "继续健全法治政府建设领导体制，完善党政主要负责人述法制度，压实第一责任人职责，推动各项任务落地见效。"]
    assert drop_repeats(lines) == (lines, [])


def test_different_paragraphs_and_a_shared_opening_are_all_kept():
    assert drop_repeats([LONG, OTHER, LONG[:40]]) == ([LONG, OTHER, LONG[:40]], [])


def test_sentence_repeated_alone_is_dropped():
    sentence = "全年共调处各类矛盾纠纷536起，涉及标的金额达700余万元。"
    assert drop_repeats([sentence, OTHER, sentence])[0] == [sentence, OTHER]
