"""The searchable form of text, shared by the cleaner, the index and the search core.

normalize() folds what a reader would not tell apart (width, case, punctuation, spaces);
sentence_offsets() marks where sentences start, for 同句(…); words() are jieba's.
"""
import re
import unicodedata
from functools import lru_cache


# Punctuation that ends a sentence, full and half width: the unit of the 同句(...) operator.
SENTENCE_ENDS = "。！？；!?;"
SENTENCE_SPLIT = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")


@lru_cache(maxsize=4096)
def _fold_char(char):
    """Return the searchable form of one character: NFKC, case-folded, letters and digits only."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    return "".join(c for c in folded if unicodedata.category(c)[0] in "LN")


def normalize_with_map(text):
    """Fold text to its searchable form and map each kept character to its source index.

    Punctuation, quotation marks and white space vanish, full-width forms fold to
    half-width, Latin letters to lower case; so `新时代"枫桥经验"` becomes `新时代枫桥经验`.
    """
    chars, origin = [], []
    for index, char in enumerate(text):
        for kept in _fold_char(char):
            chars.append(kept)
            origin.append(index)
    return "".join(chars), origin


class _FoldTable(dict):
    """str.translate table of _fold_char, filled in as characters are first seen."""

    def __missing__(self, point):
        """Fold a character not seen before and remember it."""
        self[point] = _fold_char(chr(point))
        return self[point]


_FOLD_TABLE = _FoldTable()


def normalize(text):
    """Fold text to its searchable form (see normalize_with_map)."""
    # translate() looks each character up in C; only unseen ones call back into Python.
    return text.translate(_FOLD_TABLE)


def later_starts(lengths):
    """Return where each non-empty piece after the first non-empty one starts, given all pieces' lengths."""
    starts, length = [], 0
    for size in lengths:
        if size and length:
            starts.append(length)
        length += size
    return starts


def sentence_offsets(text):
    """Return (text's normalized form as UTF-8, UTF-8 offsets where its sentences after the first start)."""
    # Split and folded in C, sentence by sentence, rather than character by character in Python.
    pieces = [normalize(piece).encode("utf-8") for piece in SENTENCE_SPLIT.split(text)]
    return b"".join(pieces), later_starts(len(piece) for piece in pieces)


@lru_cache(maxsize=1)
def segmenter():
    """Return jieba, imported on first use: commands that segment nothing start faster without it."""
    import jieba
    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start
    return jieba


def words(text):
    """Segment text with jieba into normalized words, dropping punctuation and spaces."""
    for piece in segmenter().cut(text):
        word = normalize(piece)
        if word:
            yield word
