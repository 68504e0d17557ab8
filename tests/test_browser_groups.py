"""Results by report and counts in reports and paragraphs in a real Chromium, as a researcher clicks and taps them:
the 按段落 / 按报告 switch, a report's matches leading to their paragraphs, the sidebar's and the trends' counts
readable on a 360 px touch screen."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from browsing import expect, hit_count, read_counts, shot

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser


def opened(page, url):
    """Go to a page and wait for it."""
    page.goto(url)
    page.wait_for_load_state()


def within_width(page, locator):
    """Tell whether every element of a locator is drawn inside the viewport's width (nothing cut off to the right)."""
    width = page.viewport_size["width"]
    return all(0 <= box["x"] and box["x"] + box["width"] <= width + 0.5
               for box in (locator.nth(i).bounding_box() for i in range(locator.count())))


def test_the_switch_lists_reports_and_a_match_opens_its_paragraph(desktop, live_server):
    opened(desktop, live_server + "/search?" + urlencode({"q": "法治"}))
    paragraphs = hit_count(desktop)
    desktop.locator(".group-switch").get_by_role("link", name="按报告").click()
    desktop.wait_for_load_state()
    assert parse_qs(urlsplit(desktop.url).query)["group"] == ["report"]
    expect(desktop.locator(".group-switch a[aria-current=true]")).to_have_text("按报告")
    reports = desktop.locator("li.group-hit")
    said = [int(text) for text in desktop.locator(".count strong").all_inner_texts()]
    assert said[0] == reports.count() > 1 and said[1] == paragraphs
    counts = [int(text) for text in desktop.locator(".group-count strong").all_inner_texts()]
    assert sum(counts) == paragraphs
    shot(desktop, "results-by-report")

    # 最早 keeps the reports; a report's first match opens its paragraph, the query marked there.
    desktop.locator(".sort").get_by_role("link", name="最早").click()
    desktop.wait_for_load_state()
    assert parse_qs(urlsplit(desktop.url).query)["group"] == ["report"] and reports.count() == said[0]
    match = reports.first.locator(".group-match a.para-link").first
    number = urlsplit(match.get_attribute("href")).fragment
    match.click()
    desktop.wait_for_load_state()
    assert urlsplit(desktop.url).fragment == number
    paragraph = desktop.locator(f"#{number}")
    expect(paragraph).to_be_in_viewport()
    expect(paragraph.locator("mark").first).to_have_text("法治")

    # A new query typed in the box keeps the reports.
    desktop.go_back()
    desktop.fill("#q", "枫桥经验")
    desktop.press("#q", "Enter")
    desktop.wait_for_load_state()
    expect(desktop.locator(".group-switch a[aria-current=true]")).to_have_text("按报告")
    assert 0 < reports.count() < said[0]
    desktop.locator(".group-switch").get_by_role("link", name="按段落").click()
    desktop.wait_for_load_state()
    assert desktop.locator("li.group-hit").count() == 0 and desktop.locator("li.hit").count() == hit_count(desktop)


def test_on_a_phone_the_switch_taps_and_the_sidebar_shows_both_counts(phone, live_server):
    opened(phone, live_server + "/search?" + urlencode({"q": "法治"}))
    with phone.expect_navigation():
        phone.locator(".group-switch").get_by_role("link", name="按报告").tap()
    assert phone.locator("li.group-hit").count() > 1
    assert phone.evaluate("document.documentElement.scrollWidth") <= phone.viewport_size["width"]
    assert within_width(phone, phone.locator("li.group-hit .group-count"))

    # The sidebar folds on a phone; tapped open, every value reads its reports and paragraphs, nothing cut off.
    phone.locator(".filters > summary").tap()
    counts = phone.locator("section[aria-labelledby=facet-year] .facet-count")
    expect(counts.first).to_be_visible()
    assert all(reports <= paragraphs for reports, paragraphs in map(read_counts, counts.all_inner_texts()))
    assert within_width(phone, counts)
    shot(phone, "facets-counts-phone", full_page=True)


def test_on_a_phone_the_province_trend_reads_reports_and_paragraphs(phone, live_server):
    opened(phone, live_server + "/trends?" + urlencode({"q": "法治"}))
    values = phone.locator("svg.rank-compact text.value")
    expect(values.first).to_be_visible()
    assert values.count() > 1 and all("篇 · " in text and text.endswith("段）") for text in values.all_text_contents())
    assert within_width(phone, values)
    # The years' data table, open, shows both counts per year.
    header = phone.locator("#by-year ~ details table thead").inner_text()
    assert "提及的报告" in header and "段落" in header
    shot(phone, "trends-counts-phone", full_page=True)
