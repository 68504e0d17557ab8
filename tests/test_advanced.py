"""高级检索: the form's fields build the query syntax, run the same search, and read a query back."""
from urllib.parse import urlencode

import pytest
from bs4 import BeautifulSoup
from werkzeug.datastructures import MultiDict

from model.registry import FACET_NAMES, LEVEL, SECTION
from model.report import FIRST_YEAR, LAST_YEAR
from web.advanced import NAMES, compose, form_values


@pytest.mark.parametrize("fields, syntax", [
    ({"all": "法律顾问 合法性审查"}, "法律顾问 合法性审查"),
    ({"phrase": "枫桥经验"}, '"枫桥经验"'),
    ({"any": "普法 法治宣传"}, "(普法 OR 法治宣传)"),
    ({"none": "村 -社区"}, "-村 -社区"),
    ({"sentence": "法律顾问 审查"}, "同句(法律顾问 审查)"),
    ({"title": "街道"}, "title:街道"),
    ({"issuer_has": "司法局", "docno_has": "〔2024〕 9号", "region": "浙江"}, "issuer:司法局 docno:〔2024〕9号 region:浙江"),
    ({"level_in": ["乡镇", "县级"], "section_in": ["存在问题"]}, "level:乡镇,县级 section:存在问题"),
    ({"year_from": "2020", "year_to": "2023"}, "year:2020-2023"),
    ({"year_from": "2021"}, "year:2021"),
    ({"date_from": "2021-01-01", "date_to": "2021-06-30"}, "published:2021-01-01~2021-06-30"),
    # What a field cannot carry is left out, never taken as syntax.
    ({"all": 'a"b (c) OR'}, "a b c"),
])
def test_fields_compose_the_query_syntax(fields, syntax):
    assert compose(MultiDict(fields)) == syntax


@pytest.mark.parametrize("query", [
    '法律顾问 "枫桥经验" (普法 OR 法治宣传) -村 同句(法律顾问 审查) title:街道',
    "issuer:司法局 region:浙江 level:乡镇,县级 section:存在问题 year:2020-2023 published:2021-01-01~2021-06-30",
])
def test_a_query_the_fields_can_hold_is_read_back_and_composes_again(query):
    values = form_values(query)
    assert values is not None
    assert compose(MultiDict([(name, value) for name, found in values.items()
                              for value in (found if isinstance(found, list) else [found]) if value])) == query


def test_a_query_the_fields_cannot_hold_is_kept_whole():
    assert form_values("(甲 -乙) OR 丙") is None


def results_of(client, params):
    """Return the API's (total, hits) of a search given as parameters."""
    data = client.get("/api/search?" + urlencode(params, doseq=True) + "&limit=all").get_json()
    return data["total"], [(hit["report_id"], hit["n"]) for hit in data["hits"]]


def test_the_form_runs_exactly_the_typed_syntax(client):
    form = {"phrase": "法治政府", "none": "疫情", "level_in": ["乡镇"], "year_from": "2020", "year_to": "2023"}
    typed = {"q": '"法治政府" -疫情 level:乡镇 year:2020-2023'}
    total, hits = results_of(client, form)
    assert total > 0 and (total, hits) == results_of(client, typed)


def test_the_results_page_shows_the_query_and_links_back_to_the_form(client):
    page = BeautifulSoup(client.get("/search?" + urlencode(
        {"phrase": "法治政府", "level_in": "乡镇", "year_from": "2020"})).get_data(as_text=True), "lxml")
    assert page.select_one("#q")["value"] == '"法治政府" level:乡镇 year:2020'
    edit = page.select_one("a.edit-advanced")["href"]
    form = BeautifulSoup(client.get(edit).get_data(as_text=True), "lxml")
    assert form.select_one("#adv-phrase")["value"] == "法治政府"
    assert form.select_one("input[name=level_in][value=乡镇]").has_attr("checked")
    assert form.select_one("input[name=year_from]")["value"] == "2020"
    assert "对应的检索式" in form.get_text()


def test_the_form_offers_the_closed_lists_of_the_registry_and_its_year_bounds(client):
    form = BeautifulSoup(client.get("/advanced").get_data(as_text=True), "lxml")
    offered = {group["aria-label"]: [box["value"] for box in group.select("input[type=checkbox]")]
               for group in form.select(".field-choices")}
    assert offered == {LEVEL.label: LEVEL.choices(), SECTION.label: SECTION.choices()}
    for name in ("year_from", "year_to"):
        year = form.select_one(f"input[name={name}]")
        assert (int(year["min"]), int(year["max"])) == (FIRST_YEAR, LAST_YEAR)


def test_no_field_of_the_form_is_named_as_a_facet():
    # A parameter read both as a facet filter and as a form field would put the filter into the query.
    assert not set(NAMES) & set(FACET_NAMES)


def test_issuer_has_finds_a_part_of_a_name_as_the_typed_field_does(client):
    form = {"all": "依法行政", "issuer_has": "人民政府"}
    typed = {"q": "依法行政 issuer:人民政府"}
    total, hits = results_of(client, form)
    assert total > 0 and (total, hits) == results_of(client, typed)
    description = client.get("/api/search?" + urlencode(form)).get_json()["description"]
    assert description.count("发布机关") == 1 and description.count("依法行政") == 1
