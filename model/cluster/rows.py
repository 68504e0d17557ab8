"""A clean report as the rows a shard holds, and text as the tokens Sphinx indexes.

Text is folded by model/text.py's normalize() (NFKC, case, traditional to simplified,
punctuation and spaces dropped), the very function the embedded index folds with, and each
character of the folded text is then spelled as one ASCII token (枫 -> x67ab). Sphinx's own
tokenizer sees only those tokens: every letter and digit is its own token whatever its script
(the effect of ngram_len = 1 over every character, with no charset_table to keep in step with
normalize()), an exact phrase is those tokens in a row, and nothing typed reaches the query
syntax but tokens this module spelled.
"""
import hashlib
import json

from model.cluster.schema import NAMED, PARAGRAPHS, REPORTS, VALUES, columns, name_field, tally_column
from model.registry import FACETS, YEAR_FACET
from model.text import SENTENCE_SPLIT, normalize
from model.values import date_key, oldest_key, when_key

# Between two sentences of field sent: a sentence end for index_sp, never a token.
SENTENCE_BREAK = " ! "
# In field tags of every paragraph: what a query matching everything but a NOT starts from.
EVERY = "all"
# A paragraph's number takes the low bits of its row id, its report's code the rest.
PARAGRAPH_BITS = 16
MAX_PARAGRAPHS = (1 << PARAGRAPH_BITS) - 1
REPORT_CODE_BITS = 63 - PARAGRAPH_BITS
# Hex digits of a push digest a paragraph row's version holds: 60 bits, a positive signed 64-bit attribute.
VERSION_DIGITS = 15


class _TokenTable(dict):
    """str.translate table spelling each character as its token and a space, filled in as characters are seen."""

    def __missing__(self, point):
        """Spell a character not seen before and remember it."""
        self[point] = f"x{point:x} "
        return self[point]


_TOKENS = _TokenTable()


def tokens(norm):
    """Return folded text as Sphinx tokens, one per character, separated by spaces."""
    return norm.translate(_TOKENS).rstrip()


def text_tokens(text):
    """Return any text folded and spelled as tokens."""
    return tokens(normalize(text))


def sentence_tokens(text):
    """Return a text's tokens with its sentences ended (the sentences 同句 looks in, as the embedded index cuts them)."""
    return SENTENCE_BREAK.join(filter(None, (text_tokens(piece) for piece in SENTENCE_SPLIT.split(text))))


def hashed(text, bits):
    """Return a stable non-negative integer of at most bits bits from a text."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(), "big") >> (64 - bits)


def report_code(report_id):
    """Return the integer code of a report: its rows' ids and the attribute that counts reports."""
    return hashed(report_id, REPORT_CODE_BITS) or 1


def shard_of(report_id, shards):
    """Return the shard a report lives on: a stable hash of its id."""
    return hashed("shard\0" + report_id, 32) % shards


def value_code(facet_name, value):
    """Return the integer attribute of a facet's value (0 for none); the values index names it back."""
    return hashed(f"{facet_name}\0{value}", 62) or 1 if value else 0


def tag(facet_name, term):
    """Return the token in field tags of a term a facet's value is filed under (model/kinds.py's terms: a class,
    a year, a date's year, month or day): the term itself when it is ASCII letters and digits, else its code."""
    if term.isascii() and term.isalnum():
        return f"{facet_name}{term}"
    return f"{facet_name}{value_code(facet_name, term):x}"


def facet_code(facet, value):
    """Return the integer attribute of a facet's value: a number is its own code, a name is coded (value_code)."""
    return facet.number(value) if facet.numbered else value_code(facet.name, value or "")


def facet_parts(facet, value):
    """Return (integer attributes, tags) of one facet's value (several names: the set of their codes)."""
    attrs = {}
    if facet.several:
        attrs[facet.name] = tuple(sorted(value_code(facet.name, name) for name in facet.names(value)))
    elif facet.counted:
        code = facet_code(facet, value)
        attrs[facet.name] = code
        attrs[tally_column(facet)] = facet.tally_code(code)
    return attrs, [tag(facet.name, term) for term in facet.terms(value)]


def name_tokens(facet, value):
    """Return a facet's names as tokens, several ones apart as sentences are (a phrase never runs from one into the next)."""
    return SENTENCE_BREAK.join(text_tokens(name) for name in facet.names(value))


def report_when(report):
    """Return (newest key, oldest key) of a report: what the date sorts order its paragraphs by (search/sorts.py)."""
    year = YEAR_FACET.number(report.report_year)
    day = date_key(report.pub_date)
    when = when_key(year, day)
    return when, int(oldest_key(when))


def report_parts(report, shard):
    """Return what every paragraph row of a report shares: its columns by name, and its tags."""
    code, (newest, oldest) = report_code(report.report_id), report_when(report)
    shared = {"title": text_tokens(report.title), "report": code, "shard": shard, "newest": newest,
              "oldest": oldest, "report_id": report.report_id}
    shared.update({name_field(facet.name): name_tokens(facet, facet.source.of(report)) for facet in NAMED})
    tags = [EVERY]
    for facet in FACETS:
        if facet.source.per_report:
            attrs, more = facet_parts(facet, facet.source.of(report))
            shared.update(attrs)
            tags += more
    return shared, tags


def version_of(digest):
    """Return the version a report's paragraph rows carry for its push digest (hex): its first 60 bits, 0 for none."""
    return int(digest[:VERSION_DIGITS], 16) if digest else 0


def paragraph_rows(report, shard, digest=""):
    """Return the rows of every paragraph of a report, in the order of columns(PARAGRAPHS); digest is the push's
    digest of this version of the report, which every row carries (version_of).

    Raises ValueError for a paragraph number a row id cannot carry.
    """
    shared, report_tags = report_parts(report, shard)
    order = columns(PARAGRAPHS)
    rows = []
    for paragraph in report.paragraphs:
        if not 0 < paragraph.n <= MAX_PARAGRAPHS:
            raise ValueError(f"paragraph number {paragraph.n} outside 1..{MAX_PARAGRAPHS}")
        row, tags = dict(shared), list(report_tags)
        for facet in FACETS:
            if not facet.source.per_report:
                attrs, more = facet_parts(facet, facet.source.value(report, vars(paragraph)) or "")
                row.update(attrs)
                tags += more
        row.update(id=(shared["report"] << PARAGRAPH_BITS) | paragraph.n, version=version_of(digest),
                   text=text_tokens(paragraph.text),
                   sent=sentence_tokens(paragraph.text), tags=" ".join(tags), n=paragraph.n,
                   heading=int(bool(paragraph.heading)), body=paragraph.text,
                   path=json.dumps(paragraph.section_path or [], ensure_ascii=False))
        rows.append(tuple(row[name] for name in order))
    return rows


def reports_index_row(report, shard, digest):
    """Return a report's row of the reports index (its metadata as JSON, the digest a push compares), in the
    order of columns(REPORTS)."""
    row = {"id": report_code(report.report_id), "title": text_tokens(report.title), "shard": shard,
           "paragraphs": len(report.paragraphs), "last_n": max((p.n for p in report.paragraphs), default=0),
           "report_id": report.report_id, "digest": digest,
           "meta": json.dumps(report.metadata(), ensure_ascii=False)}
    return tuple(row[name] for name in columns(REPORTS))


def value_rows(report):
    """Return the rows naming the coded values of a report's named facets (regions, issuer, …), in the order of columns(VALUES)."""
    rows = {}
    for facet in FACETS:
        # Closed lists are coded by the search core itself, numbers are their own codes.
        if facet.open_names and facet.counted:
            for value in facet.names(facet.source.of(report)):
                code = value_code(facet.name, value)
                rows[code] = {"id": code, "name": text_tokens(value), "facet_name": facet.name, "facet_value": value}
    return [tuple(row[name] for name in columns(VALUES)) for row in rows.values()]
