"""Hostile queries: the search core, both search routes and the feed answer each with a clear message.

A clear message is a 200 whose notices say what was dropped or changed, or a 400 naming the
parameter; never a 500 or a traceback. How long each answer takes is measured by bench.hostile.
"""
import json
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bench.hostile import REQUESTS, qs
from search import BadParameter
from model.registry import FACET_NAMES as FILTER_NAMES
from search.parse import MAX_QUERY_CHARS

from conftest import examples

ROUTES = ("/search", "/api/search", "/feed")
PARAMETERS = ("q", *FILTER_NAMES, "sort", "page", "limit", "scope", "fold", "group", "match")
FUZZ = settings(max_examples=examples(200), deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
# A few words of the seeds, to send the fuzzer's queries down paths that find something.
SEED_WORDS = ("枫桥经验", "法治", "行政", "调解", "2020", "浙江", "存在问题", "OR", "NOT", "同句(",
              "region:", "year:", "section:", "title:", '"', "(", ")", "-", "|", "*")


def notice(*parts):
    """Expect a 200 whose notices hold every part."""
    return ("notice", parts)


def error(name):
    """Expect a 400 naming the parameter."""
    return ("error", name)


def answered():
    """Expect a 200 (the query is read as given, nothing to say about it)."""
    return ("answered", None)


def either(name):
    """Expect a 200, or a 400 naming the parameter (a page may ignore a parameter the API reads)."""
    return ("either", name)


# The HTML results page has its own page size: it may ignore limit, or check it as the API does.
PAGE_EXPECTATIONS = {
    "negative limit": either("limit"), "limit 0": either("limit"),
    "limit 10**12": either("limit"), "limit not a number": either("limit"),
}


# What each hostile request of bench/hostile.py (which times them) must be answered with.
EXPECTED = {
    "unclosed quote": notice("没有配对"),
    "unclosed curly quote": notice("没有配对"),
    "unclosed parenthesis": notice("没有闭合"),
    "stray closing parentheses": notice("多余的右括号"),
    "10,000 characters": notice(f"超过 {MAX_QUERY_CHARS} 个字符"),
    "10,000 spaces": answered(),
    "star": notice("通配符"),
    "question mark": notice("通配符"),
    "a*": notice("通配符"),
    "prefix wildcard": notice("通配符"),
    "full-width wildcards": notice("通配符"),
    "wildcard in a phrase": notice("通配符"),
    "NUL": notice("控制字符"),
    "escape sequence": notice("控制字符"),
    "right-to-left override": notice("控制字符"),
    "HTML in the query": answered(),
    "event handler in the query": answered(),
    "javascript URL": notice("javascript"),
    "500 nested parentheses": notice(f"超过 {MAX_QUERY_CHARS} 个字符", "没有闭合"),
    "3,000 OR terms": notice(f"超过 {MAX_QUERY_CHARS} 个字符"),
    "2,000 different OR terms": notice(f"超过 {MAX_QUERY_CHARS} 个字符"),
    "one character repeated": answered(),
    "lone operators": notice("缺少"),
    "unknown field": notice("foo"),
    "page 10**12": notice("超出范围"),
    "page 0": error("page"),
    "negative page": error("page"),
    "page not a number": error("page"),
    "page of 5,000 digits": error("page"),
    "negative limit": notice("每页条数"),
    "limit 0": notice("每页条数"),
    "limit 10**12": notice("每页条数"),
    "limit not a number": error("limit"),
    "unknown province": answered(),
    "unknown city and county": answered(),
    "many region values": error("province"),
    "many values of every filter": error("province"),
    "the most filter values allowed": answered(),
    "one value repeated": answered(),
    "year not a year": error("year"),
    "year out of range": error("year"),
    "year range of huge numbers": error("year"),
    "unknown section": error("section"),
    "unknown sort": error("sort"),
    "unknown parameter": answered(),
    "malformed UTF-8 in q": answered(),
    "malformed UTF-8 in a filter": answered(),
    "surrogate bytes in q": answered(),
    "broken percent escapes": error("page"),
    "empty values": answered(),
}


def test_every_hostile_request_has_its_expected_answer():
    assert set(EXPECTED) == set(REQUESTS)


@pytest.fixture(scope="module")
def web(app):
    """A client of the run's seed app for the whole module, warmed up (jieba loaded, searcher open)."""
    client = app.test_client()
    for route in ROUTES:
        assert client.get(f"{route}?q=法治").status_code == 200
    return client


@pytest.fixture(scope="module")
def results_page(web):
    """The results page's answer to a hostile request (by label), asked once for the module's tests."""
    answers = {}

    def answer(label):
        """Return the response of /search to the request of this label."""
        if label not in answers:
            answers[label] = web.get(f"/search?{REQUESTS[label]}")
        return answers[label]
    return answer


@pytest.mark.parametrize("label", EXPECTED)
def test_the_feed_answers_a_hostile_request_as_the_results_page_does(web, results_page, label):
    response = web.get(f"/feed?{REQUESTS[label]}")
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    assert response.status_code == results_page(label).status_code, body
    if response.status_code == 200:
        assert etree.fromstring(response.data).tag == "{http://www.w3.org/2005/Atom}feed"


@pytest.mark.parametrize("label", EXPECTED)
def test_api_answers_a_hostile_request_clearly(web, label):
    query, (kind, expected) = REQUESTS[label], EXPECTED[label]
    response = web.get(f"/api/search?{query}")
    body = response.get_data(as_text=True)
    assert "Traceback" not in body
    data = json.loads(body)
    if kind == "error":
        assert response.status_code == 400, body
        assert data["parameter"] == expected and f"参数 {expected} 无效" in data["error"]
        return
    assert response.status_code == 200, body
    assert {"total", "hits", "notices", "description"} <= set(data)
    for part in expected or ():
        assert any(part in text for text in data["notices"]), (part, data["notices"])


@pytest.mark.parametrize("label", EXPECTED)
def test_search_page_answers_a_hostile_request_clearly(results_page, label):
    kind, expected = PAGE_EXPECTATIONS.get(label, EXPECTED[label])
    response = results_page(label)
    page = response.get_data(as_text=True)
    assert "Traceback" not in page
    if kind == "error" or (kind == "either" and response.status_code == 400):
        assert response.status_code == 400 and f"参数 {expected} 无效" in page
        return
    if kind == "either":
        assert response.status_code == 200
        return
    assert response.status_code == 200
    for part in expected or ():
        assert part in page, part


def test_javascript_url_is_searched_as_text_not_as_a_field(web):
    data = web.get("/api/search?" + qs(q="javascript:alert(1)")).get_json()
    assert data["total"] == 0 and "javascript" in data["description"]


def test_repeated_words_are_searched_once(engine):
    once = engine.search("法")
    repeated = engine.search("法 " * 100)
    assert repeated["total"] == once["total"] and repeated["description"] == once["description"]
    assert engine.search("(法|" * 66)["total"] == once["total"]


def test_control_characters_are_dropped_from_the_query_shown_back(engine):
    results = engine.search("\u202e枫桥\x00经验\x1b")
    assert results["query"] == "枫桥经验" and results["total"] == 3


def test_tab_and_line_breaks_still_separate_words(engine):
    results = engine.search("枫桥经验\t矛盾\n纠纷")
    assert results["total"] == engine.search("枫桥经验 矛盾 纠纷")["total"] > 0
    assert not results["notices"]


def fuzz_params():
    """Return a strategy of query-string parameter lists: known names with odd values, unknown names."""
    text = st.one_of(st.text(max_size=60), st.sampled_from(SEED_WORDS),
                     st.lists(st.sampled_from(SEED_WORDS), max_size=6).map(" ".join),
                     st.integers(min_value=-10**15, max_value=10**15).map(str))
    names = st.one_of(st.sampled_from(PARAMETERS), st.text(min_size=1, max_size=10))
    return st.lists(st.tuples(names, text), max_size=8)


def check_api_answer(response):
    """Assert an API answer is a 200 results object or a 400 naming a parameter, in well-formed JSON."""
    assert response.status_code in (200, 400), response.get_data(as_text=True)[:500]
    data = json.loads(response.get_data(as_text=True))
    if response.status_code == 200:
        assert isinstance(data["hits"], list) and isinstance(data["total"], int)
    else:
        assert data["parameter"] in PARAMETERS and data["error"]


@FUZZ
@given(params=fuzz_params())
def test_fuzz_api_search(web, params):
    check_api_answer(web.get("/api/search?" + urlencode(params)))


@FUZZ
@given(params=fuzz_params())
def test_fuzz_search_page(web, params):
    response = web.get("/search?" + urlencode(params))
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.get_data(as_text=True)


@FUZZ
@given(raw=st.binary(max_size=80), name=st.sampled_from(PARAMETERS))
def test_fuzz_raw_bytes_in_the_url(web, raw, name):
    # Any bytes at all, percent-encoded: malformed UTF-8, NUL, lone continuation bytes.
    check_api_answer(web.get(f"/api/search?{name}={quote(raw, safe='')}"))


@FUZZ
@given(q=st.text(max_size=300), filters=st.dictionaries(st.sampled_from(FILTER_NAMES),
                                                        st.lists(st.text(max_size=20), max_size=3)),
       sort=st.sampled_from([None, "relevance", "newest", "oldest", "x"]),
       page=st.one_of(st.none(), st.integers(-3, 10**6)), limit=st.one_of(st.none(), st.integers(-3, 10**6)),
       match=st.sampled_from([None, "exact", "words", "x"]))
def test_fuzz_search_core(engine, q, filters, sort, page, limit, match):
    try:
        results = engine.search(q, filters=filters, sort=sort, page=page, limit=limit, match=match)
    except BadParameter as bad:
        assert bad.name in PARAMETERS
        return
    assert results["total"] >= len(results["hits"])
