"""Text reuse in a real Chromium: a search's planted copies folded under the earliest and unfolded, a
report's paragraph opened side by side with its near-identical ones, differences marked."""
from urllib.parse import quote

import pytest

from browsing import expect, hit_count, shot
from conftest import serving

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

# The planted reports' lead: one boilerplate paragraph in three reports, planted_a's the earliest.
LEAD = "本单位认真贯彻落实上级"


@pytest.fixture(scope="module")
def reuse_server(planted_index):
    """A live server over the seeds and the planted copies."""
    with serving(planted_index) as url:
        yield url


def test_copies_fold_under_the_earliest_and_unfold(desktop, reuse_server):
    desktop.goto(reuse_server + "/")
    desktop.fill("#q", LEAD)
    desktop.keyboard.press("Enter")
    desktop.wait_for_load_state()
    assert hit_count(desktop) == 3
    expect(desktop.locator(".count")).to_contain_text("1 段不同文字")
    hits = desktop.locator("li.hit")
    expect(hits).to_have_count(1)
    expect(hits.first.locator("a.para-link")).to_have_attribute("href", f"/report/planted_a?q={quote(LEAD)}#p-1")
    folded = hits.first.locator("details.folded")
    listed = folded.locator(".folded-hits a")
    expect(listed.first).to_be_hidden()
    folded.locator("summary").click()
    expect(listed).to_have_count(2)
    expect(listed.first).to_be_visible()
    shot(desktop, "reuse-folded-open")
    # Everything, unfolded, through the switch (a plain link).
    desktop.get_by_role("link", name="显示全部 3 个段落（不折叠相似结果）").click()
    desktop.wait_for_load_state()
    expect(desktop.locator("li.hit")).to_have_count(3)
    expect(desktop.locator("details.folded")).to_have_count(0)
    assert "fold=0" in desktop.url


def test_a_report_paragraph_opens_side_by_side_with_its_differences_marked(desktop, reuse_server):
    desktop.goto(reuse_server + "/report/planted_a")
    expect(desktop.locator(".sharing")).to_contain_text("与更早发布的报告相似")
    # Its lead, its copies and its boilerplate closing each have near-identical paragraphs elsewhere.
    assert desktop.locator("a.similar-note").count() >= 5
    # The paragraph planted_a copied with one character in twenty changed.
    edited = desktop.locator(".para", has=desktop.locator("a.similar-note")).filter(has_text="之")
    edited.first.locator("a.similar-note").click()
    desktop.wait_for_load_state()
    expect(desktop.locator("h1")).to_have_text("相似段落对照")
    pair = desktop.locator("section.similar-pair").first
    expect(pair.locator(".compare-left del.diff").first).to_be_visible()
    expect(pair.locator(".compare-right ins.diff").first).to_be_visible()
    assert set(pair.locator(".compare-left del.diff").all_inner_texts()) == {"之"}
    # Side by side on a desktop: the two texts share a row.
    left, right = pair.locator(".compare-left").bounding_box(), pair.locator(".compare-right").bounding_box()
    assert abs(left["y"] - right["y"]) < 2 and right["x"] > left["x"] + left["width"] - 1
    shot(desktop, "reuse-side-by-side", full_page=True)
