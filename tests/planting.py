"""A corpus with planted copies: the seeds, and reports written here that copy and edit their paragraphs.

Each planted report copies paragraphs of the seeds (and of earlier planted reports) through the
edits of bench/copies.py, some a reader calls copies, some rewrites; it is dated after its
sources, so the seeds come first. The pages are plain text laid out as the seed dumps are.
"""
import shutil
from dataclasses import dataclass
from pathlib import Path

from bench.copies import COPIES, REWRITES, characters_changed, places_changed, verbatim
from indexer.clean.rawfile import clean_file
from indexer.reuse.sketch import eligible
from model.text import normalize

from conftest import SEED_FILES


@dataclass(frozen=True)
class Planted:
    """One planted paragraph: the source it was made from and the edit made."""

    report_id: str
    source_report: str
    source_text: str
    text: str
    edit: str


# Planted reports: (file stem, issuer, publication date, the edits applied to its sources in turn).
PLANTED_REPORTS = (
    ("planted_a", "甲县人民政府", "2026-02-10", COPIES + REWRITES),
    ("planted_b", "乙镇人民政府", "2026-03-15", (verbatim, places_changed, characters_changed) + REWRITES),
    ("planted_c", "丙街道办事处", "2026-04-20", (verbatim, verbatim, places_changed) + COPIES[2:]),
)


def compared(report):
    """Return the paragraphs of a clean report that reuse detection compares."""
    return [p for p in report.paragraphs if eligible(normalize(p.text), p.heading)]


def page(title, issuer, date, paragraphs):
    """Return the text of a report page: title, lead, a numbered section of paragraphs, signature."""
    year = int(date[:4]) - 1
    lines = [title, f"{year}年以来，本单位认真贯彻落实上级关于法治政府建设的部署要求，现将有关情况报告如下。",
             "一、主要工作和成效", *paragraphs, "二、下一步工作",
             "下一步，我们将继续推进法治政府建设各项工作，不断提升依法行政水平，为经济社会发展提供有力法治保障。",
             issuer, f"{int(date[:4])}年{int(date[5:7])}月{int(date[8:])}日"]
    return "\n".join(lines) + "\n"


def plant(raw):
    """Copy the seeds into raw and write the planted reports beside them; return every Planted paragraph."""
    raw = Path(raw)
    raw.mkdir(parents=True, exist_ok=True)
    for seed in SEED_FILES:
        shutil.copy(seed, raw / seed.name)
    sources = [[(seed.stem, p.text) for p in compared(clean_file(seed))] for seed in SEED_FILES]
    planted = []
    for number, (stem, issuer, date, edits) in enumerate(PLANTED_REPORTS):
        # Each report draws its own sources, taking the seeds in turn.
        chosen = [sources[(number + place) % len(sources)][(3 * number + place) % len(sources[(number + place) % len(sources)])]
                  for place in range(len(edits))]
        made = [(source, text, edit(text), edit.__name__) for (source, text), edit in zip(chosen, edits)]
        title = f"{issuer[:-4]}{int(date[:4]) - 1}年度法治政府建设情况报告"
        (raw / f"{stem}.txt").write_text(page(title, issuer, date, [copy for _s, _t, copy, _e in made]),
                                         encoding="utf-8")
        planted += [Planted(stem, source, text, copy, name) for source, text, copy, name in made]
    return planted
