"""The state of a search page, read from and written back to its URL query string."""
from dataclasses import dataclass, field, replace
from functools import lru_cache
from urllib.parse import quote, quote_plus, urlencode

from model.registry import FACET_NAMES
from search.params import EXACT, FOLD_OFF
from search.urls import match_pairs, report_path

from . import advanced

DEFAULTS = {"scope": "all", "sort": "relevance", "page": "1", "fold": "1", "group": "paragraph", "match": EXACT}


@dataclass(frozen=True)
class SearchState:
    """Everything a search page shows depends on: query, scope, filters, sort, page, folding, grouping and match mode,
    as given."""

    q: str = ""
    scope: str = "all"
    filters: dict = field(default_factory=dict)  # filter name -> tuple of values, in FACET_NAMES order
    sort: str = "relevance"
    page: str = "1"
    fold: str = "1"  # "0": every hit shown, near-identical ones not folded under their earliest
    group: str = "paragraph"  # "report": reports listed, each with its matching paragraphs
    match: str = EXACT  # "words": unquoted terms matched by their jieba words (模糊), not as written

    def changed(self, **changes):
        """Return a copy with some fields replaced; any change but the page goes back to page 1."""
        if "page" not in changes:
            changes["page"] = "1"
        return replace(self, **changes)

    def with_filter(self, name, values):
        """Return the state with one filter set to values (dropped when empty), on page 1."""
        filters = dict(self.filters)
        filters[name] = tuple(values)
        return self.changed(filters={k: filters[k] for k in FACET_NAMES if filters.get(k)})

    def search_kwargs(self):
        """Return the keyword arguments of SearchEngine.search for this state (the page's hit count)."""
        return {"q": self.q, "filters": {k: list(v) for k, v in self.filters.items()},
                "sort": self.sort, "page": self.page, "scope": self.scope, "fold": self.fold, "group": self.group,
                "match": self.match}

    @property
    def folded(self):
        """Tell whether near-identical hits are folded (anything but an explicit off is on; the core checks the value)."""
        return self.fold.strip().lower() not in FOLD_OFF


def read_state(args):
    """Read a search state from request arguments (a MultiDict); the search core checks the values."""
    filters = {}
    for name in FACET_NAMES:
        values = tuple(dict.fromkeys(v.strip() for v in args.getlist(name) if v.strip()))
        if values:
            filters[name] = values
    q = args.get("q", "").strip()
    if advanced.asked(args):
        # The advanced form's fields, turned into the syntax the search box then shows.
        q = " ".join(filter(None, [q, advanced.compose(args)]))
    return SearchState(
        q=q,
        scope=args.get("scope", "").strip() or DEFAULTS["scope"],
        filters=filters,
        sort=args.get("sort", "").strip() or DEFAULTS["sort"],
        page=args.get("page", "").strip() or DEFAULTS["page"],
        fold=args.get("fold", "").strip() or DEFAULTS["fold"],
        group=args.get("group", "").strip() or DEFAULTS["group"],
        match=args.get("match", "").strip().lower() or DEFAULTS["match"],
    )


def query_pairs(state):
    """Return the URL parameters of a state in a fixed order, leaving out defaults."""
    pairs = [("q", state.q)] if state.q else []
    if state.scope != DEFAULTS["scope"]:
        pairs.append(("scope", state.scope))
    for name in FACET_NAMES:
        pairs.extend((name, value) for value in state.filters.get(name, ()))
    for name in ("sort", "page", "fold", "group", "match"):
        value = str(getattr(state, name))
        if value != DEFAULTS[name]:
            pairs.append((name, value))
    return pairs


@lru_cache(maxsize=256)
def parameter(name, value):
    """Return one URL parameter as urlencode writes it, name=value, both quoted.

    A results page links each of its facet values with the whole state, the query among it:
    the query is quoted once for the page, not once per link (a long one took most of a page's time).
    """
    return f"{quote_plus(name)}={quote_plus(value)}"


def url(path, state):
    """Return path with the state's query string, e.g. /search?q=…&province=…."""
    query = "&".join(parameter(name, value) for name, value in query_pairs(state))
    return f"{path}?{query}" if query else path


def report_url(root, report_id, q="", n=None, match=EXACT):
    """Return the link to a report under root (a path or an address), carrying the query to mark (and how it
    matches) and the paragraph to show."""
    return root + report_path(report_id, q, n, match)


def timeline_url(path, issuer):
    """Return the link to one issuer's reports by year and what changed between them (path: the timeline page's)."""
    return f"{path}?{urlencode({'issuer': issuer})}"


def compare_url(root, left, right=None, q="", match=EXACT):
    """Return the link to reading two reports side by side (with one, to choosing the other), carrying the query."""
    pairs = [("a", left)] + ([("b", right)] if right else []) + match_pairs(q, match)
    return f"{root}/compare?{urlencode(pairs)}"


def similar_url(root, report_id, n):
    """Return the link to a paragraph read side by side with its near-identical paragraphs of other reports."""
    return f"{root}/report/{quote(report_id, safe='')}/similar/{n}"


def passage_url(root, group):
    """Return the link to one passage of the reuse view: every paragraph of a group, its spread."""
    return f"{root}/reuse?{urlencode({'group': group})}"
