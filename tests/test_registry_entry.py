"""A facet added as one registry entry reaches every place a facet shows: the sidebar, the chips, the URL,
the command line, the hits, the API and the three exports (CSV, JSON, workbook), with nothing else changed."""
import csv
import io
import json
import sys
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from openpyxl import load_workbook

from model import registry
from model.kinds import FromReport, Named

from browsing import read_counts
from conftest import make_app

# A throwaway facet: the report's title as a facet of names, under a key no hit has today.
EXTRA = Named("report_title", "题名", "题名", FromReport(("title",)))
# The packages whose modules may hold the registry's tables.
PROJECT_PACKAGES = {"model", "indexer", "search", "web", "app"}


def registered(monkeypatch, entry):
    """Add a facet to the registry for one test: every table model/registry.py derives from FACETS made again
    with it, and rebound wherever a module of the project holds the table."""
    facets = registry.FACETS + (entry,)
    # The hit fields hold the facets in order: the entry goes after the last one.
    hit_fields = tuple(kept for field in registry.HIT_FIELDS
                       for kept in ((field, entry) if field is registry.FACETS[-1] else (field,)))
    tables = {"FACETS": facets, "BY_NAME": {facet.name: facet for facet in facets},
              "FACET_NAMES": tuple(facet.name for facet in facets), "HIT_FIELDS": hit_fields}
    by_old = {id(getattr(registry, name)): new for name, new in tables.items()}
    for module in list(sys.modules.values()):
        if getattr(module, "__name__", "").split(".")[0] in PROJECT_PACKAGES:
            for name, value in list(vars(module).items()):
                if id(value) in by_old:
                    monkeypatch.setattr(module, name, by_old[id(value)])


def test_a_facet_added_as_one_entry_reaches_every_place_a_facet_shows(seed_index, engine, monkeypatch, capsys):
    title = max(engine.overview()["reports"], key=lambda row: row["paragraphs"])["title"]
    wanted = {(hit["report_id"], hit["n"]) for hit in engine.search("法治", limit=None, fold=False)["hits"]
              if hit["title"] == title}
    registered(monkeypatch, EXTRA)
    client = make_app({"TESTING": True, "INDEX_DIR": str(seed_index)}).test_client()

    # The sidebar counts its values, each a link setting it in the URL.
    page = BeautifulSoup(client.get("/search?q=法治").get_data(as_text=True), "lxml")
    group = page.select_one("section[aria-labelledby=facet-report_title]")
    assert group.h2.get_text() == "题名"
    links = {a.select_one(".facet-name").get_text(): a for a in group.select("a.facet-value")}
    assert read_counts(links[title].select_one(".facet-count").get_text()) == (1, len(wanted))
    chosen = links[title]["href"]
    assert parse_qs(urlsplit(chosen).query) == {"q": ["法治"], "report_title": [title]}

    # Followed, the link chooses it: shown as a chip that removes it, the count that report's.
    page = BeautifulSoup(client.get(chosen).get_data(as_text=True), "lxml")
    chips = {chip.select_one("span").get_text(): chip["href"] for chip in page.select("a.chip")}
    assert list(chips) == [f"题名：{title}"] and parse_qs(urlsplit(chips[f"题名：{title}"]).query) == {"q": ["法治"]}
    assert int(page.select(".count strong")[0].get_text()) == len(wanted)

    # The API filters by it and every hit carries it.
    found = client.get("/api/search", query_string={"q": "法治", "report_title": title, "limit": "all", "fold": "0"}).get_json()
    assert {(hit["report_id"], hit["n"]) for hit in found["hits"]} == wanted
    assert {hit["report_title"] for hit in found["hits"]} == {title}
    assert found["filters"] == {"report_title": [title]}

    # The three exports carry it under its label (CSV, workbook) or its key (JSON).
    query = {"q": "法治", "report_title": title}
    rows = list(csv.DictReader(io.StringIO(client.get("/export.csv", query_string=query).data.decode("utf-8-sig"))))
    assert len(rows) == len(wanted) and {row["题名"] for row in rows} == {title}
    exported = client.get("/export.json", query_string=query).get_json()
    assert len(exported) == len(wanted) and {hit["report_title"] for hit in exported} == {title}
    sheet = load_workbook(io.BytesIO(client.get("/export.xlsx", query_string=query).data)).active
    table = list(sheet.values)
    column = table[0].index("题名")
    assert len(table) - 1 == len(wanted) and {row[column] for row in table[1:]} == {title}

    # The command line takes it as an option and prints it in every hit.
    from search.__main__ import main
    assert main(["法治", "--report_title", title, "--limit", "all", "--no-fold", "--json", "--index", str(seed_index)]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert {(hit["report_id"], hit["n"]) for hit in printed["hits"]} == wanted
    assert {hit["report_title"] for hit in printed["hits"]} == {title}
