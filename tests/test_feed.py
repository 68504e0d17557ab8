"""A search's Atom feed: valid Atom, one entry per matching report (the newest first) with its matching paragraphs'
absolute links, ids that survive a rebuild, parameters checked as /search checks them, and linked from the results."""
from urllib.parse import parse_qs, urlencode, urlsplit

import feedparser
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from indexer.index.build import rebuild

from conftest import SEED_CORPUS, make_app, quiet

ATOM = "{http://www.w3.org/2005/Atom}"


def atom_of(client, query, base_url="http://localhost/"):
    """GET a feed (of a site served at base_url); return (response, its document parsed by lxml), checking that it is
    well-formed Atom."""
    response = client.get("/feed", query_string=query, base_url=base_url)
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    document = etree.fromstring(response.data)
    assert document.tag == f"{ATOM}feed"
    # What Atom (RFC 4287) requires of a feed and of each entry: an id, a title and when it was updated.
    for element in [document, *document.findall(f"{ATOM}entry")]:
        assert all(element.find(f"{ATOM}{name}") is not None for name in ("id", "title", "updated")), element
    parsed = feedparser.parse(response.data)
    assert not parsed.bozo and parsed.version == "atom10"
    return response, document


def entries(document):
    """Return every entry of a feed as {id, alternate, related (the paragraph links), updated}."""
    found = []
    for entry in document.findall(f"{ATOM}entry"):
        links = entry.findall(f"{ATOM}link")
        found.append({"id": entry.findtext(f"{ATOM}id"), "updated": entry.findtext(f"{ATOM}updated"),
                      "alternate": [link.get("href") for link in links if link.get("rel") == "alternate"],
                      "related": [link.get("href") for link in links if link.get("rel") == "related"]})
    return found


def report_of(link):
    """Return the report id a report page link names."""
    return urlsplit(link).path.rsplit("/", 1)[1]


@pytest.mark.parametrize("q", ["枫桥经验", "法治"])
def test_a_feed_has_one_entry_per_matching_report_newest_first_with_its_paragraphs(client, engine, q):
    _response, document = atom_of(client, {"q": q})
    found = engine.search(q, sort="newest", limit=None, fold=False)
    order = list(dict.fromkeys(hit["report_id"] for hit in found["hits"]))
    listed = entries(document)
    assert [report_of(entry["alternate"][0]) for entry in listed] == order and len(order) == found["total_reports"]
    for entry, report_id in zip(listed, order):
        paragraphs = [hit["n"] for hit in found["hits"] if hit["report_id"] == report_id]
        # Every matching paragraph linked (the first 20), absolutely, to its place in the report, the query marked.
        assert entry["related"] == [f"http://localhost/report/{report_id}?{urlencode({'q': q})}#p-{n}"
                                    for n in paragraphs[:20]]
        assert entry["id"] == f"tag:localhost,2026:/report/{report_id}"


def test_the_civil_code_feed_lists_the_reports_citing_it_and_the_query_is_escaped(client, engine):
    _response, document = atom_of(client, {"cites": "中华人民共和国民法典"})
    citing = {row["report_id"] for row in engine.overview()["reports"]
              if "中华人民共和国民法典" in engine.report(row["report_id"]).citations}
    assert {report_of(entry["alternate"][0]) for entry in entries(document)} == citing
    # Markup typed in a query is text in the feed: the document still parses, its own address carries the query as
    # typed, and no entry's HTML holds an element the query wrote.
    typed = "依法 OR \"<b>法治</b> &\""
    _response, document = atom_of(client, {"q": typed})
    own = next(link.get("href") for link in document.findall(f"{ATOM}link") if link.get("rel") == "self")
    assert parse_qs(urlsplit(own).query) == {"q": [typed]}
    contents = [BeautifulSoup(entry.findtext(f"{ATOM}content"), "lxml")
                for entry in document.findall(f"{ATOM}entry")]
    assert contents and all(content.find("mark") and not content.find("b") for content in contents)


@pytest.mark.integration  # rebuilds the seed corpus
def test_feed_ids_survive_a_rebuild_and_links_carry_the_sub_path(tmp_path, seed_index):
    first = make_app({"TESTING": True, "INDEX_DIR": str(seed_index)}).test_client()
    again = tmp_path / "index"
    rebuild(SEED_CORPUS, again, warn=quiet)
    second = make_app({"TESTING": True, "INDEX_DIR": str(again)}).test_client()
    ids = [[entry["id"] for entry in entries(atom_of(client, {"q": "法治"})[1])] for client in (first, second)]
    assert ids[0] == ids[1] and len(set(ids[0])) == len(ids[0]) > 1
    # Served below /fz, every link and id carries the prefix.
    _response, document = atom_of(second, {"q": "法治"}, "http://localhost/fz/")
    links = [link.get("href") for link in document.iter(f"{ATOM}link")]
    assert links and all(link.startswith("http://localhost/fz/") for link in links)
    assert all(entry["id"].startswith("tag:localhost,2026:/fz/report/") for entry in entries(document))


def test_a_feed_from_a_page_grouped_by_report_or_matched_by_words_lists_what_that_search_finds(client, engine):
    """Subscribed from a results page listed by report, or with 模糊 on, the feed still has one entry per report and
    each paragraph link marks the query as that search matched it."""
    _response, grouped = atom_of(client, {"q": "法治", "group": "report"})
    _response, plain = atom_of(client, {"q": "法治"})
    assert entries(grouped) == entries(plain)
    _response, document = atom_of(client, {"q": "行政执法", "match": "words"})
    found = engine.search("行政执法", match="words", sort="newest", limit=None, fold=False)
    listed = entries(document)
    assert len(listed) == found["total_reports"] > engine.search("行政执法")["total_reports"]
    assert all(parse_qs(urlsplit(link).query)["match"] == ["words"] for entry in listed for link in entry["related"])


def test_feed_parameters_are_checked_as_the_search_checks_them(client):
    for query, name in (({"q": "法治", "year": "abc"}, "year"), ({"q": "法治", "province": [f"省{i}" for i in range(60)]}, "province"),
                        ({"q": "法治", "scope": "nowhere"}, "scope"), ({"q": "法治", "group": "everything"}, "group"),
                        ({"q": "法治", "match": "fuzzy"}, "match"), ({"q": "法治", "nosuch": "1"}, None)):
        response = client.get("/feed", query_string=query)
        if name is None:
            assert response.status_code == 200  # an unknown parameter is ignored, as /search ignores it
        else:
            assert response.status_code == 400 and name in response.get_data(as_text=True)
            assert client.get("/search", query_string=query).status_code == 400


def test_the_results_page_links_its_feed_in_its_head_and_as_a_visible_link(client):
    page = BeautifulSoup(client.get("/search?q=枫桥经验&year=2020&sort=oldest&page=1").get_data(as_text=True), "lxml")
    head = page.head.select_one('link[rel=alternate][type="application/atom+xml"]')
    visible = page.select_one("a.feed-link")
    assert visible.get_text() == "订阅" and head["href"] == visible["href"]
    assert urlsplit(head["href"]).path == "/feed"
    assert parse_qs(urlsplit(head["href"]).query) == {"q": ["枫桥经验"], "year": ["2020"]}
    atom_of(client, parse_qs(urlsplit(head["href"]).query))
