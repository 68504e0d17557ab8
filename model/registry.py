"""Every facet, field filter and field a hit carries, defined once.

A facet is a value every paragraph has, its own (its section) or its report's (region,
year, level, issuer, publication date): searches filter by it, count its values and show
them. Each entry names it (parameter, label, chip, the names typed in a query, its key in a
hit), says where its value comes from and which kind it is (model/kinds.py: how a value given
in a URL, on the command line or in the query text is read, matched, counted and described).
A shown field (the title) is only carried by hits and exports. The query parser, the
parameters, the facet counts, both backends' rows and filters, the hits, the web's sidebar,
chips and links and the exports (CSV, JSON, workbook) read these tables: adding a facet is
adding an entry to FACETS, adding a shown field one to HIT_FIELDS, with its tests.
"""
from model.report import GOVERNMENT_LEVEL_LABELS, GOVERNMENT_LEVELS, OCR_LABEL, REGION_LEVELS, SECTION_CLASSES

from model.kinds import Classes, Dates, Flag, FromParagraph, FromReport, NameMatch, Named, Several, Shown, Text, Years

REGION_CHIPS = {"province": "省", "city": "市", "county": "区县", "township": "乡镇街道"}
REGION_HEADINGS = {"province": "省份", "city": "城市", "county": "区县", "township": "乡镇街道"}

REGION = tuple(Named(level, REGION_HEADINGS[level], REGION_CHIPS[level], FromReport(("region", level)),
                     hierarchy="region") for level in REGION_LEVELS)
# 报告年度, not 年度: the year reported on, which the publication date's year is not.
YEAR_FACET = Years("year", "报告年度", "报告年度", FromReport(("report_year",)), query_names=("year", "年度", "年份"),
                   hit_key="report_year")
SECTION = Classes("section", "报告部分", "部分", FromParagraph("section_class"), query_names=("section", "部分"),
                  ordered_by=SECTION_CLASSES, hit_key="section_class")
LEVEL = Classes("level", "层级", "层级", FromReport(("level",)), query_names=("level", "层级"),
                ordered_by=GOVERNMENT_LEVELS, shown=tuple(GOVERNMENT_LEVEL_LABELS.items()))
ISSUER = Named("issuer", "发布机关", "发布机关", FromReport(("issuer",)))
PUBLISHED = Dates("published", "发布日期", "发布日期", FromReport(("pub_date",)), query_names=("published", "发布日期"),
                  hit_key="pub_date")
DOC_NUMBER = Text("docno", "文号", "文号", FromReport(("doc_number",)), query_names=("docno", "文号"),
                  hit_key="doc_number")
# The documents a report cites in 《…》 (Report.citations: national laws by their full names, model/laws.py), several
# per report: cites=中华人民共和国民法典 finds the reports citing 《民法典》.
CITES = Several("cites", "引用的法规文件", "引用", FromReport(("citations",)))

# The facets, in the order of the sidebar and of the parameters.
FACETS = REGION + (LEVEL, ISSUER, YEAR_FACET, PUBLISHED, SECTION, CITES, DOC_NUMBER)
BY_NAME = {facet.name: facet for facet in FACETS}
FACET_NAMES = tuple(BY_NAME)

# What a hit says of its report beside its facets.
TITLE = Shown("title", "报告标题", FromReport(("title",)))
# Whether the cleaner composed the title (issuer, year, kind: the page had none), so that it is never cited as the
# report's own.
TITLE_COMPOSED = Flag("title_composed", "标题为系统生成", FromReport(("title_composed",)))
SOURCE_URL = Shown("source_url", "原文链接", FromReport(("source", "url")))
# Whether the report's text was read from a scan by OCR, and so may hold misread characters.
OCR = Flag("ocr", OCR_LABEL, FromReport(("ocr",)))
# Every value a hit carries of its report and its paragraph (search/hits.py), in the order of
# the exports' columns: the title and whether it was composed, the facets, the address the report was published
# at, OCR.
HIT_FIELDS = (TITLE, TITLE_COMPOSED, *FACETS, SOURCE_URL, OCR)

# region:浙江 finds 浙江省 and 西湖 finds 西湖区: a prefix of any level's name.
REGION_FIELD = NameMatch("region", "地区", REGION_LEVELS, query_names=("region", "地区"))
# issuer:司法局 finds every issuer whose name holds it.
ISSUER_FIELD = NameMatch("issuer", "发布机关", (ISSUER.name,), query_names=("issuer", "发布机关"), contains=True)
# The fields a query may type as name:value, by every name they go by: the name matches and
# every facet with query names.
QUERY_FIELDS = {alias.lower(): field for field in (REGION_FIELD, ISSUER_FIELD, *FACETS) for alias in field.query_names}


def hierarchy_of(facet):
    """Return the facets of a facet's hierarchy, widest first (only itself when it has none)."""
    if not facet.hierarchy:
        return (facet,)
    return tuple(other for other in FACETS if other.hierarchy == facet.hierarchy)


def deeper(facet):
    """Return the facets below this one in its hierarchy: a new choice here clears theirs."""
    levels = hierarchy_of(facet)
    return levels[levels.index(facet) + 1:]
