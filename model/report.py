"""The clean report: what the cleaner produces and the index, the search core and the web read.

Its vocabularies are defined here, once, for every layer: the region levels, the section
classes a paragraph is filed under, and the years a report can be about.
"""
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields

from model.jsonfile import read_json

# A report's region, from the widest level down; a direct-controlled municipality (上海市) is
# both its province and its city.
REGION_LEVELS = ("province", "city", "county", "township")
# The kind of government a report comes from (Report.level): the four region levels (a
# municipality's or autonomous region's government is "province", an autonomous prefecture's
# "city", a district's or county-level city's "county", a 街道's "township"), and "department"
# for a 局, 厅, 委 or 办 of a government at any level. Labels as a reader sees them.
GOVERNMENT_LEVELS = REGION_LEVELS + ("department",)
GOVERNMENT_LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级", "township": "乡镇",
                           "department": "部门"}

# The canonical section classes a paragraph is filed under, in the reading order of a report.
LEAD_CLASS = "导语"
OTHER_CLASS = "其他"
SECTION_CLASSES = (LEAD_CLASS, "成效举措", "存在问题", "下一步计划", "负责人履职", "整改落实", OTHER_CLASS)

# The years a 法治政府建设 report can be about; anything outside is a typing or reading mistake.
FIRST_YEAR, LAST_YEAR = 1949, 2100

# What a reader is told of a report whose text, or part of it, was read from a scan by OCR
# (Report.ocr): the report page, the API's hits and the exports all say it in these words.
OCR_LABEL = "文字识别（OCR）"
OCR_NOTE = "本报告的文字由扫描件经文字识别（OCR）得到，可能有识别错误，引用前请核对原文。"


@dataclass
class Paragraph:
    """One body paragraph, numbered from 1 in reading order."""

    n: int
    text: str
    heading: bool = False
    section_class: str = ""
    section_path: list = field(default_factory=list)


@dataclass
class Report:
    """A cleaned report with its metadata and body paragraphs."""

    report_id: str
    title: str
    paragraphs: list
    title_composed: bool = False
    issuer: str = ""
    region: dict = field(default_factory=lambda: dict.fromkeys(REGION_LEVELS, ""))
    report_year: int | None = None
    pub_date: str = ""
    doc_number: str = ""
    level: str = ""  # one of GOVERNMENT_LEVELS, "" when neither issuer nor region tells
    ocr: bool = False  # its text, or part of it, was read from page images by OCR (OCR_NOTE)
    source: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)
    # The documents its paragraphs cite in 《…》, in order of first citation, once each: national laws and
    # regulations by their full names (《民法典》 → 中华人民共和国民法典), any other as written, without 《》.
    citations: list = field(default_factory=list)

    def to_dict(self):
        """Return the report as plain JSON-ready data."""
        return asdict(self)

    def metadata(self):
        """Return everything of the report but its id and paragraphs, as JSON-ready data."""
        return {name: deepcopy(getattr(self, name)) for name in METADATA_FIELDS}

    @classmethod
    def from_metadata(cls, report_id, metadata, paragraphs=()):
        """Rebuild a report from its id, its metadata() and its paragraphs; fields this code lacks are left out."""
        known = {name: value for name, value in metadata.items() if name in METADATA_FIELDS}
        return cls(report_id=report_id, title=known.pop("title", ""), paragraphs=list(paragraphs), **known)

    @classmethod
    def from_dict(cls, data):
        """Rebuild a report from the data to_dict produced."""
        fields = dict(data)
        fields["paragraphs"] = [Paragraph(**p) for p in data["paragraphs"]]
        return cls(**fields)


# What metadata() holds: every field of a report but its id and paragraphs, those the cleaner adds included.
METADATA_FIELDS = tuple(f.name for f in fields(Report) if f.name not in ("report_id", "paragraphs"))


def read_report(path):
    """Return the Report stored as JSON at path, or None when it is missing or unreadable."""
    data = read_json(path)
    try:
        return Report.from_dict(data) if isinstance(data, dict) else None
    except (TypeError, KeyError):
        return None
