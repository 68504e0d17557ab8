"""Following a search, a government and a law in a real Chromium (issue 25, items 5–7): the results page's feed
link, an issuer's timeline reached from a report and from the sidebar, a cited document chosen from a report page,
at 1280 and 360 px."""
import pytest
from lxml import etree

from browsing import expect, hit_count, shot
from conftest import serving
from test_timeline import ISSUER, NEW_2021, years_index  # noqa: F401 (a fixture)

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

CIVIL_CODE = "中华人民共和国民法典"
# 002 (罗店镇) cites 《民法典》.
CITING = "002_3e0c808a9c5a1d0f"


def fits(page):
    """Tell whether the page is no wider than the window (nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.fixture(scope="module")
def years_server(years_index):  # noqa: F811 (the fixture imported above)
    """A live server over one issuer's three years."""
    with serving(years_index) as url:
        yield url


@pytest.mark.parametrize("size", ["1280", "360"])
def test_the_results_page_offers_its_feed_and_the_feed_is_atom(request, live_server, size):
    page = request.getfixturevalue("desktop" if size == "1280" else "phone")
    page.goto(live_server + "/search?q=枫桥经验")
    link = page.locator("a.feed-link")
    expect(link).to_be_visible()
    expect(link).to_have_text("订阅")
    assert page.locator('head link[rel=alternate][type="application/atom+xml"]').get_attribute("href") == \
        link.get_attribute("href")
    assert fits(page)
    shot(page, "feed-link" if size == "1280" else "feed-link-360")
    answer = page.request.get(live_server + link.get_attribute("href"))
    assert answer.headers["content-type"].startswith("application/atom+xml")
    # One entry per report the page counts.
    entries = etree.fromstring(answer.body()).findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == int(page.locator(".count strong").nth(1).inner_text()) >= 1


def test_a_report_leads_to_its_issuers_timeline_and_the_rewrite_is_marked(desktop, years_server):
    desktop.goto(years_server + "/report/mx-2021")
    desktop.locator("a.timeline-link").click()
    expect(desktop.locator("h1")).to_have_text(f"{ISSUER} 历年报告")
    steps = desktop.locator("section.timeline-step")
    expect(steps).to_have_count(2)
    first = steps.first
    expect(first.locator(".step-counts")).to_contain_text("改写 1 段")
    first.locator(".step-rewritten-list summary").click()
    expect(first.locator("del.diff")).to_have_text("二")
    expect(first.locator("ins.diff")).to_have_text("五")
    first.locator(".step-new-list summary").click()
    expect(first.locator(".step-new-list")).to_contain_text(NEW_2021)
    shot(desktop, "timeline", full_page=True)
    # A new paragraph's link opens it in its report.
    first.locator(".step-new-list a").first.click()
    expect(desktop.locator("#p-3")).to_contain_text(NEW_2021)


def test_the_issuer_facet_leads_to_the_timeline_on_a_phone(phone, years_server):
    phone.goto(years_server + "/search?q=法治")
    filters = phone.locator("details.filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").first.click()
    phone.locator("section[aria-labelledby=facet-issuer] a.facet-timeline", has_text=ISSUER).click()
    expect(phone.locator("h1")).to_have_text(f"{ISSUER} 历年报告")
    phone.locator("section.timeline-step .step-rewritten-list summary").first.click()
    assert fits(phone), phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot(phone, "timeline-360", full_page=True)


@pytest.mark.parametrize("size", ["1280", "360"])
def test_a_cited_law_on_a_report_page_lists_the_reports_citing_it(request, live_server, engine, size):
    page = request.getfixturevalue("desktop" if size == "1280" else "phone")
    page.goto(live_server + f"/report/{CITING}")
    page.locator("aside.cited a.cited-filter", has_text=f"《{CIVIL_CODE}》").click()
    expect(page.locator("a.chip span").first).to_have_text(f"引用：{CIVIL_CODE}")
    citing = [row for row in engine.overview()["reports"] if CIVIL_CODE in engine.report(row["report_id"]).citations]
    assert hit_count(page) == sum(row["paragraphs"] for row in citing)
    filters = page.locator("details.filters")
    if filters.get_attribute("open") is None:
        filters.locator("summary").first.click()
    chosen = page.locator("section[aria-labelledby=facet-cites] a.facet-value.selected")
    expect(chosen.locator(".facet-name")).to_have_text(CIVIL_CODE)
    assert fits(page)
    if size == "360":
        chosen.scroll_into_view_if_needed()  # below the folded-open filters, where a phone shows it
    shot(page, "cited-filter" if size == "1280" else "cited-filter-360")
    # Its chip's × takes the filter off: every report again.
    page.locator("a.chip").first.click()
    expect(page.locator("a.chip")).to_have_count(0)
