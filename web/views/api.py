"""The JSON API: a query's hits (or, grouped by report, its reports with their first hits), each hit with the link
to its paragraph and its citation."""
from flask import Blueprint, current_app, jsonify, request

from search.params import DEFAULT_LIMIT
from search.urls import with_report_urls, with_urls

from ..citation import citation
from ..dates import beijing_today
from ..site import engine, root, site_url, url_state
from ..state import report_url

bp = Blueprint("api", __name__, url_prefix="/api")


@bp.route("/search")
def search():
    """Return the hits of a query as JSON, each with the link to its paragraph and its citation; group=report: its
    reports, each with its link, count, paragraph numbers and first hits."""
    results = engine().search(**url_state().search_kwargs(), limit=request.args.get("limit", DEFAULT_LIMIT),
                              at_most=current_app.config["MAX_EXPORT_HITS"])
    site, today = site_url(), beijing_today().isoformat()
    if results["group"] == "report":
        hits = [hit for row in with_report_urls(results["hits"], root()) for hit in row["matches"]]
    else:
        hits = with_urls(results["hits"], root())
    for hit in hits:
        hit["citation"] = citation(hit, today, report_url(site, hit["report_id"], n=hit["n"]), hit["n"])
    return jsonify(results)
