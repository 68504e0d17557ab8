"""Whoosh's private parts the indexer relies on, in one place, behind a check of Whoosh's version.

Whoosh has no public way to read a term's postings a block at a time, to read a field's
stored lengths as a column, to write a segment in one process and list it in the index from
another, or to hold a writer's postings other than as Python tuples; the functions below do
so with attributes that are Whoosh 2.7.4's own. Any other version may
have changed them, so importing this module with another version fails with a clear message
instead of writing arrays that are silently wrong.
"""
from array import array

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
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


class CompactPostings:
    """A segment writer's postings held as three arrays of numbers, in place of Whoosh's PostingPool.

    Whoosh's pool keeps each posting as a tuple of five Python objects (about 200 bytes) and
    sorts the tuples at the end: a writer of 100,000 paragraphs (six million postings) held
    over a gigabyte. Here a posting is the number of its term, its document and the number of
    its value (weight and value bytes), 12 bytes; terms and values are numbered as first seen,
    and the postings are put in Whoosh's order (field, term, document) by one numpy sort.
    """

    # Postings turned back into Whoosh's tuples at a time, bounding the Python objects made.
    CHUNK = 100_000

    def __init__(self):
        """Start with no postings."""
        self.terms, self.values = {}, {}
        self.term, self.doc, self.value = array("i"), array("i"), array("i")

    def add(self, item):
        """Add one posting, Whoosh's (fieldname, term bytes, docnum, weight, value bytes)."""
        fieldname, text, docnum, weight, value = item
        terms, values = self.terms, self.values
        self.term.append(terms.setdefault((fieldname, text), len(terms)))
        self.doc.append(docnum)
        self.value.append(values.setdefault((weight, value), len(values)))

    def iter_postings(self):
        """Yield the postings as Whoosh's tuples, by field, then term, then document."""
        terms, values = list(self.terms), list(self.values)
        rank = np.empty(len(terms), np.int64)
        rank[sorted(range(len(terms)), key=terms.__getitem__)] = np.arange(len(terms))
        term, doc, value = (np.frombuffer(column, np.int32) for column in (self.term, self.doc, self.value))
        order = np.lexsort((doc, rank[term]))
        for start in range(0, len(order), self.CHUNK):
            rows = order[start:start + self.CHUNK]
            for number, docnum, value_number in zip(term[rows].tolist(), doc[rows].tolist(), value[rows].tolist()):
                yield (*terms[number], docnum, *values[value_number])

    def cleanup(self):
        """Forget the postings (the writer is done with them)."""
        self.__init__()


class StoredLengths:
    """The field lengths a segment's per-document writer stored, read once per field, for its postings writer.

    Whoosh's postings writer asks for a document's length at every posting, each time
    through the per-document reader's column; these are the same lengths from lists.
    """

    def __init__(self, reader, fieldnames):
        """Read the stored length of every document for each of the scorable fieldnames."""
        count = reader.doc_count_all()
        self.lengths = {}
        for fieldname in fieldnames:
            column = reader._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
            if column is not None:
                stored = np.fromiter(column, dtype=np.uint8, count=count).tolist()
                self.lengths[fieldname] = [byte_to_length(byte) for byte in stored]

    def doc_field_length(self, docnum, fieldname, default=0):
        """Return the length of a field of a document, default for a field without lengths."""
        found = self.lengths.get(fieldname)
        return default if found is None else found[docnum]


def segment_writer(index):
    """Return a writer of one new segment of an index, taking no lock, its postings held compactly.

    Its segment is listed in the index by commit_segments(), from the process that holds the lock.
    """
    writer = SegmentWriter(index, _lk=False)
    writer.pool = CompactPostings()
    return writer


def finish_segment(writer):
    """Write out a segment_writer()'s segment, close the writer and return the segment (not yet listed)."""
    writer.perdocwriter.close()
    reader = writer.per_document_reader()
    try:
        scorable = [name for name, field in writer.schema.items() if field.scorable]
        writer.fieldwriter.add_postings(writer.schema, StoredLengths(reader, scorable), writer.pool.iter_postings())
    finally:
        reader.close()
    writer.fieldwriter.close()
    writer._close_segment()
    writer._assemble_segment()
    segment = writer.get_segment()
    writer._finish()
    return segment


def segment_reader(index, segment):
    """Return a reader of one segment written by finish_segment(), before it is listed in the index."""
    return SegmentReader(index.storage, index.schema, segment)


def commit_segments(index, segments):
    """List the segments written by other processes in the index, after the ones it holds, in one commit."""
    writer = index.writer()
    writer._close_segment()  # its own new segment stays empty and is cleaned away
    writer._commit_toc(list(writer.segments) + list(segments))
    writer._finish()
