"""The links of a search page as plain dicts: facet values, filter chips, sort, pages, hits, exports."""
from model.registry import BY_NAME, ISSUER, LEVEL, deeper
from search.params import EXACT, MATCH_NOTES, WORDS

from .marks import mark, window
from .reports import region_text
from .state import SearchState, compare_url, passage_url, report_url, similar_url, timeline_url, url

SORT_LABELS = {"relevance": "相关度", "newest": "最新", "oldest": "最早"}
# The switch between what a results page lists: every matching paragraph, or every report holding one.
GROUP_LABELS = {"paragraph": "按段落", "report": "按报告"}
# Facet values shown before the rest fold under 「更多」; more is a wall of links.
FACET_SHOWN = 8
# Page links either side of the current page before an ellipsis.
PAGE_WINDOW = 2
# Searches the home page offers to try, one per kind of query.
EXAMPLES = ("枫桥经验", '"法律顾问"', "同句(行政执法 规范)", "section:存在问题 执法")


def cleared_below(filters, name):
    """Return the filters without the facets below name in its hierarchy: they belong to the old choice above."""
    below = {facet.name for facet in deeper(BY_NAME[name])}
    return {k: v for k, v in filters.items() if k not in below}


def without(state, name, value):
    """Return the state with one chosen value unticked (and, in a hierarchy, the levels below it cleared)."""
    filters = cleared_below(state.filters, name)
    return state.changed(filters=filters).with_filter(name, BY_NAME[name].labels_without(filters.get(name, ()), value))


def toggled(state, name, value, selected):
    """Return the state after clicking a facet value: selected ones go, others join their filter."""
    if selected:
        return without(state, name, value)
    filters = cleared_below(state.filters, name)
    return state.changed(filters=filters).with_filter(name, [*filters.get(name, ()), value])


def facet_group(name, values, state, path):
    """Return one sidebar group: its title and values, each with the link that toggles it."""
    rows = [dict(row, url=url(path, toggled(state, name, row["value"], row["selected"]))) for row in values]
    rest = rows[FACET_SHOWN:]
    # A selected value stays in sight even when its count ranks it among the folded ones.
    return {"name": name, "title": BY_NAME[name].label,
            "shown": rows[:FACET_SHOWN] + [row for row in rest if row["selected"]],
            "more": [row for row in rest if not row["selected"]],
            "selected": sum(1 for row in rows if row["selected"])}


def facet_groups(facets, state, path):
    """Return the sidebar groups of a results object's facets: a hierarchy level by level, then the others."""
    groups = []
    for name, rows in facets.items():
        levels = rows["levels"] if isinstance(rows, dict) else [{"level": name, "values": rows}]
        groups += [facet_group(level["level"], level["values"], state, path) for level in levels]
    return [group for group in groups if group["shown"]]


def with_timelines(groups, timeline_path):
    """Give each value of the issuer facet the link to that issuer's reports by year (its timeline)."""
    for group in groups:
        if group["name"] == ISSUER.name:
            for value in group["shown"] + group["more"]:
                value["timeline_url"] = timeline_url(timeline_path, value["value"])
    return groups


def chips(state, path):
    """Return the filters in force as removable chips: label and the link without it."""
    return [{"label": f"{BY_NAME[name].chip}：{BY_NAME[name].display(value)}", "url": url(path, without(state, name, value))}
            for name, values in state.filters.items() for value in values]


def sort_links(state, path):
    """Return the sort choices with their links, the current one marked."""
    return [{"label": label, "url": url(path, state.changed(sort=sort)), "current": sort == state.sort}
            for sort, label in SORT_LABELS.items()]


def page_numbers(page, pages):
    """Return the page numbers to link, None where an ellipsis stands."""
    near = set(range(max(1, page - PAGE_WINDOW), min(pages, page + PAGE_WINDOW) + 1)) | {1, pages}
    numbers, previous = [], 0
    for number in sorted(near):
        if number - previous == 2:
            numbers.append(previous + 1)  # an ellipsis would hide just one page: show it
        elif number - previous > 2:
            numbers.append(None)
        numbers.append(number)
        previous = number
    return numbers


def pagination(results, state, path):
    """Return the pager of a results object: previous, next and numbered links (None when one page)."""
    page, pages = results["page"], results["pages"]
    if pages <= 1:
        return None

    def link(number):
        """Return the link to one page of the results."""
        return url(path, state.changed(page=str(number)))

    return {
        "previous": link(page - 1) if page > 1 else None,
        "next": link(page + 1) if page < pages else None,
        "numbers": [{"number": n, "url": link(n) if n else None, "current": n == page}
                    for n in page_numbers(page, pages)],
    }


def paragraph_links(paragraph, root, q="", match=EXACT):
    """Return a paragraph (report_id, n and its report's fields) with its link, carrying the query, and its region as text."""
    return dict(paragraph, url=report_url(root, paragraph["report_id"], q, paragraph["n"], match),
                region_text=region_text(paragraph["region"]))


def hit_links(hits, state, root):
    """Return the hits with links to their report and paragraph (carrying the query to mark), their
    markup, and the links of their reuse: the hits folded under them, their near-identical paragraphs."""
    # Title scope finds words in titles, not paragraphs: the report page has nothing to mark.
    marked = "" if state.scope == "title" else state.q
    return [dict(hit,
                 report_url=report_url(root, hit["report_id"], marked, match=state.match),
                 paragraph_url=report_url(root, hit["report_id"], marked, hit["n"], state.match),
                 compare_url=compare_url(root, hit["report_id"], q=marked, match=state.match),
                 region_text=region_text(hit["region"]),
                 level_text=LEVEL.display(hit["level"]) if hit["level"] else "",
                 title_html=mark(hit["title"], hit["title_spans"]) if hit["title"] else "无标题报告",
                 snippet_html=window(hit["text"], hit["spans"], *hit["snippet"]),
                 folded_links=[paragraph_links(other, root, marked, state.match) for other in hit["folded_hits"]],
                 earliest_link=paragraph_links(hit["earliest"], root) if hit["earliest"] else None,
                 similar_url=similar_url(root, hit["report_id"], hit["n"]) if hit["group"] else None,
                 passage_url=passage_url(root, hit["group"]) if hit["group"] else None)
            for hit in hits]


def report_links(rows, state, root):
    """Return the rows of results grouped by report with the link to each report (carrying the query to mark),
    its title marked, its level and region as text, and its first matches as hit_links gives them."""
    return [dict(row,
                 report_url=report_url(root, row["report_id"], state.q, match=state.match),
                 region_text=region_text(row["region"]),
                 level_text=LEVEL.display(row["level"]) if row.get("level") else "",
                 title_html=mark(row["title"], row.get("title_spans", [])) if row["title"] else "无标题报告",
                 matches=hit_links(row["matches"], state, root))
            for row in rows]


def group_links(state, path):
    """Return the switch between listing paragraphs and reports: each choice with its link, the current one marked
    (None for a title search, which lists reports)."""
    if state.scope == "title":
        return None
    return [{"label": label, "url": url(path, state.changed(group=group)), "current": group == state.group}
            for group, label in GROUP_LABELS.items()]


def fold_links(results, state, path):
    """Return the switch between folded and every hit: its label and link (None when nothing folds)."""
    if results.get("scope") == "title" or results.get("group") == "report" or results["distinct"] == results["total"]:
        return None
    if state.folded:
        return {"label": f"显示全部 {results['total']} 个段落（不折叠相似结果）", "url": url(path, state.changed(fold="0"))}
    return {"label": "折叠相似结果", "url": url(path, state.changed(fold="1"))}


# The way from each match mode to the other, said beside the mode in force.
MATCH_SWITCHES = {EXACT: "改用模糊匹配（按词语）", WORDS: "改回精确匹配"}


def match_switch(state, path):
    """Return the match mode in force (its note) and the link to the other one (None without a query)."""
    if not state.q:
        return None
    other = WORDS if state.match == EXACT else EXACT
    return {"words": state.match == WORDS, "note": MATCH_NOTES[state.match], "label": MATCH_SWITCHES[state.match],
            "url": url(path, state.changed(match=other))}


def examples(path):
    """Return the example searches of the home page with their links."""
    return [{"label": q, "url": url(path, SearchState(q=q))} for q in EXAMPLES]


def page_links(state, paths):
    """Return the links every results view shares (tabs, exports, ways out of an empty result) from paths by page name."""
    whole = state.changed(page="1")
    return {
        "results": url(paths["search"], whole),
        "trends": url(paths["trends"], whole),
        "export_csv": url(paths["export_csv"], whole),
        "export_xlsx": url(paths["export_xlsx"], whole),
        "export_json": url(paths["export_json"], whole),
        # The reuse view's own `group` names a passage: the grouping of results is not carried there.
        "reuse": url(paths["reuse"], whole.changed(group="paragraph")),
        # The feed lists the newest reports whatever the page's order: its address leaves the order out.
        "feed": url(paths["feed"], whole.changed(sort="relevance")),
        "without_filters": url(paths["search"], whole.changed(filters={})) if state.filters else None,
        "whole_text": url(paths["search"], whole.changed(scope="all")) if state.scope != "all" else None,
        "advanced": url(paths["advanced"], SearchState(q=state.q, match=state.match)),
    }


def meant_links(results, state, path):
    """Return what the search may have meant, as links: respelled queries, and places typed as words made filters."""
    spellings = [dict(found, url=url(path, state.changed(q=found["query"])))
                 for found in results.get("suggestions", ())]
    places = []
    for place in results.get("places", ()):
        narrowed = state.changed(q=place["query"], filters=cleared_below(state.filters, place["facet"]))
        places.append(dict(place, label=f"{BY_NAME[place['facet']].chip}：{place['value']}",
                           url=url(path, narrowed.with_filter(place["facet"], [place["value"]]))))
    return {"spellings": spellings, "places": places}
