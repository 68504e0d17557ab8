"""Helpers of the browser tests: Debian's Chromium driven by Playwright, pages and their console."""
import re
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# Headless and quiet: no sandbox (containers run as root), no GPU, nothing fetched in the background.
LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
               "--no-first-run", "--disable-sync", "--disable-quic"]
SCREENSHOTS = Path(__file__).resolve().parent / "output" / "screenshots"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


def expect(target, *args, **kwargs):
    """Playwright's expect(), imported on first use: the fast tier collects the browser modules without running them."""
    from playwright.sync_api import expect as playwright_expect
    return playwright_expect(target, *args, **kwargs)


class Console:
    """Console messages and page errors of one browser context."""

    def __init__(self):
        self.messages = []

    def record(self, kind, text):
        """Keep one message with its kind."""
        self.messages.append((kind, text))

    def problems(self):
        """Return the errors, warnings and CSP reports seen so far."""
        return [text for kind, text in self.messages
                if kind in ("error", "warning", "pageerror") or "Content Security Policy" in text]


def open_context(browser, viewport=DESKTOP, **options):
    """Return a new page in a fresh context, and the Console recording its messages."""
    context = browser.new_context(viewport=viewport, locale="zh-CN", accept_downloads=True, **options)
    page = context.new_page()
    console = Console()
    page.on("console", lambda message: console.record(message.type, message.text))
    page.on("pageerror", lambda error: console.record("pageerror", str(error)))
    return page, console


def search(page, server, query, scope=None):
    """Type a query into the home page's search box as a person would, optionally choosing 标题, and submit it."""
    page.goto(server + "/")
    page.fill("#q", query)
    if scope:
        page.check(f"input[name=scope][value={scope}]")
    page.press("#q", "Enter")
    page.wait_for_load_state()


def hit_count(page):
    """Return the number of paragraphs the results page says it found."""
    return int(page.locator(".count strong").first.inner_text())


def read_counts(text):
    """Return (reports, paragraphs) of a sidebar count as it reads, e.g. 「12 篇 · 30 段」."""
    found = re.fullmatch(r"(\d+) 篇 · (\d+) 段", text.strip())
    assert found, f"a facet count reads {text!r}, not 「N 篇 · M 段」"
    return int(found.group(1)), int(found.group(2))


def facet_counts(page):
    """Return the sidebar's paragraph counts as {value: count}, those folded under 更多 included (their text,
    though hidden)."""
    names = page.locator(".facet-value .facet-name").all_text_contents()
    counts = page.locator(".facet-value .facet-count").all_text_contents()
    return {name: read_counts(count)[1] for name, count in zip(names, counts)}


def shot(page, name, full_page=False):
    """Save a screenshot of the page under tests/output/screenshots/."""
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=full_page)
