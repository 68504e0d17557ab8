"""The clean report: what the cleaner produces and the index and web pages read."""
from copy import deepcopy
from dataclasses import asdict, dataclass, field, fields

from indexer.jsonfile import read_json

REGION_LEVELS = ("province", "city", "county", "township")


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
    source: dict = field(default_factory=dict)
    warnings: list = field(default_factory=list)

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
