"""Flask web UI: faceted full-text search over the report paragraphs."""
import click
from flask import Flask, abort, current_app, jsonify, render_template, request
from flask.cli import with_appcontext

from indexer.build import rebuild
from indexer.paths import corpus_dir, index_dir
from search import BadParameter, IndexMissing, SearchEngine
from search.filters import DEFAULT_LIMIT, FILTER_NAMES
from search.highlight import highlight
from search.query import needles


def engine():
    """Return the app's search engine."""
    return current_app.extensions["search_engine"]


def search_args():
    """Read the search parameters of the request; the search core checks their values."""
    args = request.args
    return {
        "q": args.get("q", ""),
        "filters": {name: args.getlist(name) for name in FILTER_NAMES if args.getlist(name)},
        "sort": args.get("sort"),
        "page": args.get("page"),
        "limit": args.get("limit", DEFAULT_LIMIT),
    }


def index_page():
    """Show the search box."""
    return render_template("index.html", query="")


def search_page():
    """Show the hits of a query as HTML."""
    args = search_args()
    return render_template("search.html", query=args["q"], results=engine().search(**args))


def api_search():
    """Return the hits of a query as JSON."""
    return jsonify(engine().search(**search_args()))


def report_page(report_id):
    """Show a whole clean report, its paragraphs addressable as #p-<n>."""
    report = engine().report(report_id)
    if report is None:
        abort(404)
    query = request.args.get("q", "")
    marked = needles(query)
    paragraphs = [(p, highlight(p.text, marked)) for p in report.paragraphs]
    return render_template("report.html", report=report, paragraphs=paragraphs, query=query)


def index_missing(error):
    """Explain that the index has to be built, instead of a traceback."""
    if request.path.startswith("/api/"):
        return jsonify({"error": str(error)}), 503
    return render_template("error.html", title="索引尚未建立", message=str(error)), 503


def bad_parameter(error):
    """Name the unusable parameter: JSON for the API, a page for people; status 400."""
    if request.path.startswith("/api/"):
        return jsonify({"error": str(error), "parameter": error.name}), 400
    return render_template("error.html", title="参数有误", message=str(error)), 400


def not_found(error):
    """Chinese 404 page."""
    return render_template("error.html", title="页面不存在", message="没有找到这个页面或报告。"), 404


@click.command("rebuild")
@click.option("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
@with_appcontext
def rebuild_command(corpus):
    """Rebuild the search index from the corpus."""
    summary = rebuild(corpus_dir(corpus), current_app.config["INDEX_DIR"])
    click.echo(summary.line())


def create_app(test_config=None):
    """Build the Flask app: defaults, then the test config on top."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(index_dir()), JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.extensions["search_engine"] = SearchEngine(app.config["INDEX_DIR"])
    app.add_url_rule("/", "index", index_page)
    app.add_url_rule("/search", "search", search_page)
    app.add_url_rule("/api/search", "api_search", api_search)
    app.add_url_rule("/report/<report_id>", "report", report_page)
    app.register_error_handler(IndexMissing, index_missing)
    app.register_error_handler(BadParameter, bad_parameter)
    app.register_error_handler(404, not_found)
    app.cli.add_command(rebuild_command)
    return app
