"""Served under a sub-path (SCRIPT_NAME=/fz, as behind a proxy at https://host/fz/), every link the site gives
carries the prefix: in every page, in the API and in the three exports, and in the server's own error answers."""
import csv
import io
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request

import pytest
from bs4 import BeautifulSoup

from bench.server import HOST, Server

pytestmark = pytest.mark.integration

PREFIX = "/fz"
QUERY = "法治"
# Attributes of the pages that hold a link.
LINK_ATTRIBUTES = ("href", "src", "action")
# Any absolute URL inside a text (a citation names the paragraph's URL).
URL_IN_TEXT = re.compile(r"https?://[^\s，。；）)\"']+")
# One page of each kind the site has, below the prefix; the links found in them are followed once.
PAGES = ("/", f"/search?q={QUERY}&year=2025", f"/search?q={QUERY}&page=2", f"/search?q={QUERY}&group=report",
         f"/advanced?q={QUERY}",
         f"/trends?q={QUERY}&vs=依法行政", "/corpus", "/reuse", f"/reuse?q={QUERY}",
         f"/report/planted_b?q={QUERY}", "/report/planted_b/similar/1", "/compare?a=planted_b",
         f"/compare?a=planted_a&b=planted_b&q={QUERY}", "/no-such-page")

# Every route of the site (what a link to it starts with), which the pages' links must reach.
ROUTES = ("/", "/search", "/advanced", "/trends", "/corpus", "/reuse", "/report/", "/report/…/similar/", "/compare",
          "/export.csv", "/export.json", "/export.xlsx", "/static/")


def route_of(path):
    """Return the route a prefixed path of the site is served by, as ROUTES names it."""
    path = urllib.parse.urlsplit(path).path.removeprefix(PREFIX)
    if "/similar/" in path:
        return "/report/…/similar/"
    return next((route for route in ("/report/", "/static/") if path.startswith(route)), path)


@pytest.fixture(scope="module")
def server(planted_corpus, planted_index, tmp_path_factory):
    """The real server (gunicorn, as `make run` starts it) over the planted corpus, serving the site below /fz."""
    log = tmp_path_factory.mktemp("subpath") / "server.log"
    with Server(planted_index, planted_corpus[0], log, env={"SCRIPT_NAME": PREFIX}) as running:
        running.first_answer(f"{PREFIX}/api/search?" + urllib.parse.urlencode({"q": QUERY}))
        yield running


def fetch(server, path):
    """GET a path of the server (Chinese in it encoded); return (status, content type, body bytes)."""
    try:
        with urllib.request.urlopen(server.base + urllib.parse.quote(path, safe="/?&=%+#"), timeout=60) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_content_type(), error.read()


def ours(server, link, page_url):
    """Return the path (and query) a link leads to on this server, or None when it leads elsewhere or within the page."""
    if link.startswith("#"):
        return None
    target = urllib.parse.urlsplit(urllib.parse.urljoin(page_url, link))
    if target.scheme not in ("http", "https") or target.netloc != urllib.parse.urlsplit(server.base).netloc:
        return None
    return target.path + (f"?{target.query}" if target.query else "")


def page_links(server, html, page_url):
    """Return every link of a page that leads to this server (path and query), with the attribute it was in."""
    found = []
    for element in BeautifulSoup(html, "html.parser").find_all(True):
        for attribute in LINK_ATTRIBUTES:
            if element.has_attr(attribute) and (path := ours(server, element[attribute], page_url)) is not None:
                found.append((f"<{element.name} {attribute}>", path))
    return found


def text_links(server, value):
    """Return every URL of this server in a JSON value or a text, at any depth, with the key it was under."""
    if isinstance(value, dict):
        found = []
        for key, inner in value.items():
            if isinstance(inner, str) and (key == "url" or key.endswith("_url")) and inner.startswith("/"):
                found.append((key, inner))  # a link relative to the host, as pages use
            else:
                found += [(key if where == "" else where, path) for where, path in text_links(server, inner)]
        return found
    if isinstance(value, list):
        return [found for inner in value for found in text_links(server, inner)]
    if isinstance(value, str):
        return [("", path) for url in URL_IN_TEXT.findall(value) if (path := ours(server, url, server.base))]
    return []


def outside(links):
    """Return the links that do not carry the prefix."""
    return [(where, path) for where, path in links if not (path == PREFIX or path.startswith(PREFIX + "/"))]


def test_every_link_of_every_page_carries_the_prefix_and_answers(server):
    followed = set()
    for page in PAGES:
        status, kind, body = fetch(server, PREFIX + page)
        assert status == (404 if page == "/no-such-page" else 200) and kind == "text/html", page
        found = page_links(server, body.decode("utf-8"), server.base + PREFIX + page)
        assert found, page  # every page links somewhere, at least to the home page and its stylesheet
        assert outside(found) == [], page
        followed |= {path for _where, path in found}
    # Each link found leads somewhere real below the prefix; pages reached so hold only prefixed links too.
    for path in sorted(followed):
        status, kind, body = fetch(server, path)
        assert status == 200, path
        if kind == "text/html":
            assert outside(page_links(server, body.decode("utf-8"), server.base + path)) == [], path
    # The links reached every route of the site.
    assert {route_of(path) for path in followed} >= set(ROUTES)


@pytest.mark.parametrize("group", ["paragraph", "report"])
def test_every_link_of_the_api_carries_the_prefix(server, group):
    status, kind, body = fetch(server, f"{PREFIX}/api/search?q={QUERY}&limit=all&fold=1&group={group}")
    found = text_links(server, json.loads(body))
    assert status == 200 and kind == "application/json"
    assert {where for where, _path in found} >= {"url"} and outside(found) == []


def test_every_link_of_the_three_exports_carries_the_prefix(server):
    import openpyxl
    total = json.loads(fetch(server, f"{PREFIX}/api/search?q={QUERY}&fold=0")[2])["total"]
    hits = json.loads(fetch(server, f"{PREFIX}/export.json?q={QUERY}")[2])
    csv_rows = list(csv.DictReader(io.StringIO(fetch(server, f"{PREFIX}/export.csv?q={QUERY}")[2].decode("utf-8-sig"))))
    sheet = openpyxl.load_workbook(io.BytesIO(fetch(server, f"{PREFIX}/export.xlsx?q={QUERY}")[2]), read_only=True).active
    header, *cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    xlsx_rows = [dict(zip(header, row)) for row in cells]
    for name, rows in (("json", hits), ("csv", csv_rows), ("xlsx", xlsx_rows)):
        assert len(rows) == total and outside(text_links(server, rows)) == [], name
        # Every row links its paragraph on this site.
        assert all(text_links(server, row) for row in rows), name


@pytest.mark.parametrize("path, json_answer", [("/search", False), ("/api/search", True)])
def test_the_servers_own_error_answers_carry_the_prefix(server, path, json_answer):
    port = urllib.parse.urlsplit(server.base).port
    request = f"GET {PREFIX}{path} HTTP/1.1\r\nHost: {HOST}\r\nBad Header Name: x\r\n\r\n".encode()
    with socket.create_connection((HOST, port), timeout=10) as sock:
        sock.sendall(request)
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 400")
    body = answer.split(b"\r\n\r\n", 1)[1]
    if json_answer:
        assert json.loads(body)["error"] == "服务器无法读取这个请求。"
    else:
        found = page_links(server, body.decode("utf-8"), server.base + PREFIX + path)
        assert "请求有误" in body.decode("utf-8") and found and outside(found) == []
