"""The web is read-only: every route refuses writes, and reading every route leaves the index as it was."""
import hashlib
import os
import shutil
from pathlib import Path

import pytest

from indexer.index.build import BUILD_INFO
from indexer.index.generations import CURRENT, current_folder

from conftest import SEED_FILES, make_app

WRITE_METHODS = ("POST", "PUT", "DELETE", "PATCH")
# A value for each URL variable a route may have; a new variable needs one here.
SAMPLE_VALUES = {"report_id": SEED_FILES[0].stem, "filename": "style.css", "n": 3}
# Query strings each route is read with: none, a search, and a search with filters and a page.
READS = ("", "?q=枫桥经验", "?q=法治&province=浙江省&year=2020&section=存在问题&sort=newest&page=2")


def rule_urls(app):
    """Return (rule, URL) for every route of the app, its variables filled with sample values."""
    urls = []
    for rule in app.url_map.iter_rules():
        missing = set(rule.arguments) - set(SAMPLE_VALUES)
        assert not missing, f"no sample value for {sorted(missing)} of {rule.rule}: add one to SAMPLE_VALUES"
        with app.test_request_context():
            urls.append((rule, app.url_for(rule.endpoint, **{a: SAMPLE_VALUES[a] for a in rule.arguments})))
    return urls


def snapshot(index_dir):
    """Return what the index folder holds: the live link, and every file's path, size, time and digest."""
    root = Path(index_dir)
    files = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            stat = path.stat()
            files[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns,
                                                  hashlib.sha1(path.read_bytes()).hexdigest())
    return os.readlink(root / CURRENT), files


@pytest.fixture()
def own_index(seed_index, tmp_path):
    """A private copy of the seed index, so that a write would not reach other tests."""
    folder = tmp_path / "index"
    shutil.copytree(seed_index, folder, symlinks=True)
    return folder


def test_every_route_refuses_every_write_method(app):
    client = app.test_client()
    urls = rule_urls(app)
    assert {rule.endpoint for rule, _ in urls} >= {"search.index", "search.results", "api.search", "report.show", "static"}
    for rule, url in urls:
        assert rule.methods <= {"GET", "HEAD", "OPTIONS"}, rule.rule
        for method in WRITE_METHODS:
            response = client.open(url, method=method, data={"q": "x"})
            assert response.status_code == 405, (method, url, response.status_code)


def test_reading_every_route_leaves_the_index_unchanged(own_index):
    app = make_app({"TESTING": True, "INDEX_DIR": str(own_index)})
    client = app.test_client()
    before = snapshot(own_index)
    build_json = (current_folder(own_index) / BUILD_INFO).read_bytes()
    answered = 0
    for rule, url in rule_urls(app):
        for query in READS:
            # Closed, as a server closes every response: a streamed export frees its slot then.
            with client.get(url + query) as response:
                assert response.status_code in (200, 400), (url + query, response.status_code)
                answered += response.status_code == 200
    assert answered >= 3 * len(READS)
    assert snapshot(own_index) == before
    assert (current_folder(own_index) / BUILD_INFO).read_bytes() == build_json
