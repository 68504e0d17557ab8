"""A new user's walk in a real Chromium: marks that agree with the search, either script, near misses, places, titles."""
import re
import shutil
from pathlib import Path

import pytest

from indexer.index.build import rebuild

from browsing import expect, hit_count, search, shot
from conftest import SEED_FILES, serving

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

# A report of 诸暨市 written for these tests: a place the seeds do not hold.
ZHUJI = Path(__file__).resolve().parent / "fixtures" / "pages" / "zhuji_2022.txt"


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory):
    """A live server over the seeds and the 诸暨市 report."""
    raw = tmp_path_factory.mktemp("forgiving") / "corpus" / "raw"
    raw.mkdir(parents=True)
    for page in [*SEED_FILES, ZHUJI]:
        shutil.copy(page, raw / page.name)
    index = raw.parent.parent / "index"
    rebuild(raw.parent, index, warn=lambda message: None)
    with serving(index) as url:
        yield url


def hit_ids(page):
    """Return (report, paragraph) of every hit link on the page."""
    links = page.locator(".hit a.para-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    return sorted(re.search(r"/report/([^?#]+).*#p-(\d+)", link).groups() for link in links)


def test_the_report_page_agrees_with_the_search_and_walks_its_matches(desktop, corpus_server):
    search(desktop, corpus_server, "法律顾问 合法性审查")
    found = [(report, int(n)) for report, n in hit_ids(desktop)]
    report = SEED_FILES[0].stem
    mine = sorted(n for rid, n in found if rid == report)
    assert len(mine) == 2
    desktop.locator(f".hit a.para-link[href*='{report}']").first.click()
    desktop.wait_for_load_state()
    bar = desktop.locator(".query-bar")
    expect(bar).to_contain_text("出现在本报告 2 段")
    marked = desktop.locator(".para.matched").evaluate_all("ps => ps.map(p => p.id)")
    assert marked == [f"p-{n}" for n in mine]
    shot(desktop, "report-matches-agree")
    # The first match's 下一处 link reaches the second; the p key comes back.
    desktop.goto(corpus_server + f"/report/{report}?q=法律顾问 合法性审查#p-{mine[0]}")
    desktop.locator(f"#p-{mine[0]} .match-nav a[rel=next]").click()
    assert desktop.url.endswith(f"#p-{mine[1]}")
    expect(desktop.locator(f"#p-{mine[1]}")).to_be_in_viewport()
    desktop.keyboard.press("p")
    desktop.wait_for_function(f"location.hash === '#p-{mine[0]}'")


def test_traditional_characters_find_what_simplified_ones_find(desktop, corpus_server):
    search(desktop, corpus_server, "枫桥经验")
    simplified = hit_ids(desktop)
    search(desktop, corpus_server, "楓橋經驗")
    assert hit_ids(desktop) == simplified and len(simplified) == 4  # the three seeds and 诸暨市
    expect(desktop.locator(".hit .snippet mark").first).to_have_text("枫桥经验")


def test_a_homophone_typo_finds_nothing_but_offers_the_right_phrase(desktop, corpus_server):
    search(desktop, corpus_server, "风桥经验")
    assert hit_count(desktop) == 0
    offer = desktop.locator(".meant a").first
    expect(offer).to_have_text("枫桥经验")
    shot(desktop, "suggestion-offered")
    offer.click()
    desktop.wait_for_load_state()
    assert hit_count(desktop) == 4
    assert desktop.locator("#q").input_value() == "枫桥经验"


def test_a_place_typed_as_a_word_offers_its_region_filter(desktop, corpus_server):
    search(desktop, corpus_server, "诸暨 法律顾问")
    chip = desktop.locator(".meant.places a")
    expect(chip).to_contain_text("诸暨市")
    shot(desktop, "place-offered")
    chip.click()
    desktop.wait_for_load_state()
    expect(desktop.locator(".chips")).to_contain_text("诸暨市")
    assert desktop.locator("#q").input_value() == "法律顾问"
    titles = set(desktop.locator(".hit-title").all_inner_texts())
    assert titles == {"诸暨市人民政府关于2022年度法治政府建设情况的报告"}


def test_title_scope_lists_reports_not_paragraphs(desktop, corpus_server):
    search(desktop, corpus_server, "街道", scope="title")
    rows = desktop.locator(".hit.report-hit")
    expect(rows).to_have_count(2)
    expect(desktop.locator(".count")).to_contain_text("2 篇报告")
    shot(desktop, "title-scope-reports")
