"""Filters in a real Chromium as a researcher clicks them (issue 25, items 1, 2 and 6): every facet's filter
comes off with its chip, the advanced form's 发布机关含 finds a part of a name, undated reports have a facet value."""
from urllib.parse import urlencode

import pytest

from model.registry import FACETS, PUBLISHED, hierarchy_of

from browsing import expect, hit_count, read_counts, shot

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

QUERY = "依法行政"


def group(page, facet):
    """Return the visible values of a facet's sidebar group."""
    return page.locator(f"section[aria-labelledby=facet-{facet.name}] > ul .facet-value")


def counted_values(page, facet):
    """Return [(count, value locator)] of a facet's visible sidebar values."""
    values = group(page, facet)
    return [(read_counts(values.nth(i).locator(".facet-count").inner_text())[1], values.nth(i))
            for i in range(values.count())]


def click(page, locator):
    """Click a link and wait for the page it opens."""
    locator.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_every_facet_filter_comes_off_with_its_chip(desktop, live_server, facet):
    desktop.goto(live_server + "/search?" + urlencode({"q": QUERY}))
    levels = hierarchy_of(facet)
    for level in levels[:levels.index(facet)]:
        # Down a hierarchy by the value with most hits, so that the levels below have values.
        click(desktop, max(counted_values(desktop, level), key=lambda pair: pair[0])[1])
    total, chips = hit_count(desktop), desktop.locator(".chip").count()
    if facet.counted:
        # The value with fewest hits: clicking it narrows the hits.
        click(desktop, min(counted_values(desktop, facet), key=lambda pair: pair[0])[1])
    else:
        # A filter only searched by (文号) comes from a link; the hits carry its values.
        hits = desktop.request.get(live_server + "/api/search?" + urlencode({"q": QUERY, "limit": "all"})).json()["hits"]
        value = next(hit[facet.source.path[-1]] for hit in hits if hit[facet.source.path[-1]])
        desktop.goto(desktop.url + "&" + urlencode({facet.name: value}))
    expect(desktop.locator("#q")).to_have_value(QUERY)
    expect(desktop.locator(".chip")).to_have_count(chips + 1)
    assert hit_count(desktop) <= total

    click(desktop, desktop.locator(".chip", has_text=facet.chip + "："))
    expect(desktop.locator("#q")).to_have_value(QUERY)
    expect(desktop.locator(".chip")).to_have_count(chips)
    assert hit_count(desktop) == total


def test_the_advanced_form_finds_an_issuer_by_a_part_of_its_name(desktop, live_server):
    desktop.goto(live_server + "/advanced")
    desktop.fill("#adv-all", QUERY)
    desktop.fill("#adv-issuer_has", "人民政府")
    desktop.get_by_role("button", name="检索").last.click()
    desktop.wait_for_load_state()
    expect(desktop.locator("#q")).to_have_value(f"{QUERY} issuer:人民政府")
    from_form = hit_count(desktop)
    description = desktop.locator(".description").inner_text()
    assert description.count("发布机关") == 1, description
    desktop.goto(live_server + "/search?" + urlencode({"q": f"{QUERY} issuer:人民政府"}))
    assert from_form == hit_count(desktop) > 0
    expect(desktop.locator(".chip")).to_have_count(0)


def test_undated_reports_have_their_own_value_in_the_date_facet(desktop, live_server):
    desktop.goto(live_server + "/search?" + urlencode({"q": QUERY}))
    total = hit_count(desktop)
    counts = {name: count for count, value in counted_values(desktop, PUBLISHED)
              for name in [value.locator(".facet-name").inner_text()]}
    assert "未注明" in counts and sum(counts.values()) == total
    shot(desktop, "facet-undated")
    click(desktop, group(desktop, PUBLISHED).filter(has_text="未注明"))
    assert hit_count(desktop) == counts["未注明"]
    expect(desktop.locator(".chip span").first).to_have_text("发布日期：未注明")
    click(desktop, desktop.locator(".chip"))
    assert hit_count(desktop) == total
