"""Reading, citing, printing and downloading in a real Chromium (issue 25, items 7, 8 and 9, print and download)."""
import io
import re
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from docx import Document

from browsing import expect, open_context, shot

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

# 002 (罗店镇): a title the cleaner composed, and no recorded address (a text dump).
COMPOSED = "002_3e0c808a9c5a1d0f"


def fits(page):
    """Tell whether the page is no wider than the window (nothing scrolls sideways)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_compared_trends_fit_a_phone_and_compare_the_provinces_too(phone, live_server):
    phone.goto(live_server + "/trends?" + urlencode({"q": "法治", "vs": "枫桥经验"}))
    for table in phone.locator("details.chart-data").all():
        if table.get_attribute("open") is None:
            table.locator("summary").click()
    assert fits(phone), phone.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    shot(phone, "trends-compared-360", full_page=True)
    provinces = phone.locator("section[aria-labelledby=by-province]")
    expect(provinces.locator(".legend")).to_contain_text("枫桥经验")
    compact = provinces.locator("svg.rank-compact")
    assert compact.locator("rect.series-2").count() == compact.locator("rect.series-1").count() > 0
    assert "枫桥经验" in provinces.locator("thead").inner_text()


def test_a_composed_title_and_a_missing_source_are_cited_as_such(browser, live_server):
    page, console = open_context(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(live_server + f"/report/{COMPOSED}")
    page.locator(".para:not(.para-heading) a.cite-link").first.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("罗店镇人民政府. [系统生成标题]罗店镇2020年法治政府建设情况报告[EB/OL]")
    assert f"来源网址未记录，本站收录：{live_server}/report/{COMPOSED}#p-" in copied
    expect(page.locator(".report-citation")).to_contain_text("[系统生成标题]")
    page.context.close()
    assert console.problems() == []


def test_the_print_view_keeps_the_report_its_numbers_source_and_citation_and_drops_the_chrome(desktop, live_server):
    desktop.goto(live_server + f"/report/{COMPOSED}?q=法治")
    expect(desktop.locator("header.site")).to_be_visible()
    desktop.emulate_media(media="print")
    for chrome in ("header.site", "footer.site", "nav.outline", ".report-tools", ".cite-link", ".query-bar",
                   ".compare-other", ".skip-link"):
        assert all(not element.is_visible() for element in desktop.locator(chrome).all()), chrome
    expect(desktop.locator("#p-5 .pnum")).to_be_visible()
    expect(desktop.locator(".report-citation")).to_be_visible()
    expect(desktop.locator(".facts")).to_contain_text("来源网址未记录")
    expect(desktop.locator(".cited")).to_be_visible()
    desktop.set_viewport_size({"width": 794, "height": 1123})  # an A4 page at 96 dpi
    shot(desktop, "report-print", full_page=True)
    pdf = desktop.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_the_report_downloads_as_a_word_document(desktop, live_server):
    desktop.goto(live_server + f"/report/{COMPOSED}")
    shot(desktop, "report-tools")
    with desktop.expect_download() as download_info:
        desktop.get_by_role("link", name="下载 Word 文档").click()
    download = download_info.value
    assert download.suggested_filename == "罗店镇2020年法治政府建设情况报告.docx"
    document = Document(io.BytesIO(Path(download.path()).read_bytes()))
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert document.paragraphs[0].text == "罗店镇2020年法治政府建设情况报告"
    assert "[系统生成标题]" in text and "原文链接：来源网址未记录" in text
    assert f"引用本报告：罗店镇人民政府. [系统生成标题]罗店镇2020年法治政府建设情况报告[EB/OL]" in text
    assert "《中华人民共和国民法典》" in text


def test_the_compare_picker_lists_the_reports_the_query_does_not_find(desktop, live_server):
    left = "000_ef5e6d0c53c68148"
    desktop.goto(live_server + f"/report/{left}?q=枫桥经验")
    desktop.get_by_role("link", name="选择另一篇报告对比阅读").click()
    desktop.wait_for_load_state()
    matching = desktop.locator(".compare-matching li")
    others = desktop.locator(".compare-others li")
    total = len(desktop.request.get(live_server + "/api/search?q=%E6%9E%AB%E6%A1%A5%E7%BB%8F%E9%AA%8C").json()["hits"])
    assert total > 0
    # Every other report of the corpus is offered, those holding the query first.
    assert matching.count() + others.count() + desktop.locator(".compare-related li").count() == 4
    expect(desktop.locator(".compare-others")).to_contain_text("不含检索词")
    shot(desktop, "compare-picker", full_page=True)
    others.first.locator("a").click()
    desktop.wait_for_load_state()
    query = parse_qs(urlsplit(desktop.url).query)
    assert query["a"] == [left] and query["b"][0] != left and query["q"] == ["枫桥经验"]
    expect(desktop.locator(".compare-section").first).to_be_visible()


def test_on_a_phone_the_report_offers_its_document_and_prints_without_chrome(phone, live_server):
    phone.goto(live_server + f"/report/{COMPOSED}")
    expect(phone.get_by_role("link", name="下载 Word 文档")).to_be_visible()
    assert fits(phone)
    shot(phone, "report-tools-360")
    phone.emulate_media(media="print")
    expect(phone.locator("header.site")).to_be_hidden()
    expect(phone.locator(".report-citation")).to_be_visible()
    assert fits(phone)
    shot(phone, "report-print-360", full_page=True)
