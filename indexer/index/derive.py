"""Numpy arrays derived from each Whoosh segment, written beside the index after every commit.

Whoosh indexes the jieba words and keeps the stored fields. Searches read these arrays
instead, per segment: the normalized text as one UTF-8 file; the byte positions of every
character bigram in it (a phrase is found by comparing its bytes after the positions of
its rarest bigram, all at once); where each sentence starts; the jieba words' postings,
copied out of Whoosh's blocks so that no query decodes them; and the column values of
every paragraph. They are written once, when a segment is new, and never rewritten, so
generations share them by hard links.
"""
import hashlib
import json
import multiprocessing
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.index import open_dir
from whoosh.matching.wrappers import FilterMatcher
from whoosh.util.numeric import byte_to_length

from indexer.report import REGION_LEVELS

from .schema import NORM_FIELD, REPORT_FIELD, SENTENCES_FIELD, UNKNOWN, date_key

FOLDER = "arrays"
# Byte positions are stored in 32 bits: a segment's normalized text stays below 4 GB.
MAX_SEGMENT_BYTES = 1 << 32
# Text columns kept per segment as a code per paragraph into a list of distinct values.
CODED = REGION_LEVELS + ("section_class", "report_id")
# Years a report can be about: facets count per year in arrays as long as the largest.
MIN_YEAR, MAX_YEAR = 1949, 2200
WORDS_FIELD = "words"
# Whoosh stores a field length as one byte; this table decodes all 256 of them at once.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)
EMPTY_OFFSETS = np.empty(0, np.int64)
# Number columns kept per segment, one value per paragraph, and their types.
NUMBERS = {"n": np.int32, "year": np.int32, "date": np.int64, "heading": np.bool_}


def segment_folder(folder, segment_id):
    """Return where the arrays of one segment of a generation live."""
    return Path(folder) / FOLDER / segment_id


def changes(values):
    """Return a mask of the sorted values that differ from the one before them."""
    found = np.ones(len(values), bool)
    np.not_equal(values[1:], values[:-1], out=found[1:])
    return found


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
    return alphabet, keys[first], np.append(first, len(keys)).astype(np.int64), positions.astype(np.uint32)


def word_hash(encoded):
    """Return the 64-bit hash a jieba word (as UTF-8) is looked up by in the word arrays."""
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little")


def leaf_postings(leaf, fieldname, text):
    """Return (docnums, weights) of a term in one segment, read from Whoosh block by block."""
    matcher = leaf.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        matcher = matcher.child
    ids, weights = [], []
    if isinstance(matcher, W3LeafMatcher):
        # Whole blocks at a time: each block's ids and weights are decoded arrays already.
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_weights()
            ids.append(np.asarray(matcher._ids, dtype=np.int32))
            weights.append(np.asarray(matcher._weights, dtype=np.float32))
            matcher._next_block()
    else:
        # Short lists stored inline in the term index.
        while matcher.is_active():
            ids.append(np.array([matcher.id()], dtype=np.int32))
            weights.append(np.array([matcher.weight()], dtype=np.float32))
            matcher.next()
    if not ids:
        return np.empty(0, np.int32), np.empty(0, np.float32)
    return np.concatenate(ids), np.concatenate(weights)


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
        "word_docs": np.concatenate(docs) if docs else np.empty(0, np.int32),
        "word_frequencies": np.concatenate(frequencies) if frequencies else np.empty(0, np.float32),
    }, b"".join(texts)


def field_lengths(leaf, fieldname):
    """Return the length Whoosh stored for a field of every document of one segment."""
    count = leaf.doc_count_all()
    column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, np.float32)
    return LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=count)]


def column_bytes(leaf, fieldname):
    """Return the values of a bytes column for every document of a segment."""
    count = leaf.doc_count_all()
    if not leaf.has_column(fieldname):
        raise LookupError(f"the index has no {fieldname} column; rebuild it")
    reader = leaf.column_reader(fieldname, translate=False)
    return [reader[doc] for doc in range(count)]


def text_blob(leaf):
    """Return (every normalized text as one UTF-8 blob, byte offset of each document and the end)."""
    values = column_bytes(leaf, NORM_FIELD)
    starts = np.zeros(len(values) + 1, np.int64)
    np.cumsum([len(v) for v in values], out=starts[1:])
    return b"".join(values), starts


def sentence_bounds(leaf, starts):
    """Return every byte offset where a sentence begins in a segment's text, paragraph starts included."""
    values = [np.frombuffer(v, np.uint32) for v in column_bytes(leaf, SENTENCES_FIELD)]
    later = np.concatenate(values).astype(np.int64) if values else EMPTY_OFFSETS
    later += np.repeat(starts[:-1], [len(v) for v in values])
    return np.unique(np.concatenate([starts, later]))


def plausible_year(year):
    """Return a report year as a number, UNKNOWN when it is none or out of any sensible range."""
    return year if isinstance(year, int) and MIN_YEAR <= year <= MAX_YEAR else UNKNOWN


def paragraph_values(leaf):
    """Return the column values of every paragraph of a segment, and each report's metadata."""
    stored = [leaf.stored_fields(doc) for doc in range(leaf.doc_count_all())]
    reports = {fields.get("report_id") or "": fields[REPORT_FIELD] for fields in stored if REPORT_FIELD in fields}
    coded = {name: [] for name in CODED}
    numbers = {name: [] for name in NUMBERS}
    for fields in stored:
        report_id = fields.get("report_id") or ""
        report = reports.get(report_id, {})
        for level in REGION_LEVELS:
            coded[level].append(report.get("region", {}).get(level) or "")
        coded["section_class"].append(fields.get("section_class") or "")
        coded["report_id"].append(report_id)
        numbers["n"].append(fields.get("n") or 0)
        numbers["year"].append(plausible_year(report.get("report_year")))
        numbers["date"].append(date_key(report.get("pub_date")))
        numbers["heading"].append(bool(fields.get("heading")))
    return coded, numbers, reports


def write_segment(leaf, target):
    """Derive and write the arrays of one segment into target (a new folder, renamed into place)."""
    partial = target.with_name(target.name + ".part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    blob, starts = text_blob(leaf)
    (partial / "norm.bin").write_bytes(blob)
    np.save(partial / "starts.npy", starts)
    arrays = zip(("alphabet", "gram_keys", "gram_offsets", "gram_positions"), gram_positions(blob, starts))
    for name, values in arrays:
        np.save(partial / f"{name}.npy", values)
    words, word_texts = word_postings(leaf)
    (partial / "word_texts.bin").write_bytes(word_texts)
    for name, values in words.items():
        np.save(partial / f"{name}.npy", values)
    np.save(partial / "word_lengths.npy", field_lengths(leaf, WORDS_FIELD))
    np.save(partial / "sentence_bounds.npy", sentence_bounds(leaf, starts))
    coded, numbers, reports = paragraph_values(leaf)
    for name, dtype in NUMBERS.items():
        np.save(partial / f"{name}.npy", np.array(numbers[name], dtype=dtype))
    names = {}
    for name, values in coded.items():
        distinct = list(dict.fromkeys(values))
        index = {value: code for code, value in enumerate(distinct)}
        np.save(partial / f"{name}.npy", np.array([index[v] for v in values], dtype=np.uint32))
        names[name] = distinct
    (partial / "values.json").write_text(json.dumps({"names": names, "reports": reports}, ensure_ascii=False),
                                         encoding="utf-8")
    partial.rename(target)


def leaves(ix_reader):
    """Return the (segment id, segment reader, docnum offset) of every segment that holds documents."""
    return [(leaf.segment().segment_id(), leaf, offset) for leaf, offset in ix_reader.leaf_readers()
            if leaf.doc_count_all()]


def derive_one(folder, segment_id):
    """Write the arrays of one segment of the index in folder."""
    with open_dir(str(folder)).reader() as reader:
        for found_id, leaf, _offset in leaves(reader):
            if found_id == segment_id:
                write_segment(leaf, segment_folder(folder, segment_id))


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


def load_segment(folder, segment_id):
    """Return the arrays of one segment (memory-mapped) and its value lists."""
    where = segment_folder(folder, segment_id)
    if not where.is_dir():
        raise FileNotFoundError(f"{where}: the arrays of segment {segment_id} are missing; rebuild the index")
    found = {path.stem: np.load(path, mmap_mode="r") for path in where.glob("*.npy")}
    found["values"] = json.loads((where / "values.json").read_text(encoding="utf-8"))
    found["norm_path"] = where / "norm.bin"
    found["word_texts_path"] = where / "word_texts.bin"
    return found
