"""The fixed query mix both setups answer: phrases, multi-word queries, filters, pages 1 and 5."""
import json
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

PAGE_SIZE = 20


@dataclass(frozen=True)
class Query:
    """One search of the mix: what is typed, the filters chosen and the page asked for."""

    label: str  # what the query exercises, for the table
    q: str
    filters: tuple = ()  # (name, value) pairs: province, year
    page: int = 1

    @property
    def key(self):
        """Return what its total is kept under in every setup's totals: the text and the filters."""
        return self.q + repr(self.filters)


def most_common(values):
    """Return the most frequent value, the smallest one among equals (deterministic)."""
    counts = Counter(values)
    return min(counts, key=lambda value: (-counts[value], str(value)))


def query_mix(manifest):
    """Return the query mix for a synthetic corpus, its filters set to its commonest province and year.

    The pair is chosen together so that the query filtered by both has reports to find.
    """
    province, year = most_common((entry["region"]["province"], str(entry["year"]))
                                 for entry in manifest)
    return [
        Query("phrase", '"枫桥经验"'),
        Query("phrase", '"法律顾问"'),
        Query("phrase", '"行政执法"'),
        Query("phrase, page 5", '"合法性审查"', page=5),
        Query("phrase, page 5", '"法治政府建设"', page=5),
        Query("words", "法律顾问 合法性审查"),
        Query("words", "行政复议 行政诉讼"),
        Query("words", "矛盾纠纷 调解"),
        Query("words, page 5", "普法 宣传 教育", page=5),
        Query("phrase + province", '"行政执法"', (("province", province),)),
        Query("words + year", "法律顾问", (("year", year),)),
        Query("words + province + year", "依法行政", (("province", province), ("year", year))),
    ]


def save_mix(mix, path):
    """Write the mix as JSON for the process that runs it."""
    Path(path).write_text(json.dumps([asdict(query) for query in mix], ensure_ascii=False),
                          encoding="utf-8")


def load_mix(path):
    """Read a mix written by save_mix."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return [Query(item["label"], item["q"], tuple(map(tuple, item["filters"])), item["page"])
            for item in data]
