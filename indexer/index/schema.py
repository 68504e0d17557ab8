"""The Whoosh schema: one document per paragraph, its report's metadata stored once, on its first."""
from whoosh.columns import VarBytesColumn
from whoosh.fields import COLUMN, ID, STORED, TEXT, Schema

from .analysis import ChineseAnalyzer

# The normalized text as UTF-8 and the UTF-8 offsets where its sentences start: the
# bigram postings, phrase checks and same-sentence checks of indexer/index/derive.py read them.
NORM_FIELD = "norm_text"
SENTENCES_FIELD = "sentences"

# Everything of a report but its paragraphs (Report.metadata()), stored with its first paragraph only.
REPORT_FIELD = "report"
# A paragraph's place and section, and its report's metadata.
STORED_ONLY = ("n", "heading", "section_class", "section_path", REPORT_FIELD)


def paragraph_schema():
    """Return the schema of a paragraph document."""
    return Schema(
        # Indexed so an update can delete a report's paragraphs by it.
        report_id=ID(stored=True),
        text=STORED(),
        # Ranked word search over jieba tokens: frequencies, no positions (exact phrases
        # are found through the bigram arrays, so nothing reads word positions).
        words=TEXT(analyzer=ChineseAnalyzer(), phrase=False),
        **{NORM_FIELD: COLUMN(VarBytesColumn()), SENTENCES_FIELD: COLUMN(VarBytesColumn())},
        # Stored only: filters, facets and sorts read them from the arrays derived from them
        # (report metadata included), so indexing them would only slow the build down.
        **{name: STORED() for name in STORED_ONLY},
    )
