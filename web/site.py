"""What every view reads of the app and the request: the engine, the URL's search state, where the site is,
and the lookups that answer 404.

The site may be served under a sub-path (SCRIPT_NAME=/fz behind a proxy): a link inside a
page is made by url_for() or starts with root(), a link read outside the site (in an export,
a citation) starts with site_url(); no link is made any other way.
"""
from flask import abort, current_app, g, request, url_for

from search.params import EXACT, read_match

from . import advanced
from .state import read_state

# The pages a results view links to, by endpoint: its tabs, exports and the ways to refine it.
PAGE_ENDPOINTS = {"search": "search.results", "trends": "search.trends", "advanced": "search.advanced",
                  "export_csv": "exports.csv", "export_xlsx": "exports.xlsx", "export_json": "exports.json",
                  "reuse": "reuse.passages", "feed": "feed.atom_feed"}


def engine():
    """Return the app's search engine."""
    return current_app.extensions["search_engine"]


def root():
    """Return the path the site is served under ("" at the host's root, e.g. /fz): every link in a page starts with it."""
    return request.script_root


def site_url():
    """Return the site's absolute URL, e.g. http://host/fz, for links read outside the site (exports, citations)."""
    return request.url_root.rstrip("/")


def url_state():
    """Return the search state of the request's URL, read once per request."""
    if "url_state" not in g:
        g.url_state = read_state(request.args)
    return g.url_state


def page_paths():
    """Return the paths of the pages a results view links to, by page name."""
    return {name: url_for(endpoint) for name, endpoint in PAGE_ENDPOINTS.items()}


def page_context():
    """Give every page's search box the URL's query, scope and filters, and the syntax help its vocabularies."""
    return {"state": url_state(), "vocabulary": advanced.choices()}


def report_or_404(report_id):
    """Return the clean report with this id, or answer 404."""
    report = engine().report(report_id)
    if report is None:
        abort(404)
    return report


def marked_query():
    """Return the query a page reached from a search marks and its match mode (a bad mode is a 400 naming match)."""
    return request.args.get("q", "").strip(), read_match(request.args.get("match"))


def found_in(report_id, query, match=EXACT):
    """Return {paragraph number: match spans} of what a query finds in one report (empty without a query)."""
    if not query:
        return {}
    return {hit["n"]: hit["spans"] for hit in engine().report_matches(report_id, query, match)["hits"]}
