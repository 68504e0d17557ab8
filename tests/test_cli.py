"""The command contract: python -m indexer rebuild/clean, python -m search, flask rebuild."""
import json

import pytest

from conftest import SEED_CORPUS, SEED_FILES, json_lines, run_module

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration


def test_rebuild_prints_one_line_summary_and_search_json(tmp_path):
    index = tmp_path / "index"
    built = run_module("indexer", "rebuild", "--corpus", str(SEED_CORPUS), "--index", str(index))
    assert built.returncode == 0, built.stderr
    lines = built.stdout.strip().splitlines()
    assert len(lines) == 1 and "5 reports" in lines[0] and "paragraphs" in lines[0] and " s" in lines[0]

    found = run_module("search", "枫桥经验", "--index", str(index), "--json", "--limit", "2")
    assert found.returncode == 0, found.stderr
    results = json.loads(found.stdout)
    assert results["total"] == 3 and len(results["hits"]) == 2
    for hit in results["hits"]:
        assert hit["url"] == f"/report/{hit['report_id']}#p-{hit['n']}"


def test_env_vars_point_commands_at_other_folders(tmp_path):
    corpus = tmp_path / "corpus" / "raw"
    corpus.mkdir(parents=True)
    (corpus / "only.txt").write_bytes(SEED_FILES[3].read_bytes())
    env = {"CORPUS_DIR": str(tmp_path / "corpus"), "INDEX_DIR": str(tmp_path / "idx")}
    assert "1 reports" in run_module("indexer", "rebuild", env=env).stdout
    results = json.loads(run_module("search", "草滩街道", "--json", env=env).stdout)
    assert {hit["report_id"] for hit in results["hits"]} == {"only"}


def test_rebuild_if_stale_skips_fresh_index(tmp_path):
    args = ("indexer", "rebuild", "--corpus", str(SEED_CORPUS), "--index", str(tmp_path / "i"))
    assert "indexed" in run_module(*args, "--if-stale").stdout
    assert "up to date" in run_module(*args, "--if-stale").stdout


def test_clean_json_prints_one_object_per_file():
    done = run_module("indexer", "clean", *map(str, SEED_FILES[:2]), "--json")
    assert done.returncode == 0, done.stderr
    reports = json_lines(done.stdout)
    assert [r["report_id"] for r in reports] == [p.stem for p in SEED_FILES[:2]]
    for report in reports:
        assert report["title"] is not None
        assert all(isinstance(p["n"], int) and p["text"] for p in report["paragraphs"])


def test_clean_names_a_bad_file_and_goes_on(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    done = run_module("indexer", "clean", str(empty), str(SEED_FILES[0]), "--json")
    assert done.returncode == 0
    assert "empty.txt" in done.stderr and "empty" in done.stderr
    assert len(json_lines(done.stdout)) == 1


def test_search_without_index_says_how_to_build_it(tmp_path):
    done = run_module("search", "法治", "--index", str(tmp_path / "missing"))
    assert done.returncode != 0
    assert "python -m indexer rebuild" in done.stderr and "Traceback" not in done.stderr


def test_flask_rebuild_command(runner, tmp_path):
    runner.app.config["INDEX_DIR"] = str(tmp_path / "flask-index")
    result = runner.invoke(args=["rebuild", "--corpus", str(SEED_CORPUS)])
    assert result.exit_code == 0, result.output
    assert "5 reports" in result.output


def test_rebuild_if_stale_rebuilds_an_index_built_by_other_code(tmp_path):
    args = ("indexer", "rebuild", "--corpus", str(SEED_CORPUS), "--index", str(tmp_path / "i"))
    run_module(*args)
    info = tmp_path / "i" / "current" / "build.json"
    info.write_text(json.dumps(dict(json.loads(info.read_text()), code="older")))
    assert "indexed" in run_module(*args, "--if-stale").stdout
