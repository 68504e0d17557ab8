"""What opening a generation works out is kept in the cache folder and mapped: the same as worked out afresh,
read-only, worked out again when the kept file is damaged, and forgotten when its generation is removed."""
import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.index.derive import leaves
from indexer.index.generations import current_folder
from search import opened
from search.arrays import Arrays, worked_out
from search.engine import SearchEngine


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    """A cache folder of the test's own."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def open_arrays(folder):
    """Return the Arrays of a generation folder, opened now."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        return Arrays(reader, folder)


def fresh(folder):
    """Return what opening the generation works out, not kept anywhere."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        placed = [(segment_id, leaf.doc_count_all(), offset) for segment_id, leaf, offset in leaves(reader)]
        return worked_out(reader, folder, placed)


def test_kept_state_equals_a_fresh_one_and_is_read_only(seed_index, cache):
    folder = current_folder(seed_index)
    first, again = open_arrays(folder), open_arrays(folder)
    assert opened.kept_path(folder).is_file()
    reworked = fresh(folder)
    for arrays in (first, again):
        assert not arrays.columns.report.codes.flags.writeable
        assert np.array_equal(arrays.columns.report.codes, reworked["columns"].report.codes)
        assert arrays.columns.report.names == reworked["columns"].report.names
        assert np.array_equal(arrays.reuse.doc_group, reworked["reuse"].doc_group)
        assert arrays.titles == reworked["titles"]
        assert [report.to_dict() for report in arrays.columns.reports] == \
            [report.to_dict() for report in reworked["columns"].reports]
        for name, column in reworked["columns"].facets.items():
            assert np.array_equal(arrays.columns.facets[name].codes, column.codes)
            assert arrays.columns.facets[name].names == column.names


def test_a_damaged_kept_file_is_worked_out_again(seed_index, cache):
    folder = current_folder(seed_index)
    expected = SearchEngine(seed_index).search('"法治政府"')
    path = opened.kept_path(folder)
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])
    assert opened.read(path) is None
    found = SearchEngine(seed_index).search('"法治政府"')
    assert (found["total"], found["facets"]) == (expected["total"], expected["facets"])
    assert opened.read(path) is not None


def test_a_removed_generation_is_forgotten(tmp_path, cache):
    gone = tmp_path / "gen-gone"
    gone.mkdir()
    kept = cache / "fazhi-report-search"
    kept.mkdir(parents=True)
    (kept / "opened-abc.folder").write_text(str(gone), encoding="utf-8")
    for name in ("opened-abc.bin", "plan-abc-1.bin", "plan-xyz-1.bin"):
        (kept / name).write_bytes(b"x")
    gone.rmdir()
    opened.forget_removed(kept)
    assert sorted(path.name for path in kept.iterdir()) == ["plan-xyz-1.bin"]
