"""`crawl` and `rebuild` of a column whose reports are documents (issue 24): the document site on 127.0.0.1.

The site (tests/fixtures/sites/attach, its documents made once per session by documents.py)
lists a notice page whose report is its PDF attachment (a 工作要点 PDF beside it), a PDF, a
DOCX and a scanned PDF, a 工作要点 PDF under its own title, and five bad files under report
titles. Crawls run through the command line in a subprocess, as a user runs them.
"""
import csv
import io
import json
import sys

import pytest
from bs4 import BeautifulSoup

from app import create_app
from indexer.fetch.pages import page_stem
from search import SearchEngine

from conftest import SITES_DIR, run_module

sys.path.insert(0, str(SITES_DIR))
from serve import MANIFEST, serving  # noqa: E402  (the fixture sites' own server)

pytestmark = pytest.mark.integration

POSTINGS = MANIFEST["documents"]["postings"]
REPORTS = [posting for posting in POSTINGS if posting["kind"] in ("notice", "pdf", "docx", "scan")]
BAD = [posting for posting in POSTINGS if posting.get("reason")]
(NOTICE,) = [posting for posting in POSTINGS if posting["kind"] == "notice"]
(SCAN,) = [posting for posting in POSTINGS if posting["kind"] == "scan"]
# A sentence only the 工作要点 PDFs hold (documents.py's POINTS).
DECOY_PHRASE = "加强法治工作队伍建设"


def report_url(site, posting):
    """Return the URL of the file a posting's report is read from: the notice's attachment, else its link."""
    return site.url(posting.get("file_path") or posting["path"])


def crawl(site, out, env=None):
    """Crawl the document site into out; return the finished process."""
    return run_module("indexer", "crawl", site.start_url, "--out", str(out), "--delay", "0", "--timeout", "5",
                      env=env)


@pytest.fixture(scope="module")
def site(documents):
    """The document site, served for this module."""
    with serving("attach", documents=documents) as served:
        yield served["attach"]


@pytest.fixture(scope="module")
def crawled(site, tmp_path_factory):
    """Crawl the site once and rebuild the corpus: (corpus, crawl process, rebuild process, index)."""
    folder = tmp_path_factory.mktemp("documents-crawl")
    corpus, index = folder / "corpus", folder / "index"
    done = crawl(site, corpus / "raw")
    assert done.returncode == 0, done.stderr
    built = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index))
    return corpus, done, built, index


def record(corpus, url):
    """Return the provenance record the crawl wrote for a URL."""
    return json.loads((corpus / "raw" / f"{page_stem(url)}.meta.json").read_text(encoding="utf-8"))


def test_the_notice_page_hands_its_report_to_its_attachment(site, crawled):
    corpus, done, _, _ = crawled
    notice, attachment = site.url(NOTICE["path"]), site.url(NOTICE["file_path"])
    assert f"notice {notice}: its report is the attachment {attachment}" in done.stdout
    assert not list((corpus / "raw").glob(page_stem(notice) + ".html"))  # the page is not a report of its own
    assert record(corpus, notice)["attachment"]["url"] == attachment
    kept = record(corpus, attachment)
    assert kept["document"] == "PDF" and kept["content_type"] == "application/pdf"
    assert kept["file"] == page_stem(attachment) + ".pdf"
    assert kept["linked_from"] == {"url": notice, "anchor": f"1.{NOTICE['title']}.pdf", "title": NOTICE["title"],
                                   "pub_date": NOTICE["date"], "issuer": NOTICE["org"]}


def test_documents_are_fetched_and_decoys_never_asked_for(site, crawled):
    corpus, done, _, _ = crawled
    summary = done.stdout.splitlines()[-1]
    assert summary.startswith(f"1 list pages read; {len(REPORTS) + len(BAD)} reports found: "
                              f"{len(REPORTS) + len(BAD)} fetched, 0 skipped, 0 failed")
    asked = site.paths()
    assert NOTICE["decoy_path"] not in asked  # the 工作要点 attached beside the report
    assert [p["path"] for p in POSTINGS if p["kind"] == "decoy"][0] not in asked  # listed under its own title
    for posting in REPORTS + BAD:
        url = report_url(site, posting)
        assert f"fetched {url} -> {page_stem(url)}" in done.stdout, posting["title"]


def test_each_report_is_found_by_its_phrase_under_its_real_title(site, crawled):
    _, _, built, index = crawled
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith(f"indexed {len(REPORTS)} reports, ")
    engine = SearchEngine(index)
    for posting in REPORTS:
        hits = engine.search(q=f'"{posting["marker"]}"')["hits"]
        assert [hit["report_id"] for hit in hits] == [page_stem(report_url(site, posting))], posting["title"]
        assert hits[0]["title"] == posting["title"] and hits[0]["ocr"] == (posting is SCAN)
        assert hits[0]["issuer"] == posting["org"]  # the scan's too, though OCR may misread its signature
        assert hits[0]["source_url"] == report_url(site, posting)
    assert engine.search(q=f'"{DECOY_PHRASE}"')["total"] == 0


def test_the_notice_gives_the_attachment_its_date_and_issuer(site, crawled):
    _, _, _, index = crawled
    report = SearchEngine(index).report(page_stem(site.url(NOTICE["file_path"])))
    assert (report.title, report.pub_date, report.issuer) == (NOTICE["title"], NOTICE["date"], NOTICE["org"])
    assert not report.title_composed and report.level == "county"


def test_every_bad_file_gets_its_line(site, crawled):
    _, _, built, _ = crawled
    for posting in BAD:
        name = page_stem(site.url(posting["path"]))
        lines = [line for line in built.stderr.splitlines() if f"/raw/{name}." in line]
        assert len(lines) == 1 and posting["reason"] in lines[0], posting["title"]
    assert f"skipped {len(BAD)}" in built.stdout


def test_report_page_api_and_exports_say_where_the_text_comes_from(site, crawled):
    _, _, _, index = crawled
    client = create_app({"TESTING": True, "INDEX_DIR": str(index)}).test_client()
    scan_id = page_stem(site.url(SCAN["path"]))
    page = BeautifulSoup(client.get(f"/report/{scan_id}").get_data(as_text=True), "html.parser")
    assert "可能有识别错误" in page.select_one(".ocr-note").get_text()
    notice_id = page_stem(site.url(NOTICE["file_path"]))
    page = BeautifulSoup(client.get(f"/report/{notice_id}").get_data(as_text=True), "html.parser")
    facts = {div.dt.get_text(): div.dd for div in page.select(".facts div")}
    assert facts["原文链接"].a["href"] == site.url(NOTICE["file_path"]) and "PDF" in facts["原文链接"].get_text()
    assert facts["发布页面"].a["href"] == site.url(NOTICE["path"])
    assert page.select_one(".ocr-note") is None
    api = client.get("/api/search", query_string={"q": f'"{SCAN["marker"]}"'}).get_json()
    assert [hit["ocr"] for hit in api["hits"]] == [True]
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv", query_string={"q": "法治政府"})
                                           .get_data().decode("utf-8-sig"))))
    marked = {row["报告编号"] for row in rows if row["文字识别（OCR）"] == "是"}
    assert marked == {scan_id} and len({row["报告编号"] for row in rows}) == len(REPORTS)
    exported = client.get("/export.json", query_string={"q": f'"{SCAN["marker"]}"'}).get_json()
    assert [hit["ocr"] for hit in exported] == [True]


def test_a_second_crawl_fetches_a_lost_attachment_again_and_nothing_else(site, crawled):
    corpus, _, _, _ = crawled
    attachment = site.url(NOTICE["file_path"])
    (corpus / "raw" / f"{page_stem(attachment)}.meta.json").unlink()
    before = len(site.paths())
    done = crawl(site, corpus / "raw")
    asked = site.paths()[before:]
    assert [path for path in asked if path != "/robots.txt"] == [MANIFEST["documents"]["start"], NOTICE["file_path"]]
    assert f"fetched {attachment} -> " in done.stdout and f"already fetched ({page_stem(attachment)}" not in done.stdout


def test_without_ocr_the_crawl_and_the_rebuild_name_the_scan(site, tmp_path):
    env = {"PATH": str(tmp_path)}  # no pdftoppm, no tesseract
    done = crawl(site, tmp_path / "corpus" / "raw", env=env)
    scan = page_stem(site.url(SCAN["path"])) + ".pdf"
    summary = done.stdout.splitlines()[-1]
    assert f"1 fetched but unreadable here: {scan} (2 scanned page(s), OCR unavailable: pdftoppm is not installed" \
        in summary
    built = run_module("indexer", "rebuild", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index"),
                       env=env)
    assert built.returncode == 0 and built.stdout.startswith(f"indexed {len(REPORTS) - 1} reports")
    (line,) = [line for line in built.stderr.splitlines() if scan in line]
    assert "scanned PDF, no text layer on its" in line and "OCR unavailable: pdftoppm is not installed" in line


def test_scrape_takes_the_same_documents(site, tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("".join(report_url(site, p) + "\n" for p in REPORTS if p is not NOTICE)
                       + site.url(NOTICE["path"]) + "\n", encoding="utf-8")
    done = run_module("indexer", "scrape", str(listing), "--out", str(tmp_path / "raw"), "--delay", "0")
    assert done.returncode == 0, done.stderr
    assert sorted(path.suffix for path in (tmp_path / "raw").iterdir() if not path.name.endswith(".meta.json")) == \
        [".docx", ".pdf", ".pdf", ".pdf"]
    assert f"its report is the attachment {site.url(NOTICE['file_path'])}" in done.stdout
