"""Turn a parsed query tree into match nodes, ranking words, highlight needles and a Chinese description."""
from dataclasses import dataclass, field

from model.text import normalize, words

from .nodes import TITLE, Contains, Everything, FieldIs, SameSentence, Without, all_of, any_of
from .parse import FIELDS, And, Field, Group, Not, Or, Phrase, Title, Words

# BM25 weight of a query word found in the report title, against 1.0 in the paragraph:
# a title says what the whole report is about, not what this paragraph says.
TITLE_WEIGHT = 0.3
# Added once per unquoted chunk found as exact text. Far above any BM25F sum (a 200-char
# query has at most 200 words, each scoring well under 100), so exact matches rank first.
EXACT_BOOST = 1_000_000.0
# Added to matching heading paragraphs: a heading names what its section is about.
HEADING_BOOST = 2.0

SCOPE_NAMES = {"sentence": "同一句中", "paragraph": "同一段中"}


@dataclass
class Compiled:
    """What a query means to the index: matching, ranking, highlighting, and in words."""

    match: object = None
    rank_words: list = field(default_factory=list)
    title_words: list = field(default_factory=list)
    exact_chunks: list = field(default_factory=list)
    needles: list = field(default_factory=list)
    title_needles: list = field(default_factory=list)
    description: str = ""


def chunk_words(text):
    """Return the distinct jieba words of a chunk, normalized, in order."""
    return list(dict.fromkeys(words(text)))


class Compiler:
    """Walks a tree once, building the match query and gathering what positive parts rank and mark."""

    def __init__(self):
        self.out = Compiled()

    def build(self, node, positive):
        """Return the match node of a parse node; positive says whether it is outside any NOT."""
        method = getattr(self, "build_" + type(node).__name__.lower())
        return method(node, positive)

    def build_words(self, node, positive):
        """Every jieba word of the chunk as exact characters; the whole chunk ranks first."""
        found = chunk_words(node.text)
        if positive:
            whole = normalize(node.text)
            self.out.rank_words += found
            self.out.title_words += found
            self.out.needles += found + [whole]
            # Whenever the chunk is more than its one word (行行 is the word 行 twice), its exact holders rank first.
            if found != [whole]:
                self.out.exact_chunks.append(whole)
        return all_of([Contains(w) for w in found])

    def build_phrase(self, node, positive):
        """The normalized phrase as exact characters, ranked by its jieba words in the paragraph and its report's title."""
        norm = normalize(node.text)
        if positive:
            found = chunk_words(node.text)
            self.out.rank_words += found
            self.out.title_words += found
            self.out.needles.append(norm)
        return Contains(norm)

    def build_field(self, node, positive):
        """The paragraphs the field's choice takes in."""
        return FieldIs(node.name, node.choice)

    def build_title(self, node, positive):
        """The title holds the exact phrase, or every word of the text."""
        found = chunk_words(node.text)
        if positive:
            self.out.title_words += found
            self.out.title_needles += [normalize(node.text)] if node.exact else found + [normalize(node.text)]
        if node.exact:
            return Contains(normalize(node.text), TITLE)
        return all_of([Contains(w, TITLE) for w in found])

    def build_group(self, node, positive):
        """All phrases in one sentence (index-checked), or in one paragraph (plain AND)."""
        norms = [normalize(p) for p in node.phrases]
        if positive:
            for phrase in node.phrases:
                self.out.rank_words += chunk_words(phrase)
            self.out.needles += norms
        if node.scope == "sentence":
            return SameSentence(tuple(norms))
        return all_of([Contains(n) for n in norms])

    def build_and(self, node, positive):
        """Every positive part, none of the negated ones."""
        kept = [self.build(p, positive) for p in node.parts if not isinstance(p, Not)]
        dropped = [self.build(p.part, not positive) for p in node.parts if isinstance(p, Not)]
        base = all_of(kept) if kept else Everything()
        return Without(base, any_of(dropped)) if dropped else base

    def build_or(self, node, positive):
        """Any of the parts."""
        return any_of([self.build(p, positive) for p in node.parts])

    def build_not(self, node, positive):
        """Everything but the part (a NOT standing alone or inside OR)."""
        return Without(Everything(), self.build(node.part, not positive))


def quoted(text):
    """Return text in Chinese quotation marks."""
    return f"“{text}”"


def describe(node, nested=False):
    """Return a readable Chinese account of what a tree searches for."""
    if isinstance(node, Words):
        found = chunk_words(node.text)
        return "词语" + "+".join(quoted(w) for w in found)
    if isinstance(node, Phrase):
        return "精确短语" + quoted(node.text.strip())
    if isinstance(node, Field):
        return FIELDS[node.name].describe(node.choice)
    if isinstance(node, Title):
        return ("标题含精确短语" if node.exact else "标题含") + quoted(node.text)
    if isinstance(node, Group):
        return SCOPE_NAMES[node.scope] + "：" + "".join(quoted(p) for p in node.phrases)
    if isinstance(node, Not):
        return "不含 " + describe(node.part, nested=True)
    joint = " 且 " if isinstance(node, And) else " 或 "
    text = joint.join(describe(part, nested=True) for part in node.parts)
    return f"（{text}）" if nested else text


def each_term(node, change):
    """Return the tree with change() applied to every part under its operators (NOT, AND, OR)."""
    if isinstance(node, Not):
        return Not(each_term(node.part, change))
    if isinstance(node, (And, Or)):
        return type(node)(tuple(each_term(part, change) for part in node.parts))
    return change(node)


def written(term):
    """Return a term matched as written: an unquoted chunk as a phrase, title:… as a title phrase."""
    if isinstance(term, Words):
        return Phrase(term.text)
    if isinstance(term, Title):
        return Title(term.text, exact=True)
    return term


def in_title(term):
    """Return a word, phrase or 同句/同段 group searched in report titles instead."""
    if isinstance(term, Words):
        return Title(term.text, exact=False)
    if isinstance(term, Phrase):
        return Title(term.text, exact=True)
    if isinstance(term, Group):
        # A title is one line: "in one sentence" or "in one paragraph" means "in the title".
        return And(tuple(Title(p, exact=True) for p in term.phrases))
    return term


def as_written(tree):
    """Return the tree with every unquoted term matched as written (match=exact)."""
    return each_term(tree, written)


def in_titles(tree):
    """Return the tree with every word, phrase and 同句/同段 group searched in report titles instead."""
    return each_term(tree, in_title)


def compile_tree(tree):
    """Return the Compiled form of a parsed tree (match None when the tree is empty)."""
    if tree is None:
        return Compiled()
    compiler = Compiler()
    compiler.out.match = compiler.build(tree, positive=True)
    compiler.out.description = describe(tree)
    compiler.out.needles = [n for n in dict.fromkeys(compiler.out.needles) if n]
    compiler.out.title_needles = [n for n in dict.fromkeys(compiler.out.title_needles) if n]
    return compiler.out
