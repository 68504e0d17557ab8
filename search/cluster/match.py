"""Match nodes (search/nodes.py) and facet choices as Sphinx's query syntax and SphinxQL filters.

Every leaf becomes a phrase of the character tokens model/cluster/rows.py indexed, limited to
its field: the paragraph's text, its sentences (同句, with SENTENCE), its report's title, a name
field (region:, issuer:, 文号), or the terms in field tags its kind files values under (classes,
years, dates: model/kinds.py). AND, OR and NOT keep the tree's grouping. Facet choices given as
parameters become conditions on integer attributes, computed in the select list and required in
WHERE (Sphinx 2.2 has no OR in WHERE).
"""
from model.cluster.rows import EVERY, facet_code, tag, tokens
from model.cluster.schema import name_field
from model.kinds import START, WHOLE
from model.registry import BY_NAME
from model.text import normalize
from search.nodes import TITLE, AllOf, AnyOf, Contains, Everything, FieldIs, SameSentence, Without
from search.parse import FIELDS

# A tag no row has: what a phrase without a letter or digit matches.
NOTHING = "(@tags nothing)"


def phrase(field, norm, at_start=False, at_end=False):
    """Return a field limited to a folded phrase's tokens in a row (at its start with at_start, its end with at_end)."""
    spelled = tokens(norm)
    if not spelled:
        return NOTHING
    return f'(@{field} "{"^" if at_start else ""}{spelled}{"$" if at_end else ""}")'


def either(parts):
    """Return parts joined by OR."""
    parts = list(dict.fromkeys(parts))
    if not parts:
        return NOTHING
    return parts[0] if len(parts) == 1 else "(" + " | ".join(parts) + ")"


def field_query(field, choice):
    """Return the query of a field typed in the query text (region:浙江, level:乡镇, year:2020, 文号:9号): the terms
    its chosen values are filed under, or a phrase of each typed name in its facets' name fields."""
    terms = field.chosen_terms(choice)
    if terms is not None:
        return either([f"(@tags {tag(field.name, term)})" for term in terms])
    fields = [name_field(name) for name in field.facets]
    where = fields[0] if len(fields) == 1 else f"({','.join(fields)})"
    return either([phrase(where, normalize(value), at_start=field.typed_match in (START, WHOLE),
                          at_end=field.typed_match == WHOLE) for value in choice.values])


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
    """Return a SphinxQL expression, 1 where a facet choice given as a parameter takes a paragraph in; None for a
    facet that is not counted, which has no attribute (a text searched by what it holds, filtered in the query)."""
    if not facet.counted:
        return None
    column = facet.name
    if facet.numbered:
        # The chosen (first, last) ranges of numbers (years, yyyymmdd dates); 0, none, lies below every range a
        # label gives but the undated one (model/kinds.py UNDATED_RANGE).
        ranges = " OR ".join(f"({column}>={first} AND {column}<={last})" for first, last in choice.values)
        return f"({ranges})"
    return f"IN({column}, {', '.join(str(facet_code(facet, value)) for value in choice.values)})"


def text_filters(choices):
    """Return the query text of the choices of facets without attribute (文号 given as a parameter): names holding a value."""
    return [field_query(BY_NAME[name], choice) for name, choice in choices.items() if not BY_NAME[name].counted]
