"""Run the spider in this process (Scrapy's CrawlerProcess): `crawl` from list pages, `scrape` from a URL list.

Scrapy is configured here from the command's options: one request at a time per host,
spaced by --delay (or a longer Crawl-delay) from the end of the previous one, no jitter;
whole-download timeouts; the size cap enforced while the body streams in; at most 5
redirects, http and https only (no other download handlers exist); bounded retries with
backoff; no cookies, no telnet console.
Twisted's reactor runs once per process, so each command runs one crawl and returns.
"""
import sys
import time
from pathlib import Path
from urllib.parse import urldefrag

from scrapy.crawler import CrawlerProcess

from indexer.paths import corpus_dir
from indexer.progress import progress_display

from . import politeness
from .lock import FolderBusy, holding
from .fence import Fence
from .spider import CrawlJob, ReportSpider
from .tally import Tally
from .titles import BadPattern, ReportMatcher


def settings_for(options):
    """Return the Scrapy settings of a run with the given options (delay, timeout, max_bytes, retries)."""
    return {
        "BOT_NAME": "fazhi-report-search",
        "USER_AGENT": politeness.USER_AGENT,
        "DEFAULT_REQUEST_HEADERS": {"Accept": politeness.ACCEPT, "Accept-Language": "zh-CN,zh;q=0.9"},
        "ROBOTSTXT_OBEY": False,  # RobotsRules obeys it, with our policy for unreadable files
        "DOWNLOADER_MIDDLEWARES": {
            "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
            "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
            "indexer.fetch.middlewares.SiteFence": 50,
            "indexer.fetch.middlewares.RobotsRules": 100,
            "indexer.fetch.middlewares.BackoffRetry": 550,
        },
        "EXTENSIONS": {"indexer.fetch.middlewares.PageGate": 100},
        "TELNETCONSOLE_ENABLED": False,
        "COOKIES_ENABLED": False,
        "CONCURRENT_REQUESTS": 8,
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
        "DOWNLOAD_DELAY": options["delay"],
        "DOWNLOAD_DELAY_JITTER": 0.0,  # never sooner than --delay
        "AUTOTHROTTLE_ENABLED": False,  # it would lower a host's Crawl-delay to --delay
        "DOWNLOAD_TIMEOUT": options["timeout"],
        "DNS_TIMEOUT": options["timeout"],
        "DOWNLOAD_MAXSIZE": options["max_bytes"],
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": options["retries"],
        "RETRY_HTTP_CODES": list(politeness.RETRY_STATUSES),
        "RETRY_PRIORITY_ADJUST": 1,  # a retry goes before pages not yet asked for
        "RETRY_GIVE_UP_LOG_LEVEL": "DEBUG",  # the outcome line says it
        "RETRY_BACKOFF_SECONDS": politeness.BACKOFF_SECONDS,
        "REDIRECT_MAX_TIMES": politeness.MAX_REDIRECTS,
        "DOWNLOAD_HANDLERS": {"http": "indexer.fetch.middlewares.PacedDownloadHandler",
                              "https": "indexer.fetch.middlewares.PacedDownloadHandler",
                              "file": None, "ftp": None, "s3": None, "data": None},
        "SCHEDULER_MEMORY_QUEUE": "scrapy.squeues.FifoMemoryQueue",  # pages in the order found
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "LOG_LEVEL": "ERROR",
        "LOG_FORMAT": "%(levelname)s %(name)s: %(message)s",
    }


def run(job, options):
    """Run the spider on a job to its end (or Ctrl-C) and return its Tally."""
    process = CrawlerProcess(settings_for(options))
    crawler = process.create_crawler(ReportSpider)
    process.crawl(crawler, job=job)
    started = time.monotonic()
    process.start()
    tally = crawler.spider.tally
    tally.seconds = time.monotonic() - started
    return tally


class BadInput(Exception):
    """Input a command cannot run with: the message names it and says why; status is the exit status."""

    def __init__(self, message, status=2):
        """Keep the message and the exit status."""
        super().__init__(message)
        self.status = status


def output_folder(options):
    """Return the folder pages go to: --out, else the corpus's raw/ folder; created."""
    out = Path(options.get("out") or corpus_dir() / "raw")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise BadInput(f"cannot use {out} as the output folder (--out): {error.strerror or error}") from None
    return out


def job_for(options, stage, **urls):
    """Return the CrawlJob of a command's options, its output shown through a progress display."""
    out = output_folder(options)
    display = progress_display(sys.stderr)(stage, 0, "pages")
    return CrawlJob(out=out, timeout=options["timeout"], max_bytes=options["max_bytes"],
                    show=display.write, progress=display, **urls)


def crawl_job(start_urls, options):
    """Return the job of a crawl from start_urls, or raise BadInput."""
    starts = list(dict.fromkeys(urldefrag(url.strip()).url for url in start_urls if url.strip()))
    if not starts:
        raise BadInput("give at least one START_URL (a list page of a report column)")
    try:
        matcher = ReportMatcher(options.get("match"))
    except BadPattern as error:
        raise BadInput(str(error)) from None
    job = job_for(options, "crawling", list_urls=starts)
    job.matcher, job.since = matcher, options.get("since")
    job.fence = Fence(starts, options.get("allow_host") or ())
    job.max_pages, job.max_list_pages = options["max_pages"], options["max_list_pages"]
    return job


def read_url_file(path):
    """Return the URLs listed in a file, one a line, skipping blanks and # comments, each once."""
    urls = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.setdefault(urldefrag(line).url, None)
    return list(urls)


def scrape_job(urls_file, options):
    """Return the job of fetching the pages listed in urls_file, or raise BadInput."""
    try:
        urls = read_url_file(urls_file)
    except (OSError, UnicodeDecodeError) as error:
        raise BadInput(f"cannot read URL list {urls_file}: {error}") from None
    if not urls:
        raise BadInput(f"no URLs in {urls_file} (one URL a line, # for comments)", status=1)
    job = job_for(options, "fetching", page_urls=urls)
    job.max_pages = 2 * len(urls)  # each page, and the attachment a notice page hands its report to
    return job


def command(name, make_job, summary, options):
    """Make a command's job (bad input said in one line), run it holding its output folder, print its summary;
    return the exit status."""
    try:
        job = make_job()
    except BadInput as error:
        print(f"{name}: {error}", file=sys.stderr)
        return error.status
    try:
        with holding(job.out, job.description(name)):
            tally = run(job, options)
    except FolderBusy as error:
        job.progress.close()
        print(f"{name}: {error}", file=sys.stderr)
        return 1
    job.progress.close()
    print(summary(tally, job.out), flush=True)
    if tally.stopped:
        print(f"{name}: {tally.stopped}", file=sys.stderr, flush=True)
    return 1 if tally.all_failed() or tally.interrupted else 0


def crawl_command(start_urls, options):
    """Crawl report columns from start_urls with the crawl options; print the summary; return the exit status."""
    return command("crawl", lambda: crawl_job(start_urls, options),
                   lambda tally, out: tally.crawl_line(out, options["max_list_pages"]), options)


def scrape_command(urls_file, options):
    """Fetch the pages listed in urls_file with the fetch options; print one line per URL and the summary."""
    return command("scrape", lambda: scrape_job(urls_file, options), Tally.scrape_line, options)
