"""Report ids and where pages may come from (issue 13, items 8 and 9).

Pages sharing a file stem never overwrite each other: the page holding the id keeps it and
the others are refused by name. Symbolic links, and folders resolving outside the corpus,
are refused with the reason; a link planted among the clean reports is never served.
"""
import html
import json
import os
import shutil

import pytest

from search import SearchEngine

from conftest import SEED_FILES, run_module

pytestmark = pytest.mark.integration

# A phrase only seed 1 holds, and one only seed 2 holds.
ONLY_IN_SEED_1 = '"芙蓉区"'
ONLY_IN_SEED_2 = '"罗店镇"'


def as_html(seed):
    """Return a seed report as a simple HTML page."""
    lines = seed.read_text(encoding="utf-8").splitlines()
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines if line.strip())
    return f'<html><head><title>{html.escape(lines[0])}</title></head><body><div id="zoom">{body}</div></body></html>'


def rebuild(corpus, index):
    """Run `python -m indexer rebuild` over a corpus; return the finished process."""
    done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index))
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    return done


def lines_naming(done, path):
    """Return the stderr lines that name a path."""
    return [line for line in done.stderr.splitlines() if f"skipped {path}:" in line]


def test_phrases_are_distinct_to_their_seeds(engine):
    assert {hit["report_id"] for hit in engine.search(ONLY_IN_SEED_1)["hits"]} == {SEED_FILES[1].stem}
    assert {hit["report_id"] for hit in engine.search(ONLY_IN_SEED_2)["hits"]} == {SEED_FILES[2].stem}


def test_pages_sharing_a_file_stem_never_overwrite_each_other(tmp_path, engine):
    raw = tmp_path / "corpus" / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SEED_FILES[0], raw / "dup.txt")
    (raw / "dup.html").write_text(as_html(SEED_FILES[1]), encoding="utf-8")
    shutil.copy(SEED_FILES[2], raw / "sub" / "dup.txt")
    index = tmp_path / "index"
    done = rebuild(tmp_path / "corpus", index)
    # dup.html sorts first and holds the id; the other two are named, with the holder.
    for refused in (raw / "dup.txt", raw / "sub" / "dup.txt"):
        named = lines_naming(done, refused)
        assert len(named) == 1 and f"report id 'dup' is taken by {raw / 'dup.html'}" in named[0], done.stderr
    assert done.stdout.startswith("indexed 1 reports"), done.stdout
    served = SearchEngine(index)
    assert served.report("dup").title == engine.report(SEED_FILES[1].stem).title
    # Every hit links to the report it was found in: none of the refused pages' text is there.
    assert [hit["report_id"] for hit in served.search(ONLY_IN_SEED_1)["hits"]][:1] == ["dup"]
    assert served.search(ONLY_IN_SEED_2)["total"] == 0
    assert rebuild(tmp_path / "corpus", index).stdout.split("(")[1].startswith("nothing changed")


def test_the_page_holding_an_id_keeps_it_when_a_namesake_is_added(tmp_path):
    raw = tmp_path / "corpus" / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(SEED_FILES[2], raw / "sub" / "dup.txt")
    index = tmp_path / "index"
    rebuild(tmp_path / "corpus", index)
    # A namesake that sorts before the holder: the links to /report/dup must not change report.
    shutil.copy(SEED_FILES[1], raw / "dup.txt")
    done = rebuild(tmp_path / "corpus", index)
    named = lines_naming(done, raw / "dup.txt")
    assert len(named) == 1 and f"is taken by {raw / 'sub' / 'dup.txt'}" in named[0], done.stderr
    assert "nothing changed" in done.stdout
    engine = SearchEngine(index)
    assert [hit["report_id"] for hit in engine.search(ONLY_IN_SEED_2)["hits"]][:1] == ["dup"]
    assert engine.search(ONLY_IN_SEED_1)["total"] == 0


def test_symbolic_links_are_refused_with_the_reason(corpus, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "elsewhere.txt").write_text(SEED_FILES[1].read_text(encoding="utf-8").replace("芙蓉区", "外面区"),
                                           encoding="utf-8")
    raw = corpus / "raw"
    (raw / "linked.txt").symlink_to(outside / "elsewhere.txt")
    (raw / "linked_folder").symlink_to(outside, target_is_directory=True)
    (raw / "dangling.txt").symlink_to(tmp_path / "missing.txt")
    index = tmp_path / "index"
    done = rebuild(corpus, index)
    for name in ("linked.txt", "linked_folder", "dangling.txt"):
        named = lines_naming(done, raw / name)
        assert len(named) == 1 and "symbolic link" in named[0] and "refused" in named[0], done.stderr
    assert done.stdout.startswith(f"indexed {len(SEED_FILES)} reports"), done.stdout
    assert SearchEngine(index).search('"外面区"')["total"] == 0


def test_a_raw_folder_resolving_outside_the_corpus_is_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    shutil.copy(SEED_FILES[0], outside / SEED_FILES[0].name)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "raw").symlink_to(outside, target_is_directory=True)
    done = run_module("indexer", "clean", "--corpus", str(corpus))
    assert "folder resolves outside the corpus folder" in done.stderr and str(corpus / "raw") in done.stderr
    assert not list((corpus / "clean").glob("*.json"))


def test_a_link_planted_among_the_clean_reports_is_never_served(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index)
    victim = SEED_FILES[0].stem
    clean_file = corpus / "clean" / f"{victim}.json"
    forged = json.loads(clean_file.read_text(encoding="utf-8"))
    forged["title"] = "外面的文件"
    (tmp_path / "forged.json").write_text(json.dumps(forged, ensure_ascii=False), encoding="utf-8")
    clean_file.unlink()
    clean_file.symlink_to(tmp_path / "forged.json")
    for full in ([], ["--full"]):
        done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(index), *full)
        assert done.returncode == 0, done.stderr
        assert not clean_file.is_symlink() and os.path.isfile(clean_file)
        assert SearchEngine(index).report(victim).title != "外面的文件"
        clean_file.unlink()
        clean_file.symlink_to(tmp_path / "forged.json")
    assert "a symbolic link where a clean report belongs" in done.stderr
