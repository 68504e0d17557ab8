"""The Whoosh field and analyzer of jieba words, for ranking.

The schema is pickled into the index, so the field and the analyzer must live in an
importable module like this one.
"""
from collections import Counter

from whoosh.analysis import Token, Tokenizer
from whoosh.fields import TEXT
from whoosh.system import pack_uint

from model.text import words


class JiebaTokenizer(Tokenizer):
    """jieba word tokens over normalized text, for BM25F ranking; positions counted per token."""

    def __call__(self, value, positions=False, chars=False, keeporiginal=False,
                 removestops=True, start_pos=0, start_char=0, mode="", **kwargs):
        """Yield Whoosh tokens of value's jieba words."""
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        for pos, text in enumerate(words(value)):
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


def ChineseAnalyzer():
    """Analyzer for ranked word search: jieba segmentation, no stemming."""
    return JiebaTokenizer()


class WordsField(TEXT):
    """Whoosh's TEXT field of jieba words (frequencies, no positions), which also takes a paragraph's
    words already segmented, as a list (indexer/index/store.py documents()).

    Given a list, Whoosh would wrap every word in a token and count the tokens one by one in
    Python; here the words are counted at once (Counter) into the same postings its Frequency
    format makes: each word with its frequency, that frequency as its weight, and packed.
    """

    def index(self, value, **kwargs):
        """Return (word as UTF-8, frequency, weight, value bytes) of each distinct word of value."""
        if not isinstance(value, list):
            return super().index(value, **kwargs)
        return ((word.encode("utf-8"), count, *self.posting_value(count)) for word, count in Counter(value).items())

    def posting_value(self, count):
        """Return (weight, value bytes) of the posting of a word found count times in a document."""
        return count * self.format.field_boost, pack_uint(count)
