"""The Whoosh schema: one document per paragraph."""
from whoosh.fields import ID, NUMERIC, STORED, TEXT, Schema

from .analysis import BigramAnalyzer, ChineseAnalyzer


def paragraph_schema():
    """Return the schema of a paragraph document."""
    return Schema(
        report_id=ID(stored=True),
        n=NUMERIC(stored=True, sortable=True),
        text=STORED(),
        # Ranked word search over jieba tokens.
        words=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        # Exact phrase search over character bigrams of the normalized text.
        grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        title=STORED(),
        title_words=TEXT(analyzer=ChineseAnalyzer()),
    )
