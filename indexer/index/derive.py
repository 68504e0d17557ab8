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
from model.text import code_points
from indexer.reuse.settings import REUSE_SETTINGS, SETTINGS

from .format import (FOLDER, MAX_SEGMENT_BYTES, IndexUnusable, read_reuse, read_segment, read_sketches,
                     segment_folder, word_hash, write_segment as write_arrays)
from .internals import field_lengths, leaf_postings, reading_index
from .schema import NORM_FIELD, SENTENCES_FIELD
from .store import report_metadata

WORDS_FIELD = "words"
# Bytes of text (whole paragraphs) whose bigram keys are made at once: some 30 bytes a character
# while they are made and sorted, about 80 MB.
CHUNK_BYTES = 8 << 20
# Bytes of one sentence offset in the sentences column (store.py writes them as array("I")).
OFFSET_BYTES = 4


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

    The text is read in chunks of whole paragraphs (CHUNK_BYTES), three times: for the
    alphabet, for how many positions each key has, and to place each chunk's positions
    where their keys' runs are, after those of the chunks before. Made for the whole segment
    at once, the keys and their temporaries took some 9 bytes a byte of text (64 MB of text
    took a writer from 620 MB to 1.2 GB); what is held now is the positions (4 bytes a
    character) and a chunk's temporaries.
    """
    if len(blob) >= MAX_SEGMENT_BYTES:
        raise ValueError(f"a segment of {len(blob)} bytes of text is over {MAX_SEGMENT_BYTES}")
    bounds = chunk_bounds(byte_starts, len(blob), CHUNK_BYTES)
    alphabet = text_alphabet(blob, bounds)
    number = np.zeros(int(alphabet[-1]) + 1 if len(alphabet) else 1, np.int32)
    number[alphabet] = np.arange(len(alphabet))

    def chunks():
        """Yield (keys, byte positions) of the characters of each chunk, sorted by key, then position."""
        for low, high in zip(bounds[:-1], bounds[1:]):
            yield sorted_keys(blob, byte_starts, low, high, number, len(alphabet))
    keys, counts = key_counts(chunks())
    offsets = np.zeros(len(keys) + 1, np.int64)
    np.cumsum(counts, out=offsets[1:])
    del counts
    positions = np.empty(offsets[-1], np.uint32)
    placed = offsets[:-1].copy()
    for chunk_keys, chunk_positions in chunks():
        first = np.flatnonzero(changes(chunk_keys))
        runs = np.diff(np.append(first, len(chunk_keys)))
        rows = np.searchsorted(keys, chunk_keys[first])
        positions[np.repeat(placed[rows] - first, runs) + np.arange(len(chunk_keys))] = chunk_positions
        placed[rows] += runs
    return {"alphabet": alphabet, "gram_keys": keys, "gram_offsets": offsets, "gram_positions": positions}


def chunk_bounds(byte_starts, size, most):
    """Return the byte offsets cutting a text of size bytes into runs of whole paragraphs of about most bytes."""
    cuts = byte_starts[np.searchsorted(byte_starts, np.arange(most, size, most))] if size > most else []
    return sorted_distinct(np.concatenate([[0], cuts, [size]]).astype(np.int64)).tolist() if size else [0, 0]


def blob_code_points(blob, low, high):
    """Return the Unicode code points of blob[low:high] (whole characters of UTF-8), as uint32."""
    return code_points(bytes(blob[low:high]).decode("utf-8"))


def text_alphabet(blob, bounds):
    """Return the distinct code points of the text, ascending, as uint32, reading it a chunk at a time."""
    present = np.zeros(0, bool)
    for low, high in zip(bounds[:-1], bounds[1:]):
        codes = blob_code_points(blob, low, high)
        if len(codes):
            top = int(codes.max()) + 1
            if top > len(present):
                present = np.concatenate([present, np.zeros(top - len(present), bool)])
            present[codes] = True
    return np.flatnonzero(present).astype(np.uint32)


def sorted_keys(blob, byte_starts, low, high, number, end):
    """Return (keys, byte positions) of the characters of blob[low:high] (whole paragraphs), sorted by key, then position."""
    codes = blob_code_points(blob, low, high)
    positions = char_offsets(codes)
    positions += np.uint32(low)
    chars = number[codes]
    del codes
    following = np.empty_like(chars)
    following[:-1] = chars[1:]
    following[-1:] = end
    # The last character of each paragraph pairs with END, never with the next paragraph.
    inside = byte_starts[(byte_starts > low) & (byte_starts <= high)]
    ends = inside[np.diff(np.append(byte_starts[(byte_starts <= low)][-1:], inside)) > 0]
    following[np.searchsorted(positions, ends) - 1] = end
    keys = chars.astype(np.int64)
    del chars
    keys *= end + 1
    keys += following
    del following
    key_bits, position_bits = int(keys.max(initial=0)).bit_length(), max(high, 1).bit_length()
    if key_bits + position_bits <= 63:
        # One sort of key and position packed together: positions come out ascending per key.
        keys <<= position_bits
        keys |= positions
        keys.sort()
        positions = low_bits(keys, position_bits)
        keys >>= position_bits
        return keys, positions
    order = np.lexsort((positions, keys))
    return keys[order], positions[order]


def key_counts(chunks):
    """Return (the distinct keys, ascending, how many positions each has) of chunks of (keys sorted, positions)."""
    keys, counts = np.empty(0, np.int64), np.empty(0, np.int64)
    for chunk_keys, _positions in chunks:
        first = np.flatnonzero(changes(chunk_keys))
        merged = np.concatenate([keys, chunk_keys[first]])
        order = np.argsort(merged, kind="stable")  # two sorted runs: merged in one pass
        merged, summed = merged[order], np.concatenate([counts, np.diff(np.append(first, len(chunk_keys)))])[order]
        starts = np.flatnonzero(changes(merged))
        keys, counts = merged[starts], np.add.reduceat(summed, starts) if len(starts) else summed
    return keys, counts


def char_offsets(codes):
    """Return the UTF-8 byte offset where each of the code points starts, as uint32."""
    sizes = np.ones(len(codes), np.uint8)
    for limit in (0x80, 0x800, 0x10000):
        sizes += codes >= limit
    offsets = np.zeros(len(codes), np.uint32)
    np.cumsum(sizes[:-1], dtype=np.uint32, out=offsets[1:])
    return offsets


def low_bits(values, bits, chunk=1 << 22):
    """Return the low bits of non-negative int64 values (below 2^32) as uint32, a chunk at a time."""
    found = np.empty(len(values), np.uint32)
    for start in range(0, len(values), chunk):
        found[start:start + chunk] = values[start:start + chunk] & ((1 << bits) - 1)
    return found


def word_postings(leaf):
    """Return the jieba words' arrays of a segment (word_arrays()), its words and postings read back from Whoosh."""
    # Whoosh gives the words as UTF-8 bytes, in their order as bytes.
    words = [text for text, _info in leaf.iter_field(WORDS_FIELD)]
    docs, frequencies, offsets = [], [], np.zeros(len(words) + 1, np.int64)
    for place, word in enumerate(words):
        ids, weights = leaf_postings(leaf, WORDS_FIELD, word)
        docs.append(ids)
        frequencies.append(weights)
        offsets[place + 1] = offsets[place] + len(ids)
    docs = np.concatenate(docs) if docs else np.empty(0, np.int32)
    frequencies = np.concatenate(frequencies) if frequencies else np.empty(0, np.float32)
    return word_arrays(words, offsets, docs, frequencies, field_lengths(leaf, WORDS_FIELD))


def written_word_arrays(leaf, written_words):
    """Return word_arrays() of a segment from its words and postings as the writer that wrote them holds them
    (internals.finish_segment()), its lengths read from the segment: the same as word_postings(leaf)."""
    return word_arrays(*written_words, field_lengths(leaf, WORDS_FIELD))


def word_arrays(words, offsets, docs, frequencies, lengths):
    """Return the jieba words' arrays of a segment: hashes ascending, texts, posting offsets, docs, frequencies
    and lengths; from its words (UTF-8, ascending as bytes), where each word's postings start in docs and
    frequencies, and each paragraph's length.

    The postings come from Whoosh's files (word_postings()) or from the writer that has just
    written them (internals.finish_segment()): the same arrays either way.
    """
    hashes = np.array([word_hash(word) for word in words], dtype=np.uint64)
    order = np.argsort(hashes, kind="stable")
    counts = np.diff(offsets)[order]
    hashed_offsets = np.zeros(len(words) + 1, np.int64)
    np.cumsum(counts, out=hashed_offsets[1:])
    # Each word's run of postings moved to its place in hash order (a segment has far fewer than 2^31).
    moved = np.repeat((offsets[:-1][order] - hashed_offsets[:-1]).astype(np.int32), counts)
    moved += np.arange(len(moved), dtype=np.int32)
    texts = [words[index] for index in order.tolist()]
    text_starts = np.zeros(len(texts) + 1, np.int64)
    np.cumsum([len(text) for text in texts], out=text_starts[1:])
    return {
        "word_hashes": hashes[order], "word_text_starts": text_starts, "word_offsets": hashed_offsets,
        "word_texts": np.frombuffer(b"".join(texts), np.uint8),
        "word_docs": docs[moved], "word_frequencies": frequencies[moved], "word_lengths": lengths,
    }


def column_bytes(leaf, fieldname):
    """Yield the value of a bytes column for every document of a segment, in order."""
    if not leaf.has_column(fieldname):
        raise LookupError(f"the index has no {fieldname} column; rebuild it")
    reader = leaf.column_reader(fieldname, translate=False)
    return map(reader.__getitem__, range(leaf.doc_count_all()))


def text_arrays(leaf):
    """Return a segment's normalized text as one UTF-8 blob, each paragraph's start and the sentence starts."""
    # Appended one paragraph at a time: a list of them all would hold the text twice.
    blob, sizes = bytearray(), []
    for value in column_bytes(leaf, NORM_FIELD):
        blob += value
        sizes.append(len(value))
    starts = np.zeros(len(sizes) + 1, np.int64)
    np.cumsum(sizes, out=starts[1:])
    return {"norm": np.frombuffer(blob, np.uint8), "starts": starts,
            "sentence_bounds": sentence_bounds(leaf, starts), **gram_positions(blob, starts)}


def sentence_bounds(leaf, starts):
    """Return every byte offset where a sentence begins in a segment's text, paragraph starts included."""
    offsets, counts = bytearray(), []
    for value in column_bytes(leaf, SENTENCES_FIELD):
        offsets += value
        counts.append(len(value) // OFFSET_BYTES)
    later = np.frombuffer(offsets, np.uint32).astype(np.int64)
    later += np.repeat(starts[:-1], counts)
    return np.unique(np.concatenate([starts, later]))


def coded(values):
    """Return (the code of each value, the distinct values in order of first appearance)."""
    distinct = list(dict.fromkeys(values))
    index = {value: code for code, value in enumerate(distinct)}
    return np.array([index[value] for value in values], dtype=np.uint32), distinct


def paragraph_columns(leaf):
    """Return a segment's paragraph columns, its section names and its report table (from the stored fields)."""
    # One document's stored fields (its text among them) at a time, only what the columns need kept.
    report_ids, sections, numbers, headings, metadata = [], [], [], [], {}
    for doc in range(leaf.doc_count_all()):
        fields = leaf.stored_fields(doc)
        report_ids.append(fields.get("report_id") or "")
        sections.append(fields.get("section_class") or "")
        numbers.append(fields.get("n") or 0)
        headings.append(bool(fields.get("heading")))
        found = report_metadata(fields)
        if found is not None:
            metadata[report_ids[-1]] = found
    report_codes, table_ids = coded(report_ids)
    section_codes, section_names = coded(sections)
    columns = {"report": report_codes, "section_class": section_codes, "n": np.array(numbers, np.int32),
               "heading": np.array(headings, np.bool_)}
    reports = [Report.from_metadata(report_id, metadata.get(report_id, {})) for report_id in table_ids]
    return columns, section_names, reports


def derive_segment(leaf, folder, segment_id, words=None):
    """Derive the arrays of one segment and write them (indexer/index/format.py); its words' arrays are
    read back from the segment (word_postings()) unless given (written_word_arrays())."""
    columns, section_names, reports = paragraph_columns(leaf)
    write_arrays(folder, segment_id, section_names, reports, **columns, **text_arrays(leaf),
                 **(words or word_postings(leaf)))


def leaves(ix_reader):
    """Return the (segment id, segment reader, docnum offset) of every segment that holds documents."""
    return [(leaf.segment().segment_id(), leaf, offset) for leaf, offset in ix_reader.leaf_readers()
            if leaf.doc_count_all()]


def derive_one(folder, segment_id):
    """Write the arrays of one segment of the index in folder."""
    with reading_index(folder).reader() as reader:
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
