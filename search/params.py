"""Search parameters given apart from the query text: facet filters, sort, page, limit, scope, grouping and match
mode.

Every value is checked here, once, for the CLI, the JSON API and the web pages alike;
a bad one raises BadParameter naming the parameter and the reason.
"""
from model.registry import BY_NAME, FACET_NAMES

from .sorts import SORTS
# Where the words of a query are looked for: the paragraphs, or only the report titles.
SCOPES = ("all", "title")
# What a page lists: every matching paragraph, or every report holding one (its count and first matches).
PARAGRAPH, REPORT = "paragraph", "report"
GROUPS = (PARAGRAPH, REPORT)
DEFAULT_LIMIT = 20
# fold=…: near-identical hits folded under their earliest (the default) or every hit shown.
FOLD_ON = ("", "1", "true", "yes", "on")
FOLD_OFF = ("0", "false", "no", "off")
# match=…: how an unquoted term is matched. As written (exact, the default): a substring, as a quoted
# phrase is, so that counting a term counts it; or by its jieba words, each anywhere in the paragraph
# (words: 行政执法 also finds 推行政务 … 执法监督), for a looser search.
EXACT, WORDS = "exact", "words"
MATCH_MODES = (EXACT, WORDS)
# What each match mode does, as the results page, the workbook and the command line say it.
MATCH_NOTES = {EXACT: "精确匹配：每个检索词按原文连续出现，与加引号相同（简繁体视为相同）。",
               WORDS: "模糊匹配：未加引号的检索词拆成词语，各词语可分开出现在段落中。"}
# limit=all (--limit all): every hit on one page, up to the cap a caller sets.
ALL = "all"
# Most hits one whole-result answer holds (limit=all, exports), the first in the search's
# order: a download of every paragraph with a common character would hold a server worker
# for a minute on a national corpus.
MAX_EXPORT_HITS = 20_000
# Hits per page for people and the API; a whole export asks for limit=None instead.
MAX_LIMIT = 100
# Filter values of one search, all filters together. A person ticks a few facet values;
# hundreds come only from a crafted URL, and every page link repeats them all (500 values
# took the results page seconds to render).
MAX_FILTER_VALUES = 50


class BadParameter(ValueError):
    """A search parameter with an unusable value; says which one and why, in Chinese."""

    def __init__(self, name, reason):
        super().__init__(f"参数 {name} 无效：{reason}")
        self.name = name
        self.reason = reason


def values_of(filters, name):
    """Return the non-empty, stripped values given for one filter name (a string or a list)."""
    given = (filters or {}).get(name) or []
    if isinstance(given, str):
        given = [given]
    return tuple(dict.fromkeys(str(v).strip() for v in given if str(v).strip()))


def read_filters(filters):
    """Check a {name: [values]} mapping of facet filters and return {name: Choice} in facet order."""
    unknown = sorted(set(filters or {}) - set(FACET_NAMES))
    if unknown:
        raise BadParameter(unknown[0], f"没有这个筛选项（可用：{'、'.join(FACET_NAMES)}）")
    given = {name: values_of(filters, name) for name in FACET_NAMES}
    if sum(map(len, given.values())) > MAX_FILTER_VALUES:
        name = max(FACET_NAMES, key=lambda n: len(given[n]))
        raise BadParameter(name, f"筛选值太多：共 {sum(map(len, given.values()))} 个，最多 {MAX_FILTER_VALUES} 个")
    choices = {}
    for name, labels in given.items():
        if labels:
            try:
                choices[name] = BY_NAME[name].read(labels)
            except ValueError as error:
                raise BadParameter(name, str(error)) from None
    return choices


def active(choices):
    """Return the filters in force as plain data, parameter name to the values as given."""
    return {name: list(choice.labels) for name, choice in choices.items()}


def describe(choices):
    """Return the filters in force in Chinese, e.g. 省：浙江省 且 年度：2020—2022."""
    return " 且 ".join(BY_NAME[name].describe(choice) for name, choice in choices.items())


def read_int(name, value, default):
    """Return a parameter as an int (default when absent); raises BadParameter when it is not one."""
    if value is None or value == "":
        return default
    if isinstance(value, bool):
        raise BadParameter(name, f"“{value}”不是整数")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise BadParameter(name, f"“{value}”不是整数") from None


def read_limit(value, notices):
    """Return hits per page clamped to 1..MAX_LIMIT, or None (every hit) when value is None or "all"."""
    if value is None or str(value).strip().lower() == ALL:
        return None
    limit = read_int("limit", value, DEFAULT_LIMIT)
    clamped = max(1, min(limit, MAX_LIMIT))
    if clamped != limit:
        notices.append(f"每页条数只能是 1 到 {MAX_LIMIT}，已按 {clamped} 显示。")
    return clamped


def read_page(value):
    """Return the page number, 1 or more; raises BadParameter otherwise."""
    page = read_int("page", value, 1)
    if page < 1:
        raise BadParameter("page", f"页码应从 1 开始，而不是 {page}")
    return page


def read_sort(value):
    """Return the sort order name; raises BadParameter when it is not one of SORTS."""
    sort = (value or "relevance").strip()
    if sort not in SORTS:
        raise BadParameter("sort", f"“{sort}”不是排序方式（可用：{'、'.join(SORTS)}）")
    return sort


def read_fold(value):
    """Return whether near-identical hits fold under their earliest: on unless value says off (0, false, no, off)."""
    if value is None or value is True or value is False:
        return value is not False
    text = str(value).strip().lower()
    if text in FOLD_ON:
        return True
    if text in FOLD_OFF:
        return False
    raise BadParameter("fold", f"“{value}”不是开关（可用：1 折叠相似结果，0 全部显示）")


def read_match(value):
    """Return how unquoted terms are matched, exact (as written, the default) or words; raises BadParameter otherwise."""
    match = (value or EXACT).strip().lower()
    if match not in MATCH_MODES:
        raise BadParameter("match", f"“{value}”不是匹配方式（可用：{EXACT} 按原文精确匹配，{WORDS} 按词语模糊匹配）")
    return match


def read_scope(value):
    """Return the scope name; raises BadParameter when it is not one of SCOPES."""
    scope = (value or "all").strip()
    if scope not in SCOPES:
        raise BadParameter("scope", f"“{scope}”不是检索范围（可用：{'、'.join(SCOPES)}）")
    return scope


def read_group(value):
    """Return what a search lists, paragraph or report; raises BadParameter when it is neither."""
    group = (value or PARAGRAPH).strip()
    if group not in GROUPS:
        raise BadParameter("group", f"“{group}”不是分组方式（可用：{PARAGRAPH} 按段落，{REPORT} 按报告）")
    return group
