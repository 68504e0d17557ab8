"""The scraper against a real local web site: pages, sidecars, politeness, safety, resuming."""
import json
import threading
import time
from contextlib import contextmanager
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indexer.clean.rawfile import clean_file
from indexer.fetch.scrape import Scraper, page_stem, read_url_file

from conftest import SEED_FILES, run_module

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).parent / "fixtures" / "html"
UTF8_PAGE = (FIXTURES / "trs_guideline.html").read_bytes()
GBK_PAGE = (FIXTURES / "hanweb_gb2312.html").read_bytes()
# The same GBK page with its <meta> charset removed: only the HTTP header names the encoding.
GBK_PAGE_NO_META = GBK_PAGE.replace(b"charset=gb2312", b"")
TEXT_REPORT = SEED_FILES[3].read_bytes()

DELAY, TIMEOUT, MAX_BYTES = 0.15, 0.5, 20_000
SLOW_SECONDS = 1.5  # the slow page answers after this: beyond TIMEOUT
BIG_BYTES = 50_000  # beyond MAX_BYTES


class Site:
    """A local web site serving fixture pages and recording every request it receives."""

    def __init__(self, robots_status=200, robots=b"User-agent: *\nDisallow: /private/\n"):
        self.robots_status, self.robots = robots_status, robots
        self.requests = []  # (time.monotonic(), path) in arrival order
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.base = f"http://127.0.0.1:{self.server.server_port}"

    def url(self, path):
        """Return the absolute URL of a path on this site."""
        return self.base + path

    def count(self, path):
        """Return how many requests the site received for a path."""
        return sum(1 for _, seen in self.requests if seen == path)

    def handler_class(self):
        """Return the request handler class bound to this site."""
        site = self

        class Handler(BaseHTTPRequestHandler):
            """Answers GET requests from the routes below."""

            def do_GET(self):
                """Record the request, then answer it."""
                with site.lock:
                    site.requests.append((time.monotonic(), self.path))
                    earlier = site.count(self.path) - 1
                try:
                    site.answer(self, self.path, earlier)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the scraper hung up on a slow or oversized page, as it should

            def log_message(self, *args):
                """Keep the test output quiet."""

        return Handler

    def answer(self, handler, path, earlier):
        """Send the response for a path; earlier is how many times it was asked before."""
        send = lambda status, body=b"", **headers: respond(handler, status, body, headers)
        if path == "/robots.txt":
            send(self.robots_status, self.robots, content_type="text/plain")
        elif path == "/utf8.html":
            send(200, UTF8_PAGE, content_type="text/html; charset=utf-8")
        elif path == "/gbk-meta.html":
            send(200, GBK_PAGE, content_type="text/html")
        elif path == "/gbk-header.html":
            send(200, GBK_PAGE_NO_META, content_type="text/html; charset=GBK")
        elif path == "/report.txt":
            send(200, TEXT_REPORT, content_type="text/plain; charset=utf-8")
        elif path == "/report.pdf":
            send(200, b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", content_type="application/pdf")
        elif path == "/moved":
            send(302, location="/utf8.html")
        elif path == "/to-ftp":
            send(302, location="ftp://127.0.0.1/report.html")
        elif path == "/to-file":
            send(301, location="file:///etc/passwd")
        elif path == "/loop":
            send(302, location="/loop")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            send(200, UTF8_PAGE, content_type="text/html; charset=utf-8")
        elif path == "/big":
            send(200, b"<p>" + b"x" * BIG_BYTES, content_type="text/html")
        elif path == "/big-stream":
            # No Content-Length: the size is only known by reading, so the cap must stop it.
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.end_headers()
            for _ in range(BIG_BYTES // 1000):
                handler.wfile.write(b"<p>" + b"y" * 997)
        elif path == "/flaky":
            if earlier == 0:
                send(503, b"busy", content_type="text/plain")
            else:
                send(200, UTF8_PAGE, content_type="text/html; charset=utf-8")
        else:
            send(404, b"not found", content_type="text/plain")


def respond(handler, status, body, headers):
    """Send a complete response with a Content-Length."""
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name.replace("_", "-").title(), value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@contextmanager
def serving(served):
    """Run a site's server in a thread for the duration of the block."""
    thread = threading.Thread(target=served.server.serve_forever, daemon=True)
    thread.start()
    try:
        yield served
    finally:
        served.server.shutdown()
        served.server.server_close()


@pytest.fixture(scope="module")
def site():
    """A running local site for the tests of this module."""
    with serving(Site()) as served:
        yield served


PATHS = ["/utf8.html", "/gbk-meta.html", "/gbk-header.html", "/report.txt", "/moved", "/to-ftp",
         "/to-file", "/loop", "/missing", "/slow", "/big", "/big-stream", "/flaky",
         "/private/report.html", "/report.pdf"]
FETCHED = ["/utf8.html", "/gbk-meta.html", "/gbk-header.html", "/report.txt", "/moved", "/flaky"]


def scraper(out):
    """A scraper with short delay, timeout and size cap, as the tests need."""
    return Scraper(out, delay=DELAY, timeout=TIMEOUT, max_bytes=MAX_BYTES, retries=1, backoff=0.05)


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory):
    """Scrape every fixture URL once; return (output folder, printed lines, summary, requests before)."""
    out = tmp_path_factory.mktemp("raw")
    lines = []
    summary = scraper(out).run([site.url(path) for path in PATHS], show=lines.append)
    return out, lines, summary, len(site.requests)


def sidecar(out, url):
    """Return the sidecar record written for a URL."""
    return json.loads((out / (page_stem(url) + ".meta.json")).read_text(encoding="utf-8"))


def line_for(lines, url):
    """Return the printed line about a URL."""
    (line,) = [line for line in lines if line.split(" ")[1].rstrip(":") == url]
    return line


def test_one_line_per_url_and_summary(first_run):
    out, lines, summary, _ = first_run
    assert len(lines) == len(PATHS)
    assert (summary.count("fetched"), summary.count("skipped"), summary.count("failed")) == (6, 4, 5)
    assert summary.line(out).startswith("15 URLs in ") and "6 fetched, 4 skipped, 5 failed" in summary.line(out)


def test_utf8_page_and_its_sidecar(site, first_run):
    out, lines, _, _ = first_run
    url = site.url("/utf8.html")
    page = out / (page_stem(url) + ".html")
    assert page.name.startswith("127.0.0.1_") and page.read_bytes() == UTF8_PAGE
    record = sidecar(out, url)
    assert record["url"] == record["final_url"] == url and record["status"] == 200
    assert record["content_type"] == "text/html; charset=utf-8"
    assert (record["declared_encoding"], record["detected_encoding"]) == ("utf-8", "utf-8")
    assert datetime.fromisoformat(record["fetched_at"]).tzinfo is not None
    assert line_for(lines, url).startswith(f"fetched {url} -> {page.name}")


def test_gbk_pages_with_charset_in_meta_or_only_in_header(site, first_run):
    out, _, _, _ = first_run
    meta, header = sidecar(out, site.url("/gbk-meta.html")), sidecar(out, site.url("/gbk-header.html"))
    assert (meta["declared_encoding"], meta["detected_encoding"]) == (None, "gb18030")
    assert (header["declared_encoding"], header["detected_encoding"]) == ("GBK", "gb18030")
    report = clean_file(out / header["file"])
    assert report.title == "关于2023年法治政府建设有关情况的报告"
    assert report.source["url"] == site.url("/gbk-header.html")
    assert any("镇党委书记王喆" in p.text for p in report.paragraphs)


def test_plain_text_is_saved_as_txt(site, first_run):
    out, _, _, _ = first_run
    record = sidecar(out, site.url("/report.txt"))
    assert record["file"].endswith(".txt") and (out / record["file"]).read_bytes() == TEXT_REPORT


def test_redirect_followed_and_recorded(site, first_run):
    out, _, _, _ = first_run
    record = sidecar(out, site.url("/moved"))
    assert record["url"] == site.url("/moved") and record["final_url"] == site.url("/utf8.html")
    assert (out / record["file"]).read_bytes() == UTF8_PAGE


@pytest.mark.parametrize("path, reason", [
    ("/to-ftp", "to ftp://127.0.0.1/report.html refused: scheme 'ftp' is not http or https"),
    ("/to-file", "to file:///etc/passwd refused: scheme 'file' is not http or https"),
    ("/loop", "more than 5 redirects"),
    ("/missing", "HTTP 404"),
    ("/slow", "timed out after 0.5 s (2 attempts)"),
])
def test_failures_say_why_and_leave_no_files(site, first_run, path, reason):
    out, lines, _, _ = first_run
    url = site.url(path)
    line = line_for(lines, url)
    assert line.startswith(f"failed {url}: ") and reason in line
    assert not list(out.glob(page_stem(url) + "*"))


def test_slow_page_was_retried_once(site, first_run):
    assert site.count("/slow") == 2


@pytest.mark.parametrize("path, reason", [
    ("/big", f"larger than {MAX_BYTES} bytes"),
    ("/big-stream", f"larger than {MAX_BYTES} bytes"),
    ("/report.pdf", "not a web page (application/pdf)"),
])
def test_oversized_and_non_pages_are_skipped_and_recorded(site, first_run, path, reason):
    out, lines, _, _ = first_run
    url = site.url(path)
    assert line_for(lines, url) == f"skipped {url}: {reason}"
    assert sidecar(out, url)["skipped"] == reason
    assert not list(out.glob(page_stem(url) + ".html"))


def test_server_error_is_retried_until_it_succeeds(site, first_run):
    out, lines, _, _ = first_run
    assert site.count("/flaky") == 2 and line_for(lines, site.url("/flaky")).startswith("fetched")


def test_robots_txt_read_once_and_obeyed(site, first_run):
    _, lines, _, _ = first_run
    url = site.url("/private/report.html")
    assert line_for(lines, url) == f"skipped {url}: disallowed by robots.txt"
    assert site.count("/private/report.html") == 0
    assert site.count("/robots.txt") == 1


def test_requests_to_one_host_are_spaced_by_the_delay(first_run, site):
    _, _, _, before = first_run
    arrivals = [moment for moment, _ in site.requests[:before]]
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert len(gaps) > 15 and min(gaps) >= DELAY


def test_second_run_fetches_nothing_already_fetched(site, first_run):
    out, _, _, _ = first_run
    before, lines = len(site.requests), []
    scraper(out).run([site.url(path) for path in FETCHED + ["/big", "/report.pdf"]], show=lines.append)
    for path in FETCHED:
        url = site.url(path)
        assert line_for(lines, url) == (f"skipped {url}: already fetched"
                                        f" ({page_stem(url)}.meta.json exists)")
    url = site.url("/big")
    assert line_for(lines, url) == f"skipped {url}: skipped earlier: larger than {MAX_BYTES} bytes"
    assert len(site.requests) == before  # not even robots.txt was asked again


def test_site_whose_robots_txt_is_down_is_left_alone(tmp_path):
    with serving(Site(robots_status=500)) as down:
        lines = []
        summary = scraper(tmp_path).run([down.url("/utf8.html"), down.url("/report.txt")],
                                        show=lines.append)
        assert summary.all_failed() and down.count("/utf8.html") == down.count("/report.txt") == 0
        assert "robots.txt of " + down.base + " unreadable (HTTP 500)" in lines[0]
        assert down.count("/robots.txt") == 2  # one retry, then never again for this host


@pytest.mark.parametrize("status, state", [(404, "fetched"), (403, "skipped")])
def test_missing_robots_txt_allows_and_forbidden_one_disallows(tmp_path, status, state):
    with serving(Site(robots_status=status, robots=b"")) as host:
        summary = Scraper(tmp_path, delay=0, timeout=TIMEOUT).run([host.url("/utf8.html")],
                                                                 show=lambda line: None)
        assert summary.count(state) == 1 and host.count("/utf8.html") == (state == "fetched")


def test_crawl_delay_of_robots_txt_is_honoured(tmp_path):
    with serving(Site(robots=b"User-agent: *\nCrawl-delay: 1\n")) as slow_host:
        Scraper(tmp_path, delay=0, timeout=TIMEOUT, retries=0).run(
            [slow_host.url("/utf8.html"), slow_host.url("/report.txt")], show=lambda line: None)
        arrivals = [moment for moment, _ in slow_host.requests]
        assert len(arrivals) == 3 and min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 1.0


def test_only_http_and_https_urls_are_fetched(tmp_path):
    lines = []
    summary = scraper(tmp_path).run(["ftp://example.com/report.html", "file:///etc/passwd"],
                                    show=lines.append)
    assert summary.all_failed()
    assert lines == ["failed ftp://example.com/report.html: URL ftp://example.com/report.html refused:"
                     " scheme 'ftp' is not http or https",
                     "failed file:///etc/passwd: URL file:///etc/passwd refused: scheme 'file' is not http or https"]


def test_url_file_allows_comments_blank_lines_and_repeats(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# 湘桥区\n\nhttp://a.gov.cn/1.html\n  http://a.gov.cn/1.html#top \nhttps://b.gov.cn/2\n")
    assert read_url_file(listing) == ["http://a.gov.cn/1.html", "https://b.gov.cn/2"]


def test_cli_scrape_prints_lines_and_summary(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# two pages and a missing one\n{site.url('/utf8.html')}\n\n"
                       f"{site.url('/report.txt')}\n{site.url('/missing')}\n")
    done = run_module("indexer", "scrape", str(listing), "--out", str(tmp_path / "raw"),
                      "--delay", "0", "--timeout", "5", "--max-bytes", str(MAX_BYTES))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(" ")[0] for line in lines[:3]] == ["fetched", "fetched", "failed"]
    assert "3 URLs in" in lines[3] and "2 fetched, 0 skipped, 1 failed" in lines[3]
    assert len(list((tmp_path / "raw").glob("*.meta.json"))) == 2


def test_cli_scrape_defaults_to_corpus_raw_and_fails_when_all_fail(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(site.url("/missing") + "\n")
    done = run_module("indexer", "scrape", str(listing), "--delay", "0",
                      env={"CORPUS_DIR": str(tmp_path / "corpus")})
    assert done.returncode == 1 and "1 failed" in done.stdout
    assert str(tmp_path / "corpus" / "raw") in done.stdout


@pytest.mark.parametrize("args, message", [
    (["no-such-list.txt"], "cannot read URL list no-such-list.txt"),
    (["LIST", "--timeout", "-1"], "must be at least 0.1"),
    (["EMPTY"], "no URLs in"),
])
def test_cli_scrape_bad_input_is_named_without_traceback(tmp_path, args, message):
    (tmp_path / "list.txt").write_text("http://127.0.0.1:9/x\n")
    (tmp_path / "empty.txt").write_text("# nothing yet\n")
    names = {"LIST": str(tmp_path / "list.txt"), "EMPTY": str(tmp_path / "empty.txt")}
    done = run_module("indexer", "scrape", *[names.get(arg, arg) for arg in args])
    assert done.returncode != 0 and message in done.stderr and "Traceback" not in done.stderr
