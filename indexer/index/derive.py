"""The arrays of each Whoosh segment, derived from the segment alone and written by indexer/index/format.py.

Whoosh indexes the jieba words and keeps the stored fields. From a segment this module
derives: the normalized text as one UTF-8 blob; the byte positions of every character bigram
in it (a phrase is found by comparing its bytes after the positions of its rarest bigram,
all at once); where each sentence starts; the jieba words' postings and lengths, copied out
of Whoosh's blocks (indexer/index/internals.py) so that no query decodes them; each
paragraph's columns; and the segment's report table, from the metadata stored once with
each report's first paragraph.
"""
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from whoosh.index import open_dir

from model.report import Report
from indexer.reuse.settings import REUSE_SETTINGS, SETTINGS

from .format import (FOLDER, MAX_SEGMENT_BYTES, IndexUnusable, read_reuse, read_segment, read_sketches,
                     segment_folder, word_hash, write_segment as write_arrays)
from .internals import field_lengths, leaf_postings
from .schema import NORM_FIELD, SENTENCES_FIELD
from .store import report_metadata

WORDS_FIELD = "words"
EMPTY_OFFSETS = np.empty(0, np.int64)


def changes(values):
    """Return a mask of the sorted values that differ from the one before them."""
    found = np.ones(len(values), bool)
    np.not_equal(values[1:], values[:-1], out=found[1:])
    return found


def sorted_distinct(values):
    """Return the distinct values, ascending: np.unique's hashing (numpy 2) is many times slower than sorting."""
    ordered = np.sort(np.asarray(values))
    return ordered[changes(ordered)]


def gram_positions(blob, byte_starts):
    """Return (alphabet, distinct keys, offset of each key's positions, byte positions) of a segment's text.

    Every character of every paragraph has one key: its bigram with the next character,
    or with END (the alphabet's size) when it ends its paragraph. Characters are numbered
    by their place in the sorted alphabet of the segment, so keys stay small. A key's
    positions are the UTF-8 byte offsets, ascending, where its bigram starts.
    """
    if len(blob) >= MAX_SEGMENT_BYTES:
        raise ValueError(f"a segment of {len(blob)} bytes of text is over {MAX_SEGMENT_BYTES}")
    codes = np.frombuffer(blob.decode("utf-8").encode("utf-32-le"), np.uint32)
    positions = np.flatnonzero((np.frombuffer(blob, np.uint8) & 0xC0) != 0x80)
    alphabet = np.flatnonzero(np.bincount(codes)).astype(np.uint32) if len(codes) else np.empty(0, np.uint32)
    number = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, np.int64)
    number[alphabet] = np.arange(len(alphabet))
    chars = number[codes]
    end = len(alphabet)
    following = np.append(chars[1:], end)
    # The last character of each paragraph pairs with END, never with the next paragraph.
    following[np.searchsorted(positions, byte_starts[1:][np.diff(byte_starts) > 0]) - 1] = end
    keys = chars * (end + 1) + following
    key_bits, position_bits = int(keys.max(initial=0)).bit_length(), max(len(blob), 1).bit_length()
    if key_bits + position_bits <= 63:
        # One sort of key and position packed together: positions come out ascending per key.
        packed = np.sort((keys << position_bits) | positions)
        keys, positions = packed >> position_bits, packed & ((1 << position_bits) - 1)
    else:
        order = np.lexsort((positions, keys))
        keys, positions = keys[order], positions[order]
    first = np.flatnonzero(changes(keys))
    return {"alphabet": alphabet, "gram_keys": keys[first], "gram_offsets": np.append(first, len(keys)),
            "gram_positions": positions}


def word_postings(leaf):
    """Return the jieba words' arrays of a segment: hashes ascending, texts, posting offsets, docs, frequencies."""
    # Whoosh gives the words as UTF-8 bytes.
    words = [text for text, _info in leaf.iter_field(WORDS_FIELD)]
    hashes = np.array([word_hash(word) for word in words], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    docs, frequencies, offsets = [], [], np.zeros(len(words) + 1, np.int64)
    for place, index in enumerate(order.tolist()):
        ids, weights = leaf_postings(leaf, WORDS_FIELD, words[index])
        docs.append(ids)
        frequencies.append(weights)
        offsets[place + 1] = offsets[place] + len(ids)
    texts = [words[index] for index in order.tolist()]
    text_starts = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(text) for text in texts], out=text_starts[1:])
    return {
        "word_hashes": hashes[order], "word_text_starts": text_starts, "word_offsets": offsets,
        "word_texts": np.frombuffer(b"".join(texts), np.uint8),
        "word_docs": np.concatenate(docs) if docs else np.empty(0, np.int32),
        "word_frequencies": np.concatenate(frequencies) if frequencies else np.empty(0, np.float32),
        "word_lengths": field_lengths(leaf, WORDS_FIELD),
    }


def column_bytes(leaf, fieldname):
    """Return the values of a bytes column for every document of a segment."""
    count = leaf.doc_count_all()
    if not leaf.has_column(fieldname):
        raise LookupError(f"the index has no {fieldname} column; rebuild it")
    reader = leaf.column_reader(fieldname, translate=False)
    return [reader[doc] for doc in range(count)]


def text_arrays(leaf):
    """Return a segment's normalized text as one UTF-8 blob, each paragraph's start and the sentence starts."""
    values = column_bytes(leaf, NORM_FIELD)
    starts = np.zeros(len(values) + 1, np.int64)
    np.cumsum([len(v) for v in values], out=starts[1:])
    blob = b"".join(values)
    return {"norm": np.frombuffer(blob, np.uint8), "starts": starts,
            "sentence_bounds": sentence_bounds(leaf, starts), **gram_positions(blob, starts)}


def sentence_bounds(leaf, starts):
    """Return every byte offset where a sentence begins in a segment's text, paragraph starts included."""
    values = [np.frombuffer(v, np.uint32) for v in column_bytes(leaf, SENTENCES_FIELD)]
    later = np.concatenate(values).astype(np.int64) if values else EMPTY_OFFSETS
    later += np.repeat(starts[:-1], [len(v) for v in values])
    return np.unique(np.concatenate([starts, later]))


def coded(values):
    """Return (the code of each value, the distinct values in order of first appearance)."""
    distinct = list(dict.fromkeys(values))
    index = {value: code for code, value in enumerate(distinct)}
    return np.array([index[value] for value in values], dtype=np.uint32), distinct


def paragraph_columns(leaf):
    """Return a segment's paragraph columns, its section names and its report table (from the stored fields)."""
    stored = [leaf.stored_fields(doc) for doc in range(leaf.doc_count_all())]
    report_ids = [fields.get("report_id") or "" for fields in stored]
    metadata = {}
    for report_id, fields in zip(report_ids, stored):
        found = report_metadata(fields)
        if found is not None:
            metadata[report_id] = found
    report_codes, table_ids = coded(report_ids)
    section_codes, section_names = coded([fields.get("section_class") or "" for fields in stored])
    columns = {
        "report": report_codes, "section_class": section_codes,
        "n": np.array([fields.get("n") or 0 for fields in stored], np.int32),
        "heading": np.array([bool(fields.get("heading")) for fields in stored], np.bool_),
    }
    reports = [Report.from_metadata(report_id, metadata.get(report_id, {})) for report_id in table_ids]
    return columns, section_names, reports


def derive_segment(leaf, folder, segment_id):
    """Derive the arrays of one segment and write them (indexer/index/format.py)."""
    columns, section_names, reports = paragraph_columns(leaf)
    write_arrays(folder, segment_id, section_names, reports, **columns, **text_arrays(leaf), **word_postings(leaf))


def leaves(ix_reader):
    """Return the (segment id, segment reader, docnum offset) of every segment that holds documents."""
    return [(leaf.segment().segment_id(), leaf, offset) for leaf, offset in ix_reader.leaf_readers()
            if leaf.doc_count_all()]


def derive_one(folder, segment_id):
    """Write the arrays of one segment of the index in folder."""
    with open_dir(str(folder)).reader() as reader:
        for found_id, leaf, _offset in leaves(reader):
            if found_id == segment_id:
                derive_segment(leaf, folder, segment_id)


def derive(folder, processes=1):
    """Write the arrays of every segment of the index in folder that has none; remove those of gone segments.

    With processes above 1, segments are derived side by side (a full build makes one
    segment per writer process, each as big as the others).
    """
    with open_dir(str(folder)).reader() as reader:
        present = [segment_id for segment_id, _leaf, _offset in leaves(reader)]
    missing = [segment_id for segment_id in present if not segment_folder(folder, segment_id).is_dir()]
    if processes > 1 and len(missing) > 1:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(min(processes, len(missing)), mp_context=context) as pool:
            list(pool.map(derive_one, [folder] * len(missing), missing))
    else:
        for segment_id in missing:
            derive_one(folder, segment_id)
    root = Path(folder) / FOLDER
    for stale in root.iterdir() if root.is_dir() else ():
        if stale.name not in present:
            shutil.rmtree(stale, ignore_errors=True)


def structure_problems(folder):
    """Return what keeps a generation's Whoosh index, arrays, sketches and reuse data from being read together, as lines."""
    try:
        with open_dir(str(folder)).reader() as reader:
            segments = [(segment_id, leaf.doc_count_all()) for segment_id, leaf, _offset in leaves(reader)]
    except Exception as error:  # noqa: BLE001 - whatever Whoosh raises on files it cannot parse
        return [f"{folder}: Whoosh cannot read the index ({type(error).__name__}: {error})"]
    readers = [lambda: read_reuse(folder, REUSE_SETTINGS)]
    for segment_id, paragraphs in segments:
        readers += [lambda s=segment_id, p=paragraphs: read_segment(folder, s, p),
                    lambda s=segment_id, p=paragraphs: read_sketches(folder, s, p, SETTINGS)]
    problems = []
    for read in readers:
        try:
            read()
        except IndexUnusable as error:
            problems.append(f"{error.path}: {error.reason}")
    return problems
