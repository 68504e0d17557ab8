"""Serving under abuse (issue 13, items 3 and 4), against the real server as `make run` starts it.

Slow clients trickling header bytes hold no worker thread and are cut off with a 408;
exports stream, run one at a time in each server process, a further one waits a bounded
time for its turn then gets a clear 503; searches answer all the while.
"""
import json
import socket
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from bench.server import HOST, Server
from bench.slow import SlowClients
from bench.synth import generate
from indexer.index.build import rebuild

from conftest import HANG_SECONDS, SEED_CORPUS, quiet, wait_until

pytestmark = pytest.mark.integration

SEARCH = "/api/search?" + urllib.parse.urlencode({"q": "法治"})
EXPORT = "/export.json?" + urllib.parse.urlencode({"q": "法治"})
# The server's header deadline in these tests, and how long a further export waits for its turn.
HEADER_SECONDS = 2
EXPORT_WAIT_SECONDS = 1


def get(server, path):
    """GET a path of the server; return (status, headers, body bytes), errors included."""
    try:
        with urllib.request.urlopen(server.base + path, timeout=HANG_SECONDS) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def port_of(server):
    """Return the port the server listens on."""
    return urllib.parse.urlsplit(server.base).port


@pytest.fixture(scope="module")
def seed_server(seed_index, tmp_path_factory):
    """The real server over the seed index, with a short header deadline."""
    log = tmp_path_factory.mktemp("seed-server") / "server.log"
    with Server(seed_index, SEED_CORPUS, log, env={"HEADER_SECONDS": str(HEADER_SECONDS)}) as server:
        server.first_answer(SEARCH)
        yield server


@pytest.fixture(scope="module")
def export_server(tmp_path_factory):
    """The real server over a synthetic corpus of 3,000 paragraphs, whose full export is some 2 MB."""
    folder = tmp_path_factory.mktemp("synthetic")
    generate(folder / "corpus" / "raw", 3000, seed=1)
    rebuild(folder / "corpus", folder / "index", warn=quiet)
    env = {"FLASK_EXPORT_WAIT_SECONDS": str(EXPORT_WAIT_SECONDS), "FLASK_EXPORT_QUEUE": "1"}
    with Server(folder / "index", folder / "corpus", folder / "server.log", env=env) as server:
        server.first_answer(SEARCH)
        yield server


@pytest.mark.slow
def test_fifty_slow_clients_hold_no_worker_and_are_cut_off(seed_server):
    with SlowClients(HOST, port_of(seed_server), 50, interval=0.5) as slow:
        time.sleep(1)  # every slow client is connected and trickling
        # The slow clients connect again as soon as they are cut off, for as long as a search
        # waits: one they held would never be answered (before issue 13 was fixed, none was).
        # How long searches take beside them is measured by bench.load's `slow` mix.
        answers = []
        for _ in range(10):
            answers.append(get(seed_server, SEARCH)[0])
            time.sleep(0.3)
        time.sleep(HEADER_SECONDS)
    assert answers == [200] * 10
    # Each slow client was answered 408 once its header deadline passed, and connected again.
    assert slow.tally.answered_408 >= 50 and slow.tally.refused == 0


def test_a_connection_that_sends_nothing_is_answered_408_after_the_deadline(seed_server):
    with socket.create_connection((HOST, port_of(seed_server)), timeout=HANG_SECONDS) as sock:
        started = time.monotonic()
        answer = sock.recv(1024)
    assert answer.startswith(b"HTTP/1.1 408") and time.monotonic() - started >= HEADER_SECONDS - 1


def exchange(server, request):
    """Send raw request bytes to the server and return its whole answer."""
    with socket.create_connection((HOST, port_of(server)), timeout=HANG_SECONDS) as sock:
        sock.sendall(request)
        return b"".join(iter(lambda: sock.recv(65536), b""))


def test_the_timeout_answer_is_the_sites_chinese_page(seed_server):
    with socket.create_connection((HOST, port_of(seed_server)), timeout=HANG_SECONDS) as sock:
        sock.sendall(b"GET /search?q=x HTTP/1.1\r\n")
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 408") and "请求超时".encode() in answer
    assert b"Content-Security-Policy" in answer and b'lang="zh-CN"' in answer


def test_a_very_long_url_is_read_not_refused(seed_server):
    # Beyond 4 KB gunicorn used to answer a bare English "URI Too Long".
    status, _headers, body = get(seed_server, "/search?" + urllib.parse.urlencode({"q": "法治" * 3000}))
    assert status == 200 and "只检索了前 200 个字符" in body.decode()
    status, _headers, body = get(seed_server, "/api/search?" + urllib.parse.urlencode({"q": "法" * 5000}))
    assert status == 200 and json.loads(body)["notices"]


def assert_site_error(answer, status, message, json_answer):
    """Assert that a raw answer has the status and the site's own Chinese error (JSON's error, or in the page), no server internals."""
    assert answer.startswith(f"HTTP/1.1 {status}".encode())
    body = answer.split(b"\r\n\r\n", 1)[1]
    if json_answer:
        assert json.loads(body)["error"] == message
    else:
        assert message.encode() in body and b"Traceback" not in body and b"Invalid" not in body


@pytest.mark.parametrize("path, json_answer", [("/search?q=x", False), ("/api/search?q=x", True)])
def test_oversized_headers_get_the_sites_error_in_html_or_json(seed_server, path, json_answer):
    filler = f"X-Filler: {'a' * 10000}\r\n"  # above gunicorn's 8,190 bytes for one header
    answer = exchange(seed_server, f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\n{filler}\r\n".encode())
    assert_site_error(answer, 431, "请求附带的信息太多，服务器无法处理。" if json_answer else "请求头太大", json_answer)


def test_headers_that_never_end_are_cut_off_at_64_kb_with_the_sites_431(seed_server):
    with socket.create_connection((HOST, port_of(seed_server)), timeout=HANG_SECONDS) as sock:
        sock.sendall(f"GET /search?q=x HTTP/1.1\r\nHost: {HOST}\r\n".encode())
        try:
            for i in range(80):
                sock.sendall(f"X-Filler-{i}: {'a' * 1000}\r\n".encode())
        except OSError:
            pass  # the server answered and closed while we were still sending
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 431") and "请求头太大".encode() in answer


@pytest.mark.parametrize("path, json_answer", [("/search", False), ("/api/search", True)])
def test_a_malformed_request_gets_the_sites_400(seed_server, path, json_answer):
    answer = exchange(seed_server, f"GET {path} HTTP/1.1\r\nHost: {HOST}\r\nBad Header Name: x\r\n\r\n".encode())
    assert_site_error(answer, 400, "服务器无法读取这个请求。" if json_answer else "请求有误", json_answer)


def test_a_request_sent_slowly_but_within_the_deadline_is_served(seed_server):
    request = f"GET {SEARCH} HTTP/1.1\r\nHost: {HOST}\r\nConnection: close\r\n\r\n".encode()
    with socket.create_connection((HOST, port_of(seed_server)), timeout=HANG_SECONDS) as sock:
        for start in range(0, len(request), 20):
            sock.sendall(request[start:start + 20])
            time.sleep(0.05)
        answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert answer.startswith(b"HTTP/1.1 200") and b'"total"' in answer


def hold_export(server):
    """Start an export on a connection that reads none of it: the server's stream waits, holding its slot.

    Returns (socket, True) when the export started, (None, False) when it was refused 503.
    """
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # so that the 2 MB cannot pile up here
    sock.settimeout(HANG_SECONDS)
    sock.connect((HOST, port_of(server)))
    sock.sendall(f"GET {EXPORT} HTTP/1.1\r\nHost: {HOST}\r\n\r\n".encode())
    head = sock.recv(1024)
    if head.startswith(b"HTTP/1.1 200"):
        return sock, True
    sock.close()
    assert head.startswith(b"HTTP/1.1 503"), head
    return None, False


@pytest.mark.slow
def test_exports_stream_one_at_a_time_per_worker_and_searches_answer_meanwhile(export_server):
    status, headers, body = get(export_server, EXPORT)
    total = json.loads(get(export_server, SEARCH)[2])["total"]
    assert status == 200 and headers["Transfer-Encoding"] == "chunked" and len(json.loads(body)) == total
    held = []
    try:
        # Both workers' export slots taken by clients that do not read (a try that lands on a
        # worker whose slot is taken waits its turn, then is refused).
        for _ in range(20):
            sock, started = hold_export(export_server)
            if started:
                held.append(sock)
            if len(held) == 2:
                break
        assert len(held) == 2
        # Searches answer as usual while both exports are stuck.
        assert [get(export_server, SEARCH)[0] for _ in range(5)] == [200] * 5
        # A further export waits its turn for EXPORT_WAIT_SECONDS, then a clear 503.
        started = time.monotonic()
        status, headers, body = get(export_server, EXPORT)
        assert status == 503 and time.monotonic() - started >= EXPORT_WAIT_SECONDS * 0.9
        assert "导出" in json.loads(body)["error"] and int(headers["Retry-After"]) >= 1
        status, headers, body = get(export_server, EXPORT.replace(".json", ".csv"))
        assert status == 503 and "导出繁忙" in body.decode("utf-8") and "Traceback" not in body.decode("utf-8")
    finally:
        for sock in held:
            sock.close()
    # The slots come back once the stuck clients are gone.
    wait_until(lambda: get(export_server, EXPORT)[0] == 200, "the export slots were not given back", interval=0)
