"""Facet filters stay filters: out of the query box, and taken off by their chip (issue 25, items 1, 2 and 6)."""
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from bs4 import BeautifulSoup

from model.kinds import UNDATED
from model.registry import FACETS, PUBLISHED, hierarchy_of

QUERY = "依法行政"


def page(client, url):
    """Return a results page parsed."""
    return BeautifulSoup(client.get(url).get_data(as_text=True), "lxml")


def total(found):
    """Return the paragraph count a results page shows."""
    return int(found.select_one(".count strong").get_text())


def facet_value(client, facet, chosen, fewest=True):
    """Return a value of a facet among the hits of QUERY under the chosen filters: one with the fewest hits (so
    that choosing it narrows the hits) or the most; for a facet the sidebar does not count (文号), a hit's value."""
    data = client.get("/api/search?" + urlencode({"q": QUERY, **chosen, "limit": "all"}, doseq=True)).get_json()
    if not facet.counted:
        # A report's text searched by what it holds (文号): the hits carry it under its report field's name.
        return next(hit[facet.source.path[-1]] for hit in data["hits"] if hit[facet.source.path[-1]])
    rows = data["facets"][facet.hierarchy or facet.name]
    if isinstance(rows, dict):
        rows = next(level["values"] for level in rows["levels"] if level["level"] == facet.name)
    return (min if fewest else max)(rows, key=lambda row: row["count"])["value"]


def above(client, facet):
    """Return the filters a facet's sidebar group needs chosen first: the value with most hits of each level above it."""
    chosen = {}
    for level in hierarchy_of(facet)[:hierarchy_of(facet).index(facet)]:
        chosen[level.name] = facet_value(client, level, chosen, fewest=False)
    return chosen


@pytest.mark.parametrize("facet", FACETS, ids=lambda facet: facet.name)
def test_every_facet_filter_stays_out_of_the_box_and_its_chip_takes_it_off(client, facet):
    chosen = above(client, facet)
    before = page(client, "/search?" + urlencode({"q": QUERY, **chosen}))
    value = facet_value(client, facet, chosen)
    filtered = page(client, "/search?" + urlencode({"q": QUERY, **chosen, facet.name: value}))
    assert filtered.select_one("#q")["value"] == QUERY
    assert total(filtered) <= total(before)
    chip = next(a for a in filtered.select("a.chip") if a.select_one("span").get_text().startswith(facet.chip + "："))
    assert facet.name not in parse_qs(urlsplit(chip["href"]).query)
    restored = page(client, chip["href"])
    assert restored.select_one("#q")["value"] == QUERY
    assert total(restored) == total(before)


def api(client, **params):
    """Return the API's results object of QUERY with every hit, under the filters given."""
    return client.get("/api/search?" + urlencode({"q": QUERY, "limit": "all", **params}, doseq=True)).get_json()


def test_undated_reports_have_a_date_facet_value_of_their_own(client):
    everything = api(client)
    rows = {row["value"]: row for row in everything["facets"][PUBLISHED.name]}
    undated = [hit for hit in everything["hits"] if not hit["pub_date"]]
    assert undated and rows[UNDATED]["count"] == len(undated)
    assert sum(row["count"] for row in rows.values()) == everything["total"]
    assert list(rows)[-1] == UNDATED  # after the years, newest first

    chosen = api(client, **{PUBLISHED.name: UNDATED})
    assert chosen["total"] == len(undated) and not any(hit["pub_date"] for hit in chosen["hits"])
    assert f"{PUBLISHED.chip}：{UNDATED}" in chosen["description"]
    either = api(client, **{PUBLISHED.name: [UNDATED, "2024"]})
    assert either["total"] == len(undated) + rows["2024"]["count"]

    found = page(client, "/search?" + urlencode({"q": QUERY, PUBLISHED.name: UNDATED}))
    assert [chip.select_one("span").get_text() for chip in found.select("a.chip")] == [f"{PUBLISHED.chip}：{UNDATED}"]
    assert found.select_one(f"section[aria-labelledby=facet-{PUBLISHED.name}] .facet-value.selected .facet-name") \
        .get_text() == UNDATED
