"""The Whoosh analyzer of jieba words, for ranking.

The schema is pickled into the index, so the analyzer must live in an importable module
like this one.
"""
from whoosh.analysis import Token, Tokenizer

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
