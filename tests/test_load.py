"""The load test: the real server under concurrent clients answers every request, and its report."""
import pytest

from bench.load import (BenchError, LoadResult, Request, fetch, is_export, load_mix, result_markdown,
                        run_load, with_exports, write_results)

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
    # Every kind of request was answered; how many, and how fast, are bench.load's figures.
    assert set(result.per_label) == {request.label for request in load_mix(seed_index)}
    assert result.seconds >= SECONDS  # latencies are bench.load's figures, not asserted here


def test_the_request_cap_stops_the_clients(seed_index, tmp_path):
    given = 600  # seconds the run may last: the cap ends it first (25 requests need a few seconds)
    [result] = run_load(seed_index, SEED_CORPUS, clients=3, seconds=given, max_requests=25,
                        log_path=tmp_path / "server.log")
    assert result.requests == 25 and result.errors == 0 and result.seconds < given


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


def test_the_export_mix_holds_its_share_of_full_exports_spread_out():
    searches = [Request(f"search {k}", f"/api/search?q={k}") for k in range(20)]
    mix = with_exports(searches, 0.15)
    exports = [k for k, request in enumerate(mix) if is_export(request.label)]
    assert len(mix) == 100 and len(exports) == 15
    assert {mix[k].path.split("?")[0] for k in exports} == {"/export.json", "/export.csv"}
    assert min(b - a for a, b in zip(exports, exports[1:])) >= 5  # never two exports in a row
    # The searches keep their order, round and round.
    assert [r.label for r in mix if not is_export(r.label)][:25] == [s.label for s in searches + searches][:25]


def load_result(mix, p95, errors=0, exports=None):
    """Return a LoadResult of a mix with the given search p95."""
    searches = {"p50": p95 / 2, "p95": p95, "max": p95 * 2, "count": 100}
    return LoadResult(clients=20, seconds=30, requests=100, errors=errors, latency=searches, throughput=3.3,
                      per_label={"phrase": searches}, error_samples=["HTTP 503 for export: json (×2)"] * bool(errors),
                      searches=searches, exports=exports, mix=mix,
                      slow={"opened": 80, "answered_408": 30, "closed": 0, "refused": 0} if mix == "slow" else None)


def test_each_mix_is_judged_against_the_searches_alone():
    context = {"corpus": "c", "reports": 1, "paragraphs": 2, "date": "d", "load": (1.0, 1.0),
               "machine": "m", "command": "x"}
    exports = {"p50": 900.0, "p95": 1500.0, "max": 2000.0, "count": 15}
    text = result_markdown([load_result("search", 100.0), load_result("slow", 150.0),
                            load_result("exports", 250.0, errors=2, exports=exports)], context)
    rows = [line for line in text.splitlines() if line.startswith("| searches")]
    assert rows[0].endswith("| — |")
    assert rows[1].endswith("| 1.50× (**met**) |")
    assert rows[2].endswith("| 2.50× (**not met**) |") and "15 (900 ms, 1500 ms)" in rows[2]
    assert "30 cut off with a 408" in text and "HTTP 503 for export: json (×2)" in text
