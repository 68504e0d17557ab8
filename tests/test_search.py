"""Search over the real seed index: phrases, words, chrome, snippets."""
import html
import re

import pytest

from model.text import SENTENCE_ENDS, normalize, normalize_with_map
from model.report import GOVERNMENT_LEVELS
from search import IndexMissing, SearchEngine
from search.spans import SNIPPET_CHARS

from conftest import SEED_FILES, highlighted_html, snippet_html


def all_hits(engine, query):
    """Return the set of (report prefix, n) for every hit of a query."""
    results = engine.search(query, limit=None)
    return {(hit["report_id"][:3], hit["n"]) for hit in results["hits"]}


def substring_truth(reports, phrase):
    """Return (report prefix, n) of every paragraph of the seeds' clean reports whose normalized text holds the phrase."""
    needle = normalize(phrase)
    return {(prefix, p.n) for prefix, report in reports.items() for p in report.paragraphs
            if needle in normalize(p.text)}


@pytest.mark.parametrize("query", ["枫桥经验", '"枫桥经验"', "“枫桥经验”"])
def test_fengqiao_returns_exactly_three_paragraphs(engine, query):
    hits = all_hits(engine, query)
    assert len(hits) == 3
    assert sorted(prefix for prefix, _ in hits) == ["000", "002", "004"]


@pytest.mark.parametrize("chrome", ["扫一扫", "索引号", '"扫一扫在手机打开当前页"', "浏览字体", "620724077"])
def test_chrome_strings_find_nothing(engine, chrome):
    assert engine.search(chrome)["total"] == 0


@pytest.mark.parametrize("phrase", ["法律顾问", "新时代枫桥经验", "八五普法", "12345", "5G", "谁执法谁普法",
                                    "法", "合法性审查", "三项制度", "民法典"])
def test_quoted_phrase_equals_substring_truth(engine, seed_reports, phrase):
    assert all_hits(engine, f'"{phrase}"') == substring_truth(seed_reports, phrase)


def test_unquoted_words_must_all_occur(engine):
    hits = engine.search("法律顾问 合同", limit=None)["hits"]
    assert hits
    for hit in hits:
        text = normalize(hit["text"])
        assert "法律顾问" in text and "合同" in text


def test_hit_spans_point_at_the_match_in_the_text(engine):
    hit = engine.search('"枫桥经验"')["hits"][0]
    assert [hit["text"][start:end] for start, end in hit["spans"]] == ["枫桥经验"]
    start, end = hit["snippet"]
    assert start <= hit["spans"][0][0] < hit["spans"][0][1] <= end


def test_snippet_marks_the_match_and_escapes_the_rest(engine):
    hit = engine.search("枫桥经验")["hits"][0]
    assert "<mark>枫桥经验</mark>" in snippet_html(hit)
    assert re.sub(r"</?mark>", "", snippet_html(hit)).count("<") == 0


def test_missing_index_names_the_rebuild_command(tmp_path):
    with pytest.raises(IndexMissing, match="python -m indexer rebuild"):
        SearchEngine(tmp_path / "nothing").search("法治")


def test_query_of_only_punctuation_gives_a_notice(engine):
    results = engine.search("“”，。")
    assert results["total"] == 0 and results["notices"]


# Ranking.

def test_unquoted_fengqiao_ranks_the_exact_phrase_paragraphs_first(engine):
    hits = engine.search("枫桥经验", match="words")["hits"]
    assert [("枫桥经验" in normalize(h["text"])) for h in hits] == [True, True, True]


@pytest.mark.parametrize("query", ["依法行政能力", "法治政府建设工作", "矛盾纠纷排查", "社会治理"])
def test_paragraphs_with_the_exact_text_come_first(engine, query):
    hits = engine.search(query, limit=None, match="words")["hits"]
    exact = [normalize(query) in normalize(h["text"]) for h in hits]
    assert True in exact and False in exact  # both kinds occur, so the order is tested
    assert exact == sorted(exact, reverse=True)


# Hits, snippets and highlighting.

HIT_KEYS = {"report_id", "n", "title", "title_composed", "issuer", "level", "region", "report_year", "pub_date",
            "doc_number", "source_url", "section_class", "section_path", "heading", "text", "spans", "snippet", "title_spans",
            "group", "earliest", "folded", "folded_hits", "ocr", "cites"}


def marked_mask(html_text):
    """Return (plain text, per-character flag: inside a <mark>) of highlighted HTML."""
    plain, mask = [], []
    for marked, unmarked in re.findall(r"<mark>(.*?)</mark>|([^<]+)", html_text):
        piece = html.unescape(marked or unmarked)
        plain.append(piece)
        mask.extend([bool(marked)] * len(piece))
    return "".join(plain), mask


def test_hit_has_every_field(engine):
    hit = engine.search('"枫桥经验"')["hits"][0]
    assert set(hit) == HIT_KEYS
    assert set(hit["region"]) == {"province", "city", "county", "township"}
    assert hit["level"] in GOVERNMENT_LEVELS


@pytest.mark.parametrize("query, needles", [
    ("法律顾问 合同", ["法律顾问", "合同"]),
    ('"新时代枫桥经验"', ["新时代枫桥经验"]),
    ("同句(法律顾问 合法性审查)", ["法律顾问", "合法性审查"]),
    ("法治 OR 12345", ["法治", "12345"]),
])
def test_highlighted_marks_every_occurrence_and_nothing_else(engine, query, needles):
    for hit in engine.search(query, limit=None)["hits"]:
        plain, mask = marked_mask(highlighted_html(hit))
        assert plain == hit["text"]
        norm, origin = normalize_with_map(plain)
        covered = set()
        for needle in needles:
            for found in re.finditer(f"(?={re.escape(needle)})", norm):
                chars = [origin[i] for i in range(found.start(), found.start() + len(needle))]
                assert all(mask[c] for c in chars), (hit["n"], needle)
                covered.update(range(chars[0], chars[-1] + 1))
        assert {i for i, flag in enumerate(mask) if flag} == covered


def test_snippet_is_cut_at_sentence_ends_around_the_first_match(engine):
    hits = engine.search("合法性审查", limit=None)["hits"]
    assert any(snippet_html(h).startswith("…") for h in hits), "some match lies past a paragraph's first sentence"
    for hit in hits:
        text, snippet = hit["text"], snippet_html(hit)
        body = html.unescape(re.sub(r"</?mark>", "", snippet)).strip("…")
        start = text.index(body)
        first_match = start + len(html.unescape(snippet.lstrip("…").split("<mark>")[0]))
        if start:
            sentence_start = max(text.rfind(c, 0, first_match) for c in SENTENCE_ENDS) + 1
            # A sentence start, or shortly before a match deep inside a long sentence.
            assert start == sentence_start or first_match - sentence_start > SNIPPET_CHARS // 2
        end = start + len(body)
        assert end == len(text) or text[end - 1] in SENTENCE_ENDS or snippet.endswith("…")
        assert "<mark>" in snippet


def test_snippet_escapes_page_text(engine):
    hit = engine.search('"广东省法治政府建设实施纲要"')["hits"][0]
    assert "&lt;<mark>广东省法治政府建设实施纲要</mark>" in snippet_html(hit)
    assert re.sub(r"</?mark>", "", highlighted_html(hit)).count("<") == 0


def test_report_page_marks_the_query(client, engine):
    hit = engine.search("枫桥经验")["hits"][0]
    page = client.get(f"/report/{hit['report_id']}?q=枫桥经验 -合同").get_data(as_text=True)
    assert "<mark>枫桥经验</mark>" in page and "<mark>合同</mark>" not in page


def test_page_beyond_the_last_on_the_seeds(engine):
    results = engine.search("枫桥经验", page=2)
    assert results["hits"] == [] and results["total"] == 3 and results["pages"] == 1
    assert results["notices"]


def test_index_of_an_older_schema_is_refused_with_the_rebuild_command(tmp_path):
    from whoosh import index as whoosh_index
    from indexer.index.buildinfo import write_build_info
    from indexer.index.generations import new_folder, publish
    from indexer.index.schema import paragraph_schema
    old = paragraph_schema()
    old.remove("sentences")
    folder = new_folder(tmp_path)
    whoosh_index.create_in(str(folder), old)
    # Recorded as this format: a schema changed without a new FORMAT_VERSION is still refused.
    write_build_info(folder, tmp_path, reports=0, paragraphs=0, code="")
    publish(tmp_path, folder)
    with pytest.raises(IndexMissing, match="another Whoosh schema.*rebuilt with: .*python -m indexer rebuild"):
        SearchEngine(tmp_path).search("法治")


# One matcher: the marks of a hit are what made it a hit.

def marked_texts(text, spans):
    """Return the marked pieces of a text."""
    return [text[start:end] for start, end in spans]


@pytest.mark.parametrize("query, text, marked", [
    # Every part of an AND, each word wherever it stands.
    ("法律顾问 合同", "聘请法律顾问审查合同，法律顾问列席会议。", ["法律顾问", "合同", "法律顾问"]),
    # Only the OR branches that hold; nothing under a NOT.
    ("(法律顾问 -合同) OR 调解", "聘请法律顾问审查合同，开展人民调解。", ["调解"]),
    ("(法律顾问 -合同) OR 调解", "聘请法律顾问，开展人民调解。", ["法律顾问", "调解"]),
    ("法治 -湘桥 OR 街道", "法治政府建设。", ["法治"]),
    # 同句: the words inside the sentence that holds them all, not elsewhere in the paragraph.
    ("同句(法律顾问 合法性审查)", "法律顾问参加会议。法律顾问开展合法性审查。合法性审查全覆盖。",
     ["法律顾问", "合法性审查"]),
])
def test_marks_are_what_made_the_paragraph_a_hit(query, text, marked):
    from search.plan import plan
    from search.spans import hit_spans
    compiled = plan(query).compiled
    spans = hit_spans(compiled.match, text, lambda node: True, compiled.needles)
    assert marked_texts(text, spans) == marked


def test_same_sentence_marks_only_the_sentence_that_holds_every_word():
    from search.plan import plan
    from search.spans import hit_spans
    text = "法律顾问参加会议。法律顾问开展合法性审查。合法性审查全覆盖。"
    spans = hit_spans(plan("同句(法律顾问 合法性审查)").compiled.match, text, lambda node: True, [])
    assert [start for start, _ in spans] == [text.index("法律顾问开展"), text.index("合法性审查。")]


def test_report_page_counts_and_marks_exactly_the_hits_of_its_report(engine, client):
    results = engine.search("法律顾问 合法性审查", limit=None)
    report = SEED_FILES[0].stem
    found = sorted(hit["n"] for hit in results["hits"] if hit["report_id"] == report)
    assert len(found) >= 2
    page = client.get(f"/report/{report}?q=法律顾问 合法性审查").get_data(as_text=True)
    assert f"出现在本报告 {len(found)} 段" in page
    marked_paragraphs = sorted(int(n) for n in re.findall(r'id="p-(\d+)" class="[^"]*matched', page))
    assert marked_paragraphs == found


@pytest.mark.parametrize("query, unmarked", [("枫桥经验", "经验"), ("法治 -湘桥", "法治")])
def test_report_page_marks_no_paragraph_the_search_does_not_find(engine, client, query, unmarked):
    report = SEED_FILES[0].stem
    found = {hit["n"] for hit in engine.search(query, limit=None)["hits"] if hit["report_id"] == report}
    page = client.get(f"/report/{report}", query_string={"q": query}).get_data(as_text=True)
    for n, body in re.findall(r'id="p-(\d+)" class="([^"]*)"', page):
        assert ("matched" in body) == (int(n) in found), n
