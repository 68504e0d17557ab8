"""Our rules on top of Scrapy's downloader: robots.txt, retries with backoff, staying on the crawled sites, pages only.

Scrapy does the fetching (pacing per host, timeouts, size caps, redirects, retries); these
pieces hold the policies where ours differ from its defaults:

- RobotsRules: robots.txt read once per site, as Scrapy does, but a site whose robots.txt
  cannot be read (5xx, no answer) is left alone instead of crawled freely, a 401/403 one
  allows nothing, and its Crawl-delay slows our requests to that host (Scrapy reads it
  but does not apply it);
- BackoffRetry: Scrapy's retries, waiting before each (doubling, or as long as Retry-After
  asks, capped) instead of retrying at once;
- SiteFence: a crawl never leaves its start sites, redirects and robots.txt included;
- PageGate: a response that is not a web page (image, archive) is dropped when its headers
  arrive, and so is a document (PDF, DOCX, DOC) unless a report's link asked for it; a
  robots.txt is read only up to ROBOTS_MAX_BYTES;
- PacedDownloadHandler: Scrapy's HTTP handler, the pause between two requests to a host
  counted from the end of the first download (Scrapy counts from its start, so a slow
  answer would eat into the pause).
"""
import asyncio
import time
from urllib.parse import urlsplit

from scrapy import Request, signals
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest, StopDownload
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import ProtegoRobotParser

from . import politeness
from .fence import site_of
from .pages import document_suffix, is_page_type

ROBOTS_META = "robots_txt"  # request meta flag of our robots.txt requests
DOCUMENTS_META = "documents"  # request meta flag of a report's request: a document may answer it


class Refused(IgnoreRequest):
    """A request our rules refuse; the message says why, and whether it is a failure or a choice."""

    def __init__(self, reason, failed=False):
        """Keep the reason; failed tells a failure (robots.txt unreadable) from a choice."""
        super().__init__(reason)
        self.failed = failed


def origin_of(url):
    """Return scheme://host[:port] of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


class RobotsRules:
    """Obeys each site's robots.txt, read once per origin, and applies its Crawl-delay to the host."""

    def __init__(self, crawler):
        """Start with no origin's rules read."""
        self.crawler = crawler
        self.delay = crawler.settings.getfloat("DOWNLOAD_DELAY")
        self.rules = {}  # origin -> asyncio.Future of (parser or None, refusal or "")

    @classmethod
    def from_crawler(cls, crawler):
        """Build the middleware for a crawler."""
        return cls(crawler)

    async def process_request(self, request):
        """Refuse a request robots.txt disallows, or any to a site whose robots.txt is unreadable."""
        if request.meta.get(ROBOTS_META):
            return None
        parser, refusal = await self.rules_for(origin_of(request.url))
        if refusal:
            raise Refused(refusal, failed=True)
        if parser is not None and not parser.allowed(request.url, politeness.ROBOTS_AGENT):
            raise Refused("disallowed by robots.txt")
        return None

    async def rules_for(self, origin):
        """Return (parser or None for "all allowed", refusal) of an origin, fetching its robots.txt once."""
        if origin not in self.rules:
            # A future, not a Deferred: every request waiting on the same site gets the answer.
            answer = self.rules[origin] = asyncio.get_running_loop().create_future()
            rules = await self.fetch_rules(origin)
            if not answer.done():  # not cancelled by a shutdown meanwhile
                answer.set_result(rules)
        return await self.rules[origin]

    async def fetch_rules(self, origin):
        """Fetch and read an origin's robots.txt: absent allows all, 401/403 allow none, unreadable refuses."""
        request = Request(f"{origin}/robots.txt", priority=1000, callback=NO_CALLBACK,
                          meta={ROBOTS_META: True, "dont_obey_robotstxt": True})
        try:
            response = await self.crawler.engine.download_async(request)
        except Exception as error:  # whatever stopped the download: we cannot know the rules
            return None, f"robots.txt of {origin} unreadable ({describe_error(error)}); not fetching there"
        if response.status >= 500:
            return None, f"robots.txt of {origin} unreadable (HTTP {response.status}); not fetching there"
        if response.status in (401, 403):
            return ProtegoRobotParser.from_crawler(self.crawler, b"User-agent: *\nDisallow: /\n"), ""
        if response.status >= 300:
            return None, ""  # no robots.txt: everything is allowed
        parser = ProtegoRobotParser.from_crawler(self.crawler, response.body[:politeness.ROBOTS_MAX_BYTES])
        self.slow_down(origin, parser.crawl_delay(politeness.ROBOTS_AGENT))
        return parser, ""

    def slow_down(self, origin, crawl_delay):
        """Space requests to the origin's host by its Crawl-delay (capped) when longer than ours."""
        if not crawl_delay:
            return
        delay = max(self.delay, min(float(crawl_delay), politeness.MAX_CRAWL_DELAY))
        downloader = self.crawler.engine.downloader
        host = urlsplit(origin).hostname or ""  # Scrapy's downloader paces per host name
        # For the slot in use, and for the one Scrapy makes anew after an idle minute.
        settings = downloader.per_slot_settings.setdefault(host, {})
        settings["delay"] = max(settings.get("delay", 0.0), delay)
        if host in downloader.slots:
            downloader.slots[host].delay = max(downloader.slots[host].delay, delay)


class BackoffRetry(RetryMiddleware):
    """Scrapy's retry middleware, waiting before each retry: doubling from BACKOFF, or Retry-After."""

    def __init__(self, settings):
        """Read the retry settings, and the first backoff."""
        super().__init__(settings)
        self.backoff = settings.getfloat("RETRY_BACKOFF_SECONDS", politeness.BACKOFF_SECONDS)

    async def process_response(self, request, response):
        """Return the response, or a retry of the request after the backoff."""
        result = super().process_response(request, response)
        if isinstance(result, Request):
            await self.pause(result, response.headers.get(b"Retry-After"))
        return result

    async def process_exception(self, request, exception):
        """Return a retry of the request after the backoff, or None to let the error through."""
        result = super().process_exception(request, exception)
        if isinstance(result, Request):
            await self.pause(result, None)
        return result

    async def pause(self, retry, retry_after):
        """Wait before a retry: backoff × 2^(retries so far − 1), or Retry-After seconds; capped."""
        wait = self.backoff * 2 ** (retry.meta.get("retry_times", 1) - 1)
        asked = (retry_after or b"").decode("latin-1").strip()
        if asked.isdigit():
            wait = float(asked)
        await asyncio.sleep(min(wait, politeness.MAX_BACKOFF_SECONDS))


class SiteFence:
    """Refuses requests, redirects included, to sites outside the spider's fence (when it has one)."""

    def __init__(self, crawler):
        """Keep the crawler, whose spider holds the fence."""
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        """Build the middleware for a crawler."""
        return cls(crawler)

    def process_request(self, request):
        """Let a request through if its site is one the crawl may visit."""
        fence = getattr(self.crawler.spider, "fence", None)
        # No exception, robots.txt included: a redirect keeps a request's meta, so a robots.txt
        # answering 302 would otherwise lead anywhere (another port, 169.254.169.254).
        if fence is not None and not fence.allows(request.url):
            raise Refused(f"leads to another site ({urlsplit(request.url).netloc}), not followed")
        return None


class PageGate:
    """Stops downloads that are neither web pages nor a report's document once their headers arrive,
    and long robots.txt files."""

    def __init__(self, crawler):
        """Listen to the crawler's download signals."""
        crawler.signals.connect(self.headers_received, signal=signals.headers_received)
        crawler.signals.connect(self.bytes_received, signal=signals.bytes_received)

    @classmethod
    def from_crawler(cls, crawler):
        """Build the extension for a crawler."""
        return cls(crawler)

    def headers_received(self, headers, request):
        """Stop a download whose Content-Type is not a page, nor a document a report asked for (its errback says which type)."""
        if request.meta.get(ROBOTS_META) or headers.get(b"Location"):
            return
        content_type = (headers.get(b"Content-Type") or b"").decode("latin-1")
        if is_page_type(content_type) or request.meta.get(DOCUMENTS_META) and document_suffix(content_type,
                                                                                            request.url):
            return
        raise StopDownload(fail=True)

    def bytes_received(self, data, request):
        """Stop reading a robots.txt after ROBOTS_MAX_BYTES, keeping what came (as Google does)."""
        if request.meta.get(ROBOTS_META):
            request.meta["robots_bytes"] = request.meta.get("robots_bytes", 0) + len(data)
            if request.meta["robots_bytes"] > politeness.ROBOTS_MAX_BYTES:
                raise StopDownload(fail=False)


class PacedDownloadHandler(HTTP11DownloadHandler):
    """Downloads http(s) like Scrapy, then restarts the host's pause: it runs from the end of a download."""

    def __init__(self, crawler):
        """Build Scrapy's handler, keeping the crawler to reach the downloader's slots."""
        super().__init__(crawler)
        self.crawler = crawler

    async def download_request(self, request):
        """Download a request; whatever the outcome, mark the end of the transfer on its host's slot."""
        try:
            return await super().download_request(request)
        finally:
            slot = self.crawler.engine.downloader.slots.get(request.meta.get("download_slot"))
            if slot is not None:
                slot.lastseen = time.monotonic()  # the clock the downloader's pacing reads


def describe_error(error):
    """Return a short text of a download error for a message."""
    text = str(error).strip()
    return f"{type(error).__name__}: {text[:160]}" if text else type(error).__name__
