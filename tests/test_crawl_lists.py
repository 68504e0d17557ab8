"""The crawler's parts without a network: list pages of each CMS family, link dates, report titles, the fence, the journal, the test sites."""
import re
import sys
from pathlib import Path

import pytest

from indexer.fetch.journal import Journal
from indexer.fetch.fence import Fence
from indexer.fetch.lists import Link, ListPage, looks_like_list, read_list
from indexer.fetch.titles import BadPattern, ReportMatcher, is_report_title, year_of

SITES_DIR = Path(__file__).parent / "fixtures" / "sites"
sys.path.insert(0, str(SITES_DIR))
from serve import MANIFEST  # noqa: E402  (the fixture sites' own server and manifest)


@pytest.mark.parametrize("title", [
    "湖州市人民政府关于2023年度法治政府建设工作情况的报告",
    "2023年法治政府建设年度报告",
    "关于2019年依法行政工作情况的报告",
    "某县2022年度法治建设工作报告",
    "《2022年度法治政府建设情况报告》",
    "某市2021年法治政府建设情况报告（全文）",
    "  某镇 2020年 法治政府建设 工作报告 ",
])
def test_report_titles(title):
    assert is_report_title(title)


@pytest.mark.parametrize("title", [
    "关于报送2024年度法治政府建设情况报告的通知",
    "《湖州市人民政府关于2023年度法治政府建设工作情况的报告》解读",
    "湖州市2023年度法治政府建设情况报告（图解）",
    "2022年度法治政府建设情况报告报送情况的通报",
    "湖州市2024年政府信息公开工作年度报告",
    "湖州市2025年法治政府建设工作要点",
    "安徽省法治政府建设示范创建活动实施方案",
    "某县2023年法治政府建设工作情况报告（征求意见稿）",
])
def test_titles_that_are_not_reports(title):
    assert not is_report_title(title)


def test_match_overrides_the_pattern_and_a_bad_one_is_named():
    matcher = ReportMatcher("工作要点$")
    assert matcher.matches("", "湖州市2025年法治政府建设工作要点") and not matcher.matches("某市法治政府建设情况报告")
    with pytest.raises(BadPattern, match=r"--match '\(' is not a regular expression"):
        ReportMatcher("(")


def test_year_of_a_link_from_its_title_else_its_list_date():
    assert year_of(["关于2021年度法治政府建设情况的报告"], "2022-03-30") == 2021
    assert year_of(["法治政府建设情况报告"], "2022-03-30") == 2022
    assert year_of(["法治政府建设情况报告"], "") is None


TRS_LIST = """<html><body><ul>
<li><a href="./202403/t20240328_1.html" title="甲市2023年法治政府建设情况报告">甲市2023年法治政府…</a><span>2024-03-28</span></li>
<li><a href="./202402/t20240201_2.html">乙区2023年法治政府建设工作报告</a> [2024/2/1]</li>
<li><a href="javascript:void(0)">打印</a></li>
</ul><script>createPageHTML('page_div', 4, 1, 'index', 'shtml', 62);</script></body></html>"""


def test_trs_pages_links_and_dates():
    page = read_list("http://www.a.gov.cn/col/fzzf/index_1.shtml", TRS_LIST)
    assert page.pages == ["http://www.a.gov.cn/col/fzzf/index.shtml", "http://www.a.gov.cn/col/fzzf/index_2.shtml",
                          "http://www.a.gov.cn/col/fzzf/index_3.shtml"]
    assert page.links == [
        Link("http://www.a.gov.cn/col/fzzf/202403/t20240328_1.html", "甲市2023年法治政府…",
             "甲市2023年法治政府建设情况报告", "2024-03-28"),
        Link("http://www.a.gov.cn/col/fzzf/202402/t20240201_2.html", "乙区2023年法治政府建设工作报告", "", "2024-02-01"),
    ]


HANWEB_LIST = """<html><body><div id="77001"><script type="text/xml"><datastore>
<totalrecord>45</totalrecord><recordset>
<record><![CDATA[<li><a href="/art/2024/3/1/art_1_1.html" title="甲县2023年度法治政府建设情况报告">甲县</a><span>2024年3月1日</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/2/1/art_1_2.html">乙镇通知</a><span>2024-02-01</span></li>]]></record>
</recordset></datastore></script></div></body></html>"""


def test_hanweb_records_and_pages_from_the_record_count():
    page = read_list("http://www.b.gov.cn/col/col1/index.html", HANWEB_LIST)
    assert [(link.url, link.date) for link in page.links] == [
        ("http://www.b.gov.cn/art/2024/3/1/art_1_1.html", "2024-03-01"),
        ("http://www.b.gov.cn/art/2024/2/1/art_1_2.html", "2024-02-01")]
    # 45 records at 2 a page: 23 pages, the unit id taken from the element holding the data.
    assert len(page.pages) == 22
    assert page.pages[0] == "http://www.b.gov.cn/col/col1/index.html?uid=77001&pageNum=2"
    assert page.pages[-1] == "http://www.b.gov.cn/col/col1/index.html?uid=77001&pageNum=23"


def test_hanweb_later_page_keeps_its_unit_and_skips_itself():
    text = HANWEB_LIST.replace("<totalrecord>45</totalrecord>", "<totalpage>3</totalpage>")
    page = read_list("http://www.b.gov.cn/col/col1/index.html?uid=9&pageNum=2", text)
    assert page.pages == ["http://www.b.gov.cn/col/col1/index.html?uid=9&pageNum=3"]


PLAIN_LIST = """<html><body><table>
<tr><td><a href="show.asp?id=7">丙县2022年度法治政府建设情况报告</a></td><td>2023.03.17</td></tr>
</table>
<div><a href="list.asp?classid=5&page=1">首页</a> <a href="list.asp?classid=5&page=1">上一页</a>
<a href="list.asp?classid=5&page=3">下一页</a> <a href="list.asp?classid=5&page=9">尾页</a>
<a href="list.asp?classid=6&page=3">其他栏目</a> <a href="/news/list.html" rel="next">更多</a></div>
</body></html>"""


def test_plain_lists_follow_next_and_later_numbered_pages_only():
    page = read_list("http://www.c.gov.cn/zwgk/list.asp?classid=5&page=2", PLAIN_LIST)
    assert page.pages == ["http://www.c.gov.cn/zwgk/list.asp?classid=5&page=3",
                          "http://www.c.gov.cn/zwgk/list.asp?classid=5&page=9",
                          "http://www.c.gov.cn/news/list.html"]
    assert page.links[0].date == "2023-03-17"


def test_a_page_that_declares_its_encoding_in_xml_is_read():
    text = '<?xml version="1.0" encoding="utf-8"?><html><body><a href="/a.html">甲</a></body></html>'
    assert [link.url for link in read_list("http://d.gov.cn/", text).links] == ["http://d.gov.cn/a.html"]


@pytest.mark.parametrize("url, is_list", [
    ("http://a.gov.cn/col/fzzf/", True), ("http://a.gov.cn/col/fzzf/index_3.html", True),
    ("http://a.gov.cn/col/col7201/index.html", True), ("http://a.gov.cn/list.asp?classid=5&page=2", True),
    ("http://a.gov.cn/col/fzzf/202403/t20240328_1.html", False), ("http://a.gov.cn/show.asp?id=7", False),
    ("http://a.gov.cn/art/2024/3/1/art_1_1.html", False),
])
def test_list_pages_are_told_from_articles(url, is_list):
    assert looks_like_list(url) is is_list


def test_journal_survives_a_line_cut_short(tmp_path):
    journal = Journal(tmp_path, ["http://a.gov.cn/list.html"])
    page = ListPage([Link("http://a.gov.cn/1.html", "甲", "", "2024-01-02")], ["http://a.gov.cn/list_1.html"])
    journal.add("http://a.gov.cn/list.html", page)
    journal.close(finished=False)
    with open(journal.path, "a", encoding="utf-8") as stream:
        stream.write('{"url": "http://a.gov.cn/list_1.ht')  # what a kill -9 leaves
    resumed = Journal(tmp_path, ["http://a.gov.cn/list.html"])
    pages, tried = resumed.read()
    assert pages == {"http://a.gov.cn/list.html": page} and tried == {}
    resumed.add("http://a.gov.cn/list_1.html", ListPage())
    assert set(Journal(tmp_path, ["http://a.gov.cn/list.html"]).read()[0]) == {
        "http://a.gov.cn/list.html", "http://a.gov.cn/list_1.html"}
    resumed.close(finished=True)
    assert not journal.path.exists()


def test_fence_keeps_a_crawl_on_its_sites():
    fence = Fence(["http://www.a.gov.cn/col/index.html", "https://b.gov.cn:8443/list"], allow_hosts=["c.gov.cn"])
    assert fence.allows("https://www.a.gov.cn/art/1.html")  # the same site over https
    assert fence.allows("http://www.a.gov.cn:80/art/1.html")  # the default port spelled out
    assert fence.allows("https://b.gov.cn:8443/art/2.html") and not fence.allows("https://b.gov.cn/art/2.html")
    assert fence.allows("http://c.gov.cn:8080/x.html")  # told to
    assert not fence.allows("http://a.gov.cn/art/1.html") and not fence.allows("http://evil.cn/www.a.gov.cn")


def test_the_committed_sites_are_what_make_sites_writes():
    from make_sites import outputs
    written = outputs()
    committed = {str(path.relative_to(SITES_DIR)): path.read_bytes() for path in SITES_DIR.rglob("*")
                 if path.is_file() and path.suffix != ".py" and "__pycache__" not in path.parts}
    assert sorted(committed) == sorted(written)
    assert [name for name in written if written[name] != committed[name]] == []
    articles = [name for name in written if name.endswith(".html") and not re.search(r"/(index|list)[^/]*$", name)]
    assert len(articles) >= 30 and sum(1 for link in MANIFEST["links"] if link["report"]) >= 30


# Python refuses to read a number of 5,000 digits: it reads as "more than any limit".
@pytest.mark.parametrize("claim, read", [("100000000", 100000000), ("9" * 5000, 10 ** 18)])
def test_a_pager_claim_is_capped_before_any_url_is_built(claim, read):
    from indexer.fetch.politeness import MAX_CLAIMED_PAGES
    trs = f"<html><body><script>createPageHTML({claim}, 0, 'index', 'html')</script></body></html>"
    page = read_list("http://a.gov.cn/col/index.html", trs)
    assert len(page.pages) == MAX_CLAIMED_PAGES - 1 and page.pages[-1].endswith(f"/index_{MAX_CLAIMED_PAGES - 1}.html")
    assert page.notes == [f"its pager claims {read} pages:"
                          f" only the first {MAX_CLAIMED_PAGES} named (MAX_CLAIMED_PAGES)"]
    hanweb = HANWEB_LIST.replace("<totalrecord>45</totalrecord>", f"<totalrecord>{claim}</totalrecord>")
    pages = read_list("http://www.b.gov.cn/col/col1/index.html", hanweb).pages
    assert len(pages) == MAX_CLAIMED_PAGES - 1 and pages[-1].endswith(f"pageNum={MAX_CLAIMED_PAGES}")


def test_links_past_the_limit_are_not_read_and_the_page_says_so(monkeypatch):
    import indexer.fetch.lists as lists
    monkeypatch.setattr(lists, "MAX_LIST_LINKS", 50)
    rows = "".join(f'<li><a href="/a/{n}.html">第{n}号</a> 2024-01-{n % 28 + 1:02d}</li>' for n in range(60))
    page = read_list("http://a.gov.cn/list.html", f"<html><body><ul>{rows}</ul></body></html>")
    assert [link.url for link in page.links] == [f"http://a.gov.cn/a/{n}.html" for n in range(50)]
    assert page.links[49].date == "2024-01-22" and page.notes == ["only its first 50 of 60 links read (MAX_LIST_LINKS)"]
    assert ListPage.from_dict(page.to_dict()) == page  # the notes are journaled too


def test_each_link_is_dated_by_its_own_entry_however_the_list_nests():
    text = """<html><body><div><ul>
    <li><div><span><a href="/1.html">甲</a></span></div><em>2021-01-02</em></li>
    <li><a href="/2.html">乙</a></li>
    <li><p><a href="/3.html">丙</a></p><p><a href="/4.html">丁</a> 2023-04-05</p></li>
    </ul><p>2019-09-09</p></div></body></html>"""
    dates = {link.url[-6:]: link.date for link in read_list("http://a.gov.cn/", text).links}
    # An entry is the largest element holding only its link: 乙 has no date of its own, 丙's <p> neither.
    assert dates == {"1.html": "2021-01-02", "2.html": "", "3.html": "", "4.html": "2023-04-05"}


def test_page_numbers_in_odd_digits_are_not_page_numbers():
    page = read_list("http://c.gov.cn/list.asp?page=1", '<a href="list.asp?page=²">2</a><a href="list.asp?page=3">3</a>')
    assert page.pages == ["http://c.gov.cn/list.asp?page=3"]
