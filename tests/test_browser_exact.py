"""A researcher's clicks in a real Chromium (issue 25): a typed term counted as written, the 模糊 switch, who, which
level and when on every hit, a title search's marks, and no respelling of a word into a piece of another."""
import json
from urllib.request import urlopen
from urllib.parse import quote

import pytest

from model.registry import LEVEL

from browsing import expect, hit_count, search, shot

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

# Written 21 times in 4 reports of the seeds; as the words 行政 and 执法 apart, in 24 paragraphs of 5 reports.
TERM = "行政执法"


def api(server, query):
    """Return the API's results object of a query."""
    with urlopen(f"{server}/api/search?q={quote(query)}") as answer:
        return json.load(answer)


def fits(page):
    """Tell whether the page fits its viewport's width (nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_typed_term_counts_as_written_and_the_switch_reads_words(request, live_server, size):
    page = request.getfixturevalue(size)
    search(page, live_server, TERM)
    assert hit_count(page) == 21
    expect(page.locator(".match-mode")).to_contain_text("精确匹配")
    shot(page, f"exact-default-{size}")
    # Ticking 模糊 searches again, by words.
    page.locator(".searchbox input[name=match]").click()
    page.wait_for_url("**match=words**")
    assert hit_count(page) == 24
    expect(page.locator(".match-mode")).to_contain_text("模糊匹配")
    expect(page.locator(".searchbox input[name=match]")).to_be_checked()
    assert fits(page)
    shot(page, f"match-words-{size}")
    # Quotation marks keep a phrase exact whatever the switch says; the box stays ticked for the next search.
    page.fill("#q", f'"{TERM}"')
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert hit_count(page) == 21 and "match=words" in page.url
    # The note's link goes back.
    page.fill("#q", TERM)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    assert hit_count(page) == 24
    page.locator(".match-mode a").click()
    page.wait_for_load_state()
    assert hit_count(page) == 21 and "match=" not in page.url
    expect(page.locator(".searchbox input[name=match]")).not_to_be_checked()


def test_the_advanced_forms_switch_searches_by_words(desktop, live_server):
    desktop.goto(live_server + "/advanced")
    desktop.fill("#adv-all", TERM)
    desktop.check("#adv-match")
    desktop.locator(".advanced-actions button").click()
    desktop.wait_for_load_state()
    assert hit_count(desktop) == 24
    expect(desktop.locator(".description")).to_contain_text("词语“行政”+“执法”")
    expect(desktop.locator(".match-mode")).to_contain_text("模糊匹配")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_hit_says_who_at_which_level_and_when(request, live_server, size):
    page = request.getfixturevalue(size)
    search(page, live_server, TERM)
    hits = api(live_server, TERM)["hits"]
    metas = page.locator(".hit .hit-meta")
    expect(metas).to_have_count(len(hits))
    for meta, hit in zip(metas.all(), hits):
        expect(meta.locator(".hit-issuer")).to_have_text(f"发布机关：{hit['issuer']}")
        expect(meta.locator(".hit-level")).to_have_text(f"层级：{LEVEL.display(hit['level'])}")
        expect(meta.locator(".hit-date")).to_have_text(f"发布于 {hit['pub_date']}" if hit["pub_date"] else "发布日期未注明")
        expect(meta.locator(".hit-level")).to_be_visible()
    # The visible words, as a reader sees them (the labels are for screen readers).
    first = metas.first.inner_text()
    assert hits[0]["issuer"] in first and LEVEL.display(hits[0]["level"]) in first and "发布" in first
    assert any(hit["pub_date"] for hit in hits), "the seeds should give some hit a date"
    assert fits(page)
    shot(page, f"hit-meta-{size}")


def test_a_title_search_marks_the_phrase_not_its_words_in_other_names(desktop, live_server):
    search(desktop, live_server, "法治政府", scope="title")
    titles = desktop.locator(".hit-title a")
    assert titles.count() > 0
    assert set(desktop.locator(".hit-title mark").all_inner_texts()) == {"法治政府"}
    holding = [title for title in titles.all() if "人民政府" in title.inner_text()]
    assert holding, "a title holding 人民政府 should be listed"
    for title in holding:
        assert title.locator("mark").all_inner_texts() == ["法治政府"] * title.inner_text().count("法治政府")
    shot(desktop, "title-marks-exact")


def test_a_word_with_few_hits_is_not_respelled_into_a_piece_of_another(desktop, live_server):
    search(desktop, live_server, "答覆")
    assert hit_count(desktop) == 2
    expect(desktop.locator(".meant")).to_have_count(0)
    assert "政覆" not in desktop.locator("main").inner_text()
