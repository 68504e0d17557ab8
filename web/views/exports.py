"""The downloads of a search's every hit: CSV, an Excel workbook and JSON, streamed in the export slots."""
from flask import Blueprint, Response, current_app

from ..export import attachment, csv_pieces, json_pieces, xlsx_pieces
from ..site import engine, site_url, url_state

bp = Blueprint("exports", __name__)


def all_hits(state):
    """Return the hits of a search state for export, read as they are taken: up to MAX_EXPORT_HITS, in its order,
    none folded (each carries its reuse group and earliest source instead)."""
    return engine().search(**dict(state.search_kwargs(), page=1, fold=False), limit=None,
                           at_most=current_app.config["MAX_EXPORT_HITS"], marks=False, lazy=True)["hits"]


def export_response(pieces, mimetype, extension):
    """Stream an export of the request's search in one of the export slots, freed when the response ends."""
    slot = current_app.extensions["export_slots"].take()
    try:
        state = url_state()
        body = slot.stream(pieces(all_hits(state), site_url()))
        response = Response(body, mimetype=mimetype,
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
    """Send every hit of a query as an Excel workbook: Chinese headers, a row per paragraph."""
    return export_response(xlsx_pieces, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


@bp.route("/export.json")
def json():
    """Send every hit of a query as a JSON file: a list of hits with report metadata and links."""
    return export_response(json_pieces, "application/json", "json")
