"""Bad pages in the corpus: each is named with its reason, the rest is indexed and searchable.

The small bad pages are committed in tests/fixtures/bad/; big and binary ones, copies of the
seeds and files with unusable names are made here, in temporary folders.
"""
import shutil
import tracemalloc
import warnings
from pathlib import Path

import pytest

from indexer.index.build import rebuild
from indexer.clean.rawfile import MAX_PAGE_BYTES, TRUNCATED_WARNING, BadPage, clean_file
from indexer.clean.cache import clean_corpus
from search import SearchEngine

from conftest import SEED_FILES, reported_lines, run_module

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration

BAD = Path(__file__).parent / "fixtures" / "bad"
PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
# Memory a refused oversized page may cost while it is checked: far below its size.
SIZE_CHECK_MEMORY_BYTES = 1024 * 1024
# What must never reach a paragraph of a page full of scripts and event handlers.
SCRIPT_MARKS = ("<script", "onerror", "javascript:", "alert(", "onclick", "onload", "<")

# The bad pages of the committed fixtures and why each is refused.
REFUSED = {
    "empty.txt": "empty file",
    "mixed_gbk_utf8.html": "mixed encodings",
    "not_a_report.html": "not a report",
    "xml_feed.html": "not a report",
    "just_a_link.html": "not a report",
}
# Fixtures that are damaged but hold a report: indexed, found by a phrase of their own.
INDEXED = {
    "truncated_mid_tag.html": '"柳河街道建成"',
    "truncated_mid_body.html": '"松林说理堂"',
    "wrong_declared_encoding.html": '"白沙调解茶座"',
    "script_heavy.html": '"红岩调解室"',
}


def quiet(message):
    """Swallow progress messages."""


def copy_seeds(raw):
    """Copy the five seed pages into a raw folder."""
    raw.mkdir(parents=True, exist_ok=True)
    for path in SEED_FILES:
        shutil.copy(path, raw / path.name)


def write_huge_page(path, size):
    """Write an HTML page of about size bytes: a real report body repeated, as a runaway dump would be."""
    body = (BAD / "wrong_declared_encoding.html").read_bytes().decode("gbk").encode("utf-8")
    with open(path, "wb") as out:
        written = 0
        while written < size:
            written += out.write(body)


def sparse_file(path, size):
    """Create a file of size bytes that takes no disk space (all zero bytes)."""
    with open(path, "wb") as out:
        out.truncate(size)


def redundant_copy(seed):
    """Return a seed's text with other line endings, blank lines and spaces: other bytes, same report."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    return "\r\n\r\n".join(f"  {line}  " for line in lines).encode("utf-8")


@pytest.fixture()
def bad_corpus(tmp_path):
    """The seeds with every kind of bad page beside them."""
    raw = tmp_path / "corpus" / "raw"
    copy_seeds(raw)
    for path in BAD.iterdir():
        shutil.copy(path, raw / path.name)
    (raw / "binary.html").write_bytes(PNG_HEADER + bytes(range(256)) * 4)
    write_huge_page(raw / "huge.html", 2 * MAX_PAGE_BYTES)
    shutil.copy(SEED_FILES[1], raw / "zz_copy.txt")
    (raw / "zz_copy_reformatted.txt").write_bytes(redundant_copy(SEED_FILES[2]))
    return tmp_path / "corpus"


def stderr_lines_naming(stderr, name):
    """Return the stderr lines that name a file of the corpus."""
    return [line for line in stderr.splitlines() if f"/raw/{name}:" in line]


def test_rebuild_names_each_bad_page_once_and_indexes_the_rest(bad_corpus, tmp_path):
    index = tmp_path / "index"
    done = run_module("indexer", "rebuild", "--corpus", str(bad_corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr
    expected = {**REFUSED, "binary.html": "binary data", "huge.html": "too large",
                "zz_copy.txt": f"duplicate of report {SEED_FILES[1].stem}",
                "zz_copy_reformatted.txt": f"duplicate of report {SEED_FILES[2].stem}"}
    for name, reason in expected.items():
        named = stderr_lines_naming(done.stderr, name)
        assert len(named) == 1 and reason in named[0], (name, done.stderr)
    # Nothing else is reported: one line per bad page, and the summary on stdout (beside the
    # progress line a stage prints every few seconds, which a busy machine may take to clean these).
    reported = reported_lines(done.stderr)
    assert len(reported) == len(expected), done.stderr
    assert done.stdout.startswith(f"indexed {len(SEED_FILES) + len(INDEXED)} reports")
    engine = SearchEngine(index)
    assert engine.search('"枫桥经验"')["total"] == 3
    for name, phrase in INDEXED.items():
        hits = engine.search(phrase)["hits"]
        assert [hit["report_id"] for hit in hits] == [Path(name).stem], name
    assert engine.search('"青石法律诊所"')["total"] == 0  # the mixed-encoding page


def test_duplicates_are_decided_by_file_name_order(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    copy_seeds(raw)
    shutil.copy(SEED_FILES[3], raw / "000_first_copy.txt")
    messages = []
    summary = clean_corpus(tmp_path / "corpus", tmp_path / "clean", messages.append)
    ids = [report.report_id for report in summary.reports]
    # The copy sorts first, so it is kept and the original page is the duplicate.
    assert "000_first_copy" in ids and SEED_FILES[3].stem not in ids
    assert messages == [f"skipped {raw / SEED_FILES[3].name}: duplicate of report 000_first_copy"
                        f" ({raw / '000_first_copy.txt'}): same paragraphs"]
    again = clean_corpus(tmp_path / "corpus", tmp_path / "clean", quiet)
    assert [report.report_id for report in again.reports] == ids


def test_a_different_report_with_the_same_title_is_not_a_duplicate(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    copy_seeds(raw)
    text = SEED_FILES[3].read_text(encoding="utf-8")
    (raw / "zz_changed.txt").write_text(text.replace("草滩街道", "草滩镇"), encoding="utf-8")
    summary = clean_corpus(tmp_path / "corpus", tmp_path / "clean", quiet)
    assert len(summary.reports) == len(SEED_FILES) + 1 and not summary.skipped


def test_scripts_and_event_handlers_never_reach_the_report_text():
    report = clean_file(BAD / "script_heavy.html")
    texts = [report.title] + [paragraph.text for paragraph in report.paragraphs]
    for text in texts:
        for mark in SCRIPT_MARKS:
            assert mark not in text.lower(), (mark, text)
    body = "".join(texts)
    # Hidden elements, frames and <noscript> fallbacks hold no report text either.
    for hidden in ("隐藏的推广文字", "框架内文字", "请启用脚本"):
        assert hidden not in body
    assert "红岩镇设立“红岩调解室”" in body and report.title == "红岩镇2023年法治政府建设情况报告"
    assert len(report.paragraphs) == 10


@pytest.mark.parametrize("name, last_text", [
    ("truncated_mid_tag.html", "执法人员专业素质有待提高。"),
    ("truncated_mid_body.html", "执法人员专业"),
])
def test_truncated_pages_are_indexed_with_a_warning_and_no_markup(name, last_text):
    report = clean_file(BAD / name)
    assert TRUNCATED_WARNING in report.warnings
    last = report.paragraphs[-1].text
    assert last.startswith("一是部分干部") and last_text in last
    assert not any("<" in p.text or "style=" in p.text for p in report.paragraphs)


def test_a_complete_page_carries_no_truncation_warning():
    assert TRUNCATED_WARNING not in clean_file(BAD / "script_heavy.html").warnings


def test_wrongly_declared_encoding_is_read_in_the_real_one():
    report = clean_file(BAD / "wrong_declared_encoding.html")
    assert report.title == "白沙乡2022年法治政府建设情况报告" and not report.warnings
    assert report.paragraphs[0].text.startswith("2022年，白沙乡在县委、县政府的坚强领导下")


def test_xml_and_link_only_pages_are_refused_without_parser_advice():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("xml_feed.html", "just_a_link.html"):
            with pytest.raises(BadPage, match="not a report"):
                clean_file(BAD / name)


def test_oversized_page_is_refused_from_its_size_without_reading_it(tmp_path):
    huge = tmp_path / "huge.html"
    sparse_file(huge, 2 * MAX_PAGE_BYTES)
    tracemalloc.start()
    try:
        with pytest.raises(BadPage, match="too large: 20,971,520 bytes, above the limit of 10,485,760"):
            clean_file(huge)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < SIZE_CHECK_MEMORY_BYTES


def test_rebuild_refuses_an_oversized_page_before_hashing_it(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    sparse_file(raw / "huge.html", MAX_PAGE_BYTES + 1)
    messages = []
    tracemalloc.start()
    try:
        summary = clean_corpus(tmp_path / "corpus", tmp_path / "clean", messages.append)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < SIZE_CHECK_MEMORY_BYTES
    assert summary.skipped == [(str(raw / "huge.html"), "too large: 10,485,761 bytes, above the limit"
                                " of 10,485,760 (MAX_PAGE_BYTES)")]
    assert len(messages) == 1


def test_a_page_of_exactly_the_limit_is_not_refused_for_its_size(tmp_path):
    page = tmp_path / "at_limit.html"
    sparse_file(page, MAX_PAGE_BYTES)
    with pytest.raises(BadPage, match="binary data"):
        clean_file(page)


# File names a report link cannot carry, and the reason each is refused.
UNLINKABLE_NAMES = {
    b"bad_\xff\xfe_name.txt": "file name is not valid UTF-8",
    b".hidden_report.txt": "hidden file",
    b"report#2.txt": "file name holds #",
    b"report?id=3.txt": "file name holds #",
    b"100%.txt": "file name holds #",
}


def test_unlinkable_file_names_are_refused_and_the_rebuild_goes_on(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    copy_seeds(raw)
    pages = {}
    for name, reason in UNLINKABLE_NAMES.items():
        page = raw / name.decode("utf-8", "surrogateescape")
        page.write_bytes((BAD / "script_heavy.html").read_bytes())
        pages[str(page)] = reason
    messages = []
    summary = rebuild(tmp_path / "corpus", tmp_path / "index", warn=messages.append)
    assert summary.reports == len(SEED_FILES)
    assert sorted(path for path, _ in summary.skipped) == sorted(pages)
    assert len(messages) == len(pages)
    for path, reason in pages.items():
        said = [message for message in messages if path in message]
        assert len(said) == 1 and reason in said[0], (path, messages)
    assert SearchEngine(tmp_path / "index").search('"红岩调解室"')["total"] == 0


def break_page(page, breakage):
    """Damage a raw page the way a bad download or a bad edit would."""
    if breakage == "empty":
        page.write_bytes(b"")
    elif breakage == "binary":
        page.write_bytes(PNG_HEADER)
    elif breakage == "too large":
        sparse_file(page, MAX_PAGE_BYTES + 1)
    else:
        page.write_text("网站首页 | 政务公开\n版权所有：某某县人民政府\n", encoding="utf-8")


def test_a_report_indexed_before_stays_searchable_when_its_page_breaks(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    copy_seeds(raw)
    index = tmp_path / "index"
    rebuild(tmp_path / "corpus", index, warn=quiet)
    engine = SearchEngine(index)
    breakages = dict(zip(("empty", "binary", "too large", "no report"), SEED_FILES[1:]))
    # A long paragraph of each report to be broken, searched again after the pages break.
    phrases = {seed.stem: max((p.text for p in engine.report(seed.stem).paragraphs), key=len)[:30]
               for seed in breakages.values()}
    for breakage, seed in breakages.items():
        break_page(raw / seed.name, breakage)
    messages = []
    summary = rebuild(tmp_path / "corpus", index, warn=messages.append)
    assert summary.reports == len(SEED_FILES)
    assert len(messages) == len(breakages)
    assert all("keeping its earlier clean version" in message for message in messages)
    for report_id, phrase in phrases.items():
        hits = engine.search(f'"{phrase}"')["hits"]
        assert report_id in [hit["report_id"] for hit in hits], (report_id, phrase)
