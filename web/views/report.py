"""The report page: a whole clean report, its paragraphs addressable, the query's matches marked; and its Word document."""
from flask import Blueprint, Response, render_template, url_for

from search.params import WORDS

from .. import reports, reuse
from ..dates import beijing_today
from ..export import download_disposition
from ..site import engine, found_in, marked_query, report_or_404, root, site_url
from ..state import compare_url, report_url, timeline_url

bp = Blueprint("report", __name__)


@bp.route("/report/<report_id>")
def show(report_id):
    """Show a whole clean report, its paragraphs addressable as #p-<n>, the query's matches marked."""
    report = report_or_404(report_id)
    query, match = marked_query()
    shared = engine().report_reuse(report_id)
    notes = reuse.paragraph_notes(shared, report_id, root())
    cite = reports.citer(report, site_url(), beijing_today())
    shown = reports.paragraphs(report, found_in(report_id, query, match), cite, notes)
    return render_template("report.html", report=report, query=query, words=match == WORDS, paragraphs=shown,
                           sharing=reuse.sharing(report, shared, root()),
                           outline=reports.outline(shown), facts=reports.facts(report),
                           source=reports.source_of(report), matched=[p for p in shown if p["matched"]],
                           related=reports.related_links(engine().related(report_id), root(), report_id, query, match),
                           compare_url=compare_url(root(), report_id, None, query, match),
                           unmarked_url=report_url(root(), report.report_id), report_citation=cite(),
                           cited=reports.cited_links(report, url_for("search.results")),
                           docx_url=url_for("report.docx", report_id=report_id),
                           timeline_url=timeline_url(url_for("timeline.show"), report.issuer) if report.issuer else "")


@bp.route("/report/<report_id>.docx")
def docx(report_id):
    """Send a report as a Word document: title, facts, source, its citation and every paragraph with its number."""
    from ..report_docx import MIMETYPE, report_docx  # python-docx (0.2 s to import) only for this download
    report = engine().report(report_id)
    if report is None:
        # A report whose own id ends in .docx is shown as its page, not taken for a document of a report not held.
        return show(f"{report_id}.docx")
    today = beijing_today()
    body = report_docx(report, reports.facts(report), reports.source_of(report),
                       reports.citer(report, site_url(), today)(), report_url(site_url(), report_id), today.isoformat())
    return Response(body, mimetype=MIMETYPE, headers={
        "Content-Disposition": download_disposition(reports.file_name(report, "docx"), f"report-{today}.docx")})
