"""No page can stall a rebuild (issue 13, item 2; issue 23, item 8).

Nested and repeated markup is read in time near-linear in its size (every element's text is
measured in one walk, the content selectors matched in one pass); a page with more tags
than MAX_ELEMENTS is refused before it is parsed; text is segmented into words in time linear
in its length; a page that outruns its time or memory budget, segmenting included, is stopped
and named, and the rebuild goes on and publishes the rest.
"""

from hypothesis import given, settings
from hypothesis import strategies as st
import pytest

from indexer.clean.budget import PageCleaner, PageCleaners, resident_mb
from indexer.clean.errors import BadPage
from indexer.clean.htmlpage import CONTENT_SELECTORS, MAX_ELEMENTS, drop_invisible, parse_html
from indexer.clean.selectors import select_each
from indexer.clean.treetext import TreeText, collapse
from search import SearchEngine

from conftest import SEED_FILES, examples, run_module

HEAD = "<html><head><title>某县2020年法治政府建设情况报告</title></head><body>"
TAIL = "</body></html>"
# Sentences of a seed report, so that a page built of them is a report.
SENTENCES = [s + "。" for s in SEED_FILES[0].read_text(encoding="utf-8").replace("\n", "").split("。")
             if len(s) > 10]
# A phrase no seed holds, put once into a page that must be indexed.
MARKER = "嵌套标记里的报告段落"


def repeated(unit, size):
    """Return unit repeated to about size bytes of UTF-8."""
    return unit * (size // len(unit.encode("utf-8")))


def nested_report(size):
    """Return a report page of unclosed <div><span> pairs, nested as deep as the page is long."""
    units = [f"<div><span>{SENTENCES[k % len(SENTENCES)]}</span>" for k in range(size // 120)]
    units[len(units) // 2] = f"<div><span>{MARKER}在这一层。</span>"
    return HEAD + "".join(units) + TAIL


def write(path, text):
    """Write a page as UTF-8 and return its path."""
    path.write_text(text, encoding="utf-8")
    return path


def stderr_naming(done, name):
    """Return the stderr lines of a command that name a raw page."""
    return [line for line in done.stderr.splitlines() if f"/raw/{name}:" in line]


# Random markup: the tags the cleaner looks at, class and id names it reacts to, and text with
# every kind of whitespace collapse() treats specially (line breaks between CJK characters,
# ideographic and no-break spaces, runs at the ends).
TAGS = ("div", "p", "span", "font", "a", "table", "tr", "td", "ul", "li", "b", "br", "h1", "rt", "center")
CLASSES = ("", "nav", "TRS_Editor", "content", "share-box", "article", "zoom", "main")
IDS = ("", "content", "zoom", "UCAP-CONTENT", "Zoom")
TEXTS = ("法治政府建设。", "依法行政", "索引号：", "打印 关闭", "\n", "\u3000\u3000", " ", "\xa0",
         "\n\u3000\n", " \n ", "abc", ",", "。\n", "x\n", "\n字", "字\n")


@st.composite
def markup(draw, depth=0):
    """Draw a fragment of HTML, tags left unclosed now and then."""
    parts = []
    for _ in range(draw(st.integers(0, 4 if depth < 5 else 1))):
        if depth > 8 or draw(st.booleans()):
            parts.append(draw(st.sampled_from(TEXTS)))
            continue
        tag, cls, ident = (draw(st.sampled_from(TAGS)), draw(st.sampled_from(CLASSES)),
                           draw(st.sampled_from(IDS)))
        attrs = (f' class="{cls}"' if cls else "") + (f' id="{ident}"' if ident else "")
        close = f"</{tag}>" if draw(st.integers(0, 5)) else ""
        parts.append(f"<{tag}{attrs}>{draw(markup(depth + 1))}{close}")
    return "".join(parts)


@settings(max_examples=examples(300), deadline=None)
@given(markup())
def test_measured_text_of_every_element_is_its_get_text(body):
    soup = parse_html(HEAD + body + TAIL)
    drop_invisible(soup)
    measure = TreeText(soup)
    for tag in measure.tags:
        text = tag.get_text()
        assert measure.length(tag) == len(collapse(text))
        assert measure.text(tag) == collapse(text)
        assert measure.compact(tag) == "".join(text.split())
        assert measure.compact_length(tag) == len(measure.compact(tag))


@settings(max_examples=examples(200), deadline=None)
@given(markup())
def test_content_selectors_matched_in_one_pass_find_what_soup_select_finds(body):
    soup = parse_html(HEAD + body + TAIL)
    found = select_each(soup, TreeText(soup).tags[1:], CONTENT_SELECTORS)
    for selector in CONTENT_SELECTORS:
        assert [id(tag) for tag in found[selector]] == [id(tag) for tag in soup.select(selector)], selector


@pytest.mark.slow
@pytest.mark.integration
def test_pages_of_nested_and_repeated_markup_are_read_and_the_rebuild_publishes(corpus, tmp_path):
    raw = corpus / "raw"
    # The pages: unclosed <div><span>法治</span> (minutes at 20 KB before), repeated
    # <font> text (40 s at 200 KB), 9.9 MB of nested tags (no progress in 600 s).
    write(raw / "div_span.html", HEAD + repeated("<div><span>法治</span>", 20_000) + TAIL)
    write(raw / "font_runs.html", HEAD + "<div>" + repeated("<font>法治</font>", 200_000) + "</div>" + TAIL)
    write(raw / "deep_nest.html", HEAD + repeated("<div><font>法治政府建设", 9_900_000) + TAIL)
    # A real report 1,500 elements deep.
    write(raw / "nested_report.html", nested_report(180_000))
    index = tmp_path / "index"
    done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert "took longer" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert [line for line in stderr_naming(done, "deep_nest.html") if "MAX_ELEMENTS" in line], done.stderr
    for name in ("div_span.html", "font_runs.html"):
        assert len(stderr_naming(done, name)) == 1 and "not a report" in stderr_naming(done, name)[0]
    assert done.stdout.startswith(f"indexed {len(SEED_FILES) + 1} reports"), done.stdout
    engine = SearchEngine(index)
    assert [hit["report_id"] for hit in engine.search(f'"{MARKER}"')["hits"]] == ["nested_report"]
    assert all(engine.report(path.stem) for path in SEED_FILES)


@pytest.mark.integration
def test_markup_beyond_the_element_limit_is_refused_without_parsing(tmp_path):
    page = write(tmp_path / "many_tags.html", HEAD + "<p>法治</p>" * (MAX_ELEMENTS + 1) + TAIL)
    with PageCleaner() as cleaner, pytest.raises(BadPage, match="too much markup.*MAX_ELEMENTS"):
        cleaner.clean(page)


def slow_page(path):
    """Write a page just within the element limit: parsing alone takes seconds."""
    return write(path, HEAD + "<div><font>法治" * ((MAX_ELEMENTS - 100) // 2) + TAIL)


# The budget the tests of a stopped page give every page: fifty times what a seed report needs on
# a quiet machine (0.1-0.2 s, its worker's first page included), so that a busy machine never
# stops a report, and a small fraction of what the endless page needs, so that a fast one always
# stops it. Nothing here asserts how long anything took: only which pages were stopped.
TEST_PAGE_SECONDS = 10


def endless_page(path):
    """Write a text page that takes minutes to segment into words: two characters alternating, two
    million of them, in which jieba finds no word (cleaned in a few seconds; segmenting them, even
    in bounded pieces, takes far longer)."""
    return write(path, f"{SEED_FILES[0].read_text(encoding='utf-8')}\n{'鼋鼍' * 1_000_000}\n")


@pytest.mark.slow
@pytest.mark.integration
def test_a_page_over_its_time_budget_is_stopped_named_and_the_rebuild_publishes(corpus, tmp_path):
    endless_page(corpus / "raw" / "000_endless.txt")
    index = tmp_path / "index"
    done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index),
                      env={"PAGE_SECONDS": str(TEST_PAGE_SECONDS)})
    assert done.returncode == 0, done.stderr
    named = stderr_naming(done, "000_endless.txt")
    assert len(named) == 1, done.stderr
    assert (f"took longer than {TEST_PAGE_SECONDS} s to clean and segment into words (PAGE_SECONDS)"
            in named[0]), done.stderr
    # Every page after it was cleaned, by a new worker.
    assert done.stdout.startswith(f"indexed {len(SEED_FILES)} reports"), done.stdout
    assert SearchEngine(index).search('"枫桥经验"')["total"] == 3


@pytest.mark.integration
def test_the_clean_command_stops_a_page_over_budget_and_goes_on(corpus):
    endless = endless_page(corpus / "raw" / "000_endless.txt")
    done = run_module("indexer", "clean", str(endless), str(SEED_FILES[0]),
                      env={"PAGE_SECONDS": str(TEST_PAGE_SECONDS)})
    assert done.returncode == 0
    assert f"skipped {endless}: took longer than {TEST_PAGE_SECONDS} s" in done.stderr
    assert done.stdout.startswith(f"{SEED_FILES[0]}: ")


@pytest.mark.integration
def test_a_page_over_its_memory_budget_is_stopped(tmp_path):
    page = slow_page(tmp_path / "big.html")
    with PageCleaner(seconds=600) as cleaner:
        assert cleaner.clean(SEED_FILES[0]).paragraphs  # the worker started and warmed
        # The limit is measured on the worker itself: this process's size says little of it, as
        # files it maps (indexes of earlier tests) are not resident in a forked worker until touched.
        cleaner.memory_mb = resident_mb(cleaner.process.pid) + 40
        with pytest.raises(BadPage, match="needed more than .* MB of memory"):
            cleaner.clean(page)
        assert cleaner.clean(SEED_FILES[0]).paragraphs  # a new worker takes the next page


@pytest.mark.slow
@pytest.mark.integration
def test_a_long_run_of_one_character_is_segmented_and_indexed(corpus, tmp_path):
    # 300,000 of one character (jieba's HMM alone: some 20 minutes; cut into bounded blocks: a few
    # seconds), after a paragraph to find it by. Its budget is a hundred times what it needs on a
    # quiet machine: the test says the run is segmented and indexed, not how fast (bench/ does).
    write(corpus / "raw" / "filler.txt",
          f"{SEED_FILES[0].read_text(encoding='utf-8')}\n{MARKER}之后是填充。{'的' * 300_000}\n")
    index = tmp_path / "index"
    done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index),
                      env={"PAGE_SECONDS": "120"})
    assert done.returncode == 0, done.stderr
    assert not stderr_naming(done, "filler.txt"), done.stderr
    assert done.stdout.startswith(f"indexed {len(SEED_FILES) + 1} reports"), done.stdout
    engine = SearchEngine(index)
    assert [hit["report_id"] for hit in engine.search(f'"{MARKER}"')["hits"]] == ["filler"]
    assert engine.search('"的的的的的的的的的的"')["total"] == 1


@pytest.mark.integration
def test_pages_cleaned_side_by_side_come_back_in_the_order_of_their_pages(tmp_path):
    """Two workers clean a slow page and a quick one at once: the quick one is done first but handed back
    second, so duplicates and reports keep the order of the pages (the first by file name wins)."""
    slow, quick = slow_page(tmp_path / "000_slow.html"), SEED_FILES[0]
    with PageCleaners(2, seconds=600) as cleaners:
        outcomes = list(cleaners.in_order([(slow, "slow"), (None, "not cleaned"), (quick, "quick")]))
    assert [item for item, _outcome in outcomes] == ["slow", "not cleaned", "quick"]
    assert outcomes[1][1] is None
    with PageCleaner() as cleaner:
        alone = cleaner.clean_and_segment(quick)
    assert outcomes[2][1][0].to_dict() == alone[0].to_dict() and outcomes[2][1][1] == alone[1]
