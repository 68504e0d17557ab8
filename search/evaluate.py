"""Match sets and relevance scores as numpy arrays, instead of Whoosh's per-document matchers.

match_docs() answers the queries the compiler makes for text (exact containment, bigram
terms, AND, OR, NOT) from cached posting lists and a substring test; any other query
(region, year, title, same-sentence) is answered by Whoosh without scoring. scores()
computes the same BM25F sums and boosts the Whoosh ranking query would, for every match.
"""
import numpy as np
from whoosh import query as wq
from whoosh.query.compound import DefaultOr

from indexer.analysis import bigrams

from .matchers import TEXT_GRAMS, Contains, FixedScore
from .query import EXACT_BOOST, HEADING_BOOST, TITLE_WEIGHT, contains

# Candidates come from the intersection of this many rarest bigrams: more shrink the
# candidate list less than they cost to intersect, and the substring test is exact anyway.
CANDIDATE_BIGRAMS = 3
EMPTY = np.empty(0, np.int64)


def intersect(arrays):
    """Return the sorted docnums present in every array, smallest array first."""
    arrays = sorted(arrays, key=len)
    found = arrays[0]
    for other in arrays[1:]:
        if not len(found):
            break
        found = np.intersect1d(found, other, assume_unique=True)
    return found


def containing(arrays, searcher, norm):
    """Return the docnums whose normalized text contains norm (two or more characters)."""
    grams = list(dict.fromkeys(bigrams(norm)[:-1]))
    lists = sorted((arrays.docs(searcher, TEXT_GRAMS, gram)[0] for gram in grams), key=len)
    candidates = intersect(lists[:CANDIDATE_BIGRAMS])
    if len(norm) == 2 or not len(candidates):
        # A two-character text is one bigram: its posting list is the exact answer.
        return candidates
    return arrays.containing(candidates, norm)


def match_docs(query, arrays, searcher):
    """Return the sorted live docnums a match query selects."""
    if isinstance(query, Contains) and query.fieldname == TEXT_GRAMS:
        return containing(arrays, searcher, query.norm)
    if isinstance(query, wq.Term) and query.fieldname == TEXT_GRAMS:
        return arrays.docs(searcher, TEXT_GRAMS, query.text)[0]
    if isinstance(query, FixedScore):
        return match_docs(query.child, arrays, searcher)
    if isinstance(query, wq.Every):
        return arrays.all_live()
    if isinstance(query, wq.And):
        return intersect([match_docs(q, arrays, searcher) for q in query.subqueries])
    if isinstance(query, (wq.Or, DefaultOr)):
        parts = [match_docs(q, arrays, searcher) for q in query.subqueries]
        return np.unique(np.concatenate(parts)) if parts else EMPTY
    if isinstance(query, wq.AndNot):
        base = match_docs(query.a, arrays, searcher)
        return np.setdiff1d(base, match_docs(query.b, arrays, searcher), assume_unique=True)
    # Anything else: Whoosh's own matcher, unscored (it skips deleted documents itself).
    return np.fromiter(searcher.docs_for_query(query), dtype=np.int64)


def bm25_scores(arrays, searcher, fieldname, text, docs, boost):
    """Return Whoosh's BM25F score of one term for each of the sorted docs (0 where absent)."""
    found = np.zeros(len(docs), np.float64)
    ids, tf = arrays.docs(searcher, fieldname, text)
    if not len(ids):
        return found
    where = np.searchsorted(docs, ids)
    where = np.minimum(where, len(docs) - 1)
    hit = docs[where] == ids
    ids, tf, where = ids[hit], tf[hit].astype(np.float64), where[hit]
    idf = searcher.idf(fieldname, text)
    avgfl = searcher.avg_field_length(fieldname) or 1
    fl = arrays.lengths(searcher, fieldname)[ids].astype(np.float64)
    # Whoosh's scoring.bm25 with its defaults B=0.75, K1=1.2.
    b, k1 = 0.75, 1.2
    found[where] = idf * ((tf * (k1 + 1)) / (tf + k1 * ((1 - b) + b * fl / avgfl))) * boost
    return found


def scores(compiled, docs, arrays, searcher):
    """Return the relevance score of each of the sorted docs, as the ranking query would give."""
    total = np.zeros(len(docs), np.float64)
    if compiled.match is None or not len(docs):
        return total
    clauses = 0
    for word in dict.fromkeys(compiled.rank_words):
        total += bm25_scores(arrays, searcher, "words", word, docs, 1.0)
        clauses += 1
    for word in dict.fromkeys(compiled.title_words):
        total += bm25_scores(arrays, searcher, "title_words", word, docs, TITLE_WEIGHT)
        clauses += 1
    for chunk in dict.fromkeys(compiled.exact_chunks):
        exact = match_docs(contains(chunk), arrays, searcher)
        total += np.isin(docs, exact, assume_unique=True) * EXACT_BOOST
        clauses += 1
    if clauses:
        total += arrays.heading[docs] * HEADING_BOOST
    return total
