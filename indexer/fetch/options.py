"""The options of `crawl` and `scrape`, defined once for both command lines (python -m indexer, flask)."""
from dataclasses import dataclass

from . import politeness


@dataclass(frozen=True)
class Option:
    """One command-line option: its flag, value type, default, least value, and help."""

    flag: str
    kind: type
    default: object
    help: str
    least: float | None = None
    repeat: bool = False
    metavar: str | None = None

    @property
    def dest(self):
        """Return the option's name as a Python identifier (--max-bytes → max_bytes)."""
        return self.flag.lstrip("-").replace("-", "_")

    def help_text(self):
        """Return the help with the default, when there is one."""
        return self.help if self.default in (None, ()) else f"{self.help} (default: {self.default})"


FETCH_OPTIONS = (
    Option("--out", str, None, "folder for the pages and their .meta.json records (default: $CORPUS_DIR/raw)",
           metavar="DIR"),
    Option("--delay", float, politeness.DEFAULT_DELAY, "seconds between two requests to one host "
           "(a robots.txt Crawl-delay that is longer wins)", least=0),
    Option("--timeout", float, politeness.DEFAULT_TIMEOUT,
           "seconds a whole download may take, connecting included", least=0.1),
    Option("--max-bytes", int, politeness.DEFAULT_MAX_BYTES, "skip pages larger than this", least=1),
    Option("--retries", int, politeness.DEFAULT_RETRIES,
           "extra attempts after a timeout, a dropped connection or a 5xx", least=0),
)

CRAWL_OPTIONS = (
    Option("--match", str, None, "regular expression a report link's title or text must contain "
           "(default: titles ending in 法治政府建设…报告, 依法行政…报告 or 法治建设…报告)", metavar="REGEX"),
    Option("--since", int, None, "skip reports about years before YEAR (by the year in the title, "
           "else the list's date) and stop paging when a list page holds only older ones",
           least=1900, metavar="YEAR"),
    Option("--max-pages", int, politeness.DEFAULT_MAX_PAGES, "fetch at most N pages, lists and reports",
           least=1, metavar="N"),
    Option("--max-list-pages", int, politeness.DEFAULT_MAX_LIST_PAGES,
           "read at most N list pages from each start URL, itself included", least=1, metavar="N"),
    Option("--allow-host", str, (), "also follow report links to HOST (repeatable); otherwise the crawl "
           "never leaves the start URLs' sites", repeat=True, metavar="HOST"),
) + FETCH_OPTIONS
