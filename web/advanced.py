"""高级检索: form fields that build the query syntax, and the way back from a query to the fields.

Every field is a URL parameter of /search (all, phrase, any, none, sentence, title, issuer_has,
docno_has, region, level_in, section_in, year_from, year_to, date_from, date_to), so an
advanced search can be linked to like any other; the fields are turned into the typed syntax,
which the results page shows in its search box and the form shows under itself, so people
learn it. A query whose shape the fields can hold is read back into them for editing.

No field is named as a facet is (level, issuer, docno, …): a facet's parameter is a filter the
chips take off, a field's is syntax put into the query, and one parameter read both ways would
put every facet filter into the search box, beyond the reach of its chip.
"""
import re
from dataclasses import dataclass

from model.kinds import Classes, date_text
from model.registry import BY_NAME, FACETS
from search.parse import And, Field, Group, Not, Or, Phrase, Title, Words, parse

# Characters of the query syntax that a value typed into one field cannot carry: they would
# open a phrase, a group or an operator the person did not mean.
SYNTAX_CHARS = re.compile(r"[\"＂“”「」『』()（）|｜:：]")
LEADING_MINUS = re.compile(r"^[-－]+")


@dataclass(frozen=True)
class FormField:
    """One field of the form: its parameter, its label, what to type, and the query field it types (issuer:…)."""

    name: str
    label: str
    hint: str = ""
    typed: str = ""


@dataclass(frozen=True)
class ChoiceField:
    """The boxes of a closed-list facet (level, section): their parameter, and the facet whose values they offer."""

    name: str
    facet: object


# The text fields, in the order of the form.
TEXT_FIELDS = (
    FormField("all", "包含全部词语", "空格分隔，如：法律顾问 合法性审查"),
    FormField("phrase", "包含精确短语", "如：枫桥经验"),
    FormField("any", "包含任意一个词", "空格分隔，如：普法 法治宣传"),
    FormField("none", "不包含", "空格分隔，如：村 社区"),
    FormField("sentence", "同一句中出现", "空格分隔，如：法律顾问 审查"),
    FormField("title", "标题含", "如：街道"),
    FormField("issuer_has", "发布机关含", "名称的一部分，如：司法局、人民政府", typed="issuer"),
    FormField("docno_has", "文号含", "如：〔2024〕9号", typed="docno"),
    FormField("region", "地区", "省、市、区县或乡镇街道名称的开头，如：浙江、西湖", typed="region"),
)
# The text fields that type a query field (issuer:…), by that field's name.
TYPING_FIELDS = {field.typed: field.name for field in TEXT_FIELDS if field.typed}
RANGE_FIELDS = ("year_from", "year_to", "date_from", "date_to")
# The facets whose values are a closed list (level, section): the form offers their values to tick, and
# the syntax help lists them; typed in a query by their first query name.
CHOICE_FIELDS = tuple(ChoiceField(f"{facet.name}_in", facet)
                      for facet in FACETS if isinstance(facet, Classes) and facet.query_names)
CHOICE_NAMES = tuple(field.name for field in CHOICE_FIELDS)
NAMES = tuple(field.name for field in TEXT_FIELDS) + RANGE_FIELDS + CHOICE_NAMES


def clean(value):
    """Return a field's text without the characters of the query syntax, spaces collapsed."""
    return " ".join(SYNTAX_CHARS.sub(" ", value or "").split())


def words(value):
    """Return the words of a field, none of them mistaken for an exclusion or an operator."""
    found = (LEADING_MINUS.sub("", word) for word in clean(value).split())
    return [word for word in found if word and word not in ("OR", "AND", "NOT")]


def span(first, last, separator):
    """Return a range of two optional ends as typed: one end alone when the other is missing."""
    first, last = (first or "").strip(), (last or "").strip()
    if first and last:
        return first if first == last else f"{first}{separator}{last}"
    return first or last


def compose(values):
    """Return the query syntax the form's values (a MultiDict) ask for ("" when they ask for nothing)."""
    def get(name):
        """Return one text field's value."""
        return values.get(name) or ""

    parts = list(words(get("all")))
    if clean(get("phrase")):
        parts.append(f'"{clean(get("phrase"))}"')
    alternatives = words(get("any"))
    if alternatives:
        parts.append(alternatives[0] if len(alternatives) == 1 else f"({' OR '.join(alternatives)})")
    parts += [f"-{word}" for word in words(get("none"))]
    together = words(get("sentence"))
    if len(together) > 1:
        parts.append(f"同句({' '.join(together)})")
    elif together:
        parts.append(f'"{together[0]}"')
    parts += [f"title:{word}" for word in words(get("title"))]
    for typed, name in TYPING_FIELDS.items():
        value = "".join(clean(get(name)).split())
        if value:
            parts.append(f"{typed}:{value}")
    for field in CHOICE_FIELDS:
        chosen = [clean(value) for value in values.getlist(field.name)]
        if any(chosen):
            parts.append(f"{field.facet.query_names[0]}:{','.join(value for value in chosen if value)}")
    years = span(get("year_from"), get("year_to"), "-")
    if years:
        parts.append(f"year:{years}")
    dates = span(get("date_from"), get("date_to"), "~")
    if dates:
        parts.append(f"published:{dates}")
    return " ".join(parts)


def asked(args):
    """Tell whether a request's parameters hold any field of the advanced form."""
    return any(args.get(name, "").strip() for name in NAMES if name not in CHOICE_NAMES) or \
        any(value.strip() for name in CHOICE_NAMES for value in args.getlist(name))


def form_values(q):
    """Return the form's values for a query, or None when its shape does not fit the fields."""
    tree = parse(q).tree
    values = {name: [] for name in NAMES}
    parts = tree.parts if isinstance(tree, And) else (() if tree is None else (tree,))
    for part in parts:
        if not fill(values, part):
            return None
    return {name: " ".join(found) if name not in CHOICE_NAMES else found for name, found in values.items()}


def fill(values, part):
    """Put one top-level part of a query into the form's values; False when no field holds it."""
    if isinstance(part, Words):
        values["all"].append(part.text)
    elif isinstance(part, Phrase) and not values["phrase"]:
        values["phrase"].append(part.text)
    elif isinstance(part, Or) and all(isinstance(p, Words) for p in part.parts) and not values["any"]:
        values["any"] += [p.text for p in part.parts]
    elif isinstance(part, Not) and isinstance(part.part, Words):
        values["none"].append(part.part.text)
    elif isinstance(part, Group) and part.scope == "sentence" and not values["sentence"]:
        values["sentence"] += list(part.phrases)
    elif isinstance(part, Title) and not part.exact:
        values["title"].append(part.text)
    elif isinstance(part, Field):
        return fill_field(values, part)
    else:
        return False
    return True


def fill_field(values, field):
    """Put one field of a query (region:, level:, year:, …) into the form's values; False when none holds it."""
    name, choice = field.name, field.choice
    boxes = {box.facet.name: box.name for box in CHOICE_FIELDS}
    if name in TYPING_FIELDS and len(choice.labels) == 1 and not values[TYPING_FIELDS[name]]:
        values[TYPING_FIELDS[name]].append(choice.labels[0])
    elif name in boxes:
        values[boxes[name]] += [BY_NAME[name].display(value) for value in choice.values]
    elif name == "year" and len(choice.values) == 1 and not values["year_from"]:
        first, last = choice.values[0]
        values["year_from"], values["year_to"] = [str(first)], [str(last)]
    elif name == "published" and len(choice.values) == 1 and not values["date_from"]:
        first, last = choice.values[0]
        values["date_from"], values["date_to"] = [date_text(first)], [date_text(last)]
    else:
        return False
    return True


def choices():
    """Return the values of each closed-list facet (the levels, the sections) as pages show them, by facet name."""
    return {field.facet.name: field.facet.choices() for field in CHOICE_FIELDS}
