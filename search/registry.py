"""Every facet and field filter of a search, defined once.

A facet is a value every paragraph has, its own (its section) or its report's (region,
year): searches filter by it, count its values and show them. Each entry below names it
(parameter, heading, chip, the names typed in a query) and says where its value comes
from and how a value given in a URL, on the command line or in the query text is read,
matched, counted and described. The query parser, the parameters, the facet counts, the
web's sidebar, chips and links and the exports read this table: adding a facet is adding
an entry here, with its tests.
"""
import re
from dataclasses import dataclass

import numpy as np

from indexer.report import (FIRST_YEAR, GOVERNMENT_LEVEL_LABELS, GOVERNMENT_LEVELS, LAST_YEAR, REGION_LEVELS,
                            SECTION_CLASSES)
from indexer.text import normalize

# Several values of one field, e.g. year:2020,2022 or section:存在问题、下一步计划.
VALUE_SEPARATORS = re.compile(r"[,，、]")
YEAR = re.compile(r"^(\d{4})年?$")
YEAR_RANGE = re.compile(r"^(\d{4})年?\s*(?:-|－|—|–|~|～|至|到)\s*(\d{4})年?$")
# Facet values of the documents whose report has no year.
NO_YEAR = 0


@dataclass(frozen=True)
class Choice:
    """The values a search limits one facet to: as given (labels) and as matched (values)."""

    labels: tuple
    values: tuple


@dataclass(frozen=True)
class FromReport:
    """A facet value read from the paragraph's report metadata by a key path."""

    path: tuple

    def of(self, report):
        """Return the value in one report's metadata ("" or None when it has none)."""
        value = report
        for key in self.path:
            value = (value or {}).get(key)
        return value


@dataclass(frozen=True)
class FromParagraph:
    """A facet value stored with each paragraph, as a coded column of the index's arrays."""

    column: str


def split_values(text):
    """Return the non-empty values of a field typed as text, separated by commas or 、."""
    return tuple(piece.strip() for piece in VALUE_SEPARATORS.split(text) if normalize(piece))


def typed_values(name, text, notices):
    """Return the values typed after name: in a query, noting when there are none."""
    values = split_values(text)
    if not values:
        notices.append(f"“{name}:”后面缺少要检索的内容，已忽略。")
    return values


@dataclass(frozen=True)
class Facet:
    """What every facet has: its names, where its value comes from, and its place in a hierarchy."""

    name: str                # URL and command-line parameter
    label: str               # heading of its sidebar group
    chip: str                # name on the chip of a chosen value and in the description
    source: object           # FromReport or FromParagraph
    query_names: tuple = ()  # names that type it in the query text (name:value)
    hierarchy: str = ""      # facets of one hierarchy narrow one another, widest first

    def read(self, labels):
        """Return the Choice of values given as parameters; raises ValueError saying why one is unusable."""
        return Choice(labels, labels)

    def read_query(self, text, notices):
        """Return the Choice typed after name: in a query, or None (with a notice) when nothing is usable."""
        values = typed_values(self.name, text, notices)
        return Choice(values, values) if values else None

    def describe(self, choice):
        """Return the choice in Chinese, e.g. 省：浙江省或江苏省."""
        return f"{self.chip}：{'或'.join(map(self.display, choice.labels))}"

    def display(self, value):
        """Return how a value (or a label given for it) reads on a page."""
        return value

    def labels_without(self, labels, value):
        """Return the labels left once a value shown as chosen is unticked."""
        return tuple(label for label in labels if label != value)


@dataclass(frozen=True)
class Named(Facet):
    """A facet of names (a region level, a section class): each paragraph has one, or none."""

    ordered_by: tuple = ()   # the values' canonical order; empty means most hits first

    def matches(self, column, choice):
        """Return, per code of the coded column, whether the choice takes its name in."""
        wanted = set(choice.values)
        return np.array([name in wanted for name in column.names], dtype=bool)

    def rows(self, counts, column, choice):
        """Return the facet's values with their counts, chosen ones kept even at zero."""
        found = {column.names[code]: counts_of for code, counts_of in counts.items() if column.names[code]}
        chosen = set(choice.values) if choice else set()
        rows = [row(name, *found.get(name, (0, 0)), name in chosen, self.display(name))
                for name in {**found, **dict.fromkeys(chosen)}]
        if self.ordered_by:
            rank = {name: place for place, name in enumerate(self.ordered_by)}
            return sorted(rows, key=lambda r: (rank.get(r["value"], len(rank)), r["value"]))
        return sorted(rows, key=lambda r: (-r["count"], r["value"]))


@dataclass(frozen=True)
class Classes(Named):
    """A facet whose names come from a closed list; given whole, by the label a page shows, or (in a query) by a unique part."""

    shown: tuple = ()   # (value, label) pairs where a page shows a value otherwise (township: 乡镇)

    def read(self, labels):
        """Return the Choice of classes; raises ValueError for a name not in the list."""
        values = []
        for label in labels:
            value = self.value_of(label)
            if value is None:
                raise ValueError(f"没有“{label}”这个{self.chip}（可用：{'、'.join(self.choices())}）")
            values.append(value)
        return Choice(labels, tuple(values))

    def read_query(self, text, notices):
        """Return the classes typed in a query, each whole or by a unique part, noting unknown ones."""
        found = []
        for piece in typed_values(self.name, text, notices):
            name = self.named_by(piece)
            if name is None:
                notices.append(f"没有“{piece}”这个{self.chip}（可用：{'、'.join(self.choices())}），已忽略这个条件。")
            else:
                found.append(name)
        return Choice(tuple(map(self.display, found)), tuple(found)) if found else None

    def choices(self):
        """Return the classes as a page shows them."""
        return [self.display(value) for value in self.ordered_by]

    def value_of(self, label):
        """Return the class a label names exactly (its value or the label a page shows), or None."""
        by_label = {shown: value for value, shown in self.shown}
        return label if label in self.ordered_by else by_label.get(label)

    def named_by(self, text):
        """Return the class a text names, exactly or as the unique class containing it, or None."""
        if self.value_of(text):
            return self.value_of(text)
        partial = [value for value in self.ordered_by if text and text in self.display(value)]
        return partial[0] if len(partial) == 1 else None

    def display(self, value):
        """Return how a class reads on a page: its label where it has one."""
        return dict(self.shown).get(self.value_of(value) or value, value)


def read_years(text, notices):
    """Return the (first, last) year ranges written in a text (2020, 2020-2022, 2019,2021), noting unreadable ones."""
    ranges = []
    for piece in split_values(text):
        single, span = YEAR.match(piece), YEAR_RANGE.match(piece)
        first, last = ((int(single.group(1)),) * 2 if single
                       else (int(span.group(1)), int(span.group(2))) if span else (None, None))
        if first is None or not (FIRST_YEAR <= min(first, last) and max(first, last) <= LAST_YEAR):
            notices.append(f"年度“{piece}”无法识别（应为如 2020 或 2020-2022），已忽略这个条件。")
            continue
        ranges.append((min(first, last), max(first, last)))
    return tuple(ranges)


def year_text(ranges):
    """Return year ranges as people write them: 2020或2021—2023."""
    return "或".join(str(first) if first == last else f"{first}—{last}" for first, last in ranges)


@dataclass(frozen=True)
class Years(Facet):
    """The report year: chosen as single years or ranges (2020-2022), counted per year."""

    def read(self, labels):
        """Return the Choice of year ranges; raises ValueError for a label that is no year."""
        ranges = []
        for label in labels:
            notices = []
            found = read_years(label, notices)
            if notices or not found:
                raise ValueError(f"“{label}”不是年度（应为如 2020 或 2020-2022）")
            ranges.extend(found)
        return Choice(labels, tuple(ranges))

    def read_query(self, text, notices):
        """Return the year ranges typed in a query, or None (with a notice) when there are none."""
        if not text.strip():
            notices.append(f"“{self.name}:”后面缺少年度，已忽略。")
            return None
        ranges = read_years(text, notices)
        return Choice(tuple(year_text([r]) for r in ranges), ranges) if ranges else None

    def matches(self, column, choice):
        """Return, per year up to the largest in the column (its codes are the years), whether a chosen range takes it in."""
        years = np.arange(int(column.codes.max(initial=NO_YEAR)) + 1)
        inside = np.zeros(len(years), bool)
        for first, last in choice.values:
            inside |= (years >= first) & (years <= last)
        inside[NO_YEAR] = False
        return inside

    def rows(self, counts, column, choice):
        """Return the years with hits, newest first; a year is chosen when a chosen range takes it in."""
        chosen = {str(first) for first, last in (choice.values if choice else ()) if first == last}
        years = {str(year): counted for year, counted in counts.items() if year != NO_YEAR}
        rows = [row(year, *years.get(year, (0, 0)), False) for year in {**years, **dict.fromkeys(chosen)}]
        for found in rows:
            found["selected"] = any(a <= int(found["value"]) <= b for a, b in (choice.values if choice else ()))
        return sorted(rows, key=lambda r: -int(r["value"]))

    def describe(self, choice):
        """Return the chosen years in Chinese, e.g. 年度：2020—2022."""
        return f"{self.chip}：{year_text(choice.values)}"

    def labels_without(self, labels, value):
        """Return the labels left once a label is removed, or a year unticked: a range taking it in goes too."""
        if value in labels or not value.isdigit():
            return super().labels_without(labels, value)
        year = int(value)
        return tuple(label for label in labels
                     if not any(first <= year <= last for first, last in read_years(label, [])))


@dataclass(frozen=True)
class NamePrefix:
    """A query field matching any level of a hierarchy whose name starts with a value (region:浙江)."""

    name: str
    chip: str
    levels: tuple
    query_names: tuple

    def read_query(self, text, notices):
        """Return the names typed in a query, or None (with a notice) when there are none."""
        values = typed_values(self.name, text, notices)
        return Choice(values, values) if values else None

    def matches(self, column, choice):
        """Return, per code of one level's coded column, whether its name starts with a chosen name."""
        prefixes = tuple(choice.values)
        return np.array([bool(name) and name.startswith(prefixes) for name in column.names], dtype=bool)

    def describe(self, choice):
        """Return the names in Chinese, e.g. 地区：浙江."""
        return f"{self.chip}：{'或'.join(choice.labels)}"


def row(value, count, reports, selected, label=None):
    """Return one facet value as plain data: the value (as URLs carry it) and how a page shows it."""
    return {"value": value, "label": label or value, "count": count, "reports": reports, "selected": selected}


REGION_CHIPS = {"province": "省", "city": "市", "county": "区县", "township": "乡镇街道"}
REGION_HEADINGS = {"province": "省份", "city": "城市", "county": "区县", "township": "乡镇街道"}

REGION = tuple(Named(level, REGION_HEADINGS[level], REGION_CHIPS[level], FromReport(("region", level)),
                     hierarchy="region") for level in REGION_LEVELS)
YEAR_FACET = Years("year", "年度", "年度", FromReport(("report_year",)), query_names=("year", "年度", "年份"))
SECTION = Classes("section", "报告部分", "部分", FromParagraph("section_class"), query_names=("section", "部分"),
                  ordered_by=SECTION_CLASSES)
LEVEL = Classes("level", "层级", "层级", FromReport(("level",)), query_names=("level", "层级"),
                ordered_by=GOVERNMENT_LEVELS, shown=tuple(GOVERNMENT_LEVEL_LABELS.items()))

# The facets, in the order of the sidebar and of the parameters.
FACETS = REGION + (LEVEL, YEAR_FACET, SECTION)
BY_NAME = {facet.name: facet for facet in FACETS}
FACET_NAMES = tuple(BY_NAME)

# region:浙江 finds 浙江省 and 西湖 finds 西湖区: a prefix of any level's name.
REGION_FIELD = NamePrefix("region", "地区", REGION_LEVELS, query_names=("region", "地区"))
# The fields a query may type as name:value, by every name they go by.
QUERY_FIELDS = {alias.lower(): field for field in (REGION_FIELD, LEVEL, YEAR_FACET, SECTION)
                for alias in field.query_names}


def hierarchy_of(facet):
    """Return the facets of a facet's hierarchy, widest first (only itself when it has none)."""
    if not facet.hierarchy:
        return (facet,)
    return tuple(other for other in FACETS if other.hierarchy == facet.hierarchy)


def deeper(facet):
    """Return the facets below this one in its hierarchy: a new choice here clears theirs."""
    levels = hierarchy_of(facet)
    return levels[levels.index(facet) + 1:]
