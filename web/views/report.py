"""The report page: a whole clean report, its paragraphs addressable, the query's matches marked."""
from flask import Blueprint, render_template, request

from .. import reports, reuse
from ..dates import beijing_today
from ..site import engine, found_in, report_or_404, root, site_url
from ..state import compare_url, report_url

bp = Blueprint("report", __name__)


@bp.route("/report/<report_id>")
def show(report_id):
    """Show a whole clean report, its paragraphs addressable as #p-<n>, the query's matches marked."""
    report = report_or_404(report_id)
    query = request.args.get("q", "").strip()
    shared = engine().report_reuse(report_id)
    notes = reuse.paragraph_notes(shared, report_id, root())
    shown = reports.paragraphs(report, found_in(report_id, query), reports.citer(report, site_url(), beijing_today()),
                               notes)
    return render_template("report.html", report=report, query=query, paragraphs=shown,
                           sharing=reuse.sharing(report, shared, root()),
                           outline=reports.outline(shown), facts=reports.facts(report),
                           source=reports.source_of(report), matched=[p for p in shown if p["matched"]],
                           related=reports.related_links(engine().related(report_id), root(), report_id, query),
                           compare_url=compare_url(root(), report_id, None, query),
                           unmarked_url=report_url(root(), report.report_id))
