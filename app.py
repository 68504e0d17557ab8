"""Flask web UI: faceted full-text search over the report paragraphs, reports, trends, exports, corpus.

The app factory: configuration, the engine and export slots, the routes (a blueprint per
resource, in web/views/), the error answers (web/errors.py) and the commands (web/commands.py).
"""
import os

from flask import Flask
from werkzeug.exceptions import InternalServerError

from indexer.paths import index_dir
from search import BadParameter, IndexMissing
from search.engine import engine_for
from search.params import MAX_EXPORT_HITS
from web import commands, errors
from web.export import EXPORT_QUEUE, EXPORT_SLOTS, EXPORT_WAIT_SECONDS, ExportSlots, ExportsBusy
from web.site import page_context
from web.views import api, corpus, exports, feed, report, reuse, search, timeline

# Every page may load only this site's own scripts, styles and images; nothing may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def secure(response):
    """Add the security headers to every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


def create_app(test_config=None):
    """Build the Flask app: defaults, then the environment's FLASK_* settings, then the test config on top."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(index_dir()), JSON_AS_ASCII=False,
                            EXPORT_SLOTS=EXPORT_SLOTS, EXPORT_WAIT_SECONDS=EXPORT_WAIT_SECONDS,
                            EXPORT_QUEUE=EXPORT_QUEUE,
                            # the most hits an export or the API's limit=all gives
                            MAX_EXPORT_HITS=MAX_EXPORT_HITS,
                            # embedded (the Whoosh index) or cluster (Sphinx, with its layout file)
                            SEARCH_BACKEND=os.environ.get("SEARCH_BACKEND"), SEARCH_CLUSTER=os.environ.get("SEARCH_CLUSTER"))
    app.config.from_prefixed_env()  # e.g. FLASK_EXPORT_SLOTS=2 for the server
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.extensions["search_engine"] = engine_for(app.config["INDEX_DIR"], app.config["SEARCH_BACKEND"],
                                                 app.config["SEARCH_CLUSTER"])
    app.extensions["export_slots"] = ExportSlots(app.config["EXPORT_SLOTS"], app.config["EXPORT_WAIT_SECONDS"],
                                                 app.config["EXPORT_QUEUE"])
    for views in (search, report, reuse, corpus, api, exports, feed, timeline):
        app.register_blueprint(views.bp)
    app.register_error_handler(IndexMissing, errors.index_missing)
    app.register_error_handler(BadParameter, errors.bad_parameter)
    app.register_error_handler(ExportsBusy, errors.exports_busy)
    app.register_error_handler(404, errors.not_found)
    app.register_error_handler(InternalServerError, errors.server_error)
    app.context_processor(page_context)
    app.after_request(secure)
    commands.init_app(app)
    return app
