"""`scrape URLS_FILE` (the Scrapy fetcher) against a real local web site: pages, sidecars, politeness, safety, resuming.

Every run goes through the command line in a subprocess, as a user runs it: Twisted's
reactor, under Scrapy, starts once per process.
"""
import json
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from indexer.clean.rawfile import BadPage, clean_file
from indexer.fetch.pages import page_stem

from conftest import SEED_FILES, run_module

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "sites"))
from serve import LoggedSite, running as serving, send as send_page  # noqa: E402  (the test sites' logging server)

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
TRICKLE_SECONDS = 0.1  # the trickled page sends a byte this often: every read is quick, the whole is not
TRICKLE_BYTES = 200  # the trickled page's length: all of it takes 20 s


class Site(LoggedSite):
    """A local web site serving fixture pages and recording every request it receives."""

    def __init__(self, robots_status=200, robots=b"User-agent: *\nDisallow: /private/\n"):
        self.robots_status, self.robots = robots_status, robots
        self.trickled = 0  # bytes of the trickled page sent so far
        super().__init__()

    def answer(self, handler, path, earlier):
        """Send the response for a path; earlier is how many times it was asked before."""
        send = lambda status, body=b"", **headers: send_page(
            handler, status, body, {name.replace("_", "-").title(): value for name, value in headers.items()})
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
        elif path == "/chart.png":
            send(200, b"\x89PNG\r\n\x1a\n", content_type="image/png")
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
        elif path == "/trickle":
            # Each byte comes well within TIMEOUT; the whole page would take 20 s.
            handler.send_response(200)
            handler.send_header("Content-Type", "text/html")
            handler.send_header("Content-Length", str(TRICKLE_BYTES))
            handler.end_headers()
            for _ in range(TRICKLE_BYTES):
                handler.wfile.write(b"x")
                handler.wfile.flush()
                self.trickled += 1
                time.sleep(TRICKLE_SECONDS)
        elif path == "/bad-length":
            send_raw(handler, b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: abc\r\n\r\n<p>x</p>")
        else:
            send(404, b"not found", content_type="text/plain")


def send_raw(handler, data):
    """Send bytes as they are, whatever HTTP makes of them, and close the connection."""
    handler.wfile.write(data)
    handler.close_connection = True


@pytest.fixture(scope="module")
def site():
    """A running local site for the tests of this module."""
    with serving(Site()) as served:
        yield served


PATHS = ["/utf8.html", "/gbk-meta.html", "/gbk-header.html", "/report.txt", "/moved", "/to-ftp",
         "/to-file", "/loop", "/missing", "/slow", "/big", "/big-stream", "/flaky",
         "/private/report.html", "/report.pdf", "/chart.png"]
FETCHED = ["/utf8.html", "/gbk-meta.html", "/gbk-header.html", "/report.txt", "/moved", "/flaky", "/report.pdf"]


def scrape(folder, urls, *options, delay=DELAY, timeout=TIMEOUT, retries=1, env=None):
    """Run `python -m indexer scrape` on urls into folder/raw; return the finished process."""
    listing = folder / "urls.txt"
    listing.write_text("".join(url + "\n" for url in urls), encoding="utf-8")
    return run_module("indexer", "scrape", str(listing), "--out", str(folder / "raw"), "--delay", str(delay),
                      "--timeout", str(timeout), "--max-bytes", str(MAX_BYTES), "--retries", str(retries),
                      *options, env=env)


@pytest.fixture(scope="module")
def first_run(site, tmp_path_factory):
    """Scrape every fixture URL once; return (output folder, printed lines, summary line, requests before)."""
    folder = tmp_path_factory.mktemp("scrape")
    done = scrape(folder, [site.url(path) for path in PATHS])
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    return folder / "raw", lines[:-1], lines[-1], len(site.requests)


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
    assert summary.startswith("16 URLs in ") and summary.endswith(f"; pages in {out}")
    assert "7 fetched, 4 skipped (" in summary and "), 5 failed (" in summary
    assert "2 larger than 20000 bytes" in summary and "1 disallowed by robots.txt" in summary
    assert "1 not a web page" in summary and "1 timed out" in summary and "1 HTTP 404" in summary


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
    assert "found_on" not in record  # scraped from a list of URLs, not found on a list page
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


def test_a_pdf_is_kept_as_a_document(site, first_run):
    out, lines, _, _ = first_run
    url = site.url("/report.pdf")
    record = sidecar(out, url)
    assert record["file"] == page_stem(url) + ".pdf" and record["document"] == "PDF"
    assert line_for(lines, url) == f"fetched {url} -> {record['file']} (15 bytes, PDF)"
    # Kept as fetched; the cleaner names what is wrong with it (this one is cut short).
    with pytest.raises(BadPage, match="truncated PDF"):
        clean_file(out / record["file"])


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


def test_redirects_stop_after_five(site, first_run):
    assert site.count("/loop") == 6  # the first request and five redirects


def test_slow_page_was_retried_once(site, first_run):
    assert site.count("/slow") == 2


@pytest.mark.parametrize("path, reason", [
    ("/big", f"larger than {MAX_BYTES} bytes"),
    ("/big-stream", f"larger than {MAX_BYTES} bytes"),
    ("/chart.png", "not a web page (image/png)"),
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


def test_retry_waits_for_the_backoff(site, first_run):
    arrivals = [moment for moment, path in site.requests if path == "/flaky"]
    assert arrivals[1] - arrivals[0] >= 1.0  # BACKOFF_SECONDS before the first retry


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


def test_second_run_fetches_nothing_already_fetched(site, first_run, tmp_path):
    out, _, _, _ = first_run
    before = len(site.requests)
    listing = tmp_path / "again.txt"
    listing.write_text("".join(site.url(path) + "\n" for path in FETCHED + ["/big", "/chart.png"]))
    done = run_module("indexer", "scrape", str(listing), "--out", str(out), "--delay", "0",
                      "--max-bytes", str(MAX_BYTES))
    lines = done.stdout.splitlines()
    for path in FETCHED:
        url = site.url(path)
        assert line_for(lines, url) == (f"skipped {url}: already fetched"
                                        f" ({page_stem(url)}.meta.json exists)")
    url = site.url("/big")
    assert line_for(lines, url) == f"skipped {url}: skipped earlier: larger than {MAX_BYTES} bytes"
    assert len(site.requests) == before  # not even robots.txt was asked again


def test_whole_download_is_bounded_by_the_timeout(tmp_path):
    # Every byte arrives within the timeout; the download as a whole does not.
    with serving(Site()) as host:
        done = scrape(tmp_path, [host.url("/trickle"), host.url("/utf8.html")], retries=0)
        trickled = host.trickled
    url = host.url("/trickle")
    assert line_for(done.stdout.splitlines(), url) == f"failed {url}: timed out after {TIMEOUT:g} s (1 attempt)"
    assert "fetched" in line_for(done.stdout.splitlines(), host.url("/utf8.html"))
    assert trickled < TRICKLE_BYTES  # the scrape was over before the page had all come in


def test_a_bad_content_length_fails_its_url_only(tmp_path):
    with serving(Site()) as host:
        done = scrape(tmp_path, [host.url("/bad-length"), host.url("/utf8.html")], retries=0)
    lines = done.stdout.splitlines()
    url = host.url("/bad-length")
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert line_for(lines, url).startswith(f"failed {url}: broken response (1 attempt)")
    assert line_for(lines, host.url("/utf8.html")).startswith("fetched")


def test_site_whose_robots_txt_is_down_is_left_alone(tmp_path):
    with serving(Site(robots_status=500)) as down:
        done = scrape(tmp_path, [down.url("/utf8.html"), down.url("/report.txt")])
        assert done.returncode == 1 and down.count("/utf8.html") == down.count("/report.txt") == 0
        assert "robots.txt of " + down.base + " unreadable (HTTP 500); not fetching there" in done.stdout
        assert down.count("/robots.txt") == 2  # one retry, then never again for this host


@pytest.mark.parametrize("status, state", [(404, "fetched"), (403, "skipped")])
def test_missing_robots_txt_allows_and_forbidden_one_disallows(tmp_path, status, state):
    with serving(Site(robots_status=status, robots=b"")) as host:
        done = scrape(tmp_path, [host.url("/utf8.html")], delay=0)
        assert done.stdout.startswith(state) and host.count("/utf8.html") == (state == "fetched")


def test_crawl_delay_of_robots_txt_is_honoured(tmp_path):
    with serving(Site(robots=b"User-agent: *\nCrawl-delay: 1\n")) as slow_host:
        scrape(tmp_path, [slow_host.url("/utf8.html"), slow_host.url("/report.txt")], delay=0, retries=0)
        arrivals = [moment for moment, _ in slow_host.requests]
        assert len(arrivals) == 3 and min(b - a for a, b in zip(arrivals, arrivals[1:])) >= 1.0


def test_only_http_and_https_urls_are_fetched(tmp_path):
    done = scrape(tmp_path, ["ftp://example.com/report.html", "file:///etc/passwd"])
    assert done.returncode == 1
    assert done.stdout.splitlines()[:2] == [
        "failed ftp://example.com/report.html: URL ftp://example.com/report.html refused:"
        " scheme 'ftp' is not http or https",
        "failed file:///etc/passwd: URL file:///etc/passwd refused: scheme 'file' is not http or https"]


def test_url_file_allows_comments_blank_lines_and_repeats(tmp_path):
    from indexer.fetch.run import read_url_file  # Scrapy loads here, not when make test-fast collects this module
    listing = tmp_path / "urls.txt"
    listing.write_text("# 湘桥区\n\nhttp://a.gov.cn/1.html\n  http://a.gov.cn/1.html#top \nhttps://b.gov.cn/2\n")
    assert read_url_file(listing) == ["http://a.gov.cn/1.html", "https://b.gov.cn/2"]


def test_cli_scrape_prints_a_line_per_url_and_summary(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# two pages and a missing one\n{site.url('/utf8.html')}\n\n"
                       f"{site.url('/report.txt')}\n{site.url('/missing')}\n")
    done = run_module("indexer", "scrape", str(listing), "--out", str(tmp_path / "raw"),
                      "--delay", "0", "--timeout", "5", "--max-bytes", str(MAX_BYTES))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    # One line per URL, as each answer is handled: not necessarily in the list's order.
    assert [line_for(lines, site.url(path)).split(" ")[0] for path in ("/utf8.html", "/report.txt", "/missing")] \
        == ["fetched", "fetched", "failed"]
    assert len(lines) == 4 and "3 URLs in" in lines[3] and "2 fetched, 0 skipped, 1 failed (1 HTTP 404)" in lines[3]
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
