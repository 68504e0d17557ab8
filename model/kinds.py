"""The kinds of facet, query field and shown field the registry (model/registry.py) is made of.

Each kind says how a value given in a URL, on the command line or typed in a query is read,
how a paragraph's value is matched against a choice, counted, shown and described: names
(a region level, an issuer), classes from a closed list (a section, a level), years, dates,
and text searched by what it contains (文号); a shown field (a report's title) is only carried
by hits and exports. Each kind also says what a backend needs to store and look its values up
without asking which kind it is: whether its values are numbers, a closed list or open names,
the terms a value is filed under, how typed names match, what its counts group by.
"""
import re
from dataclasses import dataclass

import numpy as np

from model.values import UNKNOWN, date_key
from model.report import FIRST_YEAR, LAST_YEAR
from model.text import normalize

# Values of a facet of names (issuers, counties) a search shows at most, those with the most hits:
# a sidebar's worth; a value chosen is always among them.
MOST_VALUES = 100
# Several values of one field, e.g. year:2020,2022 or section:存在问题、下一步计划.
VALUE_SEPARATORS = re.compile(r"[,，、]")
YEAR = re.compile(r"^(\d{4})年?$")
YEAR_RANGE = re.compile(r"^(\d{4})年?\s*(?:-|－|—|–|~|～|至|到)\s*(\d{4})年?$")
# Facet values of the documents whose report has no year.
NO_YEAR = 0
# How names typed for a field match a facet's names: the whole name, its start (region:浙江 for
# 浙江省), or any part of it (issuer:司法局, 文号).
WHOLE, START, PART = "whole", "start", "part"


@dataclass(frozen=True)
class Choice:
    """The values a search limits one facet to: as given (labels) and as matched (values)."""

    labels: tuple
    values: tuple


@dataclass(frozen=True)
class FromReport:
    """A facet value read from the paragraph's report metadata: a Report attribute, then keys into it."""

    path: tuple

    # One value per report, shared by its paragraphs.
    per_report = True

    def of(self, report):
        """Return the value in one report's metadata ("" or None when it has none)."""
        value = getattr(report, self.path[0], None)
        for key in self.path[1:]:
            value = (value or {}).get(key)
        return value

    def value(self, report, paragraph):
        """Return the value of one paragraph (its fields by name): its report's."""
        return self.of(report)


@dataclass(frozen=True)
class FromParagraph:
    """A facet value stored with each paragraph, as a coded column of the index's arrays."""

    column: str

    per_report = False

    def value(self, report, paragraph):
        """Return the value of one paragraph, given its fields by name (a Paragraph's, or a stored paragraph's)."""
        return paragraph.get(self.column)


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
class Shown:
    """A value every hit carries and the exports show, neither filtered by nor counted (a report's title)."""

    name: str      # its key in a hit, the API and the JSON export
    label: str     # its column's header in the CSV and the workbook
    source: object  # FromReport or FromParagraph

    # A shown field stands alone in a hit; a facet of a hierarchy is a key of its hierarchy's object.
    hierarchy = ""

    @property
    def key(self):
        """Return the field's key in a hit."""
        return self.name

    def hit_value(self, value):
        """Return the value as a hit carries it ("" when there is none)."""
        return value or ""

    def display(self, value):
        """Return how a value reads on a page and in an export."""
        return value


@dataclass(frozen=True)
class Flag(Shown):
    """A yes-or-no a hit carries and the exports show (its report's text read by OCR): true or false in a hit and
    the JSON export, 是 or nothing in a table."""

    def hit_value(self, value):
        """Return the flag as a hit carries it: true or false."""
        return bool(value)

    def display(self, value):
        """Return the flag as a table shows it: 是, or nothing."""
        return "是" if value else ""


@dataclass(frozen=True)
class Facet:
    """What every facet has: its names, where its value comes from, and its place in a hierarchy."""

    name: str                # URL and command-line parameter
    label: str               # heading of its sidebar group and of its column in the exports
    chip: str                # name on the chip of a chosen value and in the description
    source: object           # FromReport or FromParagraph
    query_names: tuple = ()  # names that type it in the query text (name:value)
    hierarchy: str = ""      # facets of one hierarchy narrow one another, widest first
    hit_key: str = ""        # its key in a hit when not its name (a hierarchy's levels are keys of its object)

    # Whether the sidebar counts its values; a text searched by what it contains is only filtered by.
    counted = True
    # Whether its values are numbers that are their own codes (a year, a yyyymmdd date), not names.
    numbered = False
    # Whether its counts group by another code than its value's (a date's, by its year: tally_code).
    tallied_apart = False
    # How names typed for it match its names (only for names searched as text).
    typed_match = WHOLE

    @property
    def key(self):
        """Return the facet's key in a hit (its hierarchy's object holds it by its name)."""
        return self.hit_key or self.name

    @property
    def facets(self):
        """Return the names of the facets whose values it matches: itself (a NameMatch names several)."""
        return (self.name,)

    @property
    def listed(self):
        """Return its closed list of values, in order (empty: its values are open names or numbers)."""
        return ()

    @property
    def open_names(self):
        """Tell whether its values are names from an open list (an issuer, a county): neither numbers nor listed."""
        return not self.numbered and not self.listed

    @property
    def most_codes(self):
        """Return how many codes its counts can group at most, None when as many as it has names."""
        return None

    def hit_value(self, value):
        """Return a paragraph's value as a hit carries it ("" when there is none)."""
        return value or ""

    def tally_code(self, codes):
        """Return the codes its counts group by, from its values' codes (numbers or arrays)."""
        return codes

    def terms(self, value):
        """Return the terms a value is filed under, for lookups by term (none: its names are searched as text)."""
        return ()

    def chosen_terms(self, choice):
        """Return the terms any of which a chosen value is filed under, or None when it is not looked up by term."""
        return None

    def selects(self, column, choice, codes):
        """Return per code of the column's documents whether the choice takes it in."""
        # One answer per distinct value, looked up by every document's code.
        return self.matches(column, choice)[codes]

    def tallied(self, column):
        """Return the column the sidebar counts by (search/facets.py tally)."""
        return column

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

    @property
    def listed(self):
        """Return its closed list of values: those it orders by."""
        return self.ordered_by

    @property
    def most_codes(self):
        """Return how many codes its counts can group at most: its list and no value; None for open names."""
        return len(self.ordered_by) + 1 if self.ordered_by else None

    def matches(self, column, choice):
        """Return, per code of the coded column, whether the choice takes its name in."""
        wanted = set(choice.values)
        return np.array([name in wanted for name in column.names], dtype=bool)

    def rows(self, counts, column, choice):
        """Return the facet's values with their counts, chosen ones kept even at zero.

        Ordered facets (a closed list) give every value in its order; the others their MOST_VALUES
        values in the most reports (then with the most paragraphs: "how many counties say X" is
        asked in reports), a sidebar's worth, besides the chosen ones.
        """
        paragraphs, reports = counts
        found = np.flatnonzero(paragraphs)
        if not self.ordered_by and len(found) > MOST_VALUES:
            found = found[np.lexsort((-paragraphs[found], -reports[found]))[:MOST_VALUES]]
        chosen = set(choice.values) if choice else set()
        codes = dict.fromkeys(found.tolist())
        codes.update(dict.fromkeys(column.code_of[name] for name in chosen if name in column.code_of))
        rows = {}
        for code in codes:
            name = column.names[code]
            if name:
                hits = (int(paragraphs[code]), int(reports[code])) if code < len(paragraphs) else (0, 0)
                rows[name] = row(name, *hits, name in chosen, self.display(name))
        for name in chosen - set(rows):
            rows[name] = row(name, 0, 0, True, self.display(name))
        if self.ordered_by:
            rank = {name: place for place, name in enumerate(self.ordered_by)}
            return sorted(rows.values(), key=lambda r: (rank.get(r["value"], len(rank)), r["value"]))
        return sorted(rows.values(), key=lambda r: (-r["reports"], -r["count"], r["value"]))


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

    def terms(self, value):
        """Return the terms a class is filed under: its name."""
        return (value,) if value else ()

    def chosen_terms(self, choice):
        """Return the terms of the chosen classes: their names."""
        return choice.values

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


def years_in(ranges):
    """Return the years of (first, last) ranges, ascending."""
    return sorted({year for first, last in ranges for year in range(first, last + 1)})


@dataclass(frozen=True)
class Years(Facet):
    """The report year: chosen as single years or ranges (2020-2022), counted per year."""

    numbered = True

    @property
    def most_codes(self):
        """Return how many codes its counts can group at most: every plausible year and no year."""
        return LAST_YEAR - FIRST_YEAR + 2

    def hit_value(self, value):
        """Return the year as a hit carries it: None when there is none."""
        return value or None

    def terms(self, value):
        """Return the term a report's year is filed under: the year."""
        number = self.number(value)
        return (str(number),) if number else ()

    def chosen_terms(self, choice):
        """Return the terms of the chosen ranges: each year in them."""
        return [str(year) for year in years_in(choice.values)]

    def number(self, value):
        """Return a report's year as its code: the year, or NO_YEAR when it is none or implausible."""
        return value if isinstance(value, int) and FIRST_YEAR <= value <= LAST_YEAR else NO_YEAR

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
        years = {str(year): counted for year, counted in counted_values(counts) if year != NO_YEAR}
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
class NameMatch:
    """A query field matching names of one or more facets by their start (region:浙江) or by a part (issuer:司法局)."""

    name: str
    chip: str
    facets: tuple            # the names of the facets whose values it matches
    query_names: tuple
    contains: bool = False   # a part of the name anywhere, not only its start

    @property
    def typed_match(self):
        """Return how its names match: by their start, or by any part with contains."""
        return PART if self.contains else START

    def chosen_terms(self, choice):
        """Return None: names are searched as text, not looked up by term."""
        return None

    def read_query(self, text, notices):
        """Return the names typed in a query, or None (with a notice) when there are none."""
        values = typed_values(self.name, text, notices)
        return Choice(values, values) if values else None

    def matches(self, column, choice):
        """Return, per code of a facet's coded column, whether its name starts with (or holds) a chosen name."""
        wanted = tuple(normalize(value) for value in choice.values)
        if self.contains:
            return np.array([any(part in normalize(name) for part in wanted) for name in column.names], bool)
        return np.array([bool(name) and normalize(name).startswith(wanted) for name in column.names], bool)

    def selects(self, column, choice, codes):
        """Return per document code whether the choice takes it in."""
        return self.matches(column, choice)[codes]

    def describe(self, choice):
        """Return the names in Chinese, e.g. 地区：浙江."""
        return f"{self.chip}：{'或'.join(choice.labels)}"


@dataclass(frozen=True)
class Text(Named):
    """A report's text searched by what it contains (文号 〔2024〕9号): filtered by, shown as a chip, not counted."""

    counted = False
    typed_match = PART

    def matches(self, column, choice):
        """Return, per code of the coded column, whether its text holds a chosen value (folded as searches fold)."""
        wanted = [normalize(value) for value in choice.values]
        return np.array([any(part in normalize(name) for part in wanted) for name in column.names], bool)


# Dates: 2021, 2021-03, 2021-03-05 (or 2021年3月5日, 2021/3/5), and ranges between two of them.
DATE = re.compile(r"^(\d{4})(?:\s*[-/.年]\s*(\d{1,2})(?:\s*[-/.月]\s*(\d{1,2})\s*日?)?\s*月?)?\s*年?$")
DATE_RANGE = re.compile(r"\s*(?:~|～|至|到|\.\.|—|–)\s*")
NO_DATE = UNKNOWN
# The facet value of the reports that give no publication date, and the range choosing them: a date
# filter leaves them out, so the sidebar names them instead of letting them vanish.
UNDATED = "未注明"
UNDATED_RANGE = (NO_DATE, NO_DATE)


def date_bounds(text):
    """Return (first, last) yyyymmdd of what a date text covers (a year, a month, a day), or None."""
    found = DATE.match(text.strip())
    if not found:
        return None
    year, month, day = (int(part) if part else None for part in found.groups())
    if not FIRST_YEAR <= year <= LAST_YEAR or (month and not 1 <= month <= 12) or (day and not 1 <= day <= 31):
        return None
    if day:
        return (year * 10000 + month * 100 + day,) * 2
    if month:
        return year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
    return year * 10000 + 101, year * 10000 + 1231


def read_dates(label):
    """Return the (first, last) yyyymmdd range a date label covers (2021, 2021-03, 2021-01-01~2021-06-30), or None."""
    ends = [piece for piece in DATE_RANGE.split(label.strip()) if piece]
    bounds = [date_bounds(piece) for piece in ends]
    if not 1 <= len(bounds) <= 2 or None in bounds:
        return None
    first, last = min(bound[0] for bound in bounds), max(bound[1] for bound in bounds)
    return first, last


def date_text(day):
    """Return a yyyymmdd number as 2021-03-05."""
    return f"{day // 10000}-{day // 100 % 100:02d}-{day % 100:02d}"


def date_periods(day):
    """Return the periods a yyyymmdd date lies in, as terms: its year, its month and its day (y2021, m202103, d20210305)."""
    if day == NO_DATE:
        return ()
    return f"y{day // 10000}", f"m{day // 100}", f"d{day}"


def periods_covering(first, last):
    """Return the fewest periods (whole years, whole months, days; as date_periods names them) covering yyyymmdd first..last."""
    found = []
    for year in range(first // 10000, last // 10000 + 1):
        if first <= year * 10000 + 101 and year * 10000 + 1231 <= last:
            found.append(f"y{year}")
            continue
        for month in range(1, 13):
            low, high = year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
            if high < first or low > last:
                continue
            if first <= low and high <= last:
                found.append(f"m{year * 100 + month}")
            else:
                found += [f"d{day}" for day in range(max(low, first), min(high, last) + 1)]
    return found


@dataclass(frozen=True)
class Dates(Facet):
    """A date (the publication date): chosen as years, months, days or ranges, counted per year."""

    numbered = True
    tallied_apart = True

    @property
    def most_codes(self):
        """Return how many codes its counts can group at most: every plausible year and no date."""
        return LAST_YEAR - FIRST_YEAR + 2

    def tally_code(self, codes):
        """Return the year of each yyyymmdd code: the sidebar counts dates by year."""
        return codes // 10000

    def terms(self, value):
        """Return the terms a date is filed under: its year, its month and its day."""
        return date_periods(self.number(value))

    def chosen_terms(self, choice):
        """Return the fewest periods covering the chosen ranges."""
        return [term for first, last in choice.values for term in periods_covering(first, last)]

    def number(self, value):
        """Return an ISO date as its yyyymmdd code, NO_DATE when it is none."""
        return date_key(value)

    def read(self, labels):
        """Return the Choice of date ranges; raises ValueError for a label that is no date."""
        ranges = []
        for label in labels:
            found = UNDATED_RANGE if label == UNDATED else read_dates(label)
            if found is None:
                raise ValueError(f"“{label}”不是日期（应为如 2021、2021-03、2021-03-05 或 2021-01-01~2021-06-30，"
                                 f"或“{UNDATED}”）")
            ranges.append(found)
        return Choice(labels, tuple(ranges))

    def read_query(self, text, notices):
        """Return the date ranges typed in a query, noting unreadable ones."""
        labels = []
        for piece in typed_values(self.name, text, notices):
            if read_dates(piece):
                labels.append(piece)
            else:
                notices.append(f"日期“{piece}”无法识别（应为如 2021-03 或 2021-01-01~2021-06-30），已忽略这个条件。")
        return self.read(tuple(labels)) if labels else None

    def selects(self, column, choice, codes):
        """Return per document whether its date lies in a chosen range (UNDATED_RANGE: whether it has none).

        NO_DATE lies below every date a label can give (FIRST_YEAR), so only UNDATED_RANGE takes it in.
        """
        inside = np.zeros(len(codes), bool)
        for first, last in choice.values:
            inside |= (codes >= first) & (codes <= last)
        return inside

    def tallied(self, column):
        """Return the column of each document's year of publication: the sidebar counts by year."""
        return type(column)(self.tally_code(column.codes), per_report=self.tally_code(column.per_report))

    def rows(self, counts, column, choice):
        """Return the years with hits, newest first, then UNDATED for the undated ones; a year is chosen when a
        chosen range covers all of it."""
        ranges = choice.values if choice else ()
        found = dict(counted_values(counts))
        rows = [row(str(year), paragraphs, reports, any(a <= year * 10000 + 101 and year * 10000 + 1231 <= b
                                                         for a, b in ranges))
                for year, (paragraphs, reports) in sorted(found.items(), reverse=True) if year != NO_DATE]
        if NO_DATE in found or UNDATED_RANGE in ranges:
            rows.append(row(UNDATED, *found.get(NO_DATE, (0, 0)), UNDATED_RANGE in ranges))
        return rows

    def describe(self, choice):
        """Return the chosen dates in Chinese, e.g. 发布日期：2021-01-01至2021-06-30."""
        return f"{self.chip}：" + "或".join(UNDATED if (a, b) == UNDATED_RANGE else date_text(a) if a == b
                                          else f"{date_text(a)}至{date_text(b)}" for a, b in choice.values)

    def labels_without(self, labels, value):
        """Return the labels left once a label is removed, or a year unticked: ranges within it go too."""
        if value in labels or not value.isdigit():
            return super().labels_without(labels, value)
        year = int(value)
        return tuple(label for label in labels
                     if not year * 10000 + 101 <= (read_dates(label) or (0, 0))[0] <= year * 10000 + 1231)


def counted_values(counts):
    """Yield (code, (paragraphs, reports)) of every code a tally found (search/facets.py tally)."""
    paragraphs, reports = counts
    for code in np.flatnonzero(paragraphs).tolist():
        yield code, (int(paragraphs[code]), int(reports[code]))


def row(value, count, reports, selected, label=None):
    """Return one facet value as plain data: the value (as URLs carry it) and how a page shows it."""
    return {"value": value, "label": label or value, "count": count, "reports": reports, "selected": selected}


