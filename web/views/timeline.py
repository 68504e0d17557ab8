"""One issuer's reports across the years (/timeline?issuer=…), and what changed from each to the next."""
from flask import Blueprint, render_template, request

from model.registry import ISSUER
from search import BadParameter
from search.timeline import COMPARED_NOTE

from ..errors import error_answer
from ..site import engine, root
from ..timeline import timeline_links

bp = Blueprint("timeline", __name__)


@bp.route("/timeline")
def show():
    """Show an issuer's reports by year and, between consecutive ones, the paragraphs new, dropped and rewritten."""
    issuer = request.args.get(ISSUER.name, "").strip()
    if not issuer:
        raise BadParameter(ISSUER.name, "请给出发布机关的名称，如 /timeline?issuer=某某县人民政府")
    found = engine().timeline(issuer)
    if found is None:
        return error_answer(404, f"收录的报告中没有发布机关为“{issuer}”的报告。发布机关须写全称，可从检索结果左侧的“发布机关”或报告页进入。",
                            title="没有这个发布机关的报告")
    return render_template("timeline.html", timeline=timeline_links(found, root()), note=COMPARED_NOTE)
