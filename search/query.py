"""Parse what a person typed into the terms that every hit must contain."""
import re
from dataclasses import dataclass

from whoosh import query as wq

from indexer.analysis import bigrams, normalize, words

# Straight and Chinese quotation marks that delimit an exact phrase.
QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』", "”": "”"}
QUOTED = re.compile("|".join(f"{re.escape(o)}([^{re.escape(c)}]*){re.escape(c)}" for o, c in QUOTES.items()))


@dataclass(frozen=True)
class Term:
    """One thing a paragraph must contain: an exact phrase or a jieba word of the query."""

    text: str
    exact: bool

    @property
    def norm(self):
        """The normalized characters the paragraph must contain in this order."""
        return normalize(self.text)


def parse(text):
    """Split a query into quoted phrases and the jieba words of the rest."""
    terms, rest = [], []
    position = 0
    for match in QUOTED.finditer(text):
        rest.append(text[position:match.start()])
        terms.append(Term(next(g for g in match.groups() if g is not None), exact=True))
        position = match.end()
    rest.append(text[position:])
    for chunk in rest:
        for piece in chunk.split():
            terms.extend(Term(word, exact=False) for word in words(piece))
    return [term for term in terms if term.norm]


def contains(norm):
    """Return the query matching paragraphs whose normalized text contains norm."""
    if len(norm) == 1:
        # Every bigram starting with the character, and the lone final character.
        return wq.Prefix("grams", norm)
    grams = bigrams(norm)[:-1]
    if len(grams) == 1:
        return wq.Term("grams", grams[0])
    return wq.Phrase("grams", grams)


def matcher(terms):
    """Return the Whoosh query that requires every term and ranks by jieba words."""
    required = wq.And([contains(term.norm) for term in terms])
    ranking = wq.Or([wq.Term("words", word) for term in terms for word in words(term.text)])
    return wq.AndMaybe(wq.ConstantScoreQuery(required, 0.0), ranking)
