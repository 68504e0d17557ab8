"""Filters, facets, sorts and paging over a real index of hand-made reports with full metadata."""
import itertools
import json

import numpy as np
import pytest

from model.kinds import MOST_VALUES, UNDATED
from model.registry import ISSUER
from model.text import normalize
from indexer.index.build import publish_reports
from model.report import REGION_LEVELS, Paragraph, Report
from search import BadParameter, SearchEngine, execute
from search.cluster.execute import shown_rows
from search.columns import Coded

from conftest import make_app, run_module, snippet_html

# (report_id, province, city, county, township, year, pub_date, [(section_class, text[, heading])])
REPORTS = [
    ("zj-xh-2020", "浙江省", "杭州市", "西湖区", "北山街道", 2020, "2021-03-01", [
        ("导语", "2020年，北山街道坚持以习近平法治思想为指导，扎实推进法治政府建设。"),
        ("成效举措", "聘请法律顾问参与重大决策合法性审查。坚持和发展新时代“枫桥经验”。"),
        ("存在问题", "法治政府建设仍有短板，执法力量相对薄弱。"),
        ("下一步计划", "下一步，将继续深化法治政府建设。"),
    ]),
    ("zj-xh-2021", "浙江省", "杭州市", "西湖区", "", 2021, "2022-02-10", [
        ("导语", "2021年，西湖区全面推进法治政府建设。"),
        ("成效举措", "法律顾问实现全覆盖；合法性审查做到应审尽审。"),
        ("存在问题", "基层法治力量不足。"),
    ]),
    ("zj-yh-2022", "浙江省", "杭州市", "余杭区", "", 2022, "2023-03-15", [
        ("导语", "2022年，余杭区法治政府建设取得新进展。"),
        ("整改落实", "针对督察反馈问题，逐项整改落实。"),
    ]),
    ("zj-nb-2022", "浙江省", "宁波市", "海曙区", "", 2022, "2023-01-20", [
        ("导语", "海曙区2022年法治政府建设情况如下。"),
        ("存在问题", "法治政府建设与群众期待仍有差距。"),
        ("成效举措", "深入开展依法行政示范创建活动。"),
        ("成效举措", "二、执法队伍建设", True),
        ("成效举措", "执法队伍建设，执法队伍建设，执法队伍建设。"),
    ]),
    ("js-nj-2020", "江苏省", "南京市", "玄武区", "", 2020, "2021-02-01", [
        ("导语", "玄武区2020年法治政府建设工作报告。"),
        ("负责人履职", "主要负责人切实履行推进法治建设第一责任人职责。"),
        ("成效举措", "深入开展依法行政示范创建活动。"),
    ]),
    ("js-sz-2021", "江苏省", "苏州市", "", "", 2021, "2022-03-30", [
        ("导语", "2021年，苏州市法治政府建设再上台阶。"),
        ("成效举措", "法律顾问参与合法性审查，全年审查合同120件。"),
        ("成效举措", "制度，制度，制度，法律顾问，法律顾问。"),
    ]),
    ("hn", "湖南省", "", "", "", None, "", [
        ("导语", "湖南省法治政府建设年度报告。"),
        ("其他", "全省各地在推进依法行政的过程中，不断总结经验，健全法律顾问制度，"
                 "完善公众参与、专家论证、风险评估等程序，取得了较好成效。"),
    ]),
]


def make_report(report_id, province, city, county, township, year, pub_date, paragraphs):
    """Return a Report with the given metadata and (section, text) paragraphs."""
    place = township or county or city or province
    names = (province, city, county, township)
    return Report(
        report_id=report_id, title=f"{place}{year or ''}年法治政府建设情况报告",
        paragraphs=[Paragraph(n=i, text=text, section_class=section, heading=bool(heading))
                    for i, (section, text, *heading) in enumerate(paragraphs, start=1)],
        region=dict(zip(REGION_LEVELS, names)),
        # The government of the deepest level named.
        level=REGION_LEVELS[max(i for i, name in enumerate(names) if name)],
        issuer=f"{place}人民政府", doc_number=f"{place[:2]}政报〔{year + 1}〕{len(paragraphs)}号" if year else "",
        report_year=year, pub_date=pub_date,
    )


@pytest.fixture(scope="module")
def reports():
    """The hand-made reports."""
    return [make_report(*row) for row in REPORTS]


@pytest.fixture(scope="module")
def made_index(tmp_path_factory, reports):
    """A real index of the hand-made reports."""
    folder = tmp_path_factory.mktemp("made") / "index"
    publish_reports(folder, reports)
    return folder


@pytest.fixture(scope="module")
def made(made_index):
    """A search engine over the hand-made index."""
    return SearchEngine(made_index)


# An independent oracle: the facet counts computed by brute force over the reports.

def passes(report, paragraph, filters, skip):
    """Tell whether a paragraph passes every filter whose name is not in skip."""
    for level in REGION_LEVELS:
        if level in filters and level not in skip and report.region[level] not in filters[level]:
            return False
    if "year" in filters and "year" not in skip:
        ranges = [tuple(map(int, y.split("-"))) if "-" in y else (int(y), int(y)) for y in filters["year"]]
        if not any(report.report_year and a <= report.report_year <= b for a, b in ranges):
            return False
    if "section" in filters and "section" not in skip and paragraph.section_class not in filters["section"]:
        return False
    return True


def oracle_counts(rows, value_of):
    """Return {value: (paragraphs, reports)} over (report, paragraph) rows, ignoring empty values."""
    counts = {}
    for report, paragraph in rows:
        value = value_of(report, paragraph)
        if value:
            paragraphs, ids = counts.setdefault(str(value), (0, set()))
            counts[str(value)] = (paragraphs + 1, ids | {report.report_id})
    return {value: (n, len(ids)) for value, (n, ids) in counts.items()}


def oracle(reports, needle, filters):
    """Return the expected (total, total_reports, region levels, years, sections) of a search."""
    matching = [(r, p) for r in reports for p in r.paragraphs if normalize(needle) in normalize(p.text)]
    hits = [(r, p) for r, p in matching if passes(r, p, filters, skip=())]
    deepest = max((REGION_LEVELS.index(level) for level in REGION_LEVELS if level in filters), default=-1)
    levels = {}
    for index, level in enumerate(REGION_LEVELS[:min(deepest + 2, 4)]):
        rows = [(r, p) for r, p in matching if passes(r, p, filters, skip=REGION_LEVELS[index:])]
        levels[level] = oracle_counts(rows, lambda r, p, level=level: r.region[level])
    years = oracle_counts([(r, p) for r, p in matching if passes(r, p, filters, skip=("year",))],
                          lambda r, p: r.report_year)
    sections = oracle_counts([(r, p) for r, p in matching if passes(r, p, filters, skip=("section",))],
                             lambda r, p: p.section_class)
    return len(hits), len({r.report_id for r, _ in hits}), levels, years, sections


def counted(values):
    """Return {value: (count, reports)} of facet values, leaving out selected zero rows."""
    return {v["value"]: (v["count"], v["reports"]) for v in values if v["count"]}


FILTER_CHOICES = [
    {},
    {"province": ["浙江省"]},
    {"province": ["浙江省", "江苏省"]},
    {"province": ["浙江省"], "city": ["杭州市"]},
    {"province": ["浙江省"], "city": ["杭州市"], "county": ["西湖区"]},
    {"province": ["浙江省"], "city": ["杭州市"], "county": ["西湖区"], "township": ["北山街道"]},
    {"city": ["苏州市", "宁波市"]},
    {"year": ["2020"]},
    {"year": ["2021-2022"]},
    {"year": ["2020", "2022"]},
    {"section": ["导语"]},
    {"section": ["存在问题", "成效举措"]},
    {"province": ["浙江省"], "year": ["2022"]},
    {"province": ["江苏省"], "section": ["导语"], "year": ["2020-2021"]},
    {"province": ["浙江省"], "city": ["宁波市"], "section": ["存在问题"], "year": ["2022"]},
    {"province": ["湖南省"], "year": ["2020"]},
]


@pytest.mark.parametrize("needle", ["法治政府建设", "法律顾问", "法"])
@pytest.mark.parametrize("filters", FILTER_CHOICES, ids=lambda f: json.dumps(f, ensure_ascii=False))
def test_counts_match_brute_force(made, reports, needle, filters):
    results = made.search(f'"{needle}"', filters=filters, limit=None)
    total, total_reports, levels, years, sections = oracle(reports, needle, filters)
    assert (results["total"], results["total_reports"]) == (total, total_reports)
    assert len(results["hits"]) == total
    region = results["facets"]["region"]
    assert [entry["level"] for entry in region["levels"]] == list(levels)
    for entry in region["levels"]:
        assert counted(entry["values"]) == levels[entry["level"]], entry["level"]
    assert region["values"] == region["levels"][-1]["values"]
    assert counted(results["facets"]["year"]) == years
    assert counted(results["facets"]["section"]) == sections


def test_selected_province_still_shows_the_others(made):
    results = made.search("法治政府建设", filters={"province": ["浙江省"]})
    provinces = {v["value"]: v for v in results["facets"]["region"]["levels"][0]["values"]}
    assert provinces["浙江省"]["selected"] and not provinces["江苏省"]["selected"]
    assert (provinces["浙江省"]["count"], provinces["浙江省"]["reports"]) == (7, 4)
    assert (provinces["江苏省"]["count"], provinces["江苏省"]["reports"]) == (2, 2)
    assert provinces["湖南省"]["count"] == 1
    assert results["total"] == 7
    # The next level lists the cities of the selected province only.
    assert results["facets"]["region"]["level"] == "city"
    assert {v["value"] for v in results["facets"]["region"]["values"]} == {"杭州市", "宁波市"}


def test_facet_counts_paragraphs_and_reports_apart(made):
    sections = {v["value"]: v for v in made.search("法治政府建设")["facets"]["section"]}
    assert (sections["导语"]["count"], sections["导语"]["reports"]) == (7, 7)
    assert (sections["存在问题"]["count"], sections["存在问题"]["reports"]) == (2, 2)
    assert list(sections) == ["导语", "存在问题", "下一步计划"]  # a report's reading order


def test_selected_value_without_hits_stays_visible(made):
    results = made.search("枫桥经验", filters={"province": ["江苏省"]})
    assert results["total"] == 0
    provinces = {v["value"]: v for v in results["facets"]["region"]["levels"][0]["values"]}
    assert provinces["江苏省"] == {"value": "江苏省", "label": "江苏省", "count": 0, "reports": 0, "selected": True}
    assert provinces["浙江省"]["count"] == 1


def test_year_facet_newest_first_and_range_selection(made):
    years = made.search("法治政府建设", filters={"year": ["2021-2022"]})["facets"]["year"]
    assert [v["value"] for v in years] == ["2022", "2021", "2020"]
    assert [v["selected"] for v in years] == [True, True, False]


def test_filters_echo_and_description(made):
    results = made.search('"法律顾问"', filters={"province": ["浙江省"], "year": ["2020-2021"]})
    assert results["filters"] == {"province": ["浙江省"], "year": ["2020-2021"]}
    assert results["description"] == "精确短语“法律顾问” 且 省：浙江省 且 报告年度：2020—2021"


def test_filters_alone_browse_everything_they_select(made, reports):
    results = made.search("", filters={"city": ["杭州市"]}, limit=None)
    expected = sum(len(r.paragraphs) for r in reports if r.region["city"] == "杭州市")
    assert results["total"] == expected and results["total_reports"] == 3


def test_empty_query_without_filters_searches_nothing(made):
    results = made.search("")
    assert results["total"] == 0 and results["notices"] == []


# Field filters written inside the query text.

def hit_ids(results):
    """Return the (report_id, n) of every hit."""
    return {(hit["report_id"], hit["n"]) for hit in results["hits"]}


def paragraphs_where(reports, keep):
    """Return the (report_id, n) of every hand-made paragraph keep(report, paragraph) accepts."""
    return {(r.report_id, p.n) for r in reports for p in r.paragraphs if keep(r, p)}


@pytest.mark.parametrize("query, keep", [
    ("region:浙江", lambda r, p: r.region["province"] == "浙江省"),
    ("region:杭州市", lambda r, p: r.region["city"] == "杭州市"),
    ("region:西湖", lambda r, p: r.region["county"] == "西湖区"),
    ("region:北山街道", lambda r, p: r.region["township"] == "北山街道"),
    ("地区：苏州,宁波", lambda r, p: r.region["city"] in ("苏州市", "宁波市")),
    ("year:2020", lambda r, p: r.report_year == 2020),
    ("year:2021-2022", lambda r, p: r.report_year in (2021, 2022)),
    ("year:2022-2021", lambda r, p: r.report_year in (2021, 2022)),
    ("year:2020年", lambda r, p: r.report_year == 2020),
    ("section:存在问题", lambda r, p: p.section_class == "存在问题"),
    ("section:问题", lambda r, p: p.section_class == "存在问题"),
    ("section:导语,其他", lambda r, p: p.section_class in ("导语", "其他")),
    ("title:苏州", lambda r, p: "苏州" in r.title),
    ('title:"西湖区2021"', lambda r, p: "西湖区2021" in r.title),
    ("region:浙江 year:2022 section:导语", lambda r, p: r.region["province"] == "浙江省"
        and r.report_year == 2022 and p.section_class == "导语"),
    ("region:浙江 -section:导语", lambda r, p: r.region["province"] == "浙江省" and p.section_class != "导语"),
    ("法治 region:江苏", lambda r, p: r.region["province"] == "江苏省" and "法治" in p.text),
    ("region:湖南 OR year:2020", lambda r, p: r.region["province"] == "湖南省" or r.report_year == 2020),
])
def test_field_filters_in_the_query(made, reports, query, keep):
    results = made.search(query, limit=None)
    assert hit_ids(results) == paragraphs_where(reports, keep)
    assert results["notices"] == []


def test_query_fields_and_parameter_filters_combine(made, reports):
    results = made.search("region:杭州", filters={"year": ["2020"]}, limit=None)
    assert hit_ids(results) == paragraphs_where(
        reports, lambda r, p: r.region["city"] == "杭州市" and r.report_year == 2020)


def test_region_field_of_an_unknown_place_finds_nothing(made):
    assert made.search("region:西藏")["total"] == 0


def test_same_sentence_needs_one_sentence_same_paragraph_does_not(made):
    sentence = hit_ids(made.search("同句(法律顾问 合法性审查)", limit=None))
    paragraph = hit_ids(made.search("同段(法律顾问 合法性审查)", limit=None))
    # zj-xh-2021 has the two in one paragraph but split by a semicolon.
    assert sentence == {("zj-xh-2020", 2), ("js-sz-2021", 2)}
    assert paragraph == sentence | {("zj-xh-2021", 2)}


# Ranking and sorting.

def test_an_unquoted_term_finds_only_its_exact_text(made):
    hits = made.search("法律顾问制度", limit=None)["hits"]
    assert hit_ids({"hits": hits}) == hit_ids(made.search('"法律顾问制度"', limit=None)) == {("hn", 2)}
    assert "<mark>法律顾问制度</mark>" in snippet_html(hits[0])


def test_exact_text_outranks_scattered_words(made):
    hits = made.search("法律顾问制度", limit=None, match="words")["hits"]
    assert [(h["report_id"], h["n"]) for h in hits][:1] == [("hn", 2)]
    assert ("js-sz-2021", 3) in hit_ids({"hits": hits})  # holds both words apart, so it matches too
    assert "<mark>法律顾问制度</mark>" in snippet_html(hits[0])


def test_heading_paragraphs_are_boosted(made):
    # The plain paragraph repeats the words, so BM25F alone would put it first.
    hits = made.search("执法队伍建设")["hits"]
    assert [(h["n"], h["heading"]) for h in hits] == [(4, True), (5, False)]


def test_equal_scores_put_the_newer_report_first(made):
    hits = made.search("依法行政示范创建")["hits"]
    assert [h["report_id"] for h in hits] == ["zj-nb-2022", "js-nj-2020"]


def test_newest_and_oldest_sorts_order_by_date_undated_last(made):
    newest = made.search("法治政府建设", sort="newest", limit=None)["hits"]
    oldest = made.search("法治政府建设", sort="oldest", limit=None)["hits"]
    dates = [h["pub_date"] for h in newest]
    assert dates[:-1] == sorted(dates[:-1], reverse=True) and dates[-1] == ""
    assert [h["pub_date"] for h in oldest][:-1] == sorted(dates[:-1]) and oldest[-1]["pub_date"] == ""
    # Within one report, paragraphs keep their order.
    same = [(h["report_id"], h["n"]) for h in oldest if h["report_id"] == "zj-xh-2020"]
    assert same == sorted(same)


def test_hit_carries_report_metadata(made):
    hit = made.search("北山街道")["hits"][0]
    assert hit["region"] == {"province": "浙江省", "city": "杭州市", "county": "西湖区", "township": "北山街道"}
    assert (hit["report_year"], hit["pub_date"], hit["section_class"]) == (2020, "2021-03-01", "导语")
    assert hit["title"] == "北山街道2020年法治政府建设情况报告"


# Paging and parameter checks.

def test_pages_split_the_hits_without_overlap(made):
    pages = [made.search('"法"', page=p, limit=4) for p in (1, 2, 3, 4, 5, 6)]
    total = pages[0]["total"]
    assert pages[0]["pages"] == -(-total // 4)
    seen = [hit_ids(p) for p in pages if p["hits"]]
    assert sum(len(s) for s in seen) == total and len(set().union(*seen)) == total


def test_page_beyond_the_last_is_empty_with_a_notice(made):
    results = made.search("法治政府建设", page=99)
    assert results["hits"] == [] and results["total"] == 10
    assert any("超出范围" in n for n in results["notices"])


@pytest.mark.parametrize("limit, shown", [(0, 1), (-3, 1), (500, 100), ("7", 7)])
def test_limit_is_clamped_with_a_notice(made, limit, shown):
    results = made.search('"法"', limit=limit)
    assert results["limit"] == shown and len(results["hits"]) == min(shown, results["total"])
    assert bool(results["notices"]) == (str(limit) != str(shown))


def test_limit_none_returns_every_hit(made):
    results = made.search('"法"', limit=None)
    assert len(results["hits"]) == results["total"] > 10 and results["pages"] == 1
    assert len(made.search('"法"', limit=10)["hits"]) == 10


@pytest.mark.parametrize("kwargs, name", [
    ({"limit": "abc"}, "limit"), ({"page": -1}, "page"), ({"page": 0}, "page"), ({"page": "x"}, "page"),
    ({"sort": "foo"}, "sort"), ({"filters": {"year": ["abc"]}}, "year"),
    ({"filters": {"section": ["不存在"]}}, "section"), ({"filters": {"country": ["中国"]}}, "country"),
])
def test_bad_parameters_name_themselves(made, kwargs, name):
    with pytest.raises(BadParameter) as caught:
        made.search("法治", **kwargs)
    assert caught.value.name == name and name in str(caught.value)


# The same through the JSON API and the command line.

@pytest.fixture(scope="module")
def made_client(made_index):
    """A Flask test client over the hand-made index, one for the module (its tests only read)."""
    return make_app({"TESTING": True, "INDEX_DIR": str(made_index)}).test_client()


def test_api_passes_repeated_filters_and_sort(made_client):
    data = made_client.get("/api/search?q=法治政府建设&province=浙江省&province=江苏省&year=2020"
                           "&sort=oldest&limit=5").get_json()
    assert data["filters"] == {"province": ["浙江省", "江苏省"], "year": ["2020"]}
    assert data["total"] == 4 and data["sort"] == "oldest"
    assert [h["pub_date"] for h in data["hits"]] == ["2021-02-01"] + ["2021-03-01"] * 3
    assert set(data) >= {"query", "description", "total", "total_reports", "page", "pages", "limit",
                         "sort", "hits", "facets", "filters", "elapsed_ms", "notices"}


@pytest.mark.parametrize("params, name", [("limit=abc", "limit"), ("page=-1", "page"), ("sort=foo", "sort"),
                                          ("year=20x0", "year"), ("section=不存在", "section")])
def test_api_bad_parameter_is_a_400_naming_it(made_client, params, name):
    response = made_client.get(f"/api/search?q=法治&{params}")
    assert response.status_code == 400
    data = response.get_json()
    assert data["parameter"] == name and name in data["error"]


def test_search_page_bad_parameter_is_a_400_page(made_client):
    response = made_client.get("/search?q=法治&page=abc")
    assert response.status_code == 400 and "page" in response.get_data(as_text=True)


@pytest.mark.integration
def test_cli_filters_sort_and_bad_option(made_index):
    done = run_module("search", "法治政府建设", "--index", str(made_index), "--province", "浙江省",
                      "--province", "江苏省", "--year", "2021-2022", "--sort", "newest", "--json")
    assert done.returncode == 0, done.stderr
    results = json.loads(done.stdout)
    assert results["filters"] == {"province": ["浙江省", "江苏省"], "year": ["2021-2022"]}
    assert [h["pub_date"] for h in results["hits"]] == ["2023-03-15", "2023-01-20", "2023-01-20",
                                                         "2022-03-30", "2022-02-10"]
    bad = run_module("search", "法治", "--index", str(made_index), "--sort", "foo")
    assert bad.returncode == 2 and "--sort" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.integration
def test_cli_limit_all_prints_every_hit(made_index):
    done = run_module("search", '"法"', "--index", str(made_index), "--limit", "all", "--json")
    results = json.loads(done.stdout)
    assert len(results["hits"]) == results["total"] > 10


def test_every_combination_of_two_filters_is_consistent(made):
    """The hits of two filters together are the intersection of each alone."""
    single = [{"province": ["浙江省"]}, {"year": ["2022"]}, {"section": ["导语"]}, {"city": ["杭州市"]}]
    for first, second in itertools.combinations(single, 2):
        both = hit_ids(made.search("法治", filters={**first, **second}, limit=None))
        assert both == (hit_ids(made.search("法治", filters=first, limit=None))
                        & hit_ids(made.search("法治", filters=second, limit=None)))


# The level facet: one registry entry (model/registry.py LEVEL), values shown by their labels.

def levels_of(results):
    """Return {value: (label, paragraphs, reports)} of the level facet."""
    return {row["value"]: (row["label"], row["count"], row["reports"]) for row in results["facets"]["level"]}


def test_level_facet_counts_filters_and_reads_labels(made, reports):
    results = made.search("法治政府建设")
    by_level = {}
    for report in reports:
        hits = [p for p in report.paragraphs if "法治政府建设" in normalize(p.text)]
        if hits:
            paragraphs, count = by_level.get(report.level, (0, 0))
            by_level[report.level] = (paragraphs + len(hits), count + 1)
    assert {value: tuple(counts) for value, (_label, *counts) in levels_of(results).items()} == \
        {level: tuple(counts) for level, counts in by_level.items()}
    assert levels_of(results)["township"][0] == "乡镇" and levels_of(results)["province"][0] == "省级"
    # Given as the value or as its label, in a parameter or in the query.
    for given in ({"filters": {"level": ["township"]}}, {"filters": {"level": ["乡镇"]}}):
        only = made.search("法治政府建设", limit=None, **given)
        assert {hit["report_id"] for hit in only["hits"]} == {"zj-xh-2020"}
        assert "层级：乡镇" in only["description"]
    typed = made.search("法治政府建设 level:乡镇", limit=None)
    assert {hit["report_id"] for hit in typed["hits"]} == {"zj-xh-2020"}
    with pytest.raises(BadParameter, match="层级"):
        made.search("法治", filters={"level": ["村级"]})


def test_level_chip_and_sidebar_show_the_label(made_client):
    page = made_client.get("/search?q=法治政府建设&level=county").get_data(as_text=True)
    assert "层级：县级" in page and ">县级<" in page


# Issuer, publication date and 文号: registry entries too.

def report_ids(results):
    """Return the ids of the reports of a results object's hits."""
    return {hit["report_id"] for hit in results["hits"]}


def test_issuer_facet_counts_and_filters_and_a_query_finds_part_of_a_name(made, reports):
    results = made.search("法治政府建设")
    issuers = {row["value"]: row["reports"] for row in results["facets"]["issuer"]}
    assert issuers["西湖区人民政府"] == 1 and issuers["北山街道人民政府"] == 1
    only = made.search("法治政府建设", filters={"issuer": ["西湖区人民政府"]}, limit=None)
    assert report_ids(only) == {"zj-xh-2021"}
    typed = made.search("法治政府建设 issuer:西湖", limit=None)
    assert report_ids(typed) == {"zj-xh-2021"} and "发布机关：西湖" in typed["description"]


@pytest.mark.parametrize("given, expected", [
    ("2022", {"zj-xh-2021", "js-sz-2021"}),
    ("2023-03", {"zj-yh-2022"}),
    ("2021-02-01", {"js-nj-2020"}),
    ("2021-01-01~2021-12-31", {"zj-xh-2020", "js-nj-2020"}),
    ("2022年3月1日至2023年1月31日", {"js-sz-2021", "zj-nb-2022"}),
])
def test_publication_date_ranges_filter_by_day_month_year_and_range(made, reports, given, expected):
    everything = made.search("法治", filters={"published": [given]}, limit=None)
    oracle = {r.report_id for r in reports if r.pub_date
              and any("法治" in normalize(p.text) for p in r.paragraphs)}
    assert report_ids(everything) == expected & oracle
    typed = made.search(f"法治 published:{given}", limit=None)
    assert report_ids(typed) == report_ids(everything)


def test_publication_year_facet_counts_undated_reports_under_their_own_value(made, reports):
    years = {row["value"]: row["reports"] for row in made.search("法治")["facets"]["published"]}
    assert years == {"2021": 2, "2022": 2, "2023": 2, UNDATED: 1}
    undated = made.search("法治", filters={"published": [UNDATED]}, limit=None)
    assert report_ids(undated) == {r.report_id for r in reports if not r.pub_date
                                   and any("法治" in normalize(p.text) for p in r.paragraphs)}


def test_a_bad_date_is_a_400_naming_it_and_a_notice_in_a_query(made):
    with pytest.raises(BadParameter, match="published"):
        made.search("法治", filters={"published": ["2021-13"]})
    results = made.search("法治 published:去年")
    assert any("去年" in notice for notice in results["notices"])


def test_doc_number_filters_by_what_it_contains_and_is_not_counted(made):
    results = made.search("法治", filters={"docno": ["〔2022〕3"]}, limit=None)
    assert report_ids(results) == {"zj-xh-2021", "js-sz-2021"}  # 西湖政报〔2022〕3号, 苏州政报〔2022〕3号
    assert "文号：〔2022〕3" in results["description"]
    assert "docno" not in results["facets"]
    assert report_ids(made.search("法治 文号:西湖政报〔2022〕", limit=None)) == {"zj-xh-2021"}


def test_a_facet_of_names_lists_the_values_in_most_reports_first_on_both_backends():
    """The sidebar's question is "how many reports": a value in 3 reports with 4 paragraphs comes before one in
    1 report with 40, and past MOST_VALUES the values kept are those in most reports (the cluster's too)."""
    names = ["", "甲司法局", "乙人民政府", "丙街道"] + [f"第{k}号单位" for k in range(MOST_VALUES)]
    paragraphs = np.array([0, 40, 4, 4] + [5] * MOST_VALUES)
    reports = np.array([0, 1, 3, 2] + [1] * MOST_VALUES)
    rows = ISSUER.rows((paragraphs, reports), Coded(None, names), None)
    assert [row["value"] for row in rows[:3]] == ["乙人民政府", "丙街道", "甲司法局"]
    assert len(rows) == MOST_VALUES and [(row["reports"], row["count"]) for row in rows[:2]] == [(3, 4), (2, 4)]
    assert "甲司法局" in {row["value"] for row in rows}  # 40 paragraphs outrank 5 among the values in one report
    cluster = shown_rows(ISSUER, [(code, int(paragraphs[code]), int(reports[code])) for code in range(1, len(names))],
                         None)
    # The cluster reads the names of those rows only (those tied at the cut all), and the same rows come of them.
    kept = [""] + [names[code] for code, _p, _r in cluster]
    counts = (np.array([0] + [p for _c, p, _r in cluster]), np.array([0] + [r for _c, _p, r in cluster]))
    assert ISSUER.rows(counts, Coded(None, kept), None) == rows


# Cited documents: several per report (Report.citations), a national law by its full name.
CIVIL_CODE = "中华人民共和国民法典"


def seed_reports(engine):
    """Return every seed report, read whole."""
    return [engine.report(row["report_id"]) for row in engine.overview()["reports"]]


def test_cites_finds_the_reports_citing_the_civil_code_and_fewer_than_all(engine):
    reports = seed_reports(engine)
    citing = {report.report_id for report in reports if CIVIL_CODE in report.citations}
    found = engine.search("", filters={"cites": [CIVIL_CODE]}, limit=None, fold=False)
    assert report_ids(found) == citing and 0 < len(citing) < len(reports)
    # Every paragraph of those reports is browsed, and the description names the choice.
    assert found["total"] == sum(len(report.paragraphs) for report in reports if report.report_id in citing)
    assert found["description"] == f"引用：{CIVIL_CODE}"
    # Two documents chosen: a report citing either.
    constitution = "中华人民共和国宪法"
    either = {report.report_id for report in reports if {CIVIL_CODE, constitution} & set(report.citations)}
    assert report_ids(engine.search("", filters={"cites": [CIVIL_CODE, constitution]}, limit=None)) == either


def test_cites_counts_each_document_in_reports_and_paragraphs_as_a_brute_count_does(engine):
    reports = seed_reports(engine)
    hits = engine.search("法治", limit=None, fold=False)["hits"]
    by_report = {report.report_id: report for report in reports}
    expected = {}
    for hit in hits:
        for name in by_report[hit["report_id"]].citations:
            paragraphs, ids = expected.get(name, (0, set()))
            expected[name] = (paragraphs + 1, ids | {hit["report_id"]})
    rows = engine.search("法治", limit=1)["facets"]["cites"]
    shown = {row["value"]: (row["count"], row["reports"]) for row in rows}
    assert shown == {name: (count, len(ids)) for name, (count, ids) in expected.items()}
    # Chosen, the facet still counts the other documents (disjunctive), and the hits carry the report's list.
    chosen = engine.search("法治", filters={"cites": [CIVIL_CODE]}, limit=5)
    assert {row["value"] for row in chosen["facets"]["cites"]} == set(shown)
    assert [row["selected"] for row in chosen["facets"]["cites"] if row["value"] == CIVIL_CODE] == [True]
    assert all(CIVIL_CODE in hit["cites"] for hit in chosen["hits"])


def test_report_page_cited_documents_are_filter_links_and_the_sidebar_shows_them(engine, client):
    from bs4 import BeautifulSoup
    from urllib.parse import parse_qs, urlsplit
    report = next(report for report in seed_reports(engine) if CIVIL_CODE in report.citations)
    page = BeautifulSoup(client.get(f"/report/{report.report_id}").get_data(as_text=True), "lxml")
    links = {a.get_text(): a["href"] for a in page.select("aside.cited a.cited-filter")}
    assert list(links) == [f"《{name}》" for name in report.citations]
    assert parse_qs(urlsplit(links[f"《{CIVIL_CODE}》"]).query) == {"cites": [CIVIL_CODE]}
    # Followed, the link lists the citing reports, the choice a chip, the sidebar's group ticked.
    listed = BeautifulSoup(client.get(links[f"《{CIVIL_CODE}》"]).get_data(as_text=True), "lxml")
    assert [chip.select_one("span").get_text() for chip in listed.select("a.chip")] == [f"引用：{CIVIL_CODE}"]
    group = listed.select_one("section[aria-labelledby=facet-cites]")
    assert group.h2.get_text() == "引用的法规文件"
    assert CIVIL_CODE in {a.select_one(".facet-name").get_text() for a in group.select("a.facet-value")}


@pytest.mark.parametrize("needle", ["法治政府建设", "法"])
@pytest.mark.parametrize("filters", FILTER_CHOICES[:6], ids=lambda f: json.dumps(f, ensure_ascii=False))
def test_remembered_counts_equal_fresh_ones(made, reports, needle, filters, monkeypatch):
    """Every plan remembered (as the commonest phrases are): the second answer comes from memory and still
    matches the brute force, whatever the first answer's caller did to its facets."""
    monkeypatch.setattr(execute, "REMEMBERED_MATCHES", 0)
    first = made.search(f'"{needle}"', filters=filters, limit=None)
    for rows in first["facets"]["region"]["levels"]:
        rows["values"].clear()
    first["facets"]["year"][:] = [dict(row, count=0) for row in first["facets"]["year"]]
    again = made.search(f'"{needle}"', filters=filters, limit=None)
    total, total_reports, levels, years, sections = oracle(reports, needle, filters)
    assert (again["total"], again["total_reports"], len(again["hits"])) == (total, total_reports, total)
    for entry in again["facets"]["region"]["levels"]:
        assert counted(entry["values"]) == levels[entry["level"]], entry["level"]
    assert counted(again["facets"]["year"]) == years
    assert counted(again["facets"]["section"]) == sections


@pytest.mark.integration  # the planted index is a rebuild of its own
def test_remembered_ranking_equals_a_fresh_one(planted_index, monkeypatch):
    """Pages of a remembered plan, folded and not, one after the other, come in the order a fresh engine gives
    (the scores are kept for one ranking of the plan's listed documents: folding lists others)."""
    def pages(engine):
        """Return the hits of the first two pages of each needle, folded, not folded, then folded again."""
        return [[(hit["report_id"], hit["n"], hit["folded"])
                 for hit in engine.search(f'"{needle}"', page=page, limit=2, fold=fold)["hits"]]
                for needle in ("本单位认真贯彻落实上级", "法治") for fold in (True, False, True) for page in (1, 2)]
    monkeypatch.setattr(execute, "REMEMBERED_MATCHES", 10 ** 9)
    fresh = pages(SearchEngine(planted_index))
    assert fresh[0:2] != fresh[2:4], "folding changes the listed hits"
    monkeypatch.setattr(execute, "REMEMBERED_MATCHES", 0)
    assert pages(SearchEngine(planted_index)) == fresh
