"""Reuse on the web pages, the API and the exports, through the Flask test client over the planted index."""
import csv
import io
import json

import pytest

from app import create_app
from model.text import normalize

from test_web import params, soup

# A corpus of its own rebuilt (the seeds and planted copies): run by make test, not make test-fast.
pytestmark = pytest.mark.integration

# The planted reports' lead: one boilerplate paragraph in three reports, the earliest planted_a's.
LEAD = "本单位认真贯彻落实上级"


@pytest.fixture(scope="module")
def web(planted_index):
    """The Flask test client over the planted index."""
    return create_app({"TESTING": True, "INDEX_DIR": str(planted_index)}).test_client()


def test_a_results_page_folds_near_identical_hits_and_unfolds_them_without_javascript(web):
    page = soup(web, f"/search?q={LEAD}")
    assert "找到 3 个段落（1 段不同文字）" in page.select_one(".count").get_text()
    hits = page.select("li.hit")
    assert len(hits) == 1 and "planted_a" in hits[0].select_one("a.para-link")["href"]
    folded = hits[0].select_one("details.folded")
    assert folded.summary.get_text(strip=True) == "折叠 2 条相似结果"
    assert {a["href"].split("?")[0].rsplit("/", 1)[-1] for a in folded.select(".folded-hits a")} == {"planted_b", "planted_c"}
    switch = page.select_one(".fold-switch a")
    assert switch.get_text() == "显示全部 3 个段落（不折叠相似结果）" and params(switch["href"])["fold"] == ["0"]
    every = soup(web, switch["href"])
    assert len(every.select("li.hit")) == 3 and not every.select("details.folded")
    back = every.select_one(".fold-switch a")
    assert back.get_text() == "折叠相似结果" and "fold" not in params(back["href"])


def test_the_fold_switch_survives_paging_and_sorting_links(web):
    page = soup(web, f"/search?q={LEAD}&fold=0")
    assert all(params(a["href"]).get("fold") == ["0"] for a in page.select("nav.sort a"))


def test_an_unusable_fold_value_is_a_400_naming_it(web):
    assert web.get(f"/search?q={LEAD}&fold=maybe").status_code == 400
    response = web.get(f"/api/search?q={LEAD}&fold=maybe")
    assert response.status_code == 400 and response.get_json()["parameter"] == "fold"


def test_the_api_carries_group_earliest_source_and_folded_hits(web):
    results = web.get(f"/api/search?q={LEAD}").get_json()
    assert results["total"] == 3 and results["distinct"] == 1 and results["fold"] is True
    hit = results["hits"][0]
    assert hit["group"] and hit["earliest"]["report_id"] == "planted_a" and hit["earliest"]["url"].endswith("#p-1")
    assert hit["folded"] == 2 and {h["report_id"] for h in hit["folded_hits"]} == {"planted_b", "planted_c"}
    assert all(h["url"].startswith("/report/") for h in hit["folded_hits"])
    every = web.get(f"/api/search?q={LEAD}&fold=0").get_json()
    assert every["fold"] is False and {h["group"] for h in every["hits"]} == {hit["group"]}


def test_exports_hold_every_hit_with_its_group_and_earliest_source(web):
    rows = list(csv.DictReader(io.StringIO(web.get(f"/export.csv?q={LEAD}").data.decode("utf-8-sig"))))
    assert len(rows) == 3 and len({row["相似段落组"] for row in rows}) == 1 and rows[0]["相似段落组"]
    assert {row["最早出处"] for row in rows} == {"甲县2025年度法治政府建设情况报告"}
    assert all(row["最早出处链接"] == "http://localhost/report/planted_a#p-1" for row in rows)
    listed = json.loads(web.get(f"/export.json?q={LEAD}").data)
    assert {(hit["earliest_report_id"], hit["earliest_n"]) for hit in listed} == {("planted_a", 1)} and len(listed) == 3
    alone = json.loads(web.get("/export.json?q=枫桥经验").data)
    # No reuse: null in JSON (an empty cell in the CSV).
    assert any(hit["reuse_group"] is None and hit["earliest_url"] is None for hit in alone)


def test_a_report_page_notes_each_shared_paragraph_and_its_share_of_earlier_text(web, planted_corpus):
    _folder, planted = planted_corpus
    page = soup(web, "/report/planted_b")
    sharing = page.select_one(".sharing")
    assert "与更早发布的报告相似" in sharing.get_text()
    sources = {a["href"].rsplit("/", 1)[-1] for a in sharing.select("li > a:first-child")}
    copied = {p.source_report for p in planted if p.report_id == "planted_b" and p.edit in ("verbatim", "characters_changed")}
    assert copied <= sources
    note = page.select_one("#p-1 a.similar-note")
    assert note.get_text() == "另有 2 篇报告有相似段落" and note["href"] == "/report/planted_b/similar/1"
    # A seed published first shares nothing with earlier reports: no header note.
    seed = next(iter(copied))
    assert soup(web, f"/report/{seed}").select_one(".sharing") is None


def test_the_side_by_side_view_marks_the_differences_and_escapes_the_text(web, planted_corpus):
    _folder, planted = planted_corpus
    edited = next(p for p in planted if p.edit == "characters_changed" and p.report_id == "planted_a")
    page = soup(web, "/report/planted_a")
    n = next(int(p["id"][2:]) for p in page.select(".report-body .para")
             if normalize(p.select_one(".ptext").get_text()) == normalize(edited.text))
    pair = soup(web, f"/report/planted_a/similar/{n}")
    rows = pair.select("section.similar-pair")
    assert rows and edited.source_report in rows[0].h2.a["href"]
    left, right = rows[0].select_one(".compare-left .diff-text"), rows[0].select_one(".compare-right .diff-text")
    # This copy put 之 in place of one character in twenty: each is marked on both sides.
    assert {d.get_text() for d in left.select("del.diff")} == {"之"} and len(right.select("ins.diff")) >= 3
    assert normalize(left.get_text()) == normalize(edited.text) and normalize(right.get_text()) == normalize(edited.source_text)
    assert "更早" in rows[0].select_one(".badge").get_text()
    assert web.get("/report/planted_a/similar/999").status_code == 404


def test_the_reuse_view_lists_passages_sources_and_one_passage(web):
    page = soup(web, "/reuse")
    passages = page.select("li.passage")
    assert passages and "3 篇报告" in passages[0].select_one(".passage-count").get_text()
    chosen = soup(web, "/reuse?issuer=乙镇人民政府")
    assert chosen.select_one("section.borrowed table.sources tbody tr")
    one = soup(web, passages[0].select_one(".passage-count a")["href"])
    assert len(one.select("table.members tbody tr")) == 3
    assert web.get("/reuse?group=ffffffffffffffff").status_code == 404
    assert soup(web, "/corpus").select_one("p.reuse-link a")["href"] == "/reuse"
    tabs = soup(web, f"/search?q={LEAD}").select("nav.tabs a")
    assert [a.get_text() for a in tabs] == ["检索结果", "趋势", "文本复用"] and params(tabs[2]["href"])["q"] == [LEAD]
