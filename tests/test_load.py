"""The load test: the real server under concurrent clients answers every request, and its report."""
import pytest

from bench.load import BenchError, Request, fetch, load_mix, run_load, write_results

from conftest import SEED_CORPUS

# Whole commands, rebuilds of a corpus and live servers: run by make test, not make test-fast.
pytestmark = pytest.mark.integration

# A short run: enough clients to keep both workers busy and queue requests, for a few seconds.
CLIENTS = 8
SECONDS = 4.0


@pytest.mark.slow
def test_short_load_on_the_seed_corpus_answers_every_request(seed_index, tmp_path):
    [result] = run_load(seed_index, SEED_CORPUS, CLIENTS, SECONDS, log_path=tmp_path / "server.log")
    assert result.errors == 0, result.error_samples
    assert result.requests >= CLIENTS * SECONDS  # at least one answer per client per second
    assert set(result.per_label) == {request.label for request in load_mix(seed_index)}
    assert result.latency["max"] < 30_000 and SECONDS <= result.seconds < SECONDS + 30


def test_the_request_cap_stops_the_clients(seed_index, tmp_path):
    [result] = run_load(seed_index, SEED_CORPUS, clients=3, seconds=60, max_requests=25,
                        log_path=tmp_path / "server.log")
    assert result.requests == 25 and result.errors == 0 and result.seconds < 30


def test_the_clients_only_talk_to_the_local_server():
    with pytest.raises(BenchError, match="only talks to"):
        fetch("http://example.com", Request("outside", "/api/search?q=x"), timeout=1)


def test_results_section_keeps_other_corpora_and_sections(tmp_path):
    results = tmp_path / "RESULTS.md"
    results.write_text("# Benchmark results\n\n## 10,000 paragraphs\n\ntable\n", encoding="utf-8")
    write_results(results, "### Corpus `a`\n\nfirst run of a\n")
    write_results(results, "### Corpus `b`\n\nrun of b\n")
    write_results(results, "### Corpus `a`\n\nsecond run of a\n")
    text = results.read_text(encoding="utf-8")
    assert text.startswith("# Benchmark results\n\n## 10,000 paragraphs\n\ntable\n\n## Load test\n")
    assert text.count("## Load test") == 1 and text.count("### Corpus `a`") == 1
    assert "second run of a" in text and "first run of a" not in text and "run of b" in text
    assert text.index("second run of a") < text.index("run of b")  # replaced where it stood
    results.write_text(text + "\n## How it was measured\n\nnotes\n", encoding="utf-8")
    write_results(results, "### Corpus `b`\n\nrun of b again\n")
    text = results.read_text(encoding="utf-8")
    assert text.endswith("## How it was measured\n\nnotes\n") and "run of b again" in text
