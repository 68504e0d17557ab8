"""The Whoosh schema: one document per paragraph, with its report's metadata for facets."""
from whoosh.columns import VarBytesColumn
from whoosh.fields import BOOLEAN, COLUMN, ID, NUMERIC, STORED, TEXT, Schema

from .analysis import BigramAnalyzer, ChineseAnalyzer

# The canonical section classes a paragraph is filed under, in reading order of a report.
SECTION_CLASSES = ("导语", "成效举措", "存在问题", "下一步计划", "负责人履职", "整改落实", "其他")

# Column value of report_year and date_key when a report has none; sorts before any real one.
UNKNOWN = 0


def date_key(pub_date):
    """Return an ISO publication date as a sortable yyyymmdd number, UNKNOWN when it is not one."""
    digits = "".join(c for c in (pub_date or "")[:10] if c.isdigit())
    return int(digits) if len(digits) == 8 else UNKNOWN


def paragraph_schema():
    """Return the schema of a paragraph document."""
    return Schema(
        report_id=ID(stored=True, sortable=True),
        n=NUMERIC(stored=True, sortable=True),
        text=STORED(),
        # Ranked word search over jieba tokens.
        words=TEXT(analyzer=ChineseAnalyzer(), phrase=True),
        # Exact phrase search over character bigrams of the normalized text, with a mark
        # at each sentence start for the same-sentence operator.
        grams=TEXT(analyzer=BigramAnalyzer(), phrase=True),
        # The normalized text as UTF-8, one contiguous column: exact phrases are verified
        # by a plain substring test on it instead of walking bigram positions.
        norm_text=COLUMN(VarBytesColumn()),
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
        report_year=NUMERIC(stored=True, sortable=True, default=UNKNOWN),
        pub_date=ID(stored=True, sortable=True),
        # pub_date as a number, the column the date sorts and tie-breaks read.
        date_key=NUMERIC(sortable=True, default=UNKNOWN),
    )
