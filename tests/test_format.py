"""The index format defined once: its arrays, its version, reports stored whole in Whoosh, its commands."""
import json
import os
import shutil
import time
from dataclasses import fields

import numpy as np
import pytest
from whoosh import index as whoosh_index

from indexer.index import format
from indexer.index.build import build_info, publish_reports, rebuild
from indexer.index.buildinfo import BUILD_INFO, read_build_info, verify
from indexer.index.generations import current_folder
from indexer.index.internals import UnsupportedWhoosh, require_supported_whoosh
from indexer.index.schema import REPORT_FIELD
from model.report import Paragraph, Report
from search import IndexDamaged, SearchEngine

from conftest import quiet, run_module


def full_report():
    """Return a report with every field of a clean report set."""
    return Report(report_id="甲报告", title="甲市2023年法治政府建设情况报告", title_composed=True,
                  issuer="甲市人民政府", region={"province": "浙江省", "city": "甲市", "county": "", "township": ""},
                  report_year=2023, pub_date="2024-03-01", doc_number="甲政〔2024〕3号",
                  source={"path": "corpus/raw/甲报告.html", "url": "http://127.0.0.1/a.html", "sha1": "ab12"},
                  warnings=["页面疑似被篡改"],
                  paragraphs=[Paragraph(n=1, text="一、主要举措", heading=True, section_class="成效举措",
                                        section_path=["一、主要举措"]),
                              Paragraph(n=2, text="坚持依法行政，推进政务公开。", section_class="成效举措",
                                        section_path=["一、主要举措"])])


def test_the_table_lists_every_array_of_the_typed_object_once():
    array_fields = [f.name for f in fields(format.SegmentArrays) if "dtype" in f.metadata]
    assert [name for name, *_ in format.ARRAYS] == array_fields
    assert len(set(array_fields)) == len(array_fields) > 15
    for name, dtype, rows, meaning in format.ARRAYS:
        assert np.dtype(dtype) and rows and meaning, name


def test_a_segment_reads_back_as_written_and_refuses_another_version(tmp_path):
    values = {name: (np.arange(3 if rows == format.PARAGRAPH else 4) % 2).astype(dtype)
              for name, dtype, rows, _meaning in format.ARRAYS}
    reports = [Report.from_metadata("r", full_report().metadata()), Report.from_metadata("s", {})]
    format.write_segment(tmp_path, "S", ["导语", "其他"], reports, **values)
    read = format.read_segment(tmp_path, "S", 3)
    for name, dtype, _rows, _meaning in format.ARRAYS:
        assert getattr(read, name).dtype == np.dtype(dtype) and getattr(read, name).tolist() == values[name].tolist()
    assert read.reports == reports and read.section_names == ["导语", "其他"]
    with pytest.raises(format.IndexUnusable, match="3 paragraphs for a Whoosh segment of 4"):
        format.read_segment(tmp_path, "S", 4)
    layout = tmp_path / format.FOLDER / "S" / format.LAYOUT_FILE
    layout.write_text(json.dumps(dict(json.loads(layout.read_text()), format=1)), encoding="utf-8")
    with pytest.raises(format.OtherFormat, match="format 1.*reads index format.*python -m indexer rebuild"):
        format.read_segment(tmp_path, "S", 3)


def test_a_report_is_stored_once_in_whoosh_and_served_whole_from_it(tmp_path):
    index = tmp_path / "index"
    publish_reports(index, [full_report()])
    live = current_folder(index)
    assert not (live / "reports").exists()
    with whoosh_index.open_dir(str(live)).searcher() as searcher:
        stored = [searcher.stored_fields(doc) for doc in range(searcher.doc_count_all())]
    assert [REPORT_FIELD in fields for fields in stored] == [True, False]
    assert SearchEngine(index).report("甲报告") == full_report()
    assert SearchEngine(index).report("乙报告") is None


def test_another_whoosh_version_is_refused_by_name():
    require_supported_whoosh("2.7.4")
    with pytest.raises(UnsupportedWhoosh, match="whoosh 2.7.5 is installed.*whoosh==2.7.4"):
        require_supported_whoosh("2.7.5")


def test_build_json_records_the_format_and_every_file(seed_index):
    live = current_folder(seed_index)
    info = read_build_info(live)
    assert info.format == format.FORMAT_VERSION
    on_disk = {str(path.relative_to(live)) for path in live.rglob("*") if path.is_file()
               and path.name != BUILD_INFO and not path.name.endswith("LOCK") and not path.name.startswith(".")}
    assert set(info.files) == on_disk
    assert all(size == (live / name).stat().st_size for name, (size, _digest) in info.files.items())
    assert verify(live) == []


@pytest.mark.integration
@pytest.mark.parametrize("text", ["[1, 2]", '{"built_at": 5}', "{", ""])
def test_a_malformed_build_json_reads_as_no_record_and_is_rebuilt_with_one_line(corpus, tmp_path, text):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    (current_folder(index) / BUILD_INFO).write_text(text, encoding="utf-8")
    assert build_info(index) is None
    done = run_module("indexer", "rebuild", "--if-stale", "--corpus", str(corpus), "--index", str(index))
    assert done.returncode == 0 and "full build" in done.stdout, done.stderr
    assert [line for line in done.stderr.splitlines() if "build.json" in line][0].startswith("the live index")
    assert "Traceback" not in done.stderr and build_info(index)["reports"] == 5


@pytest.mark.integration
def test_an_unwritable_index_folder_is_one_line(corpus, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    done = run_module("indexer", "rebuild", "--corpus", str(corpus), "--index", str(blocker / "index"))
    assert done.returncode == 1
    assert done.stderr.strip().splitlines()[-1].startswith(f"rebuild: cannot write to the index folder {blocker}")
    assert "Traceback" not in done.stderr


@pytest.mark.integration
def test_the_arrays_are_derived_again_from_whoosh_alone(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    engine = SearchEngine(index)
    before = engine.search('"枫桥经验"')
    shutil.rmtree(current_folder(index) / format.FOLDER)
    with pytest.raises(IndexDamaged, match="arrays/.*deleted while served"):
        engine.search('"枫桥经验"')
    with pytest.raises(IndexDamaged, match="arrays/.*missing"):
        SearchEngine(index).search('"枫桥经验"')
    done = run_module("indexer", "arrays", "--index", str(index))
    assert done.returncode == 0, done.stderr
    assert engine.search('"枫桥经验"')["hits"] == before["hits"]
    assert run_module("indexer", "check", "--index", str(index)).returncode == 0
    # Derived from Whoosh: a damaged Whoosh index cannot give them, and says so.
    os.truncate(next(current_folder(index).glob("*.seg")), 1000)
    refused = run_module("indexer", "arrays", "--index", str(index))
    assert refused.returncode == 1 and "has to be rebuilt" in refused.stderr and "Traceback" not in refused.stderr


@pytest.mark.integration
def test_a_file_changed_between_queries_is_noticed_before_the_next(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    engine = SearchEngine(index)
    assert engine.search('"枫桥经验"')["total"] == 3
    with open(next(current_folder(index).glob("*.seg")), "ab") as segment:
        segment.write(b"\0")
    with pytest.raises(IndexDamaged, match=r"\.seg: changed while served.*python -m indexer rebuild"):
        engine.search('"枫桥经验"')
    assert "arrays" not in rebuild(corpus, index, quiet).mode
    assert engine.search('"枫桥经验"')["total"] == 3


@pytest.mark.integration
def test_rebuild_reads_again_what_changed_and_check_reads_everything(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, quiet)
    live = current_folder(index)
    long_ago = time.time() - 600
    for path in live.rglob("*"):
        os.utime(path, (long_ago, long_ago))
    assert verify(live, trust_unchanged=True) == []
    data = max(live.glob("arrays/*/data.bin"), key=lambda path: path.stat().st_size)
    with open(data, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"DAMAGED!")
    # Any write moves the modification time: a rebuild reads the file again and finds it.
    assert [problem.path for problem in verify(live, trust_unchanged=True)] == [str(data.relative_to(live))]
    # Only a write that puts the old time back hides from the stat; check still reads everything.
    os.utime(data, (long_ago, long_ago))
    assert verify(live, trust_unchanged=True) == []
    checked = run_module("indexer", "check", "--index", str(index))
    assert checked.returncode == 1 and f"{data}: content differs from its recorded digest" in checked.stdout
