"""The clean corpus: written by `clean`, reused by `rebuild`, never losing a good report."""
import json
import os
import time

import pytest

from indexer.index.build import rebuild
from indexer.clean.cache import MANIFEST, clean_corpus
from search import SearchEngine

from conftest import SEED_FILES, quiet, run_module

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration


def test_clean_command_writes_one_json_per_report(corpus):
    done = run_module("indexer", "clean", "--corpus", str(corpus))
    assert done.returncode == 0, done.stderr
    assert "cleaned 5" in done.stdout
    written = sorted((corpus / "clean").glob("*.json"))
    assert [p.stem for p in written] == [p.stem for p in SEED_FILES]
    report = json.loads(written[4].read_text(encoding="utf-8"))
    assert report["doc_number"] == "政府报〔2024〕9号" and report["source"]["sha1"]


def test_unchanged_reports_are_reused_and_a_changed_one_recleaned(corpus):
    assert clean_corpus(corpus, corpus / "clean", quiet).cleaned == 5
    page = corpus / "raw" / SEED_FILES[3].name
    page.write_text(page.read_text(encoding="utf-8").replace("草滩街道", "草滩街道办", 1), encoding="utf-8")
    again = clean_corpus(corpus, corpus / "clean", quiet)
    assert (again.cleaned, again.reused) == (1, 4)


def test_a_page_broken_after_cleaning_keeps_its_earlier_version_searchable(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, warn=quiet)
    (corpus / "raw" / SEED_FILES[4].name).write_bytes(b"\x00\x01\x02 binary garbage")
    messages = []
    summary = rebuild(corpus, index, warn=messages.append)
    assert summary.reports == 5
    assert any(SEED_FILES[4].name in m and "earlier clean version" in m for m in messages)
    hits = SearchEngine(index).search('"城关镇为民办实事"')["hits"]
    assert [hit["report_id"] for hit in hits] == [SEED_FILES[4].stem]


def test_a_removed_page_leaves_the_clean_corpus(corpus):
    clean_corpus(corpus, corpus / "clean", quiet)
    (corpus / "raw" / SEED_FILES[0].name).unlink()
    summary = clean_corpus(corpus, corpus / "clean", quiet)
    assert len(summary.reports) == 4
    assert not (corpus / "clean" / f"{SEED_FILES[0].stem}.json").exists()


def backdate(corpus, seconds=3600):
    """Set every raw page's modification time an hour back, as for pages fetched long ago."""
    past = time.time_ns() - seconds * 1_000_000_000
    for page in (corpus / "raw").iterdir():
        os.utime(page, ns=(past, past))


def rewrite_keeping_stat(page, old, new):
    """Change a page's text in place, keeping its size and restoring its modification time."""
    stat = page.stat()
    text = page.read_text(encoding="utf-8")
    assert len(old.encode()) == len(new.encode()) and old in text
    page.write_text(text.replace(old, new, 1), encoding="utf-8")
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert page.stat().st_size == stat.st_size


def test_pages_of_unchanged_size_and_time_are_not_read_again(corpus):
    backdate(corpus)
    assert clean_corpus(corpus, corpus / "clean", quiet).cleaned == 5
    page = corpus / "raw" / SEED_FILES[4].name
    # Same size, same time: trusted from the manifest without reading the page.
    rewrite_keeping_stat(page, "城关镇为民办实事", "城关镇为民办好事")
    again = clean_corpus(corpus, corpus / "clean", quiet)
    assert (again.cleaned, again.reused, again.paragraphs) == (0, 5, 179)
    # A new modification time is a change: the page is read, hashed and cleaned.
    os.utime(page)
    changed = clean_corpus(corpus, corpus / "clean", quiet)
    assert (changed.cleaned, changed.reused) == (1, 4)
    report = json.loads((corpus / "clean" / f"{SEED_FILES[4].stem}.json").read_text(encoding="utf-8"))
    assert "为民办好事" in " ".join(p["text"] for p in report["paragraphs"])


def test_a_page_changed_within_a_timestamp_tick_of_the_scan_is_hashed(corpus):
    # The pages were just copied: their times are too close to the scan to be trusted.
    clean_corpus(corpus, corpus / "clean", quiet)
    rewrite_keeping_stat(corpus / "raw" / SEED_FILES[4].name, "城关镇为民办实事", "城关镇为民办好事")
    again = clean_corpus(corpus, corpus / "clean", quiet)
    assert (again.cleaned, again.reused) == (1, 4)


def test_an_unreadable_manifest_only_costs_hashing_the_pages(corpus):
    backdate(corpus)
    clean_corpus(corpus, corpus / "clean", quiet)
    (corpus / "clean" / MANIFEST).write_text("{not json", encoding="utf-8")
    again = clean_corpus(corpus, corpus / "clean", quiet)
    assert (again.cleaned, again.reused, len(again.reports)) == (0, 5, 5)
    assert json.loads((corpus / "clean" / MANIFEST).read_text(encoding="utf-8"))["reports"]
