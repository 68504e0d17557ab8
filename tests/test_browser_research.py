"""A researcher's walk in a real Chromium: the advanced form, a citation, related reports side by side, trend shares."""
import shutil
from pathlib import Path

import pytest

from indexer.index.build import rebuild

from browsing import expect, hit_count, open_context, shot
from conftest import SEED_FILES, serving

# A real Chromium against a live server: run by make test, not make test-fast.
pytestmark = pytest.mark.browser

PAGES = Path(__file__).resolve().parent / "fixtures" / "pages"


@pytest.fixture(scope="module")
def research_server(tmp_path_factory):
    """A live server over the seeds and two years of 诸暨市's reports."""
    raw = tmp_path_factory.mktemp("research-walk") / "corpus" / "raw"
    raw.mkdir(parents=True)
    for page in [*SEED_FILES, PAGES / "zhuji_2022.txt", PAGES / "zhuji_2023.txt"]:
        shutil.copy(page, raw / page.name)
    index = raw.parent.parent / "index"
    rebuild(raw.parent, index, warn=lambda message: None)
    with serving(index) as url:
        yield url


def hits(page):
    """Return the paragraph links of every hit of a results page."""
    return page.locator(".hit a.para-link").evaluate_all("links => links.map(a => a.getAttribute('href'))")


def test_the_advanced_form_runs_what_the_typed_syntax_runs(desktop, research_server):
    desktop.goto(research_server + "/")
    desktop.get_by_role("link", name="高级检索").click()
    desktop.fill("#adv-phrase", "法治政府")
    desktop.fill("#adv-none", "疫情")
    desktop.check("input[name=level_in][value=乡镇]")
    desktop.fill("input[name=year_from]", "2020")
    desktop.fill("input[name=year_to]", "2023")
    shot(desktop, "advanced-form")
    desktop.get_by_role("button", name="检索").last.click()
    desktop.wait_for_load_state()
    syntax = desktop.locator("#q").input_value()
    assert syntax == '"法治政府" -疫情 level:乡镇 year:2020-2023'
    from_form = (hit_count(desktop), hits(desktop))
    assert from_form[0] > 0
    desktop.goto(research_server + "/search?q=" + syntax)
    assert (hit_count(desktop), hits(desktop)) == from_form
    # The query can go back into the form to be edited.
    desktop.get_by_role("link", name="在高级检索中修改").click()
    expect(desktop.locator("#adv-phrase")).to_have_value("法治政府")
    expect(desktop.locator("input[name=level_in][value=乡镇]")).to_be_checked()


def test_copy_citation_puts_it_on_the_clipboard_and_shows_it_without_javascript(browser, research_server):
    page, console = open_context(browser)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(research_server + "/report/zhuji_2022")
    link = page.locator("#p-4 a.cite-link")
    link.click()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("诸暨市人民政府. 诸暨市人民政府关于2022年度法治政府建设情况的报告[EB/OL].")
    assert copied.endswith("#p-4. 第4段.")
    expect(page.locator("#cite-4")).to_be_visible()
    page.context.close()
    assert console.problems() == []
    plain, _console = open_context(browser, java_script_enabled=False)
    plain.goto(research_server + "/report/zhuji_2022")
    expect(plain.locator("#cite-4")).to_be_hidden()
    plain.locator("#p-4 a.cite-link").click()
    expect(plain.locator("#cite-4")).to_be_visible()
    expect(plain.locator("#cite-4")).to_contain_text(copied)
    plain.context.close()


def test_a_report_opens_its_other_year_side_by_side(desktop, research_server):
    desktop.goto(research_server + "/report/zhuji_2022")
    related = desktop.locator(".related")
    expect(related).to_contain_text("同一发布机关的其他年度")
    related.get_by_role("link", name="对比阅读").first.click()
    desktop.wait_for_load_state()
    problems = desktop.locator(".compare-section", has=desktop.locator("h2", has_text="存在问题"))
    expect(problems.locator(".compare-left")).to_contain_text("执法力量与任务还不完全匹配")
    expect(problems.locator(".compare-right")).to_contain_text("合法性审查力量薄弱")
    left, right = problems.locator(".compare-left").bounding_box(), problems.locator(".compare-right").bounding_box()
    assert left["x"] + left["width"] <= right["x"] and abs(left["y"] - right["y"]) < 2  # side by side
    shot(desktop, "compare-desktop", full_page=True)


def test_side_by_side_stacks_on_a_phone(phone, research_server):
    phone.goto(research_server + "/compare?a=zhuji_2022&b=zhuji_2023&q=法律顾问")
    problems = phone.locator(".compare-section", has=phone.locator("h2", has_text="存在问题"))
    left, right = problems.locator(".compare-left").bounding_box(), problems.locator(".compare-right").bounding_box()
    assert right["y"] >= left["y"] + left["height"] - 1  # one above the other
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "compare-360", full_page=True)


def test_trends_show_shares_with_their_denominators(desktop, research_server):
    desktop.goto(research_server + "/trends?q=枫桥经验")
    expect(desktop.locator("#chart-year-shares")).to_have_text("提及的报告占当年报告的比例")
    table = desktop.locator(".trend").first.locator(".chart-data table")
    expect(table.locator("thead")).to_contain_text("当年报告（分母）")
    expect(table.locator("tbody tr", has_text="2020")).to_contain_text("66.7%")
    desktop.fill("#vs", "网格化")
    desktop.get_by_role("button", name="对比").click()
    desktop.wait_for_load_state()
    expect(desktop.locator(".trend").first.locator(".legend")).to_contain_text("网格化")
    assert desktop.locator(".column-chart .bar.series-2").count() > 0
    shot(desktop, "trends-shares", full_page=True)
