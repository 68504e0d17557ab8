"""The web UI in a real browser: Debian's Chromium driven by Playwright against a live server."""
import csv
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from indexer.index.build import rebuild

from browsing import expect, facet_counts, hit_count, open_context, shot
from conftest import serving

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

def test_search_to_the_highlighted_paragraph(desktop, live_server):
    desktop.goto(live_server + "/")
    desktop.fill("#q", "枫桥经验")
    desktop.press("#q", "Enter")
    expect(desktop.locator(".hit")).to_have_count(3)
    assert hit_count(desktop) == 3
    expect(desktop.locator(".hit .snippet mark").first).to_have_text("枫桥经验")
    shot(desktop, "search")

    link = desktop.get_by_role("link", name=re.compile("查看原文段落")).nth(1)
    fragment = urlsplit(link.get_attribute("href")).fragment
    link.click()
    desktop.wait_for_load_state()
    assert urlsplit(desktop.url).fragment == fragment
    assert parse_qs(urlsplit(desktop.url).query)["q"] == ["枫桥经验"]
    target = desktop.locator(":target")
    expect(target).to_have_attribute("id", fragment)
    expect(target).to_be_in_viewport()
    assert target.locator("mark").count() >= 1
    background = "element => getComputedStyle(element).backgroundColor"
    other = desktop.locator(f"p.para:not(#{fragment})").first
    assert target.evaluate(background) != other.evaluate(background)
    shot(desktop, "report")


def test_facet_narrows_the_hits_and_its_chip_restores_them(desktop, live_server):
    desktop.goto(live_server + "/search?q=法治")
    total, counts = hit_count(desktop), facet_counts(desktop)
    desktop.locator("section[aria-labelledby=facet-province] .facet-value", has_text="广东省").click()
    desktop.wait_for_load_state()
    assert "province=" in desktop.url
    narrowed = hit_count(desktop)
    assert narrowed == counts["广东省"] < total
    assert facet_counts(desktop) != counts  # the year and section counts now apply the province
    expect(desktop.locator(".chip")).to_have_count(1)
    expect(desktop.locator(".chip")).to_contain_text("省：广东省")

    desktop.locator(".chip").click()
    desktop.wait_for_load_state()
    assert hit_count(desktop) == total and facet_counts(desktop) == counts
    expect(desktop.locator(".chip")).to_have_count(0)

    desktop.go_back()  # the filtered search is a real page in the history
    assert hit_count(desktop) == narrowed


def test_csv_export_downloads_every_hit(desktop, live_server):
    desktop.goto(live_server + "/search?q=法治")
    total = desktop.request.get(live_server + "/api/search?q=法治").json()["total"]
    assert total > 20  # more than one page, so the export must not be just the page
    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv") and "法治" in download.suggested_filename
    data = Path(download.path()).read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert len(rows) == total
    assert all("法治" in row["段落文本"] for row in rows)
    assert rows[0]["段落链接"].startswith(live_server + "/report/")


def test_excel_export_downloads_a_workbook_of_every_hit(desktop, live_server):
    import openpyxl
    desktop.goto(live_server + "/search?q=法治")
    total = desktop.request.get(live_server + "/api/search?q=法治").json()["total"]
    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="Excel").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx") and "法治" in download.suggested_filename
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("报告标题", "标题为系统生成", "省份") and len(rows) - 1 == total


def test_trends_bars_link_to_the_filtered_search(desktop, live_server):
    desktop.goto(live_server + "/search?q=法治")
    desktop.get_by_role("link", name="趋势").click()
    desktop.wait_for_load_state()
    expect(desktop.locator("svg .bar rect").first).to_be_visible()
    expect(desktop.locator(".rank-chart:visible")).to_have_count(1)
    expect(desktop.locator(".rank-wide")).to_be_visible()
    shot(desktop, "trends", full_page=True)
    bar = desktop.locator("#chart-year-paragraphs").locator("xpath=..").locator("a[aria-label^='2020']")
    paragraphs = int(re.search(r"(\d+) 段", bar.get_attribute("aria-label")).group(1))
    bar.click()
    desktop.wait_for_load_state()
    assert parse_qs(urlsplit(desktop.url).query)["year"] == ["2020"]
    assert hit_count(desktop) == paragraphs


def test_phone_width_has_no_horizontal_scroll(phone, live_server):
    pages = {"search-360": "/search?q=法治", "report-360": "/report/001_3803b543c87d1562?q=法治#p-5",
             "trends-360": "/trends?q=法治", "corpus-360": "/corpus", "home-360": "/"}
    for name, path in pages.items():
        phone.goto(live_server + path)
        width = phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{path} scrolls sideways at 360 px: {width}"
        shot(phone, name, full_page=name == "trends-360")
    expect(phone.locator(".rank-chart:visible")).to_have_count(0)  # the corpus page has none
    phone.goto(live_server + "/trends?q=法治")
    expect(phone.locator(".rank-chart:visible")).to_have_count(1)
    expect(phone.locator(".rank-compact")).to_be_visible()


def test_phone_folds_the_facets_above_the_results(phone, live_server):
    phone.goto(live_server + "/search?q=法治")
    filters = phone.locator("details.filters")
    expect(filters).not_to_have_attribute("open", "")
    hits_top = phone.locator(".hits").bounding_box()["y"]
    assert filters.bounding_box()["y"] < hits_top
    phone.locator("details.filters > summary").click()
    expect(phone.locator(".facet-value").first).to_be_visible()


def test_keyboard_reaches_the_search_box_and_a_hit(desktop, live_server):
    desktop.goto(live_server + "/search?q=枫桥经验")
    desktop.keyboard.press("Tab")
    assert desktop.evaluate("document.activeElement.className") == "skip-link"
    reached = []
    # The sidebar's values come first (the skip link jumps them); a hit is within this many stops.
    for _ in range(80):
        desktop.keyboard.press("Tab")
        reached.append(desktop.evaluate(
            "[document.activeElement.id, document.activeElement.className, "
            "getComputedStyle(document.activeElement).outlineStyle]"))
    ids = [r[0] for r in reached]
    classes = [r[1] for r in reached]
    assert "q" in ids
    assert "para-link" in classes
    link_outline = next(r[2] for r in reached if r[1] == "para-link")
    assert link_outline != "none"  # the focus is visible


def test_skip_link_moves_to_the_content(desktop, live_server):
    desktop.goto(live_server + "/search?q=枫桥经验")
    desktop.keyboard.press("Tab")
    desktop.keyboard.press("Enter")
    assert desktop.evaluate("document.activeElement.id") == "main"


def test_pages_work_without_javascript(browser, live_server):
    page, console = open_context(browser, java_script_enabled=False)
    page.goto(live_server + "/")
    page.fill("#q", "法治")
    page.press("#q", "Enter")
    total = hit_count(page)
    page.locator("section[aria-labelledby=facet-year] .facet-value", has_text="2020").click()
    assert hit_count(page) < total
    page.get_by_role("link", name="2", exact=True).click()
    assert parse_qs(urlsplit(page.url).query)["page"] == ["2"]
    expect(page.locator(".pager [aria-current=page]")).to_have_text("2")
    page.context.close()
    assert console.problems() == []


def test_paragraph_number_copies_its_link(browser, live_server):
    page, console = open_context(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server + "/report/000_ef5e6d0c53c68148")
    page.locator("#p-28 .pnum").click()
    assert page.url.endswith("#p-28")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == live_server + "/report/000_ef5e6d0c53c68148#p-28"
    page.context.close()
    assert console.problems() == []


def test_no_console_errors_or_csp_violations_anywhere(browser, live_server):
    page, console = open_context(browser)
    for path in ["/", "/search?q=枫桥经验", "/search?q=法治&province=广东省&sort=newest", "/search?q=不存在的词语xyz",
                 "/search?q=街道&scope=title", "/search?q=法治&group=report&sort=oldest", "/trends?q=法治",
                 "/report/001_3803b543c87d1562?q=法治#p-5",
                 "/corpus"]:
        page.goto(live_server + path)
        page.wait_for_load_state("load")
    page.goto(live_server + "/report/none-such")
    expect(page.locator("h1")).to_have_text("页面不存在")
    page.context.close()
    csp = [text for _, text in console.messages if "Content Security Policy" in text]
    assert csp == []
    # The 404 page's own status is the one error the browser may log.
    assert [p for p in console.problems() if "404" not in p] == []


HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "hostile_report.txt"


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    """A live server over an index of a report whose text, title and issuer carry markup and script."""
    corpus = tmp_path_factory.mktemp("hostile") / "corpus"
    (corpus / "raw").mkdir(parents=True)
    (corpus / "raw" / HOSTILE.name).write_bytes(HOSTILE.read_bytes())
    index = corpus.parent / "index"
    rebuild(corpus, index, warn=lambda message: None)
    with serving(index) as url:
        yield url


def test_markup_from_a_hostile_report_is_shown_as_text_everywhere(desktop, hostile_server):
    dialogs = []
    desktop.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    report = f"/report/{HOSTILE.stem}"
    for path in ["/search?q=alert", "/search?q=alert&group=report", "/search?q=枫桥经验&section=成效举措", "/trends?q=alert",
                 "/corpus", f"{report}?q=alert#p-2", "/search?q=<script>alert('q')</script>"]:
        desktop.goto(hostile_server + path)
        desktop.wait_for_timeout(200)
        # No element the page text tried to create exists, and no script ran.
        assert desktop.locator("main img, main svg[onload], main [onerror], main [onload]").count() == 0, path
        assert desktop.locator("main a[href^='javascript:']").count() == 0, path
        assert desktop.locator("script:not([src])").count() == 0, path
    assert dialogs == []
    desktop.goto(hostile_server + report)
    text = desktop.locator("main").inner_text()
    assert '<script>alert("body")</script>' in text and '<img src=x onerror=alert("title")>' in text
    assert "{{ 7*7 }}" in text and "49" not in text
