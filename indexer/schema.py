"""The Whoosh schema: one document per paragraph, with its report's metadata for facets."""
from whoosh.fields import BOOLEAN, ID, NUMERIC, STORED, TEXT, Schema

from .analysis import BigramAnalyzer, ChineseAnalyzer


def paragraph_schema():
    """Return the schema of a paragraph document."""
    return Schema(
        report_id=ID(stored=True, sortable=True),
        n=NUMERIC(stored=True, sortable=True),
        text=STORED(),
        # Ranked word search over jieba tokens.
        words=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        # Exact phrase search over character bigrams of the normalized text.
        grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        heading=BOOLEAN(stored=True),
        section_class=ID(stored=True, sortable=True),
        section_path=STORED(),
        # Report metadata, repeated on each paragraph so filters and facets need no join.
        title=STORED(),
        title_words=TEXT(analyzer=ChineseAnalyzer()),
        title_grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        issuer=STORED(),
        province=ID(stored=True, sortable=True),
        city=ID(stored=True, sortable=True),
        county=ID(stored=True, sortable=True),
        township=ID(stored=True, sortable=True),
        report_year=NUMERIC(stored=True, sortable=True),
        pub_date=ID(stored=True, sortable=True),
    )
