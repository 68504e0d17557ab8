"""The searchable form of text, shared by the cleaner, the index and the search core.

normalize() folds what a reader would not tell apart (width, case, punctuation, spaces,
traditional and simplified characters); sentence_offsets() marks where sentences start, for
同句(…); words() are jieba's.
"""
import re
import sys
import unicodedata
from functools import lru_cache
from itertools import repeat


# Punctuation that ends a sentence, full and half width, for every layer: the unit of 同句(...),
# of the sentence starts the index stores, of snippets, and of the cleaner's headings and chrome.
# The semicolon ends one: the reports list items in one sentence with it (一是…；二是…；三是…。),
# and each item is what a reader means by "in the same sentence"; the cleaner already ended
# embedded items at it, and its headings and chrome read the same on the seeds and real pages.
SENTENCE_ENDS = "。！？；!?;"
SENTENCE_SPLIT = re.compile(f"[{re.escape(SENTENCE_ENDS)}]")


# OpenCC's configuration from traditional characters (as Taiwan, Hong Kong and mirror sites
# print them) to simplified ones.
OPENCC_T2S = "t2s"


@lru_cache(maxsize=1)
def t2s_converter():
    """Return OpenCC's traditional-to-simplified converter (its dictionaries load once per process)."""
    import opencc
    return opencc.OpenCC(OPENCC_T2S)


@lru_cache(maxsize=None)
def simplified_char(char):
    """Return the simplified form of one character (itself when it has none).

    Character for character, never phrase by phrase: text and queries fold the same way
    whatever surrounds them, and every folded character keeps its place in the source.
    """
    simple = t2s_converter().convert(char)
    return simple if len(simple) == 1 else char


# Traditional characters that OpenCC, converting simplified text phrase by phrase, writes for
# another simplified character (答复 → 答覆, 具备 → 俱備) but keeps as they are one by one:
# the searchable form takes that simplified character, so text and queries match in either
# script. tests/test_text.py derives the list again from jieba's dictionary of words.
PHRASE_VARIANTS = {
    "覆": "复", "俱": "具", "座": "坐", "藉": "借", "瞭": "了", "揹": "背", "伕": "夫", "暱": "昵",
    "像": "象", "薰": "熏", "甦": "苏", "澂": "澄", "濬": "浚", "甯": "宁", "彷": "仿", "蘗": "檗",
    "拏": "拿", "鎗": "枪", "燄": "焰", "哩": "里", "唚": "吣", "斲": "斫",
}


@lru_cache(maxsize=4096)
def _fold_char(char):
    """Return the searchable form of one character: NFKC, case-folded, simplified, letters and digits only."""
    folded = unicodedata.normalize("NFKC", char).casefold()
    kept = (simplified_char(c) for c in folded if unicodedata.category(c)[0] in "LN")
    return "".join(PHRASE_VARIANTS.get(c, c) for c in kept)


def normalize_with_map(text):
    """Fold text to its searchable form and map each kept character to its source index.

    Punctuation, quotation marks and white space vanish, full-width forms fold to
    half-width, Latin letters to lower case, traditional characters to simplified ones; so
    `新时代"枫桥经验"` and `新時代「楓橋經驗」` both become `新时代枫桥经验`.
    """
    # In C, a paragraph at a time (each hit's snippet folds one): the folded text, and each source
    # index repeated as many times as its character folds to characters.
    return text.translate(_FOLD_TABLE), _FOLD_LENGTHS.origin(text)


class _CharTable(dict):
    """str.translate table of a function of one character, filled in as characters are first seen."""

    def __init__(self, function):
        super().__init__()
        self.function = function

    def __missing__(self, point):
        """Convert a character not seen before and remember it."""
        self[point] = self.function(chr(point))
        return self[point]


_FOLD_TABLE = _CharTable(_fold_char)


class _FoldLengths:
    """How many characters each code point folds to, in an array filled in as code points are first seen."""

    UNSEEN = 255  # no character folds to that many (NFKC's longest expansion is 18)

    def __init__(self):
        self.lengths = None

    def origin(self, text):
        """Return, for each character text folds to, the index of the source character it comes from."""
        import numpy as np
        if self.lengths is None:
            self.lengths = np.full(sys.maxunicode + 1, self.UNSEEN, np.uint8)
        codes = code_points(text)
        lengths = self.lengths[codes]
        unseen = lengths == self.UNSEEN
        if unseen.any():
            for code in np.unique(codes[unseen]).tolist():
                self.lengths[code] = len(_fold_char(chr(code)))
            lengths = self.lengths[codes]
        return np.repeat(np.arange(len(text)), lengths).tolist()


# Bits of a code point (none is above 0x10FFFF): numbers packing several code points shift by this.
CODE_POINT_BITS = 21


def code_points(text):
    """Return text's code points as a numpy array of uint32 (lone surrogates included)."""
    import numpy as np
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), np.uint32)


_FOLD_LENGTHS = _FoldLengths()
_SIMPLIFY_TABLE = _CharTable(simplified_char)


def simplified(text):
    """Return text with every traditional character simplified, one for one (positions kept)."""
    return text.translate(_SIMPLIFY_TABLE)


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
    # jieba imports setuptools' pkg_resources (most of a second: its vendored packaging and
    # pyparsing) only to open its dictionary file, and opens it by its path when that import
    # fails: the import is made to fail while jieba loads, and only then.
    blocked = "pkg_resources" not in sys.modules
    if blocked:
        sys.modules["pkg_resources"] = None
    try:
        import jieba
    finally:
        if blocked:
            del sys.modules["pkg_resources"]
    jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start
    return jieba


def prepare_for_queries():
    """Give jieba its dictionary from the prepared arrays (model/dictionary.py): a server segments only queries."""
    from .dictionary import use_prepared
    use_prepared(segmenter().dt)


def keep_prepared():
    """Prepare jieba's dictionary for the servers to come, unless it is kept already (the rebuild's last step)."""
    from .dictionary import ensure_prepared
    ensure_prepared(lambda: segmenter().dt)


# jieba's HMM (finalseg.viterbi) copies its path at every character of a stretch it finds no
# dictionary word in, so it takes time quadratic in that stretch: 20,000 characters of one
# character repeated took 2.4 s, 160,000 nearly three minutes. jieba segments a text's blocks (the
# runs of han characters, letters and digits its re_han_default matches) one by one; a block longer
# than BLOCK_CHARS is cut every BLOCK_CHARS characters and its pieces segmented one by one: a
# report's sentences break at punctuation far sooner, and a block of 100 costs the HMM well under a
# millisecond.
BLOCK_CHARS = 100
# A run of this many of one character or more is no language (a filler, a page broken or
# hostile): each of its characters is a word of its own, and jieba never sees it.
REPEAT_RUN = 8
REPEATED = re.compile(r"(.)\1{%d,}" % (REPEAT_RUN - 1), re.S)


# jieba cuts each block (a run of han characters, letters and digits between punctuation: a
# clause) on its own, so a block's words are the same wherever it appears, and the clauses of
# this genre repeat from report to report (深入学习贯彻习近平法治思想). The words of the most
# recently seen BLOCK_CACHE blocks are remembered (about 1 KB each). Blocks of BLOCK_CHARS or
# more are pieces cut from a longer run, not clauses (99.5 % of the characters of real reports
# are in blocks under 40), and are always cut afresh.
BLOCK_CACHE = 1 << 16


@lru_cache(maxsize=BLOCK_CACHE)
def remembered_block_words(block):
    """Return the normalized words of one of jieba's blocks shorter than BLOCK_CHARS, remembered."""
    return block_words(block)


def block_words(block):
    """Return the normalized words jieba cuts one block into (a run its re_han_default matches whole)."""
    return tuple(word for word in map(normalize, segmenter().cut(block)) if word)


def jieba_words(text):
    """Return the normalized words jieba cuts text into, blocks longer than BLOCK_CHARS cut first, without
    punctuation and spaces.

    The same words as jieba's cut(): it splits a text into blocks and what lies between them,
    cuts each block alone, and gives what lies between one character at a time. Gathered into
    one list rather than yielded: a paragraph has some 75 words.
    """
    found = []
    # Split by a pattern with one group: what lies between blocks, then a block, and so on.
    for place, part in enumerate(segmenter().re_han_default.split(text)):
        if not place % 2:
            found.extend(filter(None, map(_fold_char, part)))  # normalize() of each character
        elif len(part) < BLOCK_CHARS:
            found.extend(remembered_block_words(part))
        else:
            for cut in range(0, len(part), BLOCK_CHARS):
                found.extend(block_words(part[cut:cut + BLOCK_CHARS]))
    return found


def words(text):
    """Return the words jieba segments text into, normalized, without punctuation and spaces.

    Time and memory are linear in the text's length: runs of one character are taken
    character by character, and jieba's HMM sees bounded pieces (BLOCK_CHARS, REPEAT_RUN).
    """
    # jieba's dictionary is in simplified characters: a traditional text is cut in that form.
    text = simplified(text)
    found, start = [], 0
    for run in REPEATED.finditer(text):
        found.extend(jieba_words(text[start:run.start()]))
        char = normalize(run.group(1))
        found.extend([char] * len(run.group()) if char else [])
        start = run.end()
    found.extend(jieba_words(text[start:]))
    return found


def word_line(text):
    """Return text's words() as one string, separated by spaces (a normalized word holds none)."""
    return " ".join(words(text))
