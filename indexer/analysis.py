"""Text normalization and the two Whoosh analyzers: jieba words and character bigrams.

The schema is pickled into the index, so the analyzers must live in an importable
module like this one.
"""
import unicodedata
from functools import lru_cache

import jieba
from whoosh.analysis import Token, Tokenizer

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start

# Punctuation that ends a sentence, full and half width: the unit of the 同句(...) operator.
SENTENCE_ENDS = "。！？；!?;"
# Token put in the bigram field where a new sentence begins. Normalized text holds only
# letters and digits, so no bigram can ever equal it.
SENTENCE_MARK = "。"


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


def normalize(text):
    """Fold text to its searchable form (see normalize_with_map)."""
    return "".join(_fold_char(char) for char in text)


def normalize_with_sentences(text):
    """Fold text like normalize() and return it with the offsets where a new sentence starts.

    An offset i means the normalized character i opens a sentence that is not the first;
    sentence-ending punctuation itself vanishes like all punctuation.
    """
    kept, starts, length, ended = [], [], 0, False
    for char in text:
        if char in SENTENCE_ENDS:
            ended = True
            continue
        folded = _fold_char(char)
        if not folded:
            continue
        if ended and length:
            starts.append(length)
        ended = False
        kept.append(folded)
        length += len(folded)
    return "".join(kept), starts


def bigrams(norm):
    """Split normalized text into overlapping bigrams, then its last character alone.

    The trailing unigram lets a one-character phrase match at the very end of a
    paragraph, where no bigram starts with it.
    """
    grams = [norm[i:i + 2] for i in range(len(norm) - 1)]
    if norm:
        grams.append(norm[-1])
    return grams


def words(text):
    """Segment text with jieba into normalized words, dropping punctuation and spaces."""
    for piece in jieba.cut(text):
        word = normalize(piece)
        if word:
            yield word


class _ListTokenizer(Tokenizer):
    """Base for tokenizers whose tokens come from a function: positions are sequential."""

    def split(self, value):
        """Return the token texts of value, in order."""
        raise NotImplementedError

    def positioned(self, value):
        """Yield (position, text) of each token, positions counted per token from 0."""
        return enumerate(self.split(value))

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kwargs):
        """Yield Whoosh tokens with positions counted per kept token, not per character."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in self.positioned(value):
            token.text = text
            token.boost = 1.0
            token.stopped = False
            if keeporiginal:
                token.original = text
            if positions:
                token.pos = start_pos + pos
            if chars:
                # Character offsets are not used: highlighting works on the stored text.
                token.startchar = token.endchar = start_char
            yield token


class JiebaTokenizer(_ListTokenizer):
    """jieba word tokens over normalized text, for BM25F ranking."""

    def split(self, value):
        """Return the jieba words of value."""
        return list(words(value))


class BigramTokenizer(_ListTokenizer):
    """Character bigrams over normalized text, for exact phrase matching.

    Bigram i starts at normalized character i, so a phrase is a run of consecutive
    positions. A SENTENCE_MARK shares the position of the first character of every
    sentence but the first: phrases ignore it, the same-sentence query reads it.
    """

    def split(self, value):
        """Return the bigrams of value's normalized form."""
        return bigrams(normalize(value))

    def positioned(self, value):
        """Yield (position, text) of the bigrams and of the sentence marks, in position order."""
        norm, starts = normalize_with_sentences(value)
        starts = set(starts)
        for pos, gram in enumerate(bigrams(norm)):
            if pos in starts:
                yield pos, SENTENCE_MARK
            yield pos, gram


def ChineseAnalyzer():
    """Analyzer for ranked word search: jieba segmentation, no stemming."""
    return JiebaTokenizer()


def BigramAnalyzer():
    """Analyzer for exact phrase search: sequential character bigrams."""
    return BigramTokenizer()
