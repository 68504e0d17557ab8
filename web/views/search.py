"""The search pages: the home page, the results, the advanced form and the trends of a query."""
from flask import Blueprint, current_app, render_template, request, url_for

from model.report import FIRST_YEAR, LAST_YEAR

from .. import advanced, charts, links
from ..site import engine, page_paths, root, url_state

bp = Blueprint("search", __name__)


def search_context(state, results):
    """Return what the search and trends pages show besides the results object: links, facets, chips."""
    path = url_for("search.results")
    return {
        "state": state, "results": results,
        "hits": (links.report_links if results["group"] == "report" else links.hit_links)(results["hits"], state, root()),
        "facets": links.with_timelines(links.facet_groups(results["facets"], state, path), url_for("timeline.show")),
        "chips": links.chips(state, path),
        "sorts": links.sort_links(state, path),
        "groups": links.group_links(state, path),
        "pager": links.pagination(results, state, path),
        "links": links.page_links(state, page_paths()),
        "meant": links.meant_links(results, state, path),
        "fold": links.fold_links(results, state, path),
        "match": links.match_switch(state, path),
        "export_limit": current_app.config["MAX_EXPORT_HITS"],
    }


@bp.route("/")
def index():
    """Show the search box and how to search."""
    return render_template("index.html", examples=links.examples(url_for("search.results")))


@bp.route("/search")
def results():
    """Show one page of a query's hits with facets, chips, sort and pages."""
    state = url_state()
    found = engine().search(**state.search_kwargs())
    return render_template("search.html", **search_context(state, found))


@bp.route("/advanced", endpoint="advanced")
def advanced_form():
    """Show the advanced search form, filled in from a query to edit (?q=…) or from its own fields."""
    state = url_state()
    values = advanced.form_values(state.q) if state.q else None
    return render_template("advanced.html", fields=advanced.TEXT_FIELDS, values=values or {"q": state.q},
                           unfitted=bool(state.q) and values is None, choice_fields=advanced.CHOICE_FIELDS,
                           choices=advanced.choices(), years=(FIRST_YEAR, LAST_YEAR), composed=state.q)


@bp.route("/trends")
def trends():
    """Show a query's hits per report year and per province as shares of the reports, and beside a second query."""
    state = url_state().changed(page="1")
    # Only the facets are drawn: the hit read with them is a paragraph's, however the results are grouped.
    counted = dict(state.search_kwargs(), group="paragraph")
    found = engine().search(**counted, limit=1)
    totals = engine().totals(counted["filters"])
    versus = request.args.get("vs", "").strip()
    other = engine().search(**dict(counted, q=versus), limit=1) if versus else None
    chart_set = charts.trends(found["facets"], totals, state, url_for("search.results"), other)
    return render_template("trends.html", charts=chart_set, versus=versus, other=other,
                           **search_context(state, found))
