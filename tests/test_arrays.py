"""The arrays written beside each Whoosh segment: what searches find through them, before and after updates."""
import shutil

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from whoosh import index as whoosh_index

from bench.synth import generate
from indexer.index import format, internals, writers
from indexer.index.build import add_report, derive_again, publish_reports, rebuild
from indexer.index.derive import leaves
from indexer.index.generations import current_folder
from indexer.index.schema import NORM_FIELD, SENTENCES_FIELD, paragraph_schema
from model.report import Paragraph, Report
from model.text import word_line
from search import IndexMissing, SearchEngine
from search.arrays import Segment, Texts

from conftest import quiet


def report(report_id, *texts):
    """Return a report with these paragraphs."""
    return Report(report_id=report_id, title=f"{report_id}法治政府建设报告",
                  paragraphs=[Paragraph(n=n, text=text) for n, text in enumerate(texts, start=1)])


@pytest.fixture
def made(tmp_path):
    """An index of two small reports whose paragraphs end and begin with the same characters."""
    folder = tmp_path / "index"
    publish_reports(folder, [report("甲", "坚持依法行政。推进政务公开", "公开透明，接受监督。"),
                             report("乙", "Ａ级标准，行政执法", "法治政府")])
    return folder


def totals(engine, *queries):
    """Return the number of paragraphs each query finds."""
    return [engine.search(q)["total"] for q in queries]


def test_a_phrase_never_runs_from_one_paragraph_into_the_next(made):
    engine = SearchEngine(made)
    # "…政务公开" ends paragraph 1 and "公开透明…" begins paragraph 2.
    assert totals(engine, '"政务公开"', '"公开透明"', '"公开公开"', '"执法法治"') == [1, 1, 0, 0]


def test_one_character_is_found_anywhere_even_last_in_a_paragraph(made):
    engine = SearchEngine(made)
    assert totals(engine, '"督"', '"法"', '"a"', '"坚"') == [1, 3, 1, 1]


def test_a_phrase_is_found_at_every_place_in_a_word_and_at_both_ends_of_the_text(tmp_path):
    # Phrases are compared in aligned 8-byte words, and near either end of the text byte by byte:
    # the phrase starts at each of the eight places in a word, first and last in the segment's text.
    texts = [f"{'x' * shift}法治政府建设{'y' * shift}" for shift in range(8)] + ["规划：法治政府建设"]
    publish_reports(tmp_path / "index", [report("甲", *texts)])
    engine = SearchEngine(tmp_path / "index")
    assert totals(engine, '"法治政府建设"', '"法治政府建设y"', '"x法治政府"', '"法治政府建设z"') == [9, 7, 7, 0]


def test_same_sentence_stops_at_sentence_ends(made):
    engine = SearchEngine(made)
    assert totals(engine, "同句(依法 行政)", "同句(行政 政务)", "同段(行政 政务)") == [1, 0, 1]


def test_every_word_whoosh_indexed_is_found_with_the_same_paragraphs(seed_index):
    """The word postings copied out of Whoosh answer exactly as Whoosh's own postings."""
    folder = current_folder(seed_index)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        for segment_id, leaf, offset in leaves(reader):
            loaded = format.read_segment(folder, segment_id, leaf.doc_count_all())
            segment = Segment(loaded, offset)
            words = [text for text, _info in leaf.iter_field("words")]
            assert len(words) == len(loaded.word_hashes) > 100
            for word in words:
                expected = list(leaf.postings("words", word).all_ids())
                docs, frequencies = segment.word(word.decode("utf-8"))
                assert (docs - offset).tolist() == expected
                assert np.all(frequencies >= 1)
            assert len(segment.word("不在词典里的词")[0]) == 0


@pytest.mark.integration  # two rebuilds of a corpus
def test_an_update_adds_arrays_for_its_segment_and_drops_those_of_merged_ones(corpus, tmp_path):
    index = tmp_path / "index"
    rebuild(corpus, index, warn=quiet)
    engine = SearchEngine(index)
    assert engine.search('"枫桥经验"')["total"] == 3
    page = next((corpus / "raw").glob("000*"))
    text = page.read_text(encoding="utf-8").replace("枫桥经验", "枫桥做法")
    page.write_text(text + "\n坚持发展独一无二的新短语经验。\n", encoding="utf-8")
    assert "updated 1" in rebuild(corpus, index, warn=quiet).line()
    assert engine.search('"枫桥经验"')["total"] == 2
    assert engine.search('"独一无二的新短语"')["total"] == 1
    folder = current_folder(index)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        present = {segment_id for segment_id, _leaf, _offset in leaves(reader)}
    assert {path.name for path in (folder / format.FOLDER).iterdir()} == present


def test_missing_arrays_are_reported_with_the_rebuild_command(made):
    shutil.rmtree(current_folder(made) / format.FOLDER)
    with pytest.raises(IndexMissing, match=r"damaged \(gen-\w+/arrays/MAIN_\w+/data.bin: missing\).*python -m indexer rebuild"):
        SearchEngine(made).search("法治")


@pytest.mark.integration  # rebuilds with the writer processes
def test_writers_close_a_segment_once_it_is_full_with_the_arrays_whoosh_alone_gives(corpus, tmp_path, monkeypatch):
    """A writer closes its segment once it holds SEGMENT_TEXT_BYTES of text and derives its arrays there and
    then: a corpus of any size is written in segments of bounded size, with the same arrays as deriving
    them again from the Whoosh index alone gives, and the same answers as one segment per writer."""
    index = tmp_path / "index"
    rebuild(corpus, index, warn=quiet)
    whole = SearchEngine(index).search('"枫桥经验"')
    # A seed report holds 7 to 20 KB of text: every report closes a segment of its own.
    monkeypatch.setattr(writers, "SEGMENT_TEXT_BYTES", 1_000)
    rebuild(corpus, index, warn=quiet, full=True)
    folder = current_folder(index)
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        segments = sorted(segment_id for segment_id, _leaf, _offset in leaves(reader))
    assert len(segments) == len(list((corpus / "raw").iterdir()))
    for part in (format.FOLDER, format.SKETCHES_FOLDER):
        assert sorted(path.name for path in (folder / part).iterdir()) == segments
    written = {path.relative_to(folder): path.read_bytes() for path in (folder / format.FOLDER).rglob("*.*")}
    again = derive_again(index, warn=quiet)
    assert {path.relative_to(again): path.read_bytes() for path in (again / format.FOLDER).rglob("*.*")} == written
    split = SearchEngine(index).search('"枫桥经验"')
    assert (split["total"], sorted(hit["report_id"] for hit in split["hits"])) == \
        (whole["total"], sorted(hit["report_id"] for hit in whole["hits"]))


@pytest.mark.integration  # a rebuild by two writer processes
def test_two_writers_closing_segments_all_the_time_lose_nothing(tmp_path, monkeypatch):
    """Both writer processes close a segment after every report, so one finishes segments while the other
    is in the middle of its own: no writer deletes the other's temporary files (Whoosh names them after
    the index; a build of 10^6 paragraphs stopped with ENOENT), and every paragraph is indexed."""
    generate(tmp_path / "corpus" / "raw", 400, seed=3)
    monkeypatch.setattr(writers, "SEGMENT_TEXT_BYTES", 1_000)
    summary = rebuild(tmp_path / "corpus", tmp_path / "index", warn=quiet)
    folder = current_folder(tmp_path / "index")
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        assert reader.doc_count() == summary.paragraphs
        assert len(list(leaves(reader))) == summary.reports
    assert not [path for path in folder.iterdir() if path.name.endswith(".tmp")]
    engine = SearchEngine(tmp_path / "index")
    assert all(engine.report(path.stem) for path in (tmp_path / "corpus" / "raw").iterdir())


def term_postings(matcher):
    """Return a term's postings as (document, weight, value bytes), read through Whoosh's matcher."""
    found = []
    while matcher.is_active():
        found.append((matcher.id(), matcher.weight(), matcher.value()))
        matcher.next()
    return found


def segment_contents(folder):
    """Return everything a reader finds in an index: each term's postings (document, weight, value bytes),
    each document's stored fields, words length and column values."""
    with whoosh_index.open_dir(str(folder)).reader() as reader:
        postings = {(field, term): term_postings(reader.postings(field, term)) for field, term in reader.all_terms()}
        documents = [(reader.stored_fields(doc), reader.doc_field_length(doc, "words"),
                      [reader.column_reader(name)[doc] for name in (NORM_FIELD, SENTENCES_FIELD)])
                     for doc in range(reader.doc_count_all())]
    return postings, documents


def test_the_build_writes_the_segment_whoosh_own_writer_writes(tmp_path):
    """The writer processes' segment writer adds a paragraph's words counted at once (internals.py), not a
    posting at a time as Whoosh does: the postings, lengths, stored fields and columns are Whoosh's own."""
    reports = [report("甲", "坚持依法行政。推进政务公开，政务公开透明", "公开透明，接受监督。监督"),
               report("乙", "Ａ级标准，行政执法", "法治政府", "法治政府建设法治政府")]
    given = [[word_line(paragraph.text) for paragraph in made.paragraphs] for made in reports]
    whoosh_own, compact = tmp_path / "whoosh", tmp_path / "compact"
    for folder in (whoosh_own, compact):
        folder.mkdir()
        whoosh_index.create_in(str(folder), paragraph_schema())
    with whoosh_index.open_dir(str(whoosh_own)).writer() as writer:
        for made, words in zip(reports, given):
            add_report(writer, made, words)
    writer = internals.segment_writer(internals.writer_index(compact))
    for made, words in zip(reports, given):
        add_report(writer, made, words)
    internals.commit_segments(whoosh_index.open_dir(str(compact)), [internals.finish_segment(writer)[0]])
    assert segment_contents(compact) == segment_contents(whoosh_own)


def test_the_words_arrays_from_the_writer_are_those_read_back_from_its_segment(tmp_path):
    """A writer derives its segment's word arrays from the postings it has just written (internals.
    finish_segment()); `indexer arrays` and repairs read them back from the segment: the same arrays."""
    from indexer.index.derive import WORDS_FIELD, word_postings, written_word_arrays
    # Words in one paragraph and in hundreds (postings over several of Whoosh's blocks of 128),
    # counted once and several times in a paragraph, beside report ids (another field's postings).
    made = [report(f"报告{number}", *[f"第{number}号{place}段坚持依法行政，依法行政{'推进政务公开' * (place % 3)}"
                                      for place in range(number % 7 + 1)]) for number in range(90)]
    made.append(report("单", "独一无二的词语只在这里出现一次"))
    folder = tmp_path / "index"
    folder.mkdir()
    whoosh_index.create_in(str(folder), paragraph_schema())
    index = internals.writer_index(folder)
    writer = internals.segment_writer(index)
    for one in made:
        add_report(writer, one, [word_line(paragraph.text) for paragraph in one.paragraphs])
    segment, written = internals.finish_segment(writer, WORDS_FIELD)
    leaf = internals.segment_reader(index, segment)
    try:
        from_writer, read_back = written_word_arrays(leaf, written), word_postings(leaf)
    finally:
        leaf.close()
    assert len(read_back["word_docs"]) > 1000 and read_back["word_offsets"][-1] == len(read_back["word_docs"])
    assert sorted(from_writer) == sorted(read_back)
    for name, array in read_back.items():
        assert from_writer[name].dtype == array.dtype and np.array_equal(from_writer[name], array), name


def test_bigrams_placed_a_few_paragraphs_at_a_time_find_what_the_whole_segment_at_once_finds(tmp_path, monkeypatch):
    """A segment's bigram positions are made a chunk of paragraphs at a time: cut after every few bytes,
    the arrays are the same byte for byte and a phrase is found in every paragraph that holds it."""
    from indexer.index import derive
    reports = [report("甲", "坚持依法行政。推进政务公开", "", "公开透明，接受监督。𠀋字在此"),
               report("乙", "Ａ级标准，行政执法", "法治政府", "依法行政，政务公开")]
    publish_reports(tmp_path / "whole", reports)
    monkeypatch.setattr(derive, "CHUNK_BYTES", 7)
    publish_reports(tmp_path / "chunked", reports)
    whole, chunked = current_folder(tmp_path / "whole"), current_folder(tmp_path / "chunked")
    data = [sorted((folder / format.FOLDER).glob(f"*/{format.DATA_FILE}")) for folder in (whole, chunked)]
    assert [path.read_bytes() for path in data[0]] == [path.read_bytes() for path in data[1]]
    engine = SearchEngine(tmp_path / "chunked")
    assert totals(engine, '"政务公开"', '"公开透明"', '"开公"', '"字在此"', '"法治"') == [2, 1, 0, 1, 1]


# Titles of a few characters, so that words recur, touch and overlap (哈哈 in 哈哈哈).
TITLE_TEXT = st.text(alphabet="法治哈哈a府", max_size=12)


@given(titles=st.lists(TITLE_TEXT, max_size=8), word=st.text(alphabet="法治哈a府", min_size=1, max_size=3))
def test_a_word_counted_in_every_title_at_once_counts_what_str_count_counts(titles, word):
    assert Texts(titles).counts(word).tolist() == [float(title.count(word)) for title in titles]
