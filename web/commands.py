"""The Flask commands: rebuild and crawl, thin wrappers over the indexer's functions."""
import click
from flask import current_app
from flask.cli import with_appcontext

from indexer.fetch.options import CRAWL_OPTIONS
from indexer.paths import corpus_dir


@click.command("rebuild")
@click.option("--corpus", help="corpus folder (default: $CORPUS_DIR or corpus/)")
@with_appcontext
def rebuild_command(corpus):
    """Rebuild the search index from the corpus."""
    # The indexer (the cleaner, BeautifulSoup, pdfminer: most of a second) loads only for this command, not in servers.
    from indexer.index.build import rebuild
    from indexer.index.generations import UnwritableIndex
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


def init_app(app):
    """Add the commands to the app's `flask` command line."""
    app.cli.add_command(rebuild_command)
    app.cli.add_command(crawl_command)
