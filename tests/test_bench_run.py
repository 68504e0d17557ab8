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


def test_build_section_is_inserted_before_the_notes_and_then_replaced(tmp_path):
    """bench.build's section lands before 'How it was measured' and replaces itself next time."""
    from bench.build import put_section
    path = tmp_path / "RESULTS.md"
    path.write_text("# Benchmark results\n\n## 10,000 paragraphs\n\ntable\n\n"
                    "## How it was measured\n\nnotes\n", encoding="utf-8")
    put_section(path, "## Build side\n\nfirst run\n")
    put_section(path, "## Build side\n\nsecond run\n")
    text = path.read_text(encoding="utf-8")
    assert "first run" not in text and text.count("## Build side") == 1
    assert text.index("table") < text.index("second run") < text.index("## How it was measured")
    assert text.endswith("notes\n")


def test_a_comparison_with_an_earlier_version_keeps_its_own_section(tmp_path):
    """bench.versus writes its section; a later benchmark run keeps it, as it keeps the load test's."""
    from bench.versus import SECTION, write_section
    path = tmp_path / "RESULTS.md"
    write_results(path, "# Benchmark results\n\n## 10,000 paragraphs\n\nold table\n")
    write_section(path, f"{SECTION}\n\nversus numbers\n")
    write_section(path, f"{SECTION}\n\nnewer versus numbers\n")
    write_results(path, "# Benchmark results\n\n## 10,000 paragraphs\n\nnew table\n")
    text = path.read_text(encoding="utf-8")
    assert "new table" in text and "newer versus numbers" in text
    assert "old table" not in text and "versus numbers\n" not in text.replace("newer versus numbers\n", "")
