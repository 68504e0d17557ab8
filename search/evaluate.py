"""Match sets and relevance scores as numpy arrays over one generation's arrays.

match_docs() answers every node the compiler makes (search/nodes.py); scores() computes
Whoosh's BM25F sums over the jieba words, BM25 over the report titles, and the exact
and heading boosts, for every match at once.
"""
import numpy as np

from .arrays import intersect
from .facets import selects
from .nodes import TITLE, AllOf, AnyOf, Contains, Everything, FieldIs, SameSentence, Without
from .parse import FIELDS
from .query import EXACT_BOOST, HEADING_BOOST, TITLE_WEIGHT

# Whoosh's scoring.BM25F defaults.
BM25_B, BM25_K1 = 0.75, 1.2
# Docs looked up in a word's postings from this share of the documents on (1 / DENSE_LOOKUP) through a table
# by docnum, which costs a pass over every document but no bisection per doc.
DENSE_LOOKUP = 64


def title_docs(arrays, norm):
    """Return the live docnums of reports whose title contains norm."""
    return arrays.of_reports(arrays.title_reports(norm))


def match_docs(node, arrays):
    """Return the sorted live docnums a match node selects."""
    if isinstance(node, Contains):
        return title_docs(arrays, node.norm) if node.scope == TITLE else arrays.containing(node.norm)
    if isinstance(node, SameSentence):
        return arrays.same_sentence(node.needles)
    if isinstance(node, FieldIs):
        return arrays.where(selects(arrays.columns, FIELDS[node.name], node.choice))
    if isinstance(node, Everything):
        return arrays.all_live()
    if isinstance(node, AllOf):
        return intersect([match_docs(part, arrays) for part in node.parts])
    if isinstance(node, AnyOf):
        return np.unique(np.concatenate([match_docs(part, arrays) for part in node.parts]))
    if isinstance(node, Without):
        return np.setdiff1d(match_docs(node.base, arrays), match_docs(node.dropped, arrays), assume_unique=True)
    raise TypeError(f"no evaluation for {node!r}")


def bm25(tf, lengths, average, idf):
    """Return BM25 term scores for term frequencies and field lengths."""
    return idf * ((tf * (BM25_K1 + 1)) / (tf + BM25_K1 * ((1 - BM25_B) + BM25_B * lengths / average)))


def looked_up(ids, docs, count):
    """Return (where each of the docs is in the sorted ids, whether it is there at all); ids and docs are docnums
    below count."""
    if len(docs) * DENSE_LOOKUP < count:
        # A few docs: each looked up by bisection.
        where = np.minimum(np.searchsorted(ids, docs), len(ids) - 1)
        return where, ids[where] == docs
    # Many (a common phrase's 300,000 in 10^6): each read from a table by docnum, no bisection at all.
    place = np.full(count, -1, np.int32)
    place[ids] = np.arange(len(ids), dtype=np.int32)
    where = place[docs]
    return np.maximum(where, 0), where >= 0


def word_scores(arrays, searcher, word, docs):
    """Return Whoosh's BM25F score of one jieba word for each of the sorted docs (0 where absent)."""
    found = np.zeros(len(docs), np.float64)
    ids, tf = arrays.words(word)
    if not len(ids):
        return found
    where, hit = looked_up(ids, docs, arrays.count)
    tf = tf[where[hit]].astype(np.float64)
    lengths = arrays.word_lengths[docs[hit]].astype(np.float64)
    average = searcher.avg_field_length("words") or 1
    found[hit] = bm25(tf, lengths, average, searcher.idf("words", word))
    return found


def title_scores(arrays, words, docs):
    """Return the BM25 score of the query words in each doc's report title, titles as the documents."""
    titles = arrays.titles
    if not titles or not words:
        return np.zeros(len(docs), np.float64)
    lengths = arrays.title_lengths
    average = lengths.mean() or 1
    per_report = np.zeros(len(titles), np.float64)
    for word in words:
        tf = arrays.title_counts(word)
        holding = np.count_nonzero(tf)
        if holding:
            # Whoosh's idf: log(N / (df + 1)) + 1.
            idf = np.log(len(titles) / (holding + 1)) + 1
            per_report += bm25(tf, lengths, average, idf)
    return per_report[arrays.columns.report.codes[docs]] * TITLE_WEIGHT


def scores(compiled, docs, arrays, searcher):
    """Return the relevance score of each of the sorted docs."""
    total = np.zeros(len(docs), np.float64)
    if compiled.match is None or not len(docs):
        return total
    rank_words = list(dict.fromkeys(compiled.rank_words))
    title_words = list(dict.fromkeys(compiled.title_words))
    chunks = list(dict.fromkeys(compiled.exact_chunks))
    for word in rank_words:
        total += word_scores(arrays, searcher, word, docs)
    total += title_scores(arrays, title_words, docs)
    for chunk in chunks:
        total += np.isin(docs, arrays.containing(chunk), assume_unique=True) * EXACT_BOOST
    if rank_words or title_words or chunks:
        total += arrays.columns.heading[docs] * HEADING_BOOST
    return total
