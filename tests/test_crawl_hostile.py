"""`crawl` against hostile and pathological sites on 127.0.0.1: huge list pages, pagers claiming 10^8 pages,
long pagers, robots.txt redirected off the site, wrongly declared encodings, two crawls into one folder, a full disk.

Each site is made here, page by page, and served by the test sites' logging server, so a test
sees every request the crawler made. Crawls run through the command line in a subprocess, as a
user runs them (Twisted's reactor, under Scrapy, starts once per process).
"""
import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from indexer.fetch.lock import LOCK_FILE
from indexer.fetch.pages import page_stem
from indexer.fetch.politeness import MAX_CLAIMED_PAGES, MAX_LIST_LINKS

from conftest import HANG_SECONDS, PROJECT, reported_lines, run_module, wait_until

sys.path.insert(0, str(Path(__file__).parent / "fixtures" / "sites"))
from serve import LoggedSite, running, send  # noqa: E402  (the test sites' logging server)

# Whole commands against live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration

NOT_FOUND = (404, {"Content-Type": "text/plain"}, b"not found")


class Site(LoggedSite):
    """A site serving the pages a test gives it ({path: (status, headers, body)}) or a function makes."""

    def __init__(self, pages=None, make=None):
        """Serve pages, then what make(path) returns (None: 404)."""
        self.pages, self.make = dict(pages or {}), make
        super().__init__()

    def answer(self, handler, path, earlier):
        """Send the page given for a path, else the one made for it, else a 404."""
        status, headers, body = self.pages.get(path) or (self.make and self.make(path)) or NOT_FOUND
        send(handler, status, body, headers)

    def asked(self):
        """Return the paths asked for, robots.txt left out."""
        return [path for path in self.paths() if path != "/robots.txt"]


def html(text, charset="utf-8", declared=None):
    """Return a 200 HTML page of text, encoded in charset, its header declaring `declared` (default charset)."""
    return 200, {"Content-Type": f"text/html; charset={declared or charset}"}, text.encode(charset)


def redirect(location):
    """Return a 302 answer to location."""
    return 302, {"Location": location}, b""


def report_title(number):
    """Return the title of a report the default rule picks: it names a 法治政府建设 report."""
    return f"第{number}县2023年法治政府建设情况报告"


def report_page(number):
    """Return the page of report number, whole, with a paragraph of its own."""
    return html(f"<html><head><title>{report_title(number)}</title></head><body><h1>{report_title(number)}</h1>"
                f"<p>报告{number}：本县坚持依法行政，全面推进法治政府建设，取得新的进展。</p></body></html>")


def reports(path):
    """Make report pages for /report/<n>.html."""
    if path.startswith("/report/") and path.endswith(".html"):
        return report_page(int(path[len("/report/"):-len(".html")]))
    return None


def crawl(out, *args, background=False, timeout=10):
    """Crawl into out with no delay; return the finished process, or the running one when background."""
    command = ["indexer", "crawl", *args, "--out", str(out), "--delay", "0", "--timeout", str(timeout), "--retries", "0"]
    if background:
        return subprocess.Popen([sys.executable, "-m", *command], cwd=PROJECT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return run_module(*command)


def saved(out):
    """Return {URL: provenance record} of the pages a crawl saved into out."""
    found = {}
    for path in Path(out).glob("*.meta.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        if "file" in record:
            found[record["url"]] = record
    return found


def summary(done):
    """Return a finished crawl's summary line."""
    return done.stdout.splitlines()[-1]


def test_a_list_page_of_many_links_is_read_whole_up_to_its_limit(tmp_path):
    # The dates sit beside each link, as lists show them; reports at the start, the middle, the
    # last link read, and one just past MAX_LIST_LINKS, which is not read.
    total = MAX_LIST_LINKS + 3
    picked = {0: 1, total // 2: 2, MAX_LIST_LINKS - 1: 3, MAX_LIST_LINKS + 1: 4}
    rows = []
    for n in range(total):
        title = report_title(picked[n]) if n in picked else f"通知{n}"
        href = f"/report/{picked[n]}.html" if n in picked else f"/notice/{n}.html"
        rows.append(f'<li><a href="{href}">{title}</a><span>2024-03-{n % 28 + 1:02d}</span></li>')
    page = html("<html><body><ul>" + "\n".join(rows) + "</ul></body></html>")
    with running(Site({"/list/": page}, reports)) as site:
        done = crawl(tmp_path / "raw", site.url("/list/"))
        assert done.returncode == 0, done.stderr
        assert sorted(site.asked()) == ["/list/", "/report/1.html", "/report/2.html", "/report/3.html"]
    assert f"only its first {MAX_LIST_LINKS} of {total} links read" in done.stdout
    assert summary(done).startswith("1 list pages read; 3 reports found: 3 fetched, ")
    assert f"{MAX_LIST_LINKS - 3} other links" in summary(done)
    dates = {record["found_on"]["anchor"]: record["found_on"]["list_date"] for record in saved(tmp_path / "raw").values()}
    assert dates == {report_title(1): "2024-03-01", report_title(2): f"2024-03-{total // 2 % 28 + 1:02d}",
                     report_title(3): f"2024-03-{(MAX_LIST_LINKS - 1) % 28 + 1:02d}"}


def trs_column(path):
    """Make a TRS column whose pager claims 10^8 pages: /trs/index.html, /trs/index_N.html, one report each."""
    name = path.rsplit("/", 1)[-1]
    if not path.startswith("/trs/") or not name.startswith("index"):
        return reports(path)
    number = int(name[len("index_"):-len(".html")]) if "_" in name else 0
    return html(f'<html><body><ul><li><a href="/report/{number + 1}.html">{report_title(number + 1)}</a></li></ul>'
                f'<script>createPageHTML(100000000, {number}, "index", "html");</script></body></html>')


def hanweb_column(path):
    """Make a Hanweb column whose <totalpage> claims 10^8 pages: /col/col1/index.html?uid=7&pageNum=N."""
    if not path.startswith("/col/col1/index.html"):
        return reports(path)
    number = int(path.rsplit("=", 1)[-1]) if "pageNum=" in path else 1
    return html(f'<html><body><div id="7"><script type="text/xml"><datastore><totalpage>100000000</totalpage>'
                f'<recordset><record><![CDATA[<li><a href="/report/{number}.html">{report_title(number)}</a></li>]]>'
                '</record></recordset></datastore></script></div></body></html>')


@pytest.mark.parametrize("make, start", [(trs_column, "/trs/index.html"), (hanweb_column, "/col/col1/index.html")])
def test_a_pager_claiming_1e8_pages_names_at_most_the_cap(tmp_path, make, start):
    with running(Site(make=make)) as site:
        done = crawl(tmp_path / "raw", site.url(start), "--max-list-pages", "3")
        assert done.returncode == 0, done.stderr
        lists = [path for path in site.asked() if not path.startswith("/report/")]
    assert len(lists) == 3 and lists[0] == start
    assert f"its pager claims 100000000 pages: only the first {MAX_CLAIMED_PAGES} named" in done.stdout
    # Every page's pager names the same first pages: all but the three read are left, counted once.
    beyond = MAX_CLAIMED_PAGES - 3
    assert summary(done).startswith(f"3 list pages read, {beyond} more named beyond --max-list-pages 3; "
                                    "3 reports found: 3 fetched")


def paged_column(path):
    """Make columns /a/ and /b/ of 51 pages at ?page=N, each page naming all 51, with one report each."""
    column, _, query = path.partition("?page=")
    if column not in ("/a/list.asp", "/b/list.asp"):
        return reports(path)
    number = int(query or 1)
    pager = " ".join(f'<a href="{column}?page={n}">{n}</a>' for n in range(1, 52))
    report = (ord(column[1]) - ord("a")) * 100 + number
    return html(f'<html><body><ul><li><a href="/report/{report}.html">{report_title(report)}</a></li></ul>'
                f'<div class="pager">{pager}</div></body></html>')


def test_max_list_pages_counts_the_list_pages_of_each_start_url(tmp_path):
    with running(Site(make=paged_column)) as site:
        done = crawl(tmp_path / "raw", site.url("/a/list.asp"), site.url("/b/list.asp?page=1"),
                     "--max-list-pages", "5")
        assert done.returncode == 0, done.stderr
        asked = site.asked()
    for column in ("/a/", "/b/"):
        assert len([path for path in asked if path.startswith(column)]) == 5, column
    assert len([path for path in asked if path.startswith("/report/")]) == 10
    # /a/list.asp is its page 1: 46 of its 51 pages are left, and as many of /b/'s.
    assert summary(done).startswith("10 list pages read, 92 more named beyond --max-list-pages 5; 10 reports found")


LIST_OF_THREE = ("<html><head><title>法治政府建设</title></head><body><ul>"
                 + "".join(f'<li><a href="/report/{n}.html">{report_title(n)}</a> 2024-03-0{n}</li>' for n in (1, 2, 3))
                 + "</ul></body></html>")


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_robots_txt_redirected_off_the_site_is_not_followed(tmp_path, host):
    with running(Site({"/internal/admin?delete=1": html("deleted")})) as other:
        target = f"http://{host}:{other.server.server_port}/internal/admin?delete=1"
        with running(Site({"/robots.txt": redirect(target), "/list/": html(LIST_OF_THREE)}, reports)) as site:
            done = crawl(tmp_path / "raw", site.url("/list/"))
            assert site.asked() == []
        assert other.paths() == []
    assert f"robots.txt of {site.base} unreadable" in done.stdout and "not fetching there" in done.stdout
    assert f"leads to another site ({host}:{other.server.server_port})" in done.stdout
    assert done.returncode == 1 and "Traceback" not in done.stderr


def test_a_robots_txt_redirected_on_its_own_site_is_followed_and_obeyed(tmp_path):
    rules = (200, {"Content-Type": "text/plain"}, b"User-agent: *\nDisallow: /report/2.html\n")
    with running(Site({"/robots.txt": redirect("/rules.txt"), "/rules.txt": rules,
                       "/list/": html(LIST_OF_THREE)}, reports)) as site:
        done = crawl(tmp_path / "raw", site.url("/list/"))
        assert done.returncode == 0, done.stderr
        assert sorted(site.asked()) == ["/list/", "/report/1.html", "/report/3.html", "/rules.txt"]
    assert "1 disallowed by robots.txt" in summary(done)


@pytest.mark.parametrize("declared", ["utf-8", None])
def test_a_gbk_list_page_declared_otherwise_finds_its_reports(tmp_path, declared):
    # GBK bytes under a header saying UTF-8 (or nothing but a wrong <meta>): read as the cleaner reads them.
    text = LIST_OF_THREE if declared else LIST_OF_THREE.replace("<head>", '<head><meta charset="utf-8">')
    page = html(text, charset="gbk", declared=declared or "")
    if not declared:
        page = (200, {"Content-Type": "text/html"}, page[2])
    with running(Site({"/list/": page}, reports)) as site:
        done = crawl(tmp_path / "raw", site.url("/list/"))
        assert done.returncode == 0, done.stderr
    assert summary(done).startswith("1 list pages read; 3 reports found: 3 fetched, ")
    anchors = sorted(record["found_on"]["anchor"] for record in saved(tmp_path / "raw").values())
    assert anchors == [report_title(n) for n in (1, 2, 3)]


def test_a_gbk_notice_page_declared_utf8_hands_its_report_to_its_attachment(tmp_path):
    # The report link leads to a notice page saying 详见附件: its attachment, named by the report's title, is the report.
    notice = (f"<html><body><h1>{report_title(1)}</h1><p>详见附件。</p>"
              f'<p><a href="/files/1.pdf">{report_title(1)}.pdf</a></p></body></html>')
    pdf = (200, {"Content-Type": "application/pdf"}, b"%PDF-1.4\n%%EOF\n")
    list_page = f'<html><body><ul><li><a href="/notice/1.html">{report_title(1)}</a></li></ul></body></html>'
    with running(Site({"/list/": html(list_page), "/notice/1.html": html(notice, charset="gbk", declared="utf-8"),
                       "/files/1.pdf": pdf})) as site:
        done = crawl(tmp_path / "raw", site.url("/list/"))
        assert done.returncode == 0, done.stderr
        assert site.asked() == ["/list/", "/notice/1.html", "/files/1.pdf"]
    assert f"notice {site.url('/notice/1.html')}: its report is the attachment {site.url('/files/1.pdf')}" in done.stdout


def test_an_undecodable_list_page_is_named_with_its_reason(tmp_path):
    mixed = ("<html><body>" + "法治政府建设情况报告" * 4 + "</body></html>").encode("utf-8") + "，报告".encode("gbk") * 8
    with running(Site({"/list/": (200, {"Content-Type": "text/html"}, mixed)})) as site:
        done = crawl(tmp_path / "raw", site.url("/list/"))
    assert f"failed list {site.url('/list/')}: cannot be decoded: mixed encodings" in done.stdout
    assert done.returncode == 1 and "Traceback" not in done.stderr


class HeldSite(Site):
    """A site that holds every report's answer until the test lets them go."""

    def __init__(self, pages=None, make=None):
        """Serve as Site does, reports held."""
        self.gate = threading.Event()
        super().__init__(pages, make)

    def answer(self, handler, path, earlier):
        """Wait for the gate before a report, then answer as Site does."""
        if path.startswith("/report/"):
            self.gate.wait(timeout=60)
        super().answer(handler, path, earlier)


def test_one_crawl_at_a_time_per_output_folder(tmp_path):
    out = tmp_path / "raw"
    many = "".join(f'<li><a href="/report/{n}.html">{report_title(n)}</a></li>' for n in range(1, 9))
    with running(HeldSite({"/list/": html(f"<html><body><ul>{many}</ul></body></html>")}, reports)) as site:
        # The first crawl's held request must outlast the whole second crawl, however slowly a
        # loaded machine starts it: a 10 s request timeout ended the first crawl's page under load.
        first = crawl(out, site.url("/list/"), background=True, timeout=HANG_SECONDS)
        def fetching():
            """Tell whether the first crawl is fetching its first report, failing if it ended first."""
            assert first.poll() is None, "the first crawl ended before it fetched a report"
            return site.count("/report/1.html") > 0
        wait_until(fetching, "the first crawl did not start", interval=0.02)
        second = crawl(out, site.url("/list/"))
        site.gate.set()
        first_out, first_err = first.communicate(timeout=120)
        assert first.returncode == 0, first_err
        assert second.returncode == 1 and "Traceback" not in second.stderr
        said = "\n".join(reported_lines(second.stderr))
        assert said.startswith(f"crawl: {out} is in use by another run (pid {first.pid} since ") and "\n" not in said
        assert said.endswith(f": crawl {site.url('/list/')}); wait for it to end or give another --out")
        assert sorted(site.asked()) == ["/list/"] + sorted(f"/report/{n}.html" for n in range(1, 9))
        assert len(saved(out)) == 8 and not (out / LOCK_FILE).exists()
        # A lock file its holder left (killed) holds nothing: the next crawl runs.
        (out / LOCK_FILE).write_text('{"pid": 1, "since": "long ago", "run": "crawl"}')
        again = crawl(out, site.url("/list/"))
    assert again.returncode == 0 and "8 already fetched" in summary(again)
    assert not (out / LOCK_FILE).exists()


@pytest.fixture
def small_disk(tmp_path):
    """A folder on a tmpfs of 96 KiB, unmounted afterwards; (folder, function growing it to N KiB)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96k", "tmpfs", str(folder)], capture_output=True)
    if mounted.returncode:
        pytest.skip(f"cannot mount a small tmpfs (needs root): {mounted.stderr.decode(errors='replace').strip()}")

    def grow(kib):
        """Give the disk kib KiB."""
        subprocess.run(["mount", "-o", f"remount,size={kib}k", str(folder)], check=True)

    try:
        yield folder, grow
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_stops_the_crawl_in_one_line_leaving_only_whole_pages(tmp_path, small_disk):
    disk, grow = small_disk
    out = disk / "raw"
    bulk = "<p>" + "本县坚持依法行政。" * 1500 + "</p>"  # about 40 KB a report: two or three fill the disk
    big = lambda path: reports(path) and html(reports(path)[2].decode().replace("</body>", bulk + "</body>"))  # noqa: E731
    many = "".join(f'<li><a href="/report/{n}.html">{report_title(n)}</a></li>' for n in range(1, 11))
    with running(Site({"/list/": html(f"<html><body><ul>{many}</ul></body></html>")}, big)) as site:
        done = crawl(out, site.url("/list/"))
        assert done.returncode == 1 and "Traceback" not in done.stderr
        assert reported_lines(done.stderr) == [
            f"crawl: the disk of {out} is full (No space left on device): stopped; what was saved is kept;"
            " free some space and run the same command again to resume"]
        assert summary(done).endswith("interrupted: run the same command again to resume")
        files = {path.name for path in out.iterdir() if path.is_file()}
        assert not [name for name in files if name.endswith(".part")]
        pages = {name.rsplit(".", 1)[0] for name in files if name.endswith(".html")}
        assert pages == {name[:-len(".meta.json")] for name in files if name.endswith(".meta.json")}
        assert 0 < len(pages) < 10
        for url, record in saved(out).items():
            assert (out / record["file"]).read_bytes() == big(url[len(site.base):])[2]
        grow(4096)
        resumed = crawl(out, site.url("/list/"))
        assert resumed.returncode == 0, resumed.stderr
    assert {page_stem(url) for url in saved(out)} == {page_stem(site.url(f"/report/{n}.html")) for n in range(1, 11)}
    assert summary(resumed).startswith(f"0 list pages read (and 1 read by the interrupted run before); 10 reports"
                                       f" found: {10 - len(pages)} fetched, {len(pages)} skipped ({len(pages)} already")
