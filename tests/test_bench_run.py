"""The benchmark harness's results file: a new run keeps the load test's section."""
from bench.load import write_results as write_load_results
from bench.run import write_results


def test_rewriting_results_keeps_the_load_test_section(tmp_path):
    """A benchmark run replaces its own tables but not the load test results beside them."""
    path = tmp_path / "RESULTS.md"
    write_results(path, "# Benchmark results\n\n## 10,000 paragraphs\n\nold table\n")
    write_load_results(path, "### Corpus `corpus`\n\nload numbers\n")
    write_results(path, "# Benchmark results\n\n## 10,000 paragraphs\n\nnew table\n")
    text = path.read_text(encoding="utf-8")
    assert "new table" in text and "old table" not in text
    assert "## Load test" in text and "load numbers" in text
    assert text.index("new table") < text.index("## Load test")


def test_results_without_a_load_test_are_written_as_given(tmp_path):
    """With no load test section yet, the file holds exactly the benchmark's tables."""
    path = tmp_path / "RESULTS.md"
    write_results(path, "# Benchmark results\n\ntables\n")
    assert path.read_text(encoding="utf-8") == "# Benchmark results\n\ntables\n"
