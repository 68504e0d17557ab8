"""Flask web UI: faceted full-text search over the report paragraphs, reports, trends, exports, corpus."""
import os

import click
from flask import Flask, Response, abort, current_app, g, jsonify, render_template, request, url_for
from flask.cli import with_appcontext
from werkzeug.exceptions import InternalServerError

from indexer.fetch.options import CRAWL_OPTIONS
from indexer.index.build import build_info, rebuild
from indexer.index.generations import UnwritableIndex
from indexer.paths import corpus_dir, index_dir
from indexer.reuse.settings import THRESHOLD
from search import BadParameter, IndexMissing
from search.engine import engine_for
from search.params import DEFAULT_LIMIT, MAX_EXPORT_HITS
from search.urls import with_urls
from model.registry import LEVEL, SECTION
from web import advanced, charts, compare, links, reports, reuse
from web.citation import citation
from web.corpus import built_at_text, corpus_links
from web.dates import beijing_today
from web.export import (EXPORT_QUEUE, EXPORT_SLOTS, EXPORT_WAIT_SECONDS, ExportSlots, ExportsBusy, attachment,
                        csv_pieces, json_pieces, xlsx_pieces)
from web.state import compare_url, read_state, report_url

# Every page may load only this site's own scripts, styles and images; nothing may frame it.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; "
                               "img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
                               "form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def engine():
    """Return the app's search engine."""
    return current_app.extensions["search_engine"]


def paths():
    """Return the paths of the pages a search links to."""
    return {name: url_for(name) for name in ("search", "trends", "export_csv", "export_xlsx", "export_json", "advanced",
                                             "reuse")}


def search_context(state, results):
    """Return what the search and trends pages show besides the results object: links, facets, chips."""
    path = url_for("search")
    return {
        "state": state, "results": results,
        "hits": links.hit_links(results["hits"], state, request.script_root),
        "facets": links.facet_groups(results["facets"], state, path),
        "chips": links.chips(state, path),
        "sorts": links.sort_links(state, path),
        "pager": links.pagination(results, state, path),
        "links": links.page_links(state, paths()),
        "meant": links.meant_links(results, state, path),
        "fold": links.fold_links(results, state, path),
        "export_limit": MAX_EXPORT_HITS,
    }


def index_page():
    """Show the search box and how to search."""
    return render_template("index.html", examples=links.examples(url_for("search")))


def advanced_page():
    """Show the advanced search form, filled in from a query to edit (?q=…) or from its own fields."""
    state = url_state()
    values = advanced.form_values(state.q) if state.q else None
    return render_template("advanced.html", fields=advanced.TEXT_FIELDS, values=values or {"q": state.q},
                           unfitted=bool(state.q) and values is None, choices=advanced.choices(),
                           composed=state.q)


def search_page():
    """Show one page of a query's hits with facets, chips, sort and pages."""
    state = url_state()
    results = engine().search(**state.search_kwargs())
    return render_template("search.html", **search_context(state, results))


def trends_page():
    """Show a query's hits per report year and per province as shares of the reports, and beside a second query."""
    state = url_state().changed(page="1")
    results = engine().search(**state.search_kwargs(), limit=1)
    totals = engine().totals(state.search_kwargs()["filters"])
    versus = request.args.get("vs", "").strip()
    other = engine().search(**dict(state.search_kwargs(), q=versus), limit=1) if versus else None
    chart_set = charts.trends(results["facets"], totals, state, url_for("search"), other)
    return render_template("trends.html", charts=chart_set, versus=versus, other=other,
                           **search_context(state, results))


def all_hits(state):
    """Return the hits of a search state for export, read as they are taken: up to MAX_EXPORT_HITS, in its order,
    none folded (each carries its reuse group and earliest source instead)."""
    return engine().search(**dict(state.search_kwargs(), page=1, fold=False), limit=None, at_most=MAX_EXPORT_HITS,
                           marks=False, lazy=True)["hits"]


def export_response(pieces, mimetype, extension):
    """Stream an export of the request's search in one of the export slots, freed when the response ends."""
    slot = current_app.extensions["export_slots"].take()
    try:
        state = url_state()
        body = slot.stream(pieces(all_hits(state), request.host_url))
        response = Response(body, mimetype=mimetype,
                            headers={"Content-Disposition": attachment(state.q, extension)})
    except BaseException:
        slot.release()
        raise
    # Also when the body is never read (a HEAD request): closing an unstarted stream runs nothing.
    response.call_on_close(slot.release)
    return response


def export_csv():
    """Send every hit of a query as a CSV file Excel opens with its Chinese intact."""
    return export_response(csv_pieces, "text/csv; charset=utf-8", "csv")


def export_xlsx():
    """Send every hit of a query as an Excel workbook: Chinese headers, a row per paragraph."""
    return export_response(xlsx_pieces, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")


def export_json():
    """Send every hit of a query as a JSON file: a list of hits with report metadata and links."""
    return export_response(json_pieces, "application/json", "json")


def api_search():
    """Return the hits of a query as JSON, each with the link to its paragraph and its citation."""
    state = url_state()
    results = engine().search(**state.search_kwargs(), limit=request.args.get("limit", DEFAULT_LIMIT),
                              at_most=MAX_EXPORT_HITS)
    with_urls(results["hits"], request.script_root)
    site, today = request.host_url.rstrip("/") + request.script_root, beijing_today().isoformat()
    for hit in results["hits"]:
        hit["citation"] = citation(hit, hit["n"], hit["source_url"] or report_url(site, hit["report_id"], n=hit["n"]),
                                   today)
    return jsonify(results)


def found_in(report_id, query):
    """Return {paragraph number: match spans} of what a query finds in one report (empty without a query)."""
    if not query:
        return {}
    return {hit["n"]: hit["spans"] for hit in engine().report_matches(report_id, query)["hits"]}


def report_or_404(report_id):
    """Return the clean report with this id, or answer 404."""
    report = engine().report(report_id)
    if report is None:
        abort(404)
    return report


def report_page(report_id):
    """Show a whole clean report, its paragraphs addressable as #p-<n>, the query's matches marked."""
    report = report_or_404(report_id)
    query = request.args.get("q", "").strip()
    site = request.host_url.rstrip("/") + request.script_root
    shared = engine().report_reuse(report_id)
    notes = reuse.paragraph_notes(shared, report_id, request.script_root)
    shown = reports.paragraphs(report, found_in(report_id, query), reports.citer(report, site, beijing_today()), notes)
    related = {name: reports.report_links(rows, request.script_root, report_id, query)
               for name, rows in engine().related(report_id).items()}
    return render_template("report.html", report=report, query=query, paragraphs=shown,
                           sharing=reuse.sharing(report, shared, request.script_root),
                           outline=reports.outline(shown), facts=reports.facts(report),
                           source=reports.source_of(report), matched=[p for p in shown if p["matched"]],
                           related=related, compare_url=compare_url(request.script_root, report_id, None, query),
                           unmarked_url=report_url(request.script_root, report.report_id))


def compare_page():
    """Show two reports side by side by section class; with one report, offer the reports to compare it with."""
    left_id, right_id = request.args.get("a", "").strip(), request.args.get("b", "").strip()
    query = request.args.get("q", "").strip()
    if not left_id:
        raise BadParameter("a", "缺少要对比的报告（/compare?a=报告&b=另一篇报告）")
    left = report_or_404(left_id)
    if not right_id:
        related = engine().related(left_id)
        choices = [dict(row, url=compare_url(request.script_root, left_id, row["report_id"], query))
                   for rows in related.values() for row in rows]
        found = engine().search(query, scope="all", limit=100)["hits"] if query else []
        choices += [{"report_id": hit["report_id"], "title": hit["title"], "report_year": hit["report_year"],
                     "issuer": hit["issuer"], "url": compare_url(request.script_root, left_id, hit["report_id"], query)}
                    for hit in found if hit["report_id"] != left_id]
        unique = list({row["report_id"]: row for row in choices}.values())
        return render_template("compare.html", left=left, right=None, choices=unique, query=query)
    right = report_or_404(right_id)
    rows = compare.aligned(left, right, found_in(left_id, query), found_in(right_id, query))
    return render_template("compare.html", left=left, right=right, rows=rows, query=query,
                           left_url=report_url(request.script_root, left_id, query),
                           right_url=report_url(request.script_root, right_id, query),
                           swap_url=compare_url(request.script_root, right_id, left_id, query))


def similar_page(report_id, n):
    """Show a paragraph beside each near-identical paragraph of other reports, their differences marked."""
    found = engine().similar(report_id, n)
    if found is None:
        abort(404)
    return render_template("similar.html", **reuse.side_by_side(found, request.script_root))


def reuse_page():
    """Show the most reused passages of the corpus or of a search, whom chosen reports borrow from, or one passage."""
    group = request.args.get("group", "").strip()
    if group:
        found = engine().passage(group)
        if found is None:
            abort(404)
        return render_template("passage.html", passage=reuse.passage_links(found, request.script_root),
                               members=[links.paragraph_links(row, request.script_root) for row in found["members"]])
    state = url_state()
    found = engine().reuse(state.q, state.search_kwargs()["filters"])
    return render_template("reuse.html", view="reuse", found=found, chips=links.chips(state, url_for("reuse")),
                           threshold=round(THRESHOLD * 100),
                           links=links.page_links(state, paths()),
                           passages=[reuse.passage_links(row, request.script_root) for row in found["passages"]],
                           borrowed=reuse.borrowed_links(found["borrowed"], request.script_root))


def corpus_page():
    """Show what is indexed: counts per year and province, the reports, the last rebuild."""
    overview = corpus_links(engine().overview(), url_for("search"), request.script_root)
    built = built_at_text(build_info(current_app.config["INDEX_DIR"]))
    return render_template("corpus.html", overview=overview, built=built)


# What each error the site answers means to a reader, by status. gunicorn's worker answers
# some before the app sees the request (web/worker.py), in the same words.
ERRORS = {
    400: ("请求有误", "服务器无法读取这个请求。"),
    404: ("页面不存在", "没有找到这个页面或报告。"),
    408: ("请求超时", "在规定时间内没有收到完整的请求，请重试。"),
    414: ("网址太长", "请求的网址太长，请减少检索词或筛选条件后再试。"),
    431: ("请求头太大", "请求附带的信息太多，服务器无法处理。"),
    500: ("服务器出错了", "处理这个请求时出现了意外错误，已记录在服务器日志中。请稍后再试。"),
    501: ("不支持的请求", "服务器不支持这种请求方式。"),
}


def wants_json():
    """Tell whether the request is answered in JSON: the API and the JSON downloads."""
    return request.path.startswith("/api/") or request.path.endswith(".json")


def error_answer(status, message=None, title=None, headers=None, **details):
    """Answer an error in Chinese: JSON for the API and JSON downloads, the error page otherwise."""
    title, message = title or ERRORS[status][0], message or ERRORS[status][1]
    if wants_json():
        return jsonify({"error": message, **details}), status, headers or {}
    return render_template("error.html", title=title, message=message), status, headers or {}


def raw_error(app, status, path):
    """Return a whole HTTP response of the site's error page (or JSON) as bytes, closing the connection.

    For the server to send when it answers a request the app never saw (web/worker.py).
    """
    with app.test_request_context(path):
        response = app.process_response(app.make_response(error_answer(status)))
    response.headers["Connection"] = "close"
    body = response.get_data()
    response.headers["Content-Length"] = str(len(body))
    head = [f"HTTP/1.1 {response.status}"] + [f"{name}: {value}" for name, value in response.headers.items()]
    return ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", "replace") + body


def index_missing(error):
    """Explain that the index has to be built, rebuilt or repaired, and with which command, instead of a traceback."""
    return error_answer(503, str(error), title=error.title)


def bad_parameter(error):
    """Name the unusable parameter: JSON for the API, a page for people; status 400."""
    return error_answer(400, str(error), title="参数有误", parameter=error.name)


def exports_busy(error):
    """Say that the exports are all taken, in Chinese (JSON for the JSON export); status 503, retry later."""
    retry = {"Retry-After": str(max(1, round(current_app.config["EXPORT_WAIT_SECONDS"])))}
    return error_answer(503, str(error), title="导出繁忙", headers=retry)


def not_found(error):
    """Chinese 404 page."""
    return error_answer(404)


def server_error(error):
    """Chinese 500 page; the traceback goes to the log, never to the visitor."""
    return error_answer(500)


def url_state():
    """Return the search state of the request's URL, read once per request."""
    if "url_state" not in g:
        g.url_state = read_state(request.args)
    return g.url_state


def request_state():
    """Give every page's search box the URL's query, scope and filters, and the syntax help its vocabularies."""
    return {"state": url_state(), "vocabulary": {"level": LEVEL.choices(), "section": SECTION.choices()}}


def secure(response):
    """Add the security headers to every response."""
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


@click.command("rebuild")
@click.option("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
@with_appcontext
def rebuild_command(corpus):
    """Rebuild the search index from the corpus."""
    try:
        summary = rebuild(corpus_dir(corpus), current_app.config["INDEX_DIR"])
    except UnwritableIndex as error:
        raise click.ClickException(str(error)) from None
    click.echo(summary.line())


def click_options(options):
    """Return a decorator adding fetch options (indexer.fetch.options) to a click command."""
    def decorate(command):
        """Add the options, last first, so that --help lists them in order."""
        for option in reversed(options):
            kind = option.kind
            if option.least is not None:
                kind = (click.FloatRange if kind is float else click.IntRange)(min=option.least)
            command = click.option(option.flag, option.dest, type=kind, default=option.default,
                                   multiple=option.repeat, metavar=option.metavar,
                                   help=option.help_text())(command)
        return command
    return decorate


@click.command("crawl")
@click.argument("start_urls", nargs=-1, required=True, metavar="START_URL...")
@click_options(CRAWL_OPTIONS)
def crawl_command(start_urls, **options):
    """Crawl report columns: follow list pages, fetch the reports they link to into the corpus."""
    from indexer.fetch.run import crawl_command as crawl  # Scrapy loads only for this command
    raise SystemExit(crawl(start_urls, options))


def create_app(test_config=None):
    """Build the Flask app: defaults, then the test config on top."""
    app = Flask(__name__)
    app.config.from_mapping(INDEX_DIR=str(index_dir()), JSON_AS_ASCII=False,
                            EXPORT_SLOTS=EXPORT_SLOTS, EXPORT_WAIT_SECONDS=EXPORT_WAIT_SECONDS,
                            EXPORT_QUEUE=EXPORT_QUEUE,
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
    app.add_url_rule("/", "index", index_page)
    app.add_url_rule("/search", "search", search_page)
    app.add_url_rule("/advanced", "advanced", advanced_page)
    app.add_url_rule("/trends", "trends", trends_page)
    app.add_url_rule("/export.csv", "export_csv", export_csv)
    app.add_url_rule("/export.json", "export_json", export_json)
    app.add_url_rule("/export.xlsx", "export_xlsx", export_xlsx)
    app.add_url_rule("/api/search", "api_search", api_search)
    app.add_url_rule("/report/<report_id>", "report", report_page)
    app.add_url_rule("/compare", "compare", compare_page)
    app.add_url_rule("/report/<report_id>/similar/<int:n>", "similar", similar_page)
    app.add_url_rule("/reuse", "reuse", reuse_page)
    app.add_url_rule("/corpus", "corpus", corpus_page)
    app.register_error_handler(IndexMissing, index_missing)
    app.register_error_handler(BadParameter, bad_parameter)
    app.register_error_handler(ExportsBusy, exports_busy)
    app.register_error_handler(404, not_found)
    app.register_error_handler(InternalServerError, server_error)
    app.context_processor(request_state)
    app.after_request(secure)
    app.cli.add_command(rebuild_command)
    app.cli.add_command(crawl_command)
    return app
