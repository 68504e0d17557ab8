"""The query language: parse trees, descriptions, malformed input, and each operator on the seed index."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from model.text import SENTENCE_ENDS, normalize
from search.parse import MAX_QUERY_CHARS, And, Field, Group, Not, Or, Phrase, Title, Words, parse
from search.query import compile_tree
from model.kinds import Choice, year_text

from conftest import examples


def Region(names):
    """Return the tree node of region:names."""
    return Field("region", Choice(names, names))


def Years(ranges):
    """Return the tree node of year: with these (first, last) ranges."""
    return Field("year", Choice(tuple(year_text([r]) for r in ranges), ranges))


def Section(classes):
    """Return the tree node of section: with these classes."""
    return Field("section", Choice(classes, classes))



@pytest.mark.parametrize("query, tree", [
    ("枫桥经验", Words("枫桥经验")),
    ("甲 乙", And((Words("甲"), Words("乙")))),
    ("甲 AND 乙", And((Words("甲"), Words("乙")))),
    ("甲 乙 OR 丙", And((Words("甲"), Or((Words("乙"), Words("丙")))))),
    ("甲 | 乙", Or((Words("甲"), Words("乙")))),
    ("甲｜乙", Or((Words("甲"), Words("乙")))),
    ("(甲 OR 乙) 丙", And((Or((Words("甲"), Words("乙"))), Words("丙")))),
    ("（甲 OR 乙）丙", And((Or((Words("甲"), Words("乙"))), Words("丙")))),
    ("-甲 乙", And((Not(Words("甲")), Words("乙")))),
    ("NOT 甲 乙", And((Not(Words("甲")), Words("乙")))),
    ('-"甲 乙"', Not(Phrase("甲 乙"))),
    ("-(甲 OR 乙)", Not(Or((Words("甲"), Words("乙"))))),
    ('"枫桥 经验"', Phrase("枫桥 经验")),
    ("“枫桥经验”", Phrase("枫桥经验")),
    ("「枫桥经验」", Phrase("枫桥经验")),
    ("『枫桥经验』", Phrase("枫桥经验")),
    ('新时代"枫桥经验"', And((Words("新时代"), Phrase("枫桥经验")))),
    ("2016-2020年", Words("2016-2020年")),
    ("region:浙江", Region(("浙江",))),
    ("地区：浙江,江苏", Region(("浙江", "江苏"))),
    ("year:2020", Years(((2020, 2020),))),
    ("year:2020-2022", Years(((2020, 2022),))),
    ("年度:2022至2020", Years(((2020, 2022),))),
    ("year:2019,2021", Years(((2019, 2019), (2021, 2021)))),
    ("section:存在问题", Section(("存在问题",))),
    ("section:计划", Section(("下一步计划",))),
    ("title:枫桥", Title("枫桥", exact=False)),
    ('title:"湘桥街道2020"', Title("湘桥街道2020", exact=True)),
    ("TITLE:枫桥", Title("枫桥", exact=False)),
    ('同句(法律顾问 "合法性审查")', Group("sentence", ("法律顾问", "合法性审查"))),
    ("同段（法律顾问 合同）", Group("paragraph", ("法律顾问", "合同"))),
])
def test_parse_tree(query, tree):
    parsed = parse(query)
    assert parsed.tree == tree
    assert parsed.notices == []


@pytest.mark.parametrize("query, description", [
    ('"枫桥经验" region:浙江省', "精确短语“枫桥经验” 且 地区：浙江省"),
    ("甲 乙 OR 丙", "词语“甲” 且 （词语“乙” 或 词语“丙”）"),
    ("-合同 法律顾问", "不含 词语“合同” 且 词语“法律顾问”"),
    ("同句(法律顾问 合法性审查)", "同一句中：“法律顾问”“合法性审查”"),
    ("同段(法律顾问 合同)", "同一段中：“法律顾问”“合同”"),
    ("year:2020-2022 section:问题", "报告年度：2020—2022 且 部分：存在问题"),
    ("title:枫桥", "标题含“枫桥”"),
    ("新时代枫桥经验", "词语“新”+“时代”+“枫桥”+“经验”"),  # jieba's cut
])
def test_description_in_chinese(query, description):
    assert compile_tree(parse(query).tree).description == description


@pytest.mark.parametrize("query, notice, tree", [
    ('"枫桥经验', "没有配对", Phrase("枫桥经验")),
    ("(枫桥经验", "没有闭合", Words("枫桥经验")),
    ("枫桥经验)", "多余的右括号", Words("枫桥经验")),
    ("OR", "左侧缺少", None),
    ("枫桥经验 OR", "右侧缺少", Words("枫桥经验")),
    ("OR 枫桥经验", "左侧缺少", Words("枫桥经验")),
    ("| 枫桥经验", "左侧缺少", Words("枫桥经验")),
    ("甲 OR OR 乙", "右侧缺少", Or((Words("甲"), Words("乙")))),
    ("-", "不是排除符号", None),
    ("枫桥经验 -", "不是排除符号", Words("枫桥经验")),
    ("枫桥经验 - 合同", "不是排除符号", And((Words("枫桥经验"), Words("合同")))),
    ("NOT", "缺少要排除", None),
    ("枫桥经验 NOT", "缺少要排除", Words("枫桥经验")),
    ("AND 枫桥经验", "两侧都需要", Words("枫桥经验")),
    ("year:abc 枫桥经验", "无法识别", Words("枫桥经验")),
    ("year:1234", "无法识别", None),
    ("year:", "缺少年度", None),
    ("section:不存在 枫桥经验", "没有“不存在”这个部分", Words("枫桥经验")),
    ("title:", "缺少要检索的内容", None),
    ("region:，", "缺少要检索的内容", None),
    ("foo:bar", "没有“foo”这个字段", Words("foo:bar")),
    ("同句(", "没有检索词", None),
    ("同句()", "没有检索词", None),
    ("同句(法律顾问", "没有闭合", Phrase("法律顾问")),
    ("同句(法律顾问 OR 合同)", "只能写词语或短语", Group("sentence", ("法律顾问", "合同"))),
    ("法*", "通配符", Words("法*")),
    ("枫桥?经验", "通配符", Words("枫桥?经验")),
    ("((((", "没有闭合", None),
    ("“”，。", "没有可检索的文字", None),
])
def test_malformed_queries_get_a_notice_not_an_error(query, notice, tree):
    parsed = parse(query)
    assert parsed.tree == tree
    assert any(notice in n for n in parsed.notices), parsed.notices


def test_long_query_is_truncated_with_a_notice():
    parsed = parse("法治" * 150)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert any(str(MAX_QUERY_CHARS) in n for n in parsed.notices)


def test_negated_terms_are_not_highlighted():
    assert compile_tree(parse("法律顾问 -合同 NOT 协议").tree).needles == ["法律顾问"]
    assert set(compile_tree(parse("同句(法律顾问 合同) -枫桥").tree).needles) == {"法律顾问", "合同"}


OPERATOR_SOUP = st.text(alphabet='法治枫桥经验 ()（）"“”「」|-－:：*?ORNTADyearsgiontl同句段0123456789', max_size=40)


@settings(max_examples=examples(200), deadline=None)
@given(query=OPERATOR_SOUP)
def test_any_input_parses_without_raising(query):
    parsed = parse(query)
    assert isinstance(parsed.notices, list)
    compile_tree(parsed.tree)


@settings(max_examples=examples(60), deadline=None)
@given(query=OPERATOR_SOUP)
def test_any_input_searches_without_raising(engine, query):
    results = engine.search(query, limit=5)
    assert results["total"] >= len(results["hits"])


# Operators on the real seed index, checked against the sets of simpler queries.

def hits(engine, query):
    """Return (report_id, n) of every hit of a query."""
    return {(h["report_id"], h["n"]) for h in engine.search(query, limit=None)["hits"]}


def test_or_is_the_union(engine):
    union = hits(engine, "枫桥经验") | hits(engine, "12345")
    assert len(union) == 5
    assert hits(engine, "枫桥经验 OR 12345") == union == hits(engine, "枫桥经验 | 12345")


def test_not_is_the_difference(engine):
    expected = hits(engine, "法律顾问") - hits(engine, "合同")
    assert expected and expected != hits(engine, "法律顾问")
    assert hits(engine, "法律顾问 -合同") == expected == hits(engine, "法律顾问 NOT 合同")


def test_a_negation_alone_keeps_everything_else(engine, normalized):
    assert hits(engine, '-"法律顾问"') == {k for k, norm in normalized.items() if "法律顾问" not in norm}


def test_parentheses_group_before_and(engine):
    expected = (hits(engine, "枫桥经验") | hits(engine, "三项制度")) & hits(engine, "矛盾")
    assert expected
    assert hits(engine, "(枫桥经验 OR 三项制度) 矛盾") == expected


def test_or_binds_tighter_than_space(engine):
    expected = hits(engine, "法律顾问") & (hits(engine, "合同") | hits(engine, "协议"))
    assert hits(engine, "法律顾问 合同 OR 协议") == expected


def test_title_searches_report_titles_only(engine, paragraphs):
    in_title = {(rid, n) for rid, n, _ in paragraphs if rid.startswith("000")}
    assert hits(engine, "title:湘桥") == in_title
    years = hits(engine, 'title:"2020年度"')
    assert {rid[:3] for rid, _ in years} == {"000", "001"}
    assert hits(engine, "title:枫桥经验") == set()


def sentence_truth(paragraphs, terms):
    """Return (report_id, n) of paragraphs with one sentence holding every term, by plain splitting."""
    needles = [normalize(t) for t in terms]
    found = set()
    for rid, n, text in paragraphs:
        sentences = re.split(f"[{SENTENCE_ENDS}]", text)
        if any(all(needle in normalize(s) for needle in needles) for s in sentences):
            found.add((rid, n))
    return found


@pytest.mark.parametrize("terms", [
    ("法律顾问", "合法性审查"), ("执法", "培训"), ("普法", "宣传"), ("法治", "政府"), ("枫桥经验", "矛盾"),
    ("法", "治", "政"), ("一是", "制度"), ("规范性文件", "备案", "审查"), ("12345", "热线"), ("5G", "政务"),
])
def test_same_sentence_equals_a_sentence_scan(engine, paragraphs, normalized, terms):
    sentence = hits(engine, "同句(" + " ".join(terms) + ")")
    paragraph = hits(engine, "同段(" + " ".join(terms) + ")")
    assert sentence == sentence_truth(paragraphs, terms)
    assert paragraph == {k for k, norm in normalized.items() if all(normalize(t) in norm for t in terms)}
    assert sentence <= paragraph


def test_same_sentence_is_stricter_than_same_paragraph(engine):
    assert len(hits(engine, "同句(执法 培训)")) < len(hits(engine, "同段(执法 培训)"))


def test_notices_reach_the_web_page(client):
    page = client.get("/search?q=枫桥经验 OR").get_data(as_text=True)
    assert "右侧缺少检索词" in page and "检索：精确短语“枫桥经验”" in page
    words = client.get("/search?q=枫桥经验 OR&match=words").get_data(as_text=True)
    assert "右侧缺少检索词" in words and "检索：词语“枫桥”+“经验”" in words


def test_sentence_starts_are_found_after_each_sentence_end():
    from model.text import sentence_offsets
    assert sentence_offsets("甲乙。“丙”丁；戊！") == ("甲乙丙丁戊".encode("utf-8"), [6, 12])
    assert sentence_offsets("。。甲。。乙！") == ("甲乙".encode("utf-8"), [3])
