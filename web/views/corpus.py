"""The corpus page: what is indexed, and when it was built."""
from flask import Blueprint, current_app, render_template, url_for

from indexer.index.buildinfo import build_info

from ..corpus import built_at_text, corpus_links
from ..site import engine, root

bp = Blueprint("corpus", __name__)


@bp.route("/corpus")
def overview():
    """Show what is indexed: counts per year and province, the reports, the last rebuild."""
    shown = corpus_links(engine().overview(), url_for("search.results"), root())
    built = built_at_text(build_info(current_app.config["INDEX_DIR"]))
    return render_template("corpus.html", overview=shown, built=built)
