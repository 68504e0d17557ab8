"""Read what a person typed into a small query tree, with notices instead of errors.

The language (README, "Searching"): space = AND; `OR` or `|` = OR (binds tighter than
AND, so `甲 乙 OR 丙` is 甲 AND (乙 OR 丙)); `-词` or `NOT 词` = NOT; parentheses group;
quotes make an exact phrase; the fields of model/registry.py (`region:` `year:` `section:` …)
and `title:` filter; `同句(…)` and
`同段(…)` require their terms in one sentence or one paragraph. Whatever cannot be read is
dropped or taken as plain text, and a Chinese notice says so; parsing never raises.
"""
import re
from dataclasses import dataclass, field

from model.text import normalize

from model.registry import QUERY_FIELDS

# Longer queries are cut here: nobody types more, and every word costs a phrase lookup.
MAX_QUERY_CHARS = 200

# Each opening quotation mark and the one mark that closes it. Curly ”…” pairs occur
# on pages that use the closing mark on both sides, so it opens too.
QUOTE_PAIRS = {'"': '"', "＂": "＂", "“": "”", "”": "”", "「": "」", "『": "』"}
OPEN_PARENS = "(（"
CLOSE_PARENS = ")）"
OR_MARKS = "|｜"
NEGATION_MARKS = "-－"
WORD_OPERATORS = {"OR": "OR", "AND": "AND", "NOT": "NOT"}
# Characters that end a bare word: they are tokens of their own.
WORD_BREAKS = set(QUOTE_PAIRS) | set(OPEN_PARENS) | set(CLOSE_PARENS) | set(OR_MARKS)

# title: is the query language's own; every other field is a facet of model/registry.py.
TITLE_NAMES = ("title", "标题")
FIELD_NAMES = {**{alias: field.name for alias, field in QUERY_FIELDS.items()}, **dict.fromkeys(TITLE_NAMES, "title")}
FIELDS = {field.name: field for field in QUERY_FIELDS.values()}
FIELD_PREFIX = re.compile(r"^([A-Za-z]+|%s)[:：](.*)$" % "|".join(
    sorted((name for name in FIELD_NAMES if not name.isascii()), key=len, reverse=True)), re.S)
# A Latin name before a colon looks like a field the person meant; warn when unknown.
UNKNOWN_FIELD = re.compile(r"^([A-Za-z_]+)[:：]")
# The operator names of the proximity groups and the scope each requires.
GROUP_SCOPES = {"同句": "sentence", "同段": "paragraph"}
WILDCARDS = "*?＊？"
# Characters nobody means to search for: control characters (tab, line breaks, \v and \f
# are read as spaces) and the invisible marks that reorder text, which would make the query
# shown back on the page read differently from what is searched (U+202E shows it backwards).
INVISIBLE = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


# The query tree.

@dataclass(frozen=True)
class Words:
    """An unquoted chunk: every jieba word of it must occur, each as exact characters."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """An exact phrase, compared on normalized characters."""

    text: str


@dataclass(frozen=True)
class Field:
    """Paragraphs whose facet value (or a report's, such as its region) the field's Choice takes in."""

    name: str      # the field's canonical name in model/registry.py
    choice: object


@dataclass(frozen=True)
class Title:
    """Paragraphs of reports whose title holds the text (as words, or as a phrase)."""

    text: str
    exact: bool


@dataclass(frozen=True)
class Group:
    """同句(…) or 同段(…): every phrase inside one sentence, or inside one paragraph."""

    scope: str
    phrases: tuple


@dataclass(frozen=True)
class And:
    """Every part must match."""

    parts: tuple


@dataclass(frozen=True)
class Or:
    """Any part may match."""

    parts: tuple


@dataclass(frozen=True)
class Not:
    """The part must not match."""

    part: object


@dataclass
class Parsed:
    """The tree of a query (None when nothing searchable is left) and the notices about it."""

    text: str
    tree: object
    notices: list = field(default_factory=list)


# Tokens.

@dataclass(frozen=True)
class Token:
    """One token: kind is word, phrase, field, group, open, close, or, and, not, neg, stray."""

    kind: str
    text: str = ""
    name: str = ""
    quoted: bool = False


def read_quoted(text, start, notices):
    """Return (phrase, index after it) for the quotation opening at start."""
    closer = QUOTE_PAIRS[text[start]]
    end = text.find(closer, start + 1)
    if end == -1:
        notices.append(f"引号 {text[start]} 没有配对，已把它后面的全部文字当作精确短语。")
        return text[start + 1:], len(text)
    return text[start + 1:end], end + 1


def read_bare(text, start):
    """Return (word, index after it): characters up to a space or a character with its own token."""
    end = start
    while end < len(text) and not text[end].isspace() and text[end] not in WORD_BREAKS:
        end += 1
    return text[start:end], end


def classify(word, text, end, notices):
    """Return (token, index after it) for a bare word: an operator, a field, a group or a word."""
    if word in WORD_OPERATORS:
        return Token(WORD_OPERATORS[word].lower(), word), end
    if word in GROUP_SCOPES and end < len(text) and text[end] in OPEN_PARENS:
        return Token("group", word, name=GROUP_SCOPES[word]), end + 1
    match = FIELD_PREFIX.match(word)
    if match and match.group(1).lower() in FIELD_NAMES:
        name, value = FIELD_NAMES[match.group(1).lower()], match.group(2)
        if not value and end < len(text) and text[end] in QUOTE_PAIRS:
            value, end = read_quoted(text, end, notices)
            return Token("field", value, name=name, quoted=True), end
        return Token("field", value, name=name), end
    unknown = UNKNOWN_FIELD.match(word)
    if unknown:
        known = "、".join(dict.fromkeys(FIELD_NAMES.values()))
        notices.append(f"没有“{unknown.group(1)}”这个字段（可用 {known}），"
                       f"已把“{word}”当作普通文字检索。")
    return Token("word", word), end


def tokenize(text, notices):
    """Split a query into tokens, noting what was taken differently from how it looks."""
    tokens, index = [], 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in OPEN_PARENS:
            tokens.append(Token("open", char))
            index += 1
        elif char in CLOSE_PARENS:
            tokens.append(Token("close", char))
            index += 1
        elif char in OR_MARKS:
            tokens.append(Token("or", char))
            index += 1
        elif char in QUOTE_PAIRS:
            phrase, index = read_quoted(text, index, notices)
            tokens.append(Token("phrase", phrase, quoted=True))
        elif char in NEGATION_MARKS:
            # Only a minus stuck to what follows negates; "2016-2020" never reaches here.
            attached = index + 1 < len(text) and not text[index + 1].isspace()
            tokens.append(Token("neg" if attached else "stray", char))
            index += 1
        else:
            word, index = read_bare(text, index)
            token, index = classify(word, text, index, notices)
            tokens.append(token)
    return tokens


# Field values.

def field_node(token, notices):
    """Return the tree node of a field token, or None (with a notice) when its value is unusable."""
    value = token.text.strip()
    if token.name in FIELDS:
        choice = FIELDS[token.name].read_query(value, notices)
        return Field(token.name, choice) if choice else None
    if not normalize(value):
        notices.append(f"“{token.name}:”后面缺少要检索的内容，已忽略。")
        return None
    return Title(value, exact=token.quoted)


# The parser: and_expr := or_expr ((AND)? or_expr)* ; or_expr := unary (OR unary)* ;
# unary := (NOT | -) unary | primary ; primary := ( and_expr ) | phrase | word | field | group

class Parser:
    """A recursive-descent parser over the tokens of one query."""

    def __init__(self, tokens, notices):
        self.tokens = tokens
        self.index = 0
        self.notices = notices

    def peek(self):
        """Return the kind of the next token, or None at the end."""
        return self.tokens[self.index].kind if self.index < len(self.tokens) else None

    def take(self):
        """Return the next token and move past it."""
        token = self.tokens[self.index]
        self.index += 1
        return token

    def parse(self):
        """Return the tree of the whole query, skipping stray closing parentheses."""
        parts = []
        while self.peek() is not None:
            if self.peek() == "close":
                self.notices.append(f"多余的右括号“{self.take().text}”已忽略。")
                continue
            parts.append(self.and_expr())
        return combine(And, parts)

    def and_expr(self):
        """Parse parts joined by spaces or AND, up to a closing parenthesis or the end."""
        parts = []
        while self.peek() not in (None, "close"):
            if self.peek() == "and":
                token = self.take()
                if not parts or self.peek() in (None, "close"):
                    self.notices.append(f"“{token.text}”两侧都需要检索词，已忽略。")
                continue
            parts.append(self.or_expr())
        return combine(And, parts)

    def or_expr(self):
        """Parse parts joined by OR or |."""
        parts = [self.unary()]
        while self.peek() == "or":
            token = self.take()
            if self.peek() in (None, "close", "or", "and"):
                self.notices.append(f"“{token.text}”右侧缺少检索词，已忽略。")
                continue
            parts.append(self.unary())
        return combine(Or, parts)

    def unary(self):
        """Parse a negated part, a primary, or note an operator that has nothing to act on."""
        kind = self.peek()
        if kind in ("neg", "not"):
            token = self.take()
            if self.peek() in (None, "close", "or", "and"):
                self.notices.append(f"“{token.text}”后面缺少要排除的检索词，已忽略。")
                return None
            part = self.unary()
            return Not(part) if part is not None else None
        if kind == "or":
            self.notices.append(f"“{self.take().text}”左侧缺少检索词，已忽略。")
            return None
        if kind == "stray":
            self.notices.append(f"单独的“{self.take().text}”不是排除符号（应紧贴检索词，如 -词语），已忽略。")
            return None
        return self.primary()

    def primary(self):
        """Parse a parenthesized group, a phrase, a word, a field or a 同句/同段 group."""
        token = self.take()
        if token.kind == "open":
            inner = self.and_expr()
            self.close(token)
            return inner
        if token.kind == "group":
            return self.group(token)
        if token.kind == "field":
            return field_node(token, self.notices)
        if token.kind == "phrase":
            return Phrase(token.text) if normalize(token.text) else None
        return Words(token.text) if normalize(token.text) else None

    def close(self, opener):
        """Consume the closing parenthesis of a group, or note that it was missing."""
        if self.peek() == "close":
            self.take()
        else:
            self.notices.append(f"括号“{opener.text}”没有闭合，已在末尾补上。")

    def group(self, token):
        """Parse the phrases of 同句(…) or 同段(…); operators inside are ignored with a notice."""
        phrases = []
        while self.peek() not in (None, "close"):
            inner = self.take()
            if inner.kind in ("word", "phrase") and normalize(inner.text):
                phrases.append(inner.text)
            elif inner.kind not in ("word", "phrase"):
                shown = f"{inner.name}:{inner.text}" if inner.kind == "field" else inner.text
                self.notices.append(f"{token.text}( ) 里只能写词语或短语，已忽略“{shown}”。")
        self.close(Token("open", token.text + "("))
        phrases = tuple(dict.fromkeys(phrases))
        if len(phrases) == 1:
            self.notices.append(f"{token.text}( ) 需要两个以上的词，只有一个时按精确短语检索。")
            return Phrase(phrases[0])
        if not phrases:
            self.notices.append(f"{token.text}( ) 里没有检索词，已忽略。")
            return None
        return Group(token.name, phrases)


def combine(kind, parts):
    """Join parts with And or Or, dropping empty and repeated ones and flattening same-kind children."""
    flat = []
    for part in parts:
        if part is None:
            continue
        flat.extend(part.parts if isinstance(part, kind) else [part])
    # A repeated part changes nothing (A and A = A or A = A), but each copy would be
    # matched again: "法 法 法 …" typed 100 times took seconds.
    flat = list(dict.fromkeys(flat))
    if not flat:
        return None
    return flat[0] if len(flat) == 1 else kind(tuple(flat))


def parse(text):
    """Parse a query into its tree and notices; never raises."""
    text, notices = text or "", []
    visible = INVISIBLE.sub("", text)
    if visible != text:
        notices.append("查询中的控制字符和文字方向控制符已删除。")
    text = visible.strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        notices.append(f"查询超过 {MAX_QUERY_CHARS} 个字符，只检索了前 {MAX_QUERY_CHARS} 个字符。")
    if any(mark in text for mark in WILDCARDS):
        notices.append("不支持通配符“*”“?”，它们已被忽略，检索按其余文字进行。")
    tree = Parser(tokenize(text, notices), notices).parse()
    if tree is None and text and not notices:
        notices.append("查询中没有可检索的文字。")
    return Parsed(text, tree, notices)
