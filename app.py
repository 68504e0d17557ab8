"""Flask web UI: faceted full-text search over the report paragraphs, reports, trends, exports, corpus."""
import click
from flask import Flask, Response, abort, current_app, g, jsonify, render_template, request, url_for
from flask.cli import with_appcontext
from werkzeug.exceptions import InternalServerError

from indexer.fetch.options import CRAWL_OPTIONS
from indexer.index.build import build_info, rebuild
from indexer.index.generations import UnwritableIndex
from indexer.paths import corpus_dir, index_dir
from indexer.reuse.settings import THRESHOLD
from search import BadParameter, IndexMissing, SearchEngine
from search.params import DEFAULT_LIMIT, MAX_EXPORT_HITS
from search.registry import LEVEL, SECTION
from web import advanced, charts, compare, links, reports, reuse
from web.corpus import built_at_text, corpus_links
from web.dates import beijing_today
from web.export import attachment, csv_bytes, json_hits
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
    return {name: url_for(name) for name in ("search", "trends", "export_csv", "export_json", "advanced", "reuse")}


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
    """Return the hits of a search state for export: all of them, up to MAX_EXPORT_HITS, in its order, none
    folded (each carries its reuse group and earliest source instead)."""
    return engine().search(**dict(state.search_kwargs(), page=1, fold=False), limit=None, at_most=MAX_EXPORT_HITS,
                           marks=False)["hits"]


def export_csv():
    """Send every hit of a query as a CSV file Excel opens with its Chinese intact."""
    state = url_state()
    body = csv_bytes(all_hits(state), request.host_url)
    return Response(body, mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": attachment(state.q, "csv")})


def export_json():
    """Send every hit of a query as a JSON file: a list of hits with report metadata and links."""
    state = url_state()
    response = jsonify(json_hits(all_hits(state), request.host_url))
    response.headers["Content-Disposition"] = attachment(state.q, "json")
    return response


def api_search():
    """Return the hits of a query as JSON, each with the link to its paragraph."""
    state = url_state()
    results = engine().search(**state.search_kwargs(), limit=request.args.get("limit", DEFAULT_LIMIT),
                              at_most=MAX_EXPORT_HITS)
    links.with_urls(results["hits"])
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


def index_missing(error):
    """Explain that the index has to be built, rebuilt or repaired, and with which command, instead of a traceback."""
    if request.path.startswith("/api/"):
        return jsonify({"error": str(error)}), 503
    return render_template("error.html", title=error.title, message=str(error)), 503


def bad_parameter(error):
    """Name the unusable parameter: JSON for the API, a page for people; status 400."""
    if request.path.startswith("/api/"):
        return jsonify({"error": str(error), "parameter": error.name}), 400
    return render_template("error.html", title="参数有误", message=str(error)), 400


def not_found(error):
    """Chinese 404 page."""
    return render_template("error.html", title="页面不存在", message="没有找到这个页面或报告。"), 404


def server_error(error):
    """Chinese 500 page; the traceback goes to the log, never to the visitor."""
    if request.path.startswith("/api/"):
        return jsonify({"error": "服务器内部错误"}), 500
    return render_template("error.html", title="服务器出错了",
                           message="处理这个请求时出现了意外错误，已记录在服务器日志中。请稍后再试。"), 500


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
    app.config.from_mapping(INDEX_DIR=str(index_dir()), JSON_AS_ASCII=False)
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False
    app.extensions["search_engine"] = SearchEngine(app.config["INDEX_DIR"])
    app.add_url_rule("/", "index", index_page)
    app.add_url_rule("/search", "search", search_page)
    app.add_url_rule("/advanced", "advanced", advanced_page)
    app.add_url_rule("/trends", "trends", trends_page)
    app.add_url_rule("/export.csv", "export_csv", export_csv)
    app.add_url_rule("/export.json", "export_json", export_json)
    app.add_url_rule("/api/search", "api_search", api_search)
    app.add_url_rule("/report/<report_id>", "report", report_page)
    app.add_url_rule("/compare", "compare", compare_page)
    app.add_url_rule("/report/<report_id>/similar/<int:n>", "similar", similar_page)
    app.add_url_rule("/reuse", "reuse", reuse_page)
    app.add_url_rule("/corpus", "corpus", corpus_page)
    app.register_error_handler(IndexMissing, index_missing)
    app.register_error_handler(BadParameter, bad_parameter)
    app.register_error_handler(404, not_found)
    app.register_error_handler(InternalServerError, server_error)
    app.context_processor(request_state)
    app.after_request(secure)
    app.cli.add_command(rebuild_command)
    app.cli.add_command(crawl_command)
    return app
