"""Reports published as documents (issue 24): PDF, DOCX and scans read into reports, bad files named.

The documents are made here or by tests/fixtures/sites/documents.py (Chromium prints the PDFs,
so their text layer carries the Kangxi-radical code points real PDFs do); nothing is downloaded.
"""
import re
import sys
from pathlib import Path

import pytest

from indexer.clean.budget import PageCleaner
from indexer.clean.compat import fold_compatible
from indexer.clean.errors import BadPage
from indexer.clean.ocr import OCR_PAGE_SECONDS
from indexer.clean.printed import Line, paragraphs_of
from indexer.fetch.attachments import report_attachment
from indexer.fetch.titles import ReportMatcher
from model.text import normalize

from conftest import SEED_FILES, SITES_DIR, run_module

sys.path.insert(0, str(SITES_DIR))
from documents import encrypted_pdf, long_pdf, write_docx, zip_bomb  # noqa: E402  (the site's document maker)
from make_sites import DOCUMENT_POSTINGS, document_blocks  # noqa: E402
from worddoc import doc_bytes  # noqa: E402  (a Word 97–2003 file written by hand)

POSTING = {posting["kind"]: posting for posting in DOCUMENT_POSTINGS}
KANGXI = re.compile("[\u2e80-\u2fdf]")


def clean(path, **budget):
    """Clean one file in a budgeted worker, as a rebuild does; return the Report."""
    with PageCleaner(**budget) as cleaner:
        return cleaner.clean(path)


def refusal(path):
    """Return the reason the cleaner refuses a file with."""
    with pytest.raises(BadPage) as refused:
        clean(path)
    return str(refused.value)


# --- folding and layout, on text and lines made here ----------------------------------------

def test_radicals_fold_into_the_characters_they_stand_for():
    assert fold_compatible("全⾯推进依法⾏政，湖州市⼈⺠政府⻓效机制，⼊⼾⾛访，⻅⾯会") == \
        "全面推进依法行政，湖州市人民政府长效机制，入户走访，见面会"


def test_folding_leaves_punctuation_numbers_and_seed_reports_as_they_are():
    text = "（一）强化监督，落实责任：①整改；②复查！２０２４年“一网通办”。ＡＢＣ　全角空格"
    assert fold_compatible(text) == text
    for path in SEED_FILES:
        seed = path.read_text(encoding="utf-8")
        assert fold_compatible(seed) == seed, path.name


def line(text, left=90, right=510, top=0, height=16):
    """Return a printed Line; a full line reaches the right edge (510), an indented one starts at 122."""
    return Line(text, left, right, top, height)


def test_wrapped_lines_join_and_paragraphs_stay_apart():
    page = [line("一、主要举措", left=122, right=220, top=60),
            line("全面推进依法行政，把公众参与、专家论证", left=122, top=90),
            line("纳入重大决策程序。", right=250, top=110),
            line("二是加强执法监督，组织行政执法人员轮", left=122, top=130),
            line("训三百人次。", right=200, top=150)]
    assert paragraphs_of([page]) == ["一、主要举措", "全面推进依法行政，把公众参与、专家论证纳入重大决策程序。",
                                     "二是加强执法监督，组织行政执法人员轮训三百人次。"]


def test_page_numbers_and_running_headers_go_and_a_sentence_over_a_page_break_joins():
    header = "嘉善县人民政府文件"
    pages = [[line(header, 200, 380, 30), line("全年受理行政复议申请一百二十件，依法纠", left=122, top=90),
              line("正违法行为十件，调解", top=110), line("— 1 —", 280, 320, 800)],
             [line(header, 200, 380, 30), line("结案九十件。", right=200, top=90),
              line("下一步，我们将继续推进。", left=122, right=320, top=110), line("— 2 —", 280, 320, 800)]]
    assert paragraphs_of(pages) == ["全年受理行政复议申请一百二十件，依法纠正违法行为十件，调解结案九十件。",
                                    "下一步，我们将继续推进。"]


def test_a_heading_ending_near_the_edge_does_not_swallow_the_next_line():
    page = [line("三、党政主要负责人履行推进法治建设第一责任人职责情况", left=90, right=490, top=60),
            line("主要负责人带头尊法学法守法用法，全年主持召开专题会议", left=90, top=90),
            line("五次。", right=140, top=110)]
    assert paragraphs_of([page]) == ["三、党政主要负责人履行推进法治建设第一责任人职责情况",
                                     "主要负责人带头尊法学法守法用法，全年主持召开专题会议五次。"]


# --- bad files: each refused with its reason, the next file cleaned ------------------------------

@pytest.mark.parametrize("name, make, reason", [
    ("locked.pdf", lambda path: path.write_bytes(encrypted_pdf()), "encrypted PDF: it opens only with a password"),
    ("cut.pdf", lambda path: path.write_bytes(long_pdf(3)[:-200]), "truncated PDF: no %%EOF marker at its end"),
    ("long.pdf", lambda path: path.write_bytes(long_pdf(500)), "500 pages, more than a report has"),
    ("bomb.docx", zip_bomb, "a ZIP bomb, not read"),
    ("page.pdf", lambda path: path.write_text("<html><body>404</body></html>"), "not a PDF: the file is an HTML page"),
    ("text.docx", lambda path: path.write_text("not a document"), "not a DOCX: not a ZIP archive"),
    ("old.doc", lambda path: path.write_text("not a document"), "not a DOC: no Word 97–2003 container"),
    ("blank.pdf", lambda path: path.write_bytes(long_pdf(2)), "no text in the PDF"),
])
def test_bad_documents_are_refused_with_the_reason(tmp_path, name, make, reason):
    make(tmp_path / name)
    assert reason in refusal(tmp_path / name)


def test_docx_written_by_python_docx_is_a_report(tmp_path):
    posting = POSTING["docx"]
    write_docx(posting, tmp_path / "report.docx")
    report = clean(tmp_path / "report.docx")
    assert report.title == posting["title"] and report.issuer == posting["org"]
    assert report.pub_date == posting["date"] and report.level == "township" and not report.ocr
    assert any(posting["marker"] in p.text for p in report.paragraphs)
    assert not any(p.text in (posting["title"], posting["org"]) for p in report.paragraphs)  # frame, not body


def word97(posting, path):
    """Write a posting's report as a Word 97–2003 .doc: title, paragraphs, signature."""
    year, month, day = (int(part) for part in posting["date"].split("-"))
    path.write_bytes(doc_bytes([posting["title"], *(text for text, _ in document_blocks(posting)),
                                posting["org"], f"{year}年{month}月{day}日"]))


def test_doc_is_read_by_antiword(tmp_path):
    posting = POSTING["docx"]
    word97(posting, tmp_path / "report.doc")
    report = clean(tmp_path / "report.doc")
    assert (report.title, report.issuer, report.pub_date) == (posting["title"], posting["org"], posting["date"])
    assert any(posting["marker"] in p.text for p in report.paragraphs) and report.source["kind"] == "DOC"


@pytest.mark.integration  # runs `python -m indexer clean` twice
def test_doc_falls_back_to_catdoc_and_says_when_neither_reader_is_there(tmp_path):
    posting = POSTING["docx"]
    word97(posting, tmp_path / "report.doc")
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "catdoc").symlink_to("/usr/bin/catdoc")
    done = run_module("indexer", "clean", str(tmp_path / "report.doc"), "--json", env={"PATH": str(tools)})
    assert done.returncode == 0 and posting["marker"] in done.stdout  # antiword is not on PATH
    (tools / "catdoc").unlink()
    done = run_module("indexer", "clean", str(tmp_path / "report.doc"), "--json", env={"PATH": str(tools)})
    assert "report.doc: cannot read DOC: neither antiword nor catdoc is installed" in done.stderr
    assert "Traceback" not in done.stderr


# --- PDFs printed by Chromium, and a scan (made once per session) -----------------------------

def raw_lines(pdf):
    """Return a PDF's text layer as pdfminer's lines, page after page (radicals as they are)."""
    from pdfminer.high_level import extract_text
    return [text.strip() for text in extract_text(str(pdf)).splitlines() if text.strip()]


@pytest.mark.integration
def test_printed_pdf_with_radicals_and_broken_lines_reads_whole(documents):
    posting = POSTING["pdf"]
    pdf = documents / posting["file"]
    lines = raw_lines(pdf)
    assert KANGXI.search("".join(lines))  # Chromium's Noto CJK text layer, as real PDFs have it
    report = clean(pdf)
    assert report.title == posting["title"] and report.issuer == posting["org"] and report.level == "department"
    body = "".join(normalize(p.text) for p in report.paragraphs)
    assert not KANGXI.search(body)
    assert normalize(posting["marker"]) in body
    # Every sentence broken at a line's end reads whole: the last characters of a line and the
    # first of the next, in ordinary characters, stand together in one paragraph.
    body_lines = [fold_compatible(text) for text in lines if fold_compatible(text) not in posting["title"]]
    full = max(map(len, body_lines)) - 2  # a line the page's width ended, not its paragraph
    broken = [(a[-4:], b[:4]) for a, b in zip(body_lines, body_lines[1:])
              if not re.search(r"[。：；！？]$", a) and len(a) >= full]
    assert len(broken) >= 5
    for end, start in broken:
        assert any(normalize(end + start) in normalize(p.text) for p in report.paragraphs), end + start


@pytest.mark.integration
def test_scanned_pdf_is_read_by_ocr_and_says_so(documents):
    posting = POSTING["scan"]
    assert not raw_lines(documents / posting["file"])  # no text layer at all
    # The file's budget grows by the time OCR asks for its pages (rendering and reading each one):
    # asserted on what was asked, not on how long OCR took, which a busy machine stretches.
    with PageCleaner() as cleaner:
        report = cleaner.clean(documents / posting["file"])
        asked = cleaner.allowed - cleaner.seconds
    assert asked > 0 and asked % (2 * OCR_PAGE_SECONDS) == 0
    assert report.ocr and posting["marker"] in "".join(p.text for p in report.paragraphs)


@pytest.mark.integration
def test_without_ocr_the_scan_is_named_with_the_reason(documents, tmp_path):
    done = run_module("indexer", "clean", str(documents / POSTING["scan"]["file"]), "--json",
                      env={"PATH": str(tmp_path)})  # no tesseract, no pdftoppm
    assert done.returncode != 0 or not done.stdout.strip()
    assert f"{POSTING['scan']['file']}: scanned PDF, no text layer on its" in done.stderr
    assert "OCR unavailable: pdftoppm is not installed" in done.stderr
    assert "Traceback" not in done.stderr


# --- which attachment a report page hands its report to -----------------------------------------

def notice(body, title="某县2024年度法治政府建设情况报告"):
    """Return a report page of the given body, in a site's frame."""
    return (f'<html><head><title>{title}</title><meta name="PubDate" content="2025-03-20">'
            f'<meta name="ContentSource" content="某县人民政府"></head><body><div class="nav"><a href="/">首页</a></div>'
            f'<h1>{title}</h1><div class="TRS_Editor">{body}</div></body></html>')


def handed(page):
    """Return the URL of the attachment a page hands its report to, or None."""
    found = report_attachment("http://www.x.gov.cn/art/1.html", page, ReportMatcher())
    return found and found[0].url


def test_a_notice_hands_its_report_to_the_attachment_named_as_a_report():
    page = notice('<p>现将报告予以公开，详见附件。</p><p><a href="a.pdf">附件1：某县2025年法治政府建设工作要点.pdf</a></p>'
                  '<p><a href="/up/b.pdf">附件2：某县2024年度法治政府建设情况报告.pdf</a></p>')
    assert handed(page) == "http://www.x.gov.cn/up/b.pdf"
    _, facts = report_attachment("http://www.x.gov.cn/art/1.html", page, ReportMatcher())
    assert facts == {"title": "某县2024年度法治政府建设情况报告", "pub_date": "2025-03-20", "issuer": "某县人民政府"}


def test_an_unnamed_attachment_is_the_report_only_when_alone_and_never_a_decoy():
    assert handed(notice('<p>全文见附件。</p><p><a href="/up/123.docx">附件</a></p>')) == "http://www.x.gov.cn/up/123.docx"
    assert handed(notice('<p>全文见附件。</p><p><a href="1.pdf">附件1</a> <a href="2.pdf">附件2</a></p>')) is None
    assert handed(notice('<p>详见附件。</p><p><a href="a.pdf">某县2025年法治政府建设工作要点.pdf</a></p>')) is None


def test_a_page_holding_the_report_keeps_it_and_its_download_link_is_left_alone():
    body = "".join(f"<p>{text}</p>" for text, _ in document_blocks(POSTING["pdf"]))
    assert handed(notice(body + '<p><a href="/up/b.pdf">附件下载：某县2024年度法治政府建设情况报告.pdf</a></p>')) is None
