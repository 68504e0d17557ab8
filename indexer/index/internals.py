"""Whoosh's private parts the indexer relies on, in one place, behind a check of Whoosh's version.

Whoosh has no public way to read a term's postings a block at a time, to read a field's
stored lengths as a column, to write a segment in one process and list it in the index from
another, or to hold a writer's postings other than as Python tuples; the functions below do
so with attributes that are Whoosh 2.7.4's own. Any other version may
have changed them, so importing this module with another version fails with a clear message
instead of writing arrays that are silently wrong.
"""
import os
from array import array
from collections import Counter
from itertools import repeat

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.filedb.filestore import FileStorage
from whoosh.matching.wrappers import FilterMatcher
from whoosh.reading import SegmentReader
from whoosh.util.numeric import byte_to_length
from whoosh.writing import SegmentWriter

SUPPORTED_WHOOSH = "2.7.4"


class UnsupportedWhoosh(RuntimeError):
    """The installed Whoosh is not the version whose internals this module uses."""


def require_supported_whoosh(found=whoosh.versionstring()):
    """Raise UnsupportedWhoosh unless the installed Whoosh is the supported version."""
    if found != SUPPORTED_WHOOSH:
        raise UnsupportedWhoosh(
            f"whoosh {found} is installed, but the indexer reads Whoosh {SUPPORTED_WHOOSH}'s internal"
            f" posting blocks and length columns; install whoosh=={SUPPORTED_WHOOSH}"
            " (pinned in requirements.txt: make install)")


require_supported_whoosh()

# Whoosh stores a field length as one byte; this table decodes all 256 of them at once.
LENGTH_OF_BYTE = np.array([byte_to_length(b) for b in range(256)], dtype=np.float32)


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


def field_lengths(leaf, fieldname):
    """Return the length Whoosh stored for a field of every document of one segment, as one column read."""
    count = leaf.doc_count_all()
    column = leaf._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if column is None:
        return np.zeros(count, np.float32)
    return LENGTH_OF_BYTE[np.fromiter(column, dtype=np.uint8, count=count)]


class Numbered(dict):
    """Numbers of keys, each key numbered when first asked for (0, 1, 2, ... in that order)."""

    def __missing__(self, key):
        """Number a key not seen before."""
        self[key] = number = len(self)
        return number


class CompactPostings:
    """A segment writer's postings held as three arrays of numbers, in place of Whoosh's PostingPool.

    Whoosh's pool keeps each posting as a tuple of five Python objects (about 200 bytes) and
    sorts the tuples at the end: a writer of 100,000 paragraphs (six million postings) held
    over a gigabyte. Here a posting is the number of its term, its document and the number of
    its value (weight and value bytes), 12 bytes; terms and values are numbered as first seen,
    and the postings are put in Whoosh's order (field, term, document) by one numpy sort.
    """

    # Postings turned into Python lists at a time (write_postings), bounding the Python objects made.
    CHUNK = 100_000

    def __init__(self):
        """Start with no postings."""
        self.terms, self.values = Numbered(), Numbered()
        self.term, self.doc, self.value = array("i"), array("i"), array("i")
        # {field: {count: number of its posting value}} of the fields whose words come counted.
        self.count_values = {}

    def add(self, item):
        """Add one posting, Whoosh's (fieldname, term bytes, docnum, weight, value bytes)."""
        fieldname, text, docnum, weight, value = item
        self.term.append(self.terms[fieldname, text])
        self.doc.append(docnum)
        self.value.append(self.values[weight, value])

    def add_counted(self, fieldname, field, counts, docnum):
        """Add the postings of one document's words counted ({word: count}) in a field of words
        (analysis.WordsField), all at once: the same postings as add() of each, without a Python call per word."""
        numbers = self.count_values.setdefault(fieldname, {})
        for count in set(counts.values()).difference(numbers):
            numbers[count] = self.values[field.posting_value(count)]
        # Mapped in C: a term's key is (fieldname, word as UTF-8), as Whoosh's postings have it.
        self.term.extend(map(self.terms.__getitem__, zip(repeat(fieldname), map(str.encode, counts))))
        self.doc.extend(repeat(docnum, len(counts)))
        self.value.extend(map(numbers.__getitem__, counts.values()))

    def in_order(self):
        """Return the postings sorted by field, then term, then document: (terms as (fieldname, term bytes) by
        number, values as (weight, value bytes) by number, term numbers, documents, value numbers)."""
        terms, values = list(self.terms), list(self.values)
        rank = np.empty(len(terms), np.int64)
        rank[sorted(range(len(terms)), key=terms.__getitem__)] = np.arange(len(terms))
        term, doc, value = (np.frombuffer(column, np.int32) for column in (self.term, self.doc, self.value))
        order = np.lexsort((doc, rank[term]))
        return terms, values, term[order], doc[order], value[order]

    def cleanup(self):
        """Forget the postings (the writer is done with them)."""
        self.__init__()


class CompactSegmentWriter(SegmentWriter):
    """Whoosh's SegmentWriter holding its postings in CompactPostings, a document's word list counted and
    added in one call.

    Whoosh's add_document() hands every posting of a document to its pool one at a time (some
    60 Python calls per paragraph, a fifth of a writer's time); this add_document() is Whoosh
    2.7.4's for the schemas it accepts (no vectors or spelling fields: the paragraph schema), except
    that a list given to a field with posting_value() (analysis.WordsField) is counted and its
    postings added at once. The segment written is the same.
    """

    def __init__(self, index, **kwargs):
        """Open a writer of a new segment of index; raise ValueError for a schema with vectors or spellings."""
        super().__init__(index, **kwargs)
        unsupported = [name for name, field in self.schema.items() if field.vector or field.separate_spelling()]
        if unsupported:
            raise ValueError(f"CompactSegmentWriter writes no term vectors or spelling words: fields {unsupported}")
        self.pool = CompactPostings()

    def add_document(self, **fields):
        """Add one document: its postings to the pool, its stored values, lengths and columns to the segment."""
        self._check_state()
        perdocwriter, schema, docnum = self.perdocwriter, self.schema, self.docnum
        docboost = self._doc_boost(fields)
        fieldnames = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, fieldnames)
        perdocwriter.start_doc(docnum)
        for fieldname in fieldnames:
            value = fields[fieldname]
            if value is None:
                continue
            field = schema[fieldname]
            length = 0
            if field.indexed:
                boost = self._field_boost(fields, fieldname, docboost)
                if isinstance(value, list) and hasattr(field, "posting_value") and boost == 1:
                    self.pool.add_counted(fieldname, field, Counter(value), docnum)
                    length = len(value) if field.scorable else 0
                else:
                    for text, frequency, weight, posting_value in field.index(value):
                        length += frequency if field.scorable else 0
                        self.pool.add((fieldname, text, docnum, weight * boost, posting_value))
            stored = fields.get(f"_stored_{fieldname}", value)
            perdocwriter.add_field(fieldname, field, stored if field.stored else None, length)
            if field.column_type and stored is not None:
                perdocwriter.add_column_value(fieldname, field.column_type, field.to_column_value(stored))
        perdocwriter.finish_doc()
        self._added = True
        self.docnum += 1


def stored_lengths(reader, fieldnames):
    """Return {fieldname: the length stored for every document} of the scorable fieldnames that have lengths."""
    count = reader.doc_count_all()
    lengths = {}
    for fieldname in fieldnames:
        column = reader._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
        if column is not None:
            stored = np.fromiter(column, dtype=np.uint8, count=count)
            lengths[fieldname] = np.array([byte_to_length(byte) for byte in range(256)], np.int64)[stored]
    return lengths


def write_postings(fieldwriter, schema, lengths, pool, kept_field=None):
    """Write a CompactPostings pool's postings through Whoosh's field writer a block at a time; return the
    postings of kept_field as field_postings() gives them (None without a kept_field).

    What Whoosh's FieldWriter.add_postings() writes from one tuple per posting, passed one by one
    through four Python calls each (half of finishing a segment): the same blocks, filled
    from lists cut out of the sorted arrays, so the files are the same byte for byte.
    """
    terms, values, term, doc, value = pool.in_order()
    weight_of, bytes_of = [weight for weight, _ in values], [vbytes or b"" for _, vbytes in values]
    kept = doc != -1  # Whoosh's mark of a spelling word, which has no posting
    term, doc, value = term[kept], doc[kept], value[kept]
    starts = np.flatnonzero(np.diff(term, prepend=-1)) if len(term) else np.empty(0, np.int64)
    ends = np.append(starts[1:], len(term))
    field = None
    for first, last in chunks_of_terms(starts, ends, pool.CHUNK):
        low, high = int(starts[first]), int(ends[last - 1])
        docs = doc[low:high].tolist()
        numbers = value[low:high].tolist()
        weights, vbytes = list(map(weight_of.__getitem__, numbers)), list(map(bytes_of.__getitem__, numbers))
        lengths_by_field = {}
        for start, end in zip((starts[first:last] - low).tolist(), (ends[first:last] - low).tolist()):
            fieldname, text = terms[term[low + start]]
            if fieldname != field:
                if field is not None:
                    fieldwriter.finish_field()
                field = fieldname
                fieldwriter.start_field(fieldname, schema[fieldname])
            if fieldname not in lengths_by_field:
                found = lengths.get(fieldname)
                lengths_by_field[fieldname] = (found[doc[low:high]].tolist() if found is not None
                                               else [0] * (high - low))
            fieldwriter.start_term(text)
            write_term(fieldwriter._postwriter, docs, weights, vbytes, lengths_by_field[fieldname], start, end)
            fieldwriter.finish_term()
    if field is not None:
        fieldwriter.finish_field()
    if kept_field is not None:
        return field_postings(kept_field, terms, weight_of, term, doc, value, starts, ends)
    return None


def field_postings(fieldname, terms, weight_of, term, doc, value, starts, ends):
    """Return (term texts, offset of each term's postings, documents as int32, weights as float32) of one
    field's postings sorted as write_postings() writes them: what reading the field's terms and postings
    back from the segment gives (derive.word_postings())."""
    # Sorted by field first: the field's terms are one run.
    chosen = np.flatnonzero([terms[number][0] == fieldname for number in term[starts].tolist()])
    if not len(chosen):
        return [], np.zeros(1, np.int64), np.empty(0, np.int32), np.empty(0, np.float32)
    first, last = int(chosen[0]), int(chosen[-1]) + 1
    low, high = int(starts[first]), int(ends[last - 1])
    texts = [terms[number][1] for number in term[starts[first:last]].tolist()]
    offsets = np.append(starts[first:last], high).astype(np.int64) - low
    # Whoosh keeps a block's weights as array("f"): each weight rounded to float32, as here.
    return texts, offsets, doc[low:high].astype(np.int32), np.array(weight_of, np.float32)[value[low:high]]


def chunks_of_terms(starts, ends, size):
    """Yield (first, last) ranges of terms whose postings (starts..ends) come to about size at a time."""
    first = 0
    while first < len(starts):
        last = max(first + 1, int(np.searchsorted(ends, starts[first] + size, side="right")))
        yield first, last
        first = last


def write_term(postwriter, docs, weights, vbytes, lengths, start, end):
    """Put one term's postings (docs[start:end] and the rest alike) into Whoosh's postings writer, writing
    every full block but the last, which finish_term() writes: as add_posting() one at a time would."""
    limit = postwriter._blocklimit
    for low in range(start, end, limit):
        high = min(low + limit, end)
        postwriter._ids = array("I", docs[low:high])
        block_weights = weights[low:high]
        postwriter._weights = array("f", block_weights)
        postwriter._values = list(filter(None, vbytes[low:high]))
        lengths_set = list(filter(None, lengths[low:high]))
        postwriter._minlength = min(lengths_set) if lengths_set else None
        postwriter._maxlength = max(lengths_set) if lengths_set else 0
        # add_posting() keeps the first weight above all before it, starting from 0.
        heaviest = max(block_weights)
        postwriter._maxweight = heaviest if heaviest > 0 else 0
        if high < end:
            postwriter._write_block()


class WriterStorage(FileStorage):
    """An index folder as a writer process opens it: its segment writers' temporary folder is this process's own.

    Whoosh names every segment writer's temporary folder after the index (MAIN.tmp) and deletes
    it with whatever is in it when a segment is done; writers in two processes deleted each
    other's temporary column files mid-segment, and a build of 10^6 paragraphs stopped (ENOENT)
    as the second writer finished the segment it had begun before the first finished one.
    """

    def temp_storage(self, name=None):
        """Return the temporary storage Whoosh asks for, under a name holding this process's id."""
        return super().temp_storage(f"{os.getpid()}-{name or 'writer.tmp'}")


def writer_index(folder):
    """Return the index in folder for a writer process: its temporary files apart from every other process's,
    its files read without memory maps (reading_index())."""
    return WriterStorage(str(folder), supports_mmap=False).open_index()


def reading_index(folder):
    """Return the index in folder with its files read by read() calls, not memory-mapped.

    Deriving a segment reads all of its file (184 MB for 64 MB of text); mapped, every page read
    counts as the process's resident memory until the segment is closed: a writer deriving a
    64 MB segment held 350 MB of the file's pages so (the page cache keeps them either way).
    """
    return FileStorage(str(folder), supports_mmap=False).open_index()


def segment_writer(index):
    """Return a writer of one new segment of an index, taking no lock, its postings held compactly.

    Its segment is listed in the index by commit_segments(), from the process that holds the lock.
    """
    return CompactSegmentWriter(index, _lk=False)


def finish_segment(writer, kept_field=None):
    """Write out a segment_writer()'s segment, close the writer and return (the segment, not yet listed, and
    the postings of kept_field as field_postings() gives them, None without a kept_field)."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader()
    try:
        scorable = [name for name, field in writer.schema.items() if field.scorable]
        kept = write_postings(writer.fieldwriter, writer.schema, stored_lengths(reader, scorable), writer.pool,
                              kept_field)
    finally:
        reader.close()
    writer.fieldwriter.close()
    writer._close_segment()
    writer._assemble_segment()
    segment = writer.get_segment()
    writer._finish()
    return segment, kept


def segment_reader(index, segment):
    """Return a reader of one segment written by finish_segment(), before it is listed in the index."""
    return SegmentReader(index.storage, index.schema, segment)


def commit_segments(index, segments):
    """List the segments written by other processes in the index, after the ones it holds, in one commit."""
    writer = index.writer()
    writer._close_segment()  # its own new segment stays empty and is cleaned away
    writer._commit_toc(list(writer.segments) + list(segments))
    writer._finish()
