"""Whoosh's private parts the indexer relies on, in one place, behind a check of Whoosh's version.

Whoosh has no public way to read a term's postings a block at a time, to read a field's
stored lengths as a column, to hand a multi-process writer its buffered documents, or to
learn that one of its processes failed; the
functions below do so with attributes that are Whoosh 2.7.4's own. Any other version may
have changed them, so importing this module with another version fails with a clear message
instead of writing arrays that are silently wrong.
"""
import os

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.matching.wrappers import FilterMatcher
from whoosh.multiproc import SubWriterTask
from whoosh.util.numeric import byte_to_length

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


def hand_over(writer):
    """Send a multi-process writer's buffered documents to its processes once a batch is full.

    Whoosh checks the batch size only for documents added outside a group, so with every
    report in a group it would otherwise keep the whole corpus until the commit.
    """
    buffered = getattr(writer, "docbuffer", None)
    if buffered is not None and len(buffered) >= writer.batchsize:
        writer._enqueue()


def stop_writer(writer):
    """Stop a failed build's writer, ending its processes, which would otherwise wait forever."""
    for task in getattr(writer, "tasks", ()):
        task.terminate()
        task.join()
    writer.cancel()


def exit_with_errno(run):
    """Wrap a writer process's run: an OSError (a full disk) ends the process with its errno as exit status.

    Whoosh's writer processes print the traceback of whatever stops them, and their parent
    commits without the segment of a process that died: the status lets failed_writer() name
    the reason in the parent, which then refuses the generation.
    """
    def guarded(task):
        """Run the writer process, turning an OSError into its exit status."""
        try:
            run(task)
        except OSError as error:
            os._exit(error.errno or 1)
    guarded.exits_with_errno = True
    return guarded


if not getattr(SubWriterTask.run, "exits_with_errno", False):
    SubWriterTask.run = exit_with_errno(SubWriterTask.run)


def failed_writer(writer):
    """Return the OSError that ended one of a multi-process writer's processes, or None when all ended well."""
    for task in getattr(writer, "tasks", ()):
        if task.exitcode:
            return OSError(task.exitcode, f"a writer process failed: {os.strerror(task.exitcode)}")
    return None
