"""Planning a search: the query text parsed once, the parameters read, and what both mean to the index."""
from dataclasses import dataclass, field, replace

from .params import (EXACT, PARAGRAPH, REPORT, active, describe, read_filters, read_fold, read_group, read_limit,
                     read_match, read_page, read_scope, read_sort)
from .parse import parse
from .query import as_written, compile_tree, in_titles


@dataclass
class Plan:
    """One search as the index will run it, and as the results will describe it."""

    text: str              # the query as read (control characters dropped, cut to length)
    tree: object           # the query's parse tree (search/parse.py), None when nothing is searchable
    compiled: object       # search/query.py's Compiled: match nodes, ranking words, needles
    choices: dict          # facet name -> Choice, the filters given as parameters
    sort: str
    page: int
    limit: object          # hits per page, or None for every hit
    scope: str
    notices: list = field(default_factory=list)
    fold: bool = True      # near-identical hits folded under their earliest (search/reuse.py)
    group: str = PARAGRAPH  # what is listed and paged: paragraphs, or reports with their matches
    match: str = EXACT     # unquoted terms matched as written (exact) or by their jieba words (words)

    @property
    def by_report(self):
        """Tell whether the plan lists reports, each with its matching paragraphs."""
        return self.group == REPORT

    @property
    def description(self):
        """Return what is searched, in Chinese: the query's meaning and the filters in force."""
        return " 且 ".join(filter(None, [self.compiled.description, describe(self.choices)]))

    @property
    def filters(self):
        """Return the filters in force as plain data, parameter name to values as given."""
        return active(self.choices)

    def with_query(self, q):
        """Return the same search (filters, sort, scope) for another query text, on its first page."""
        parsed = parse(q)
        return replace(self, text=parsed.text, tree=parsed.tree, compiled=compiled(parsed.tree, self.scope, self.match),
                       page=1, notices=parsed.notices)

    def runs(self):
        """Tell whether the index is searched: for text, or for filters alone (browsing what they select)."""
        return self.compiled.match is not None or (not self.text and bool(self.choices))


def plan(q="", filters=None, sort="relevance", page=1, limit=20, scope="all", fold=True, group=PARAGRAPH,
         match=EXACT):
    """Return the Plan of a search; raises BadParameter for unusable parameters.

    filters maps facet names to lists of values (OR within one, AND across them); limit
    is clamped to 1..100, None meaning every hit; scope "title" looks for the query's
    words and phrases in the report titles only; fold (on unless 0, false, no or off)
    folds near-identical hits under their earliest; group "report" lists reports, each with its
    matching paragraphs, instead of paragraphs; match "exact" (the default) matches every unquoted
    term as written, "words" by its jieba words, which may lie apart.
    """
    notices = []
    limit = read_limit(limit, notices)
    page, sort, choices, scope = read_page(page), read_sort(sort), read_filters(filters), read_scope(scope)
    group, match = read_group(group), read_match(match)
    if scope == "title" and group == REPORT:
        # A title search lists reports already, each with its paragraphs that pass the filters.
        notices.append("标题检索本来就按报告列出，已忽略“按报告分组”。")
        group = PARAGRAPH
    parsed = parse(q)
    return Plan(parsed.text, parsed.tree, compiled(parsed.tree, scope, match), choices, sort, page, limit, scope,
                parsed.notices + notices, read_fold(fold), group, match)


def compiled(tree, scope, match=EXACT):
    """Return what a parse tree means to the index in a scope (the paragraphs, or the titles) and a match mode
    (unquoted terms as written, or as words)."""
    if match == EXACT:
        tree = as_written(tree)
    return compile_tree(in_titles(tree) if scope == "title" else tree)
