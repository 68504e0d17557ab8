"""Provenance shown: the URL a page came from (its record, or a browser's saved-from line) and the list's date."""
import json
import re
from pathlib import Path

import pytest

from indexer.clean.rawfile import clean_file
from indexer.fetch.provenance import found_on, list_date, page_url, saved_from_url

SITES = Path(__file__).parent / "fixtures" / "sites"
# A report page of the test sites that shows no date of its own (吴兴区, TRS).
UNDATED = SITES / "trs" / "zfxxgk" / "fzzfjs" / "202501" / "t20250125_1005.html"
# One that does (湖州市, 2025-03-26).
DATED = SITES / "trs" / "zfxxgk" / "fzzfjs" / "202503" / "t20250326_1001.html"
URL = "http://www.huzhou.gov.cn/zfxxgk/fzzfjs/202501/t20250125_1005.html"


def saved_page(tmp_path, source, comment):
    """Write a copy of a page with a browser's saved-from comment on top; return its path."""
    page = tmp_path / "saved.html"
    page.write_bytes(comment.encode("ascii") + b"\r\n" + source.read_bytes())
    return page


def with_record(tmp_path, source, record):
    """Write a copy of a page with a provenance record beside it; return the page's path."""
    page = tmp_path / "crawled.html"
    page.write_bytes(source.read_bytes())
    (tmp_path / "crawled.meta.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    return page


def test_a_browser_saved_page_keeps_its_url(tmp_path):
    page = saved_page(tmp_path, UNDATED, f"<!-- saved from url=({len(URL):04d}){URL} -->")
    assert clean_file(page).source["url"] == URL


@pytest.mark.parametrize("comment", [
    "<!-- saved from url=(0022)javascript:alert(1)// -->",
    "<!-- saved from url=(0014)about:internet -->",
])
def test_a_saved_from_line_that_is_no_web_address_is_ignored(tmp_path, comment):
    assert clean_file(saved_page(tmp_path, UNDATED, comment)).source["url"] == ""


def test_the_record_url_wins_over_a_saved_from_line(tmp_path):
    page = saved_page(tmp_path, UNDATED, "<!-- saved from url=(0025)http://mirror.example.cn/ -->")
    (tmp_path / "saved.meta.json").write_text(json.dumps({"url": URL, "final_url": URL}))
    assert clean_file(page).source["url"] == URL


def test_a_page_without_a_date_takes_the_list_date(tmp_path):
    record = {"url": URL, "final_url": URL, "found_on": found_on("http://x/list.html", "吴兴区…", "", "2025-01-25")}
    report = clean_file(with_record(tmp_path, UNDATED, record))
    assert report.pub_date == "2025-01-25"
    assert clean_file(UNDATED).pub_date == ""  # the page alone has none


def test_a_page_date_wins_over_the_list_date(tmp_path):
    record = {"url": URL, "found_on": found_on("http://x/list.html", "湖州市…", "", "2025-04-01")}
    assert clean_file(with_record(tmp_path, DATED, record)).pub_date == "2025-03-26"


@pytest.mark.parametrize("record, date", [
    ({"found_on": {"list_date": "2024-3-1"}}, ""), ({"found_on": "2024-03-01"}, ""),
    ({"found_on": {"list_date": 20240301}}, ""), ({}, ""), ({"found_on": {"list_date": "2024-03-01"}}, "2024-03-01"),
])
def test_list_date_reads_only_a_well_formed_record(record, date):
    assert list_date(record) == date


def test_page_url_is_the_final_web_address():
    assert page_url({"url": "http://a.cn/1", "final_url": "https://a.cn/2"}) == "https://a.cn/2"
    assert page_url({"url": "http://a.cn/1", "final_url": "javascript:x"}) == "http://a.cn/1"
    assert page_url({"url": ["not", "a", "url"]}) == ""


def test_saved_from_is_read_from_the_top_of_the_page_only():
    assert saved_from_url("<html>" + " " * 5000 + "<!-- saved from url=(0014)http://a.cn/x -->") == ""
    assert re.fullmatch("http://a.cn/x", saved_from_url("<!-- saved from url=(0014)http://a.cn/x -->\n<html>"))
