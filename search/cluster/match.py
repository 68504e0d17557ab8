"""Match nodes (search/nodes.py) and facet choices as Sphinx's query syntax and SphinxQL filters.

Every leaf becomes a phrase of the character tokens documents.py indexed, limited to its field:
the paragraph's text, its sentences (同句, with SENTENCE), its report's title, a name field
(region:, issuer:, 文号), or the tags of classes, years and dates. AND, OR and NOT keep the
tree's grouping. Facet choices given as parameters become conditions on integer attributes,
computed in the select list and required in WHERE (Sphinx 2.2 has no OR in WHERE).
"""
from model.text import normalize
from model.kinds import Classes, Dates, NameMatch, Named, Text, Years
from search.nodes import TITLE, AllOf, AnyOf, Contains, Everything, FieldIs, SameSentence, Without
from search.parse import FIELDS
from model.registry import BY_NAME

from model.cluster.rows import EVERY, tag, tokens, value_code
from model.cluster.schema import DATE_YEAR_SUFFIX, name_field

# A tag no row has: what a phrase without a letter or digit matches.
NOTHING = "(@tags nothing)"


def phrase(field, norm, at_start=False):
    """Return a field limited to a folded phrase's tokens in a row (at its start with at_start)."""
    spelled = tokens(norm)
    if not spelled:
        return NOTHING
    return f'(@{field} "{"^" if at_start else ""}{spelled}")'


def either(parts):
    """Return parts joined by OR."""
    parts = list(dict.fromkeys(parts))
    if not parts:
        return NOTHING
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def years_in(ranges):
    """Return the years of (first, last) ranges."""
    return sorted({year for first, last in ranges for year in range(first, last + 1)})


def date_range_tags(name, first, last):
    """Return the fewest date tags (whole years, whole months, days) covering yyyymmdd first..last."""
    found = []
    for year in range(first // 10000, last // 10000 + 1):
        if first <= year * 10000 + 101 and year * 10000 + 1231 <= last:
            found.append(f"{name}y{year}")
            continue
        for month in range(1, 13):
            low, high = year * 10000 + month * 100 + 1, year * 10000 + month * 100 + 31
            if high < first or low > last:
                continue
            if first <= low and high <= last:
                found.append(f"{name}m{year * 100 + month}")
            else:
                found += [f"{name}d{day}" for day in range(max(low, first), min(high, last) + 1)]
    return found


def field_query(field, choice):
    """Return the query of a field typed in the query text (region:浙江, level:乡镇, year:2020, 文号:9号)."""
    if isinstance(field, NameMatch):
        fields = ",".join(name_field(BY_NAME[name]) for name in field.facets)
        return either([phrase(f"({fields})", normalize(v), at_start=not field.contains) for v in choice.values])
    if isinstance(field, Text):
        return either([phrase(name_field(field), normalize(v)) for v in choice.values])
    if isinstance(field, Classes):
        return either([f"(@tags {tag(field.name, value)})" for value in choice.values])
    if isinstance(field, Years):
        return either([f"(@tags {tag(field.name, year)})" for year in years_in(choice.values)])
    if isinstance(field, Dates):
        return either([f"(@tags {t})" for first, last in choice.values for t in date_range_tags(field.name, first, last)])
    if isinstance(field, Named):
        # A name given whole: the field from its start to its end.
        return either([f'(@{name_field(field)} "^{tokens(normalize(v))}$")' for v in choice.values])
    raise TypeError(f"no cluster query for field {field!r}")


def match_query(node):
    """Return the Sphinx query text of a match node."""
    if isinstance(node, Contains):
        return phrase("title" if node.scope == TITLE else "text", node.norm)
    if isinstance(node, SameSentence):
        spelled = [tokens(needle) for needle in node.needles]
        if not all(spelled):
            return NOTHING
        return "(@sent " + " SENTENCE ".join(f'"{s}"' for s in spelled) + ")"
    if isinstance(node, FieldIs):
        return field_query(FIELDS[node.name], node.choice)
    if isinstance(node, Everything):
        return f"(@tags {EVERY})"
    if isinstance(node, AllOf):
        return "(" + " ".join(match_query(part) for part in node.parts) + ")"
    if isinstance(node, AnyOf):
        return "(" + " | ".join(match_query(part) for part in node.parts) + ")"
    if isinstance(node, Without):
        return f"({match_query(node.base)} -{match_query(node.dropped)})"
    raise TypeError(f"no cluster query for {node!r}")


def condition(facet, choice):
    """Return a SphinxQL expression, 1 where a facet choice given as a parameter takes a paragraph in; None when it is a text (filtered in the query)."""
    if isinstance(facet, Text):
        return None
    if isinstance(facet, Named):
        return f"IN({facet.name}, {', '.join(str(value_code(facet.name, v)) for v in choice.values)})"
    # 0 (no year, no date) lies below every range a label gives but the undated one (model/kinds.py UNDATED).
    column = facet.name
    return "(" + " OR ".join(f"({column}>={first} AND {column}<={last})" for first, last in choice.values) + ")"


def text_filters(choices):
    """Return the query text of the choices that are texts (文号 given as a parameter): their names hold a value."""
    return [field_query(BY_NAME[name], choice) for name, choice in choices.items()
            if isinstance(BY_NAME[name], Text)]


def group_column(facet):
    """Return the attribute a facet's counts group by (a date's year for a date)."""
    return facet.name + DATE_YEAR_SUFFIX if isinstance(facet, Dates) else facet.name
