"""Shared fixtures: a real index of the seed corpus, the Flask app and its clients."""
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from jinja2 import BytecodeCache
from werkzeug.serving import WSGIRequestHandler, make_server

from app import create_app
from model.text import normalize
from indexer.clean.rawfile import clean_file
from indexer.index.build import rebuild
from search import SearchEngine
from web.marks import mark, window

PROJECT = Path(__file__).resolve().parent.parent
SEED_CORPUS = PROJECT / "corpus"
SEED_FILES = sorted((SEED_CORPUS / "raw").glob("*.txt"))


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory):
    """Build a real index of the seed corpus once for the whole test run."""
    folder = tmp_path_factory.mktemp("index") / "index"
    rebuild(SEED_CORPUS, folder, warn=lambda message: None)
    return folder


@pytest.fixture(scope="session")
def seed_reports():
    """The clean report of each seed page by its file-name prefix (000, 001 …), cleaned once for the run and only read."""
    return {path.name[:3]: clean_file(path) for path in SEED_FILES}


@pytest.fixture(scope="session")
def planted_corpus(tmp_path_factory):
    """The seeds and reports that copy and edit their paragraphs (tests/planting.py): (corpus folder, planted paragraphs)."""
    from planting import plant
    folder = tmp_path_factory.mktemp("planted") / "corpus"
    return folder, plant(folder / "raw")


@pytest.fixture(scope="session")
def planted_index(planted_corpus):
    """A real index of the planted corpus, built once for the whole test run."""
    folder = planted_corpus[0].parent / "index"
    rebuild(planted_corpus[0], folder, warn=lambda message: None)
    return folder


@pytest.fixture(scope="session")
def paragraphs(seed_index):
    """Every indexed seed paragraph as (report_id, n, text), read back whole from the index."""
    engine = SearchEngine(seed_index)
    rows = []
    for row in sorted(engine.overview()["reports"], key=lambda row: row["report_id"]):
        report = engine.report(row["report_id"])
        rows.extend((report.report_id, p.n, p.text) for p in report.paragraphs)
    return rows


@pytest.fixture(scope="session")
def normalized(paragraphs):
    """The normalized text of every seed paragraph by (report_id, n)."""
    return {(rid, n): normalize(text) for rid, n, text in paragraphs}


@pytest.fixture(scope="session")
def engine(seed_index):
    """A search engine over the seed index."""
    return SearchEngine(seed_index)


class CompiledTemplates(BytecodeCache):
    """Jinja's compiled templates, kept in memory for every app the tests make.

    Each app has a Jinja environment of its own, which would compile every template again
    for each test (some 70 ms an app); a template whose source changed is compiled again.
    """

    def __init__(self):
        """Start with no template compiled."""
        self.compiled = {}

    def load_bytecode(self, bucket):
        """Fill the bucket with the template's code when it was compiled before."""
        if bucket.key in self.compiled:
            bucket.bytecode_from_string(self.compiled[bucket.key])

    def dump_bytecode(self, bucket):
        """Keep a template's code once compiled."""
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED_TEMPLATES = CompiledTemplates()


def make_app(config):
    """Return a fresh app with this config (create_app's), sharing the templates compiled for the others."""
    app = create_app(config)
    app.jinja_env.bytecode_cache = COMPILED_TEMPLATES
    return app


def client_beside_a_seed(folder, pages):
    """Return a test client of an index built in folder of the first seed and pages ({file name: text})."""
    raw = folder / "corpus" / "raw"
    raw.mkdir(parents=True)
    (raw / SEED_FILES[0].name).write_bytes(SEED_FILES[0].read_bytes())
    for name, text in pages.items():
        (raw / name).write_text(text, encoding="utf-8")
    rebuild(folder / "corpus", folder / "index", warn=lambda message: None)
    return make_app({"TESTING": True, "INDEX_DIR": str(folder / "index")}).test_client()


@pytest.fixture(scope="session")
def app(seed_index):
    """One app over the seed index for the whole run: the index is only read, so its generation,
    searchers and templates are opened once, not once per test (a test that changes an app makes its own)."""
    return make_app({"TESTING": True, "INDEX_DIR": str(seed_index)})


@pytest.fixture()
def client(app):
    """A Flask test client of the seed app, with no cookies of another test's."""
    return app.test_client()


@pytest.fixture()
def runner(seed_index):
    """The Flask CLI runner of a fresh app over the seed index (a command may change its config)."""
    return make_app({"TESTING": True, "INDEX_DIR": str(seed_index)}).test_cli_runner()


class QuietHandler(WSGIRequestHandler):
    """Request handler that keeps the access log out of the test output (errors are still logged)."""

    def log_request(self, code="-", size="-"):
        """Skip the access log line."""


@contextmanager
def serving(index_dir, **config):
    """Serve the app over an index (or the backend config names) on 127.0.0.1 at a free port, in a thread; yield the base URL."""
    server = make_server("127.0.0.1", 0, make_app({"INDEX_DIR": str(index_dir), **config}),
                         threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join()


@pytest.fixture(scope="session")
def live_server(seed_index):
    """A real HTTP server over the seed index, for the whole run; yields its base URL."""
    with serving(seed_index) as url:
        yield url


@pytest.fixture()
def corpus(tmp_path):
    """A copy of the seed corpus that a test may change."""
    raw = tmp_path / "corpus" / "raw"
    raw.mkdir(parents=True)
    for path in SEED_FILES:
        shutil.copy(path, raw / path.name)
    return tmp_path / "corpus"


def quiet(message):
    """Swallow progress messages."""


# Property tests (Hypothesis) draw all their examples in `make test`, and so in CI
# (PROPERTY_EXAMPLES=all); the inner loop, `make test-fast`, an eighth of each test's count,
# at least QUICK_EXAMPLES. Either way an example that failed before is tried first (.hypothesis/).
ALL_EXAMPLES = os.environ.get("PROPERTY_EXAMPLES") == "all"
QUICK_EXAMPLES = 10


def examples(count):
    """Return how many examples a property test written for count of them draws in this run."""
    return count if ALL_EXAMPLES else max(QUICK_EXAMPLES, count // 8)


# How long a test waits for what takes well under a second (an answer, a crawl's next page)
# before it calls it hung: a guard against a hang, no measure of speed (bench/ measures that).
# A stage's progress line (indexer/progress.py), printed every few seconds of a slow stage, which a busy
# machine may reach: `cleaning and indexing 9/18 pages, 2 pages/s`.
PROGRESS_LINE = re.compile(r" \d+/\d+ (\w+), \d+ \1/s$")


def reported_lines(stderr):
    """Return what a command reported on stderr, line by line, without its progress lines."""
    return [line for line in stderr.strip().splitlines() if not PROGRESS_LINE.search(line)]


HANG_SECONDS = 60


def wait_until(condition, what, interval=0.01):
    """Return once condition() is true, asking every interval seconds; fail saying what hung if it never is."""
    deadline = time.monotonic() + HANG_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what} (waited {HANG_SECONDS} s)")
        time.sleep(interval)


def run_module(*args, env=None):
    """Run `python -m ...` in the project as a user would, returning the completed process."""
    full_env = dict(os.environ, **(env or {}))
    return subprocess.run([sys.executable, "-m", *args], cwd=PROJECT, env=full_env,
                          capture_output=True, text=True, timeout=120)


def json_lines(text):
    """Parse one JSON object per non-empty line."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def snippet_html(hit):
    """Return a hit's snippet as the web renders it: its window of the text, escaped, matches marked."""
    return str(window(hit["text"], hit["spans"], *hit["snippet"]))


def highlighted_html(hit):
    """Return a hit's whole paragraph as the web renders it: escaped, matches marked."""
    return str(mark(hit["text"], hit["spans"]))


# The browser tests' Chromium and pages, defined here once for every browser test module.

@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, launched once; a missing browser fails the run instead of skipping it."""
    from playwright.sync_api import sync_playwright

    from browsing import CHROMIUM, LAUNCH_ARGS, SCREENSHOTS
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs chromium and fonts-noto-cjk) "
                    "or `apt-get install -y chromium fonts-noto-cjk`")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=LAUNCH_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def desktop(browser):
    """A desktop-sized page; the test fails if the page logged any error or CSP violation."""
    from browsing import open_context
    page, console = open_context(browser)
    yield page
    page.context.close()
    assert console.problems() == []


@pytest.fixture()
def phone(browser):
    """A 360 px wide page; the test fails if the page logged any error or CSP violation."""
    from browsing import PHONE, open_context
    page, console = open_context(browser, viewport=PHONE, is_mobile=True, has_touch=True)
    yield page
    page.context.close()
    assert console.problems() == []


# The cluster tests' Sphinx nodes (Debian's searchd), defined here once for every cluster test module.

@contextmanager
def pushed_cluster(folder, corpus):
    """Start a local cluster (two shards, a mirror, a front) in folder holding corpus; yield it; stop every node."""
    from indexer.push import push
    from search.cluster.local import LocalCluster
    if shutil.which("searchd") is None:
        pytest.fail("searchd is missing: run `make test` (it installs sphinxsearch) or `apt-get install -y sphinxsearch`")
    with LocalCluster(folder) as cluster:
        summary = push(corpus, cluster.layout.path, warn=quiet)
        assert not summary.unreachable, summary.line()
        yield cluster


@pytest.fixture(scope="session")
def seed_cluster(tmp_path_factory):
    """A local cluster holding the seed corpus, for the whole run; never killed (failover tests start their own)."""
    with pushed_cluster(tmp_path_factory.mktemp("cluster"), SEED_CORPUS) as cluster:
        yield cluster


@pytest.fixture(scope="session")
def cluster_engine(seed_cluster):
    """A search engine over the seed cluster."""
    from search.cluster.backend import ClusterBackend
    return SearchEngine(backend=ClusterBackend(seed_cluster.layout.path))


def cluster_config(cluster):
    """Return the app config that serves a local cluster."""
    return {"SEARCH_BACKEND": "cluster", "SEARCH_CLUSTER": str(cluster.layout.path)}


# The document site's files (tests/fixtures/sites/documents.py), made once per test session.

SITES_DIR = PROJECT / "tests" / "fixtures" / "sites"


@pytest.fixture(scope="session")
def documents(tmp_path_factory):
    """The PDFs (printed by Chromium), DOCX and bad files of the document site, made once; return their folder."""
    if not Path("/usr/bin/chromium").exists():
        pytest.fail("/usr/bin/chromium is missing: run `make test` (it installs chromium and fonts-noto-cjk)")
    if str(SITES_DIR) not in sys.path:
        sys.path.insert(0, str(SITES_DIR))
    from documents import make_documents
    folder = tmp_path_factory.mktemp("documents")
    make_documents(folder)
    return folder
