"""Reading reports against each other: two side by side, a paragraph beside its near-identical ones, reused passages."""
from flask import Blueprint, abort, current_app, render_template, request, url_for

from indexer.reuse.settings import THRESHOLD
from search import BadParameter
from search.params import WORDS

from .. import compare, links, reuse
from ..site import engine, found_in, marked_query, page_paths, report_or_404, root, url_state
from ..state import compare_url, report_url

bp = Blueprint("reuse", __name__)


@bp.route("/compare", endpoint="compare")
def compare_reports():
    """Show two reports side by side by section class; with one report, offer the reports to compare it with."""
    left_id, right_id = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    query, match = marked_query()
    if not left_id:
        raise BadParameter("a", "缺少要对比的报告（/compare?a=报告&b=另一篇报告）")
    left = report_or_404(left_id)
    if not right_id:
        return picker(left, query, request.args.get("find", "").strip(), match)
    right = report_or_404(right_id)
    rows = compare.aligned(left, right, found_in(left_id, query, match), found_in(right_id, query, match))
    return render_template("compare.html", left=left, right=right, rows=rows, query=query, words=match == WORDS,
                           left_url=report_url(root(), left_id, query, match=match),
                           right_url=report_url(root(), right_id, query, match=match),
                           swap_url=compare_url(root(), right_id, left_id, query, match))


def picker(left, query, find, match):
    """Show the reports to compare a report with: its related ones, those the query finds, then every other one."""
    searched = engine().search(query, limit=None, at_most=current_app.config["MAX_EXPORT_HITS"], marks=False,
                               fold=False, lazy=True, match=match) if query else None
    found = compare.found_per_report(searched["hits"]) if searched else {}
    picked = compare.choices(left.report_id, engine().related(left.report_id), found,
                             engine().overview()["reports"], root(), query, find, match)
    return render_template("compare.html", left=left, right=None, choices=picked, query=query, find=find,
                           words=match == WORDS,
                           cut=bool(searched) and searched["total"] > current_app.config["MAX_EXPORT_HITS"],
                           others_limit=compare.PICKER_OTHERS)


@bp.route("/report/<report_id>/similar/<int:n>")
def similar(report_id, n):
    """Show a paragraph beside each near-identical paragraph of other reports, their differences marked."""
    found = engine().similar(report_id, n)
    if found is None:
        abort(404)
    return render_template("similar.html", **reuse.side_by_side(found, root()))


@bp.route("/reuse")
def passages():
    """Show the most reused passages of the corpus or of a search, whom chosen reports borrow from, or one passage."""
    group = request.args.get("group", "").strip()
    if group:
        return passage(group)
    state = url_state()
    found = engine().reuse(state.q, state.search_kwargs()["filters"], state.match)
    return render_template("reuse.html", view="reuse", found=found, chips=links.chips(state, url_for("reuse.passages")),
                           threshold=round(THRESHOLD * 100), links=links.page_links(state, page_paths()),
                           passages=[reuse.passage_links(row, root()) for row in found["passages"]],
                           borrowed=reuse.borrowed_links(found["borrowed"], root()))


def passage(group):
    """Show one passage: every paragraph of its group of near-identical paragraphs, its spread."""
    found = engine().passage(group)
    if found is None:
        abort(404)
    return render_template("passage.html", passage=reuse.passage_links(found, root()),
                           members=[links.paragraph_links(row, root()) for row in found["members"]])
