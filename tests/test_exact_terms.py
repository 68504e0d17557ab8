"""Exact by default (issue 25): an unquoted term is matched as written, as a quoted phrase is; word matching
(模糊, match=words) is one switch away, said on the page, and every view of a search follows the mode in force.

On the seeds, 行政执法 is written 21 times in 4 reports; as the words 行政 and 执法, anywhere in a paragraph,
it is in 24 paragraphs of 5 reports, among them the 2024 report, which never writes 行政执法 (推行政务 … 执法监督).
"""
import json
from urllib.parse import parse_qs, urlsplit

import pytest

from model.text import normalize
from search import BadParameter

from conftest import run_module
from test_web import count_line, soup

TERM = "行政执法"


def hit_ids(results):
    """Return (report_id, n) of every hit of a results object."""
    return {(hit["report_id"], hit["n"]) for hit in results["hits"]}


def scattered(engine):
    """Return a hit that word matching finds and exact matching does not: the words apart."""
    return next(hit for hit in engine.search(TERM, limit=None, match="words")["hits"]
                if TERM not in normalize(hit["text"]))


def test_an_unquoted_term_gives_the_quoted_phrases_totals_hits_and_facets(engine):
    bare, quoted = engine.search(TERM, limit=None), engine.search(f'"{TERM}"', limit=None)
    assert (bare["total"], bare["total_reports"]) == (quoted["total"], quoted["total_reports"]) == (21, 4)
    assert hit_ids(bare) == hit_ids(quoted)
    assert [hit["spans"] for hit in bare["hits"]] == [hit["spans"] for hit in quoted["hits"]]
    assert bare["facets"] == quoted["facets"] and bare["match"] == "exact"
    assert all(TERM in normalize(hit["text"]) for hit in bare["hits"])


@pytest.mark.parametrize("bare, quoted", [("法治政府", '"法治政府"'), ("title:法治政府", 'title:"法治政府"'),
                                          ("法治 -依法行政", '"法治" -"依法行政"'), ("枫桥经验 OR 网格化", '"枫桥经验" OR "网格化"')])
def test_every_unquoted_term_matches_as_its_quoted_phrase(engine, bare, quoted):
    assert hit_ids(engine.search(bare, limit=None)) == hit_ids(engine.search(quoted, limit=None))
    for scope in ("all", "title"):
        assert engine.search(bare, scope=scope)["total"] == engine.search(quoted, scope=scope)["total"]


def test_word_matching_is_the_explicit_mode_and_finds_the_words_apart(engine):
    words = engine.search(TERM, limit=None, match="words")
    assert (words["total"], words["total_reports"]) == (24, 5) and words["match"] == "words"
    assert hit_ids(words) > hit_ids(engine.search(TERM, limit=None))
    apart = scattered(engine)
    assert "行政" in normalize(apart["text"]) and "执法" in normalize(apart["text"])


@pytest.mark.parametrize("value", ["fuzzy", "WORDS ", "1"])
def test_a_bad_match_value_is_refused_naming_the_parameter(engine, client, value):
    if value.strip().lower() == "words":
        assert engine.search(TERM, match=value)["match"] == "words"  # case and spaces are forgiven
        assert count_line(soup(client, f"/search?q={TERM}&match={value}"))[0] == 24
        return
    with pytest.raises(BadParameter) as error:
        engine.search(TERM, match=value)
    assert error.value.name == "match"
    answer = client.get("/api/search", query_string={"q": TERM, "match": value})
    assert answer.status_code == 400 and "match" in answer.get_json()["error"]
    page = client.get("/search", query_string={"q": TERM, "match": value})
    assert page.status_code == 400 and "match" in page.get_data(as_text=True)


def test_the_results_page_says_the_mode_and_links_the_other(client):
    page = soup(client, f"/search?q={TERM}")
    assert count_line(page) == (21, 4)
    note = page.select_one(".match-mode")
    assert "精确匹配" in note.get_text() and not page.select_one("input[name=match]").has_attr("checked")
    switch = note.select_one("a")
    assert parse_qs(urlsplit(switch["href"]).query) == {"q": [TERM], "match": ["words"]}
    words = soup(client, switch["href"])
    assert count_line(words) == (24, 5)
    assert "模糊匹配" in words.select_one(".match-mode").get_text()
    assert words.select_one("input[name=match]").has_attr("checked")  # the box says so too
    assert parse_qs(urlsplit(words.select_one(".match-mode a")["href"]).query) == {"q": [TERM]}


def test_the_advanced_form_has_the_switch_and_reads_it_back(client):
    form = soup(client, "/advanced")
    box = form.select_one(".advanced-form input[name=match]")
    assert box["value"] == "words" and not box.has_attr("checked")
    assert soup(client, f"/advanced?q={TERM}&match=words").select_one(".advanced-form input[name=match]").has_attr("checked")
    found = soup(client, f"/search?all={TERM}&match=words")
    assert count_line(found) == (24, 5)
    # The way back to the form keeps the mode.
    assert parse_qs(urlsplit(found.select_one(".edit-advanced")["href"]).query)["match"] == ["words"]


def test_a_hit_found_by_words_is_marked_on_its_report_page(client, engine):
    apart = scattered(engine)
    assert apart["report_year"] == 2024  # the one report that never writes the term
    page = soup(client, f"/search?q={TERM}&match=words&year=2024")
    link = next(a["href"] for a in page.select(".hit .para-link") if a["href"].endswith(f"#p-{apart['n']}"))
    assert parse_qs(urlsplit(link).query)["match"] == ["words"]
    report = soup(client, link)
    assert report.select_one(f"#p-{apart['n']}.matched mark") is not None
    assert "模糊匹配" in report.select_one(".query-bar").get_text()
    # Read as written, the same paragraph holds no match.
    assert soup(client, link.replace("&match=words", "")).select_one(f"#p-{apart['n']}.matched") is None


def test_trends_count_the_term_as_written(client):
    # The 2024 report never writes 行政执法: exactly, 2024 has no mention; by words it is at 100 %.
    shares = [a["aria-label"] for a in soup(client, f"/trends?q={TERM}").select(".column-chart")[0].select("a")]
    assert not any(label.startswith("2024 年") for label in shares)
    words = soup(client, f"/trends?q={TERM}&match=words")
    assert "2024 年：1 / 1 篇报告提及（100%）" in [a["aria-label"] for a in words.select(".column-chart")[0].select("a")]
    assert words.select_one("form.versus input[name=match]")["value"] == "words"


def test_exports_and_the_api_follow_the_mode(client):
    assert len(client.get(f"/export.json?q={TERM}").get_json()) == 21
    assert len(client.get(f"/export.json?q={TERM}&match=words").get_json()) == 24
    assert client.get(f"/api/search?q={TERM}&match=words").get_json()["total"] == 24
    results = soup(client, f"/search?q={TERM}&match=words")
    assert parse_qs(urlsplit(results.select_one(".export a")["href"]).query)["match"] == ["words"]


def test_reuse_and_suggestions_follow_the_mode(client, engine):
    assert engine.reuse(TERM)["match"] == "exact" and engine.reuse(TERM, match="words")["match"] == "words"
    # A near miss is respelled, and the respelling counted, in the mode in force.
    for match in ("exact", "words"):
        offered = engine.search("风桥经验", match=match)["suggestions"]
        assert offered[0]["total"] == engine.search("枫桥经验", match=match)["total"]
    page = soup(client, "/search?q=风桥经验&match=words")
    assert parse_qs(urlsplit(page.select_one(".meant a")["href"]).query)["match"] == ["words"]


@pytest.mark.integration
def test_the_command_line_matches_as_written_unless_told_words(seed_index):
    exact = run_module("search", TERM, "--index", str(seed_index), "--json")
    words = run_module("search", TERM, "--index", str(seed_index), "--json", "--match", "words")
    assert (json.loads(exact.stdout)["total"], json.loads(words.stdout)["total"]) == (21, 24)
    bad = run_module("search", TERM, "--index", str(seed_index), "--match", "fuzzy")
    assert bad.returncode == 2 and "--match" in bad.stderr
