"""A search's Atom feed: /feed takes any search URL's parameters, as /search reads and checks them."""
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, render_template, url_for

from indexer.index.buildinfo import build_info
from search.params import read_group, read_page, read_sort

from ..feed import ATOM_TYPE, FEED_HITS, feed_about, feed_entry, report_entries, report_line
from ..marks import window
from ..site import engine, site_url, url_state
from ..state import report_url, url

bp = Blueprint("feed", __name__)


def built_at():
    """Return when the index was last built (the feed changes only then), or now when the backend does not record it."""
    stamp = (build_info(current_app.config["INDEX_DIR"]) or {}).get("built_at", "")
    try:
        when = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return datetime.now(timezone.utc)
    return when if when.tzinfo else when.replace(tzinfo=timezone.utc)


def entry_content(entry, site, q, match):
    """Return an entry's HTML (a string, escaped again in the feed): its report's line and each matching paragraph
    linked (marking q as the search matched it), its snippet marked."""
    hits = [dict(hit, paragraph_url=report_url(site, hit["report_id"], q, hit["n"], match),
                 snippet_html=window(hit["text"], hit["spans"], *hit["snippet"])) for hit in entry["hits"]]
    return str(render_template("_feed_entry.html", entry=dict(entry, hits=hits), line=report_line(entry["hit"]),
                               report_url=report_url(site, entry["hit"]["report_id"], q, match=match)))


@bp.route("/feed")
def atom_feed():
    """Send the newest reports a search finds as an Atom feed, one entry per report with its matching paragraphs."""
    given = url_state()
    # The feed lists the newest reports, each with its paragraphs, whatever order, page and grouping the search URL
    # names; they are still checked as /search checks them, so that a URL one of them answers with 400 the other does too.
    read_sort(given.sort), read_page(given.page), read_group(given.group)
    state = given.changed(sort="newest", group="paragraph")
    results = engine().search(**dict(state.search_kwargs(), fold=False), limit=None, at_most=FEED_HITS, lazy=True)
    site, updated = site_url(), built_at()
    # A title search finds words in titles: the report pages have nothing of it to mark.
    marked = state.q if state.scope != "title" else ""
    about = feed_about(site, results["description"],
                       url(url_for("feed.atom_feed", _external=True), state.changed(sort="relevance")),
                       url(url_for("search.results", _external=True), state), updated)
    entries = [dict(feed_entry(entry, site, marked, updated, state.match),
                    content=entry_content(entry, site, marked, state.match))
               for entry in report_entries(results["hits"])]
    return Response(render_template("feed.xml", feed=about, entries=entries), content_type=ATOM_TYPE)
