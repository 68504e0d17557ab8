"""`crawl` against the three test sites (tests/fixtures/sites: TRS, Hanweb, a GBK county site) on 127.0.0.1.

What a crawl must do with each list link is in the sites' manifest.json (written with the
sites by make_sites.py); the servers log every request, which is how the tests see what
was fetched, how often and how fast. Crawls run through the command line in a subprocess:
Twisted's reactor, under Scrapy, starts once per process.
"""
import json
import os
import re
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from app import create_app
from indexer.fetch.pages import page_stem
from indexer.index.build import rebuild
from search import SearchEngine

from conftest import PROJECT, run_module, wait_until

SITES_DIR = Path(__file__).parent / "fixtures" / "sites"
sys.path.insert(0, str(SITES_DIR))
from serve import MANIFEST, serving  # noqa: E402  (the fixture sites' own server)

# Whole commands against live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration

DELAY = 0.15  # seconds between two requests to one host, as the crawl is told
MAX_BYTES = MANIFEST["max_bytes"]
LINKS = MANIFEST["links"]
SAVED_FATES = ("fetched", "redirected")


def saved_links():
    """Return the manifest's links a crawl saves, each page once (the first list naming it)."""
    first = {}
    for link in LINKS:  # in the order of the list pages
        if link["fate"] in SAVED_FATES:
            first.setdefault(link["path"], link)
    return list(first.values())


def url_of(sites, path, site):
    """Return the absolute URL of a manifest path (links to another site are absolute already)."""
    return path if "://" in path else sites[site].url(path)


def expected_pages(sites, keep=lambda link: link["fate"] in SAVED_FATES):
    """Return the URLs of the manifest's links a crawl keeps, by default the reports it can fetch."""
    return {url_of(sites, link["path"], link["site"]) for link in LINKS if keep(link)}


def crawl(sites, out, *options, delay=DELAY, names=None, background=False):
    """Crawl the named sites (all by default) into out; return the finished process, or the running one."""
    starts = [site.start_url for name, site in sites.items() if names is None or name in names]
    args = ["indexer", "crawl", *starts, "--out", str(out), "--delay", str(delay),
            "--max-bytes", str(MAX_BYTES), "--timeout", "5", *options]
    if background:
        return subprocess.Popen([sys.executable, "-m", *args], cwd=PROJECT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
    return run_module(*args)


def records(out):
    """Return every provenance record in an output folder."""
    return [json.loads(path.read_text(encoding="utf-8")) for path in Path(out).glob("*.meta.json")]


def saved_urls(out):
    """Return the URLs whose page a crawl saved."""
    return {record["url"] for record in records(out) if "file" in record}


def requests_since(sites, marks):
    """Return the paths each site was asked for since marks ({name: log length}), robots.txt left out."""
    return {name: [path for _, path in site.requests[marks[name]:] if path != "/robots.txt"]
            for name, site in sites.items()}


def marks_of(sites):
    """Return where each site's request log stands now."""
    return {name: len(site.requests) for name, site in sites.items()}


@pytest.fixture(scope="module")
def sites():
    """The three test sites, served for this module."""
    with serving() as served:
        yield served


@pytest.fixture(scope="module")
def crawled(sites, tmp_path_factory):
    """Crawl all three sites once; return (corpus folder, finished process, requests made)."""
    corpus = tmp_path_factory.mktemp("crawl") / "corpus"
    marks = marks_of(sites)
    done = crawl(sites, corpus / "raw")
    assert done.returncode == 0, done.stderr
    timed = {name: site.requests[marks[name]:] for name, site in sites.items()}
    return corpus, done, timed


def test_crawl_saves_exactly_the_report_pages(sites, crawled):
    corpus, _, _ = crawled
    assert saved_urls(corpus / "raw") == expected_pages(sites)
    assert len(expected_pages(sites)) == 30


def test_crawl_asks_for_no_other_page_and_none_twice(sites, crawled):
    _, _, timed = crawled
    asked = {name: [path for _, path in log] for name, log in timed.items()}
    for name, paths in asked.items():
        assert Counter(paths).most_common(1)[0][1] == 1, f"{name}: a page was asked for twice"
        assert paths.count("/robots.txt") == 1
    for link in LINKS:
        if link["fate"] in ("ignored", "disallowed", "offsite"):  # non-reports, robots.txt, another site
            assert link["path"] not in asked[link["site"]], link["title"]
        else:  # reports: saved, redirected, too large, broken
            assert link["path"] in asked[link["site"]], link["title"]


def test_summary_says_what_was_read_found_fetched_and_skipped(crawled):
    corpus, done, _ = crawled
    summary = done.stdout.splitlines()[-1]
    assert summary.startswith("9 list pages read; 34 reports found (1 listed again): 30 fetched, ")
    for part in ("3 skipped (", "1 on another site", f"1 larger than {MAX_BYTES} bytes",
                 "1 disallowed by robots.txt", "1 failed (1 HTTP 404)", f"pages in {corpus / 'raw'}"):
        assert part in summary
    assert done.stdout.count("\nread list ") + done.stdout.startswith("read list ") == 9


def test_each_report_records_where_it_was_found(sites, crawled):
    corpus, _, _ = crawled
    by_url = {record["url"]: record for record in records(corpus / "raw")}
    for link in saved_links():
        record = by_url[url_of(sites, link["path"], link["site"])]
        assert record["found_on"] == {"list": sites[link["site"]].url(link["list"]), "anchor": link["anchor"],
                                      "title": link["title"], "list_date": link["list_date"]}
        final = link.get("final_path", link["path"])
        assert record["final_url"] == sites[link["site"]].url(final) and record["status"] == 200
        assert record["detected_encoding"] == ("gb18030" if link["site"] == "county" else "utf-8")


def test_oversized_report_is_recorded_as_skipped(sites, crawled):
    corpus, _, _ = crawled
    (link,) = [link for link in LINKS if link["fate"] == "oversized"]
    url = url_of(sites, link["path"], link["site"])
    record = json.loads((corpus / "raw" / f"{page_stem(url)}.meta.json").read_text(encoding="utf-8"))
    assert record["skipped"] == f"larger than {MAX_BYTES} bytes" and "file" not in record
    assert not list((corpus / "raw").glob(page_stem(url) + ".html"))


def test_requests_to_the_host_are_paced(crawled):
    _, _, timed = crawled
    # The three sites are one host (127.0.0.1): its requests are spaced by DELAY, across sites.
    arrivals = sorted(moment for log in timed.values() for moment, _ in log)
    gaps = [later - earlier for earlier, later in zip(arrivals, arrivals[1:])]
    assert len(gaps) > 40 and min(gaps) >= DELAY


@pytest.fixture(scope="module")
def rebuilt(crawled, tmp_path_factory):
    """The crawled corpus rebuilt into an index; return (index folder, engine)."""
    corpus, _, _ = crawled
    index = tmp_path_factory.mktemp("crawl-index") / "index"
    rebuild(corpus, index, warn=lambda message: None)
    return index, SearchEngine(index)


def test_every_crawled_report_is_searchable_with_its_source_and_date(sites, rebuilt):
    index, engine = rebuilt
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    checked = 0
    for link in saved_links():
        url = url_of(sites, link["path"], link["site"])
        hits = engine.search(q=f'"{link["marker"]}"')["hits"]
        assert [hit["report_id"] for hit in hits] == [page_stem(url)], link["title"]
        report = engine.report(page_stem(url))
        assert report.title == link["title"]
        # The page's own date when it shows one, else the date its list showed.
        assert report.pub_date == (link["page_date"] or link["list_date"]), link["title"]
        page = BeautifulSoup(client.get(f"/report/{page_stem(url)}").get_data(as_text=True), "html.parser")
        (source,) = [div.dd for div in page.select(".facts div") if div.dt.get_text() == "原文链接"]
        final = sites[link["site"]].url(link.get("final_path", link["path"]))
        assert source.a["href"] == final and source.get_text(strip=True) == final
        checked += 1
    assert checked == 30


def test_reports_without_a_date_of_their_own_take_the_list_date(sites, rebuilt):
    _, engine = rebuilt
    undated = [link for link in saved_links() if not link["page_date"]]
    assert len(undated) >= 5  # the fixture has some, in each site
    for link in undated:
        assert engine.report(page_stem(url_of(sites, link["path"], link["site"]))).pub_date == link["list_date"]


def test_second_crawl_reads_the_lists_again_and_no_saved_page(sites, crawled):
    corpus, _, _ = crawled
    marks = marks_of(sites)
    done = crawl(sites, corpus / "raw", delay=0)
    asked = requests_since(sites, marks)
    lists = {link["list"] for link in LINKS}
    broken = {link["path"] for link in LINKS if link["fate"] == "broken"}
    assert {path for paths in asked.values() for path in paths} == lists | broken  # a new crawl tries again
    summary = done.stdout.splitlines()[-1]
    assert ": 0 fetched, " in summary and "30 already fetched" in summary and "1 skipped earlier" in summary


def test_killed_crawl_resumes_without_asking_for_anything_twice(sites, tmp_path):
    out = tmp_path / "raw"
    marks = marks_of(sites)
    # Killed once while reading list pages, once while fetching reports, then run to the end.
    for seen, enough in ((lambda: journal_lines(out), 4), (lambda: len(list(out.glob("*.meta.json"))), 12)):
        running = crawl(sites, out, delay=0.2, background=True)
        kill_when(running, seen, enough)
        assert list((out / ".crawl").glob("*.jsonl")), "the interrupted crawl left its journal"
    done = crawl(sites, out, delay=0.2)
    assert done.returncode == 0, done.stderr
    assert "read by the interrupted run before" in done.stdout.splitlines()[-1]
    asked = requests_since(sites, marks)
    # A redirect answers with no page: a kill between it and its target asks for it again.
    moved = {link["path"] for link in LINKS if link["fate"] == "redirected"}
    for name, paths in asked.items():
        repeated = [path for path, count in Counter(paths).items() if count > 1 and path not in moved]
        assert not repeated, f"{name}: asked twice for {repeated}"
    assert saved_urls(out) == expected_pages(sites)
    assert not (out / ".crawl").exists()  # finished: nothing left to resume


def journal_lines(out):
    """Return how many lines the crawl journal in out holds."""
    return sum(len(path.read_text(encoding="utf-8").splitlines()) for path in (out / ".crawl").glob("*.jsonl"))


def kill_when(process, count, enough):
    """SIGKILL a running crawl as soon as count() reaches enough (well inside the pause between requests)."""
    def reached():
        """Tell whether count() reached enough, failing if the crawl ended first."""
        assert process.poll() is None, "the crawl ended before it could be interrupted"
        return count() >= enough
    wait_until(reached, "the crawl made no progress")
    os.kill(process.pid, signal.SIGKILL)
    process.communicate()


def test_match_and_since_choose_the_links(sites, tmp_path):
    done = crawl(sites, tmp_path / "raw", "--match", "依法行政", "--since", "2020", delay=0.05)
    assert done.returncode == 0, done.stderr

    def chosen(link):
        """Tell whether the crawl should keep a link: 依法行政 in its title, about 2020 or later, fetchable."""
        if "依法行政" not in link["title"] or link["fate"] not in SAVED_FATES + ("ignored",):
            return False
        return int(re.search(r"(\d{4})年", link["title"]).group(1)) >= 2020

    expected = expected_pages(sites, chosen)
    assert saved_urls(tmp_path / "raw") == expected and len(expected) == 5
    assert "2 before --since" in done.stdout.splitlines()[-1]


def test_max_pages_bounds_the_crawl(sites, tmp_path):
    marks = marks_of(sites)
    done = crawl(sites, tmp_path / "raw", "--max-pages", "4", delay=0, names={"trs"})
    asked = requests_since(sites, marks)["trs"]
    assert len(asked) == 4 and "beyond --max-pages 4" in done.stdout


def test_the_flask_command_crawls_too(sites, tmp_path):
    env = dict(os.environ, CORPUS_DIR=str(tmp_path / "corpus"))
    done = subprocess.run([sys.executable, "-m", "flask", "--app", "app", "crawl", sites["county"].start_url,
                           "--delay", "0"], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1].startswith("3 list pages read; 9 reports found: 9 fetched, ")
    assert len(saved_urls(tmp_path / "corpus" / "raw")) == 9


@pytest.mark.parametrize("args, status, message, stream", [
    (["--match", "法治(", "http://127.0.0.1:9/list.html"], 2, "--match '法治(' is not a regular expression", "stderr"),
    (["ftp://127.0.0.1/list.html"], 1, "failed list ftp://127.0.0.1/list.html: URL ftp://127.0.0.1/list.html"
                                       " refused: scheme 'ftp' is not http or https", "stdout"),
    (["--since", "abc", "http://127.0.0.1:9/list.html"], 2, "--since: not a number: 'abc'", "stderr"),
    ([], 2, "the following arguments are required: START_URL", "stderr"),
    (["http://127.0.0.1:9/list.html", "--out", "FILE"], 2, "cannot use FILE as the output folder (--out)", "stderr"),
])
def test_bad_input_is_named_without_traceback(tmp_path, args, status, message, stream):
    (tmp_path / "file").write_text("not a folder")
    args = [str(tmp_path / "file") if arg == "FILE" else arg for arg in args]
    message = message.replace("FILE", str(tmp_path / "file"))
    done = run_module("indexer", "crawl", "--out", str(tmp_path / "raw"), *args)
    assert done.returncode == status and message in getattr(done, stream)
    assert "Traceback" not in done.stderr
