"""jieba's dictionary prepared for a server: its words in four arrays, loaded in milliseconds instead of seconds.

jieba keeps its prefix dictionary (every word with its frequency, every prefix of a word with 0)
as a Python dict of half a million strings, unmarshalled at every start: the largest part of a
server's start (1–5 s on a shared machine). A server segments only its queries, a few dozen
lookups each, so it reads the same dictionary from arrays instead: the words' 64-bit hashes
(ascending), where each word's UTF-8 text starts, the texts, the frequencies. They are built
once from jieba's own dictionary and kept in the user's cache folder (the rebuild writes them;
a server that finds none builds them itself), named by jieba's dictionary file and this
module's code, and checked against their digest when read. Lookups give exactly what jieba's
dict gives, so a query is cut as the paragraphs were.
"""
import hashlib
import importlib.util
from bisect import bisect_left
from pathlib import Path

from .cachefile import cache_path, load_or_build

# jieba's own dictionary, in its package folder (jieba.DEFAULT_DICT_NAME).
JIEBA_DICTIONARY = "dict.txt"


def key_hash(encoded):
    """Return the 64-bit hash a dictionary word (as UTF-8) is looked up by."""
    return int.from_bytes(hashlib.blake2b(encoded, digest_size=8).digest(), "little")


class PreparedDictionary:
    """jieba's prefix dictionary (word -> frequency, 0 for a prefix only) over arrays; what jieba asks of its dict."""

    def __init__(self, hashes, starts, text, frequencies):
        """Take the arrays: hashes ascending, each entry's text at text[starts[i]:starts[i + 1]], its frequency."""
        # memoryviews: bisect and indexing read Python ints straight from the arrays' memory.
        self.hashes = memoryview(hashes)
        self.starts = memoryview(starts)
        self.text = bytes(text)
        self.frequencies = memoryview(frequencies)

    def place(self, word):
        """Return the row of a word, or -1 when the dictionary does not hold it."""
        encoded = word.encode("utf-8")
        hashed = key_hash(encoded)
        place = bisect_left(self.hashes, hashed)
        while place < len(self.hashes) and self.hashes[place] == hashed:
            # Equal hashes are told apart by the word itself.
            if self.text[self.starts[place]:self.starts[place + 1]] == encoded:
                return place
            place += 1
        return -1

    def __contains__(self, word):
        """Tell whether the dictionary holds a word (or a prefix of one)."""
        return self.place(word) >= 0

    def __getitem__(self, word):
        """Return a word's frequency (0 for a prefix only); KeyError when the dictionary does not hold it."""
        place = self.place(word)
        if place < 0:
            raise KeyError(word)
        return self.frequencies[place]

    def get(self, word, default=None):
        """Return a word's frequency, or default when the dictionary does not hold it."""
        place = self.place(word)
        return self.frequencies[place] if place >= 0 else default

    def __len__(self):
        """Return how many words and prefixes the dictionary holds."""
        return len(self.hashes)


def prepare(frequencies):
    """Return the arrays of a jieba prefix dictionary (word -> frequency): hashes, starts, text, frequencies."""
    import numpy as np
    encoded = [word.encode("utf-8") for word in frequencies]
    hashes = np.fromiter(map(key_hash, encoded), np.uint64, len(encoded))
    order = np.argsort(hashes, kind="stable")
    encoded = [encoded[place] for place in order.tolist()]
    starts = np.zeros(len(encoded) + 1, np.int64)
    np.cumsum([len(word) for word in encoded], out=starts[1:])
    values = np.fromiter(frequencies.values(), np.int64, len(encoded))[order]
    return {"hashes": hashes[order], "starts": starts, "text": np.frombuffer(b"".join(encoded), np.uint8),
            "frequencies": values}


def digest(arrays, total):
    """Return the digest of a prepared dictionary, checked when it is read back."""
    hashed = hashlib.blake2b(str(total).encode())
    for name in sorted(arrays):
        hashed.update(memoryview(arrays[name]).cast("B"))
    return hashed.hexdigest()


def whole(kept):
    """Tell whether a kept dictionary matches its digest (one changed byte, and it is prepared again)."""
    return kept["digest"] == digest(kept["arrays"], kept["total"])


def dictionary_file(tokenizer=None):
    """Return the dictionary file of a jieba tokenizer (default: jieba's own), found without importing jieba."""
    if tokenizer is not None and tokenizer.dictionary is not None:
        return Path(tokenizer.dictionary)
    return Path(importlib.util.find_spec("jieba").origin).parent / JIEBA_DICTIONARY


def prepared_path(source):
    """Return where the dictionary of a jieba dictionary file is kept prepared: named by the file and this code."""
    return cache_path(source, "jieba", (Path(__file__),))


def kept_or_prepared(tokenizer):
    """Return {arrays, total, digest} of a tokenizer's dictionary: kept from an earlier run, else prepared and kept now."""
    def build():
        """Load jieba's own dictionary (seconds) and prepare its arrays."""
        tokenizer.initialize()
        arrays = prepare(tokenizer.FREQ)
        return {"arrays": arrays, "total": tokenizer.total, "digest": digest(arrays, tokenizer.total)}
    return load_or_build(prepared_path(dictionary_file(tokenizer)), build, whole)


def ensure_prepared(tokenizer):
    """Prepare and keep jieba's dictionary when it is not kept yet (the rebuild does, for the server).

    tokenizer is a function returning jieba's tokenizer, called only then: jieba is not imported
    when the prepared dictionary is there.
    """
    if not prepared_path(dictionary_file()).exists():
        kept_or_prepared(tokenizer())


def use_prepared(tokenizer):
    """Give a tokenizer not yet initialized its dictionary from the prepared arrays (for segmenting queries).

    Bulk segmentation (the indexer) keeps jieba's own dict: its lookups are several times faster.
    """
    with tokenizer.lock:
        if tokenizer.initialized:
            return
        kept = kept_or_prepared(tokenizer)
        if tokenizer.initialized:
            return  # kept_or_prepared loaded jieba's own, being the first to need them
        tokenizer.FREQ = PreparedDictionary(**kept["arrays"])
        tokenizer.total = kept["total"]
        tokenizer.initialized = True
