"""The downloads of a search's every hit: CSV, an Excel workbook and JSON, streamed in the export slots."""
from datetime import datetime, timezone

from flask import Blueprint, Response, current_app, url_for

from search.params import read_fold, read_page

from .. import links
from ..dates import beijing_time
from ..export import about_rows, attachment, csv_pieces, json_pieces, xlsx_pieces
from ..site import engine, site_url, url_state
from ..state import url

bp = Blueprint("exports", __name__)


def searched(state):
    """Return the results object of a search state for export, its hits (or, grouped by report, its reports) read
    as they are taken: up to MAX_EXPORT_HITS, in its order, none folded (each carries its reuse group and earliest
    source instead).

    Its page and folding are checked as a search's are (a bad one is a 400 naming it), though an
    export takes every hit, unfolded, whatever they say."""
    read_page(state.page)
    read_fold(state.fold)
    return engine().search(**dict(state.search_kwargs(), page=1, fold=False), limit=None,
                           at_most=current_app.config["MAX_EXPORT_HITS"], marks=False, lazy=True)


def about(state, results):
    """Return what the workbook says of the search it holds: query, conditions, filters, sort, counts, address, time."""
    page = url_for("search.results", _external=True)  # read outside the site: below site_url()
    return about_rows(results, [chip["label"] for chip in links.chips(state, page)],
                      links.SORT_LABELS.get(state.sort, state.sort), url(page, state.changed()),
                      beijing_time(datetime.now(timezone.utc).isoformat()))


def export_response(pieces, content_type, extension, described=False):
    """Stream an export of the request's search in one of the export slots, freed when the response ends;
    described: the export says what was searched (the workbook's 检索条件 sheet)."""
    slot = current_app.extensions["export_slots"].take()
    try:
        state = url_state()
        results = searched(state)
        extra = {"about": about(state, results)} if described else {}
        body = slot.stream(pieces(results["hits"], site_url(), grouped=results["group"] == "report", **extra))
        # content_type as given: Flask adds a charset to a text mimetype, which already names its own.
        response = Response(body, content_type=content_type,
                            headers={"Content-Disposition": attachment(state.q, extension)})
    except BaseException:
        slot.release()
        raise
    # Also when the body is never read (a HEAD request): closing an unstarted stream runs nothing.
    response.call_on_close(slot.release)
    return response


@bp.route("/export.csv")
def csv():
    """Send every hit of a query as a CSV file Excel opens with its Chinese intact."""
    return export_response(csv_pieces, "text/csv; charset=utf-8", "csv")


@bp.route("/export.xlsx")
def xlsx():
    """Send every hit of a query as an Excel workbook: Chinese headers, a row per paragraph, links, a filter on the
    header row, and a sheet saying which query, filters and date produced it."""
    return export_response(xlsx_pieces, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx",
                           described=True)


@bp.route("/export.json")
def json():
    """Send every hit of a query as a JSON file: a list of hits with report metadata and links, null where a report
    gives no value."""
    return export_response(json_pieces, "application/json", "json")
