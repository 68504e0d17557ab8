"""The one spider: from list pages to the report pages they link to, or straight to a list of pages.

Crawling, it reads each list page (lists.py, decoded as the cleaner decodes report pages),
follows its pagination within the start sites, up to --max-list-pages list pages from each
start URL, picks the links whose title names a report (titles.py), and fetches each report
once into the output folder with where it was found (pages.py).
Scraping (`scrape URLS_FILE`) is the same spider with only report pages to fetch.
A report page that hands its report to an attachment (详见附件: attachments.py) is recorded,
not kept, and the attachment is fetched in its place, with what the page said of it.

Nothing is fetched twice: a URL whose record is in the output folder is skipped, and list
pages an interrupted run read come from its journal (journal.py). Every request counts
against --max-pages, and every URL ends as one Outcome line. A full disk stops the crawl
(Scrapy's CloseSpider) with one line naming the folder; what was saved stays, whole.
"""
import errno
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import scrapy
from scrapy.exceptions import CloseSpider
from scrapy.http import TextResponse

from indexer.clean.encoding import charset_of, decode_page
from indexer.clean.errors import BadPage
from indexer.clean.pdffile import unreadable_here

from . import politeness
from .attachments import report_attachment
from .fence import Fence, site_of
from .journal import Journal
from .lists import looks_like_list, read_list
from .middlewares import DOCUMENTS_META
from .pages import earlier_fetch, earlier_reason, media_type, save_notice, save_page, save_skip
from .provenance import found_on
from .reasons import explain, scheme_refusal
from .tally import FAILED, FETCHED, SKIPPED, Outcome, Tally
from .titles import ReportMatcher, year_of

# List pages go before reports, so the crawl learns early how much there is to fetch.
LIST_PRIORITY, PAGE_PRIORITY = 10, 0
# Errors of a write that say the disk can take no more: every later write would fail too.
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT})


@dataclass
class CrawlJob:
    """What one run fetches, into where, within which bounds, and how it reports."""

    out: Path
    list_urls: list = field(default_factory=list)
    page_urls: list = field(default_factory=list)
    matcher: ReportMatcher = field(default_factory=ReportMatcher)
    fence: Fence | None = None
    since: int | None = None
    max_pages: int = politeness.DEFAULT_MAX_PAGES
    max_list_pages: int = politeness.DEFAULT_MAX_LIST_PAGES
    timeout: float = politeness.DEFAULT_TIMEOUT
    max_bytes: int = politeness.DEFAULT_MAX_BYTES
    show: object = print          # prints one line
    progress: object = None       # a display with update(done, total), or None

    def description(self, command):
        """Return what this run is, in a few words: the command and its start URLs or page count."""
        if self.list_urls:
            more = f" and {len(self.list_urls) - 2} more" if len(self.list_urls) > 2 else ""
            return f"{command} {' '.join(self.list_urls[:2])}{more}"
        return f"{command} of {len(self.page_urls)} URLs"


def first_url(request):
    """Return the URL a request was first made for, before any redirect."""
    return (request.meta.get("redirect_urls") or [request.url])[0]


class ReportSpider(scrapy.Spider):
    """Fetches the report pages of list pages (crawl) or of a URL list (scrape)."""

    name = "reports"

    def __init__(self, job, **kwargs):
        """Take the job; read the journal of an interrupted crawl of the same start URLs."""
        super().__init__(**kwargs)
        self.job, self.fence, self.tally = job, job.fence, Tally()
        self.journal = Journal(job.out, job.list_urls) if job.list_urls else None
        self.replay, self.tried = self.journal.read() if self.journal else ({}, {})
        self.lists_seen, self.reports_seen = set(), set()
        self.lists_from = Counter()  # start URL -> list pages entered from it (read or replayed)
        self.issued = self.done = 0

    async def start(self):
        """Yield the first requests: each page to scrape, each start list page (or what it led to before)."""
        for number, url in enumerate(self.job.page_urls):
            request = self.page_request(url, None, priority=PAGE_PRIORITY - number)  # in the list's order
            if request is not None:
                yield request
        for url in self.job.list_urls:
            for request in self.enter_list(url, url):
                yield request

    # --- list pages ------------------------------------------------------------------------

    def enter_list(self, url, start):
        """Yield what a list page reached from a start URL leads to: its fetch, or, read by an interrupted
        run, its links and pages; nothing once --max-list-pages pages of that start URL were entered."""
        if url in self.lists_seen:
            return
        if self.lists_from[start] >= self.job.max_list_pages:
            self.tally.lists_beyond.add(url)
            return
        self.lists_seen.add(url)
        self.tally.lists_beyond.discard(url)  # named too by a start URL with pages to spare
        self.lists_from[start] += 1
        if url in self.replay:
            self.tally.lists_replayed += 1
            yield from self.follow_list(url, start, self.replay[url])
            return
        refusal = scheme_refusal(url)
        if refusal or self.over_budget():
            reason = refusal or f"beyond --max-pages {self.job.max_pages}"
            self.list_outcome(Outcome(url, FAILED if refusal else SKIPPED, reason))
            return
        self.issued += 1
        yield scrapy.Request(url, callback=self.read_list_page, errback=self.list_failed, dont_filter=True,
                             priority=LIST_PRIORITY, cb_kwargs={"start": start})

    def read_list_page(self, response, start):
        """Read a fetched list page, journal it, and yield the requests it leads to."""
        url = first_url(response.request)
        self.step()
        if response.status != 200 or not isinstance(response, TextResponse):
            self.list_outcome(Outcome(url, FAILED, f"HTTP {response.status}" if response.status != 200
                                      else "not a web page"))
            return
        try:
            text = self.page_text(response)
        except BadPage as error:
            self.list_outcome(Outcome(url, FAILED, f"cannot be decoded: {error}"))
            return
        page = read_list(response.url, text)
        with self.writing():
            self.journal.add(url, page)
        self.tally.lists_read += 1
        reports = self.report_links(page)
        notes = "".join(f"; {note}" for note in page.notes)
        self.job.show(f"read list {url}: {len(reports)} report links of {len(page.links)};"
                      f" its pager names {len(page.pages)} other list pages{notes}")
        yield from self.follow_list(url, start, page)

    def list_failed(self, failure):
        """Note a list page that could not be read."""
        reason = explain(failure, self.job.timeout, self.job.max_bytes)
        self.list_outcome(Outcome(first_url(failure.request), reason.state, reason.detail, reason.kind))
        self.step()

    def list_outcome(self, outcome):
        """Record and show what became of a list page that was not read."""
        self.tally.list_failures.append(outcome)
        self.job.show(outcome.line("list "))

    def report_links(self, page):
        """Return the links of a list page that name a report (not a column or a page of the list)."""
        # A column's menu often names it like a report: 法治政府建设年度报告 -> its own index.html.
        return [link for link in page.links if self.job.matcher.matches(*link.texts())
                and link.url not in self.lists_seen and not looks_like_list(link.url)]

    def follow_list(self, url, start, page):
        """Yield the requests for a list page's report links and further pages (counted against start's)."""
        reports = self.report_links(page)
        self.tally.other_links.update({link.url for link in page.links} - {link.url for link in reports})
        for link in reports:
            if link.url in self.reports_seen:
                self.tally.repeats += 1
                continue
            self.reports_seen.add(link.url)
            request = self.report_request(link, found_on(url, link.text, link.title, link.date))
            if request is not None:
                yield request
        if self.all_before_since(page):
            return
        for next_url in page.pages:
            if self.fence.allows(next_url):
                yield from self.enter_list(next_url, start)

    def report_request(self, link, found):
        """Return the request for a report link, or None with its Outcome when it is not to be fetched."""
        if not self.fence.allows(link.url):
            host = site_of(link.url)
            self.record(Outcome(link.url, SKIPPED, f"on another site ({host}); --allow-host"
                                f" {host.split(':')[0]} follows it", "on another site"))
            return None
        year = year_of(link.texts(), link.date)
        if self.job.since and year and year < self.job.since:
            self.record(Outcome(link.url, SKIPPED, f"of {year}, before --since {self.job.since}",
                                "before --since"))
            return None
        return self.page_request(link.url, found)

    def all_before_since(self, page):
        """Tell whether every dated link of a list page is older than --since (lists run newest first)."""
        years = [int(link.date[:4]) for link in page.links if link.date]
        return bool(self.job.since and years) and max(years) < self.job.since

    # --- report pages ----------------------------------------------------------------------

    def page_request(self, url, found, priority=PAGE_PRIORITY, linked=None):
        """Return the request fetching a page (or a report's document; linked: what the page linking
        it said of it), or None with its Outcome when it is not to be fetched."""
        refusal = scheme_refusal(url)
        if refusal:
            self.record(Outcome(url, FAILED, refusal, "scheme refused"))
            return None
        if url in self.tried:  # failed in the run this one resumes: not asked again in the same crawl
            state, detail, kind = self.tried[url]
            self.record(Outcome(url, state, f"{detail} (in the interrupted run)", kind))
            return None
        earlier = earlier_fetch(self.job.out, url)
        if earlier is not None and isinstance(earlier.get("attachment"), dict):
            # A notice page read before: its attachment is the report, fetched unless it was.
            return self.attachment_request(url, earlier["attachment"], earlier.get("found_on"))
        if earlier is not None:
            reason = earlier_reason(url, earlier)
            self.record(Outcome(url, SKIPPED, reason, reason.split(" (")[0].split(":")[0]))
            return None
        if self.over_budget():
            self.record(Outcome(url, SKIPPED, f"beyond --max-pages {self.job.max_pages}", "beyond --max-pages"))
            return None
        self.issued += 1
        return scrapy.Request(url, callback=self.save, errback=self.page_failed, dont_filter=True,
                              priority=priority, meta={"found": found, "linked": linked, DOCUMENTS_META: True})

    def attachment_request(self, page_url, attachment, found):
        """Return the request for a notice page's attachment (None with its Outcome when not to be fetched)."""
        linked = {name: value for name, value in attachment.items() if name != "url"}
        return self.page_request(attachment["url"], found, linked={"url": page_url, **linked})

    def save(self, response):
        """Write a fetched page and its record into the output folder, or fetch the attachment it hands its report to."""
        url = first_url(response.request)
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        linked = response.meta.get("linked")
        self.step()
        if response.status != 200:
            self.record_failure(Outcome(url, FAILED, f"HTTP {response.status}", f"HTTP {response.status}"))
            return
        handed = None
        if linked is None and isinstance(response, TextResponse) and media_type(content_type) != "text/plain":
            try:
                handed = report_attachment(response.url, self.page_text(response), self.job.matcher)
            except BadPage:
                pass  # no text to read an attachment from: the page is kept, its record says why
        try:
            with self.writing():
                if handed:
                    link, facts = handed
                    attachment = {"url": link.url, "anchor": link.text, **facts}
                    save_notice(self.job.out, url, response.url, response.status, content_type,
                                response.meta.get("found"), attachment)
                else:
                    path, record = save_page(self.job.out, url, response.url, response.status, content_type,
                                             response.body, response.meta.get("found"), linked)
        except OSError as error:  # a folder gone, a file refused: this page is lost, the run goes on
            self.record(Outcome(url, FAILED, f"cannot write its page: {error.strerror or error}", "cannot write"))
        else:
            if handed:
                self.job.show(f"notice {url}: its report is the attachment {handed[0].url}")
                request = self.attachment_request(response.url, attachment, response.meta.get("found"))
                if request is not None:
                    yield request
            else:
                self.record(Outcome(url, FETCHED, f"{path.name} ({len(response.body)} bytes, {self.what(record)})"))

    def page_text(self, response):
        """Return a page's text decoded as the cleaner decodes it, or raise BadPage.

        Not Scrapy's response.text, which trusts the header: a GBK page declared UTF-8 would
        lose every link's title.
        """
        content_type = (response.headers.get(b"Content-Type") or b"").decode("latin-1")
        return decode_page(response.body, charset_of(content_type))[0]

    def what(self, record):
        """Return what a saved page is, for its line: its encoding, or the document and the page linking it."""
        if "document" not in record:
            return record["detected_encoding"] or "undecodable"
        what = record["document"]
        unreadable = unreadable_here(self.job.out / record["file"])
        if unreadable:
            self.tally.unreadable.append((record["file"], unreadable))
            what += f"; {unreadable}"
        linked = record.get("linked_from") or {}
        return what + (f"; attachment of {linked['url']}" if linked.get("url") else "")

    def page_failed(self, failure):
        """Record why a page was not fetched, remembering the pages we chose not to keep."""
        url = first_url(failure.request)
        reason = explain(failure, self.job.timeout, self.job.max_bytes)
        outcome = Outcome(url, reason.state, reason.detail, reason.kind)
        self.step()
        if reason.remembered:
            with self.writing():
                save_skip(self.job.out, url, reason.detail, failure.request.url, reason.status,
                          reason.content_type, failure.request.meta.get("found"))
            self.record(outcome)
        else:
            self.record_failure(outcome)

    # --- bookkeeping -----------------------------------------------------------------------

    def record(self, outcome):
        """Record and show what became of a URL."""
        self.tally.outcomes.append(outcome)
        self.job.show(outcome.line())

    def record_failure(self, outcome):
        """Record a page that came to nothing, journaled so a resumed crawl does not ask again."""
        self.record(outcome)
        if self.journal is not None:
            with self.writing():
                self.journal.add_failure(outcome)

    @contextmanager
    def writing(self):
        """Run a write into the output folder; on a full disk, stop the run (Scrapy's CloseSpider) saying why."""
        try:
            yield
        except OSError as error:
            if error.errno not in DISK_FULL:
                raise
            # Pages already downloading still arrive: each fails the same way, and says nothing more.
            self.tally.stopped = self.tally.stopped or (
                f"the disk of {self.job.out} is full ({error.strerror}): stopped; what was saved is kept;"
                " free some space and run the same command again to resume")
            raise CloseSpider("disk full") from None

    def over_budget(self):
        """Tell whether --max-pages requests have been made."""
        return self.issued >= self.job.max_pages

    def step(self):
        """Count one request done and move the progress display."""
        self.done += 1
        if self.job.progress is not None:
            self.job.progress.update(self.done, self.issued)

    def closed(self, reason):
        """Close the journal (deleting it when the crawl finished) and note an interruption."""
        self.tally.interrupted = reason != "finished"
        if self.journal is not None:
            self.journal.close(finished=not self.tally.interrupted)

