"""Fetch report pages politely into the corpus, with a provenance sidecar beside each page.

Polite: robots.txt is read once per host and obeyed (Crawl-delay included), one request at
a time with a pause per host, a user agent that names the project, bounded retries with
exponential backoff. Safe: http and https only (redirects included), a bounded number of
redirects, connect/read timeouts and a time budget per download, a size cap enforced while
streaming. Resumable: a URL whose sidecar exists is not fetched again.
"""
import hashlib
import json
import os
import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import requests

from indexer.clean.encoding import charset_of, decode_page
from indexer.clean.errors import BadPage
from indexer.jsonfile import write_bytes

from .politeness import DEFAULT_DELAY, DEFAULT_MAX_BYTES, DEFAULT_RETRIES, DEFAULT_TIMEOUT
from .provenance import SUFFIX, read_record, write_record

USER_AGENT = "fazhi-report-search/1.0 (search engine of rule-of-law government reports)"
# The token robots.txt rules name us by ("User-agent: fazhi-report-search").
ROBOTS_AGENT = "fazhi-report-search"
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"


ALLOWED_SCHEMES = ("http", "https")
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
MAX_REDIRECTS = 5
# Worth retrying: the server was busy or briefly down.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
BACKOFF_SECONDS = 1.0       # the first wait before a retry; doubled for each further one
MAX_BACKOFF_SECONDS = 30.0  # also the longest Retry-After honoured
# A robots.txt Crawl-delay above this is capped: one page a minute is polite enough.
MAX_CRAWL_DELAY = 60.0
# A read timeout bounds each read, not a download a server trickles byte by byte.
DOWNLOAD_BUDGET_TIMEOUTS = 6
CHUNK_BYTES = 64 * 1024
# Google reads the first 500 KiB of a robots.txt; so do we.
ROBOTS_MAX_BYTES = 500 * 1024
# Media types worth keeping, and the suffix the cleaner reads each by.
PAGE_SUFFIXES = {"text/html": ".html", "application/xhtml+xml": ".html", "text/plain": ".txt"}


class FetchFailed(Exception):
    """A URL that could not be fetched; the message says why."""


class Skipped(Exception):
    """A URL deliberately not kept (robots.txt, size, media type); the message says why."""

    def __init__(self, reason, reply=None):
        super().__init__(reason)
        self.reply = reply


@dataclass
class Reply:
    """One HTTP response: its URL, status, the headers we act on, and its (capped) body."""

    url: str
    status: int
    content_type: str = ""
    location: str = ""
    retry_after: float | None = None
    body: bytes = b""
    truncated: bool = False


@dataclass
class Outcome:
    """What became of one URL: fetched, skipped or failed, and the detail to print."""

    url: str
    state: str
    detail: str

    def line(self):
        """Return the line printed for this URL."""
        joiner = " -> " if self.state == "fetched" else ": "
        return f"{self.state} {self.url}{joiner}{self.detail}"


@dataclass
class ScrapeSummary:
    """Counts of a scrape run and its duration."""

    outcomes: list = field(default_factory=list)
    seconds: float = 0.0

    def count(self, state):
        """Return how many URLs ended in the given state."""
        return sum(1 for outcome in self.outcomes if outcome.state == state)

    def line(self, out):
        """Return the summary line printed after a run."""
        counts = ", ".join(f"{self.count(state)} {state}" for state in ("fetched", "skipped", "failed"))
        return f"{len(self.outcomes)} URLs in {self.seconds:.1f} s: {counts}; pages in {out}"

    def all_failed(self):
        """Tell whether every URL failed (the run achieved nothing)."""
        return bool(self.outcomes) and self.count("failed") == len(self.outcomes)


def read_url_file(path):
    """Return the URLs listed in a file, one a line, skipping blanks and # comments, each once."""
    urls = {}
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            urls.setdefault(urldefrag(line).url, None)
    return list(urls)


def page_stem(url):
    """Return the stable file stem of a URL's page: <host>_<first 16 hex of sha1(url)>."""
    host = re.sub(r"[^a-z0-9.-]", "_", (urlsplit(url).hostname or "nohost").lower())
    return f"{host}_{hashlib.sha1(url.encode('utf-8')).hexdigest()[:16]}"


def check_scheme(url, what="URL"):
    """Raise FetchFailed unless url is an http(s) URL with a host."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise FetchFailed(f"{what} {url} refused: scheme '{parts.scheme}' is not http or https")
    if not parts.hostname:
        raise FetchFailed(f"{what} {url} has no host")


class Scraper:
    """Fetches pages one at a time, politely, into an output folder."""

    def __init__(self, out, delay=DEFAULT_DELAY, timeout=DEFAULT_TIMEOUT,
                 max_bytes=DEFAULT_MAX_BYTES, retries=DEFAULT_RETRIES, backoff=BACKOFF_SECONDS):
        self.out = Path(out)
        self.delay, self.timeout, self.max_bytes = delay, timeout, max_bytes
        self.retries, self.backoff = retries, backoff
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": ACCEPT})
        self.robots = {}
        self.last_request = {}

    def run(self, urls, show=print):
        """Fetch every URL, showing one line per URL, and return the ScrapeSummary."""
        summary, started = ScrapeSummary(), time.monotonic()
        self.out.mkdir(parents=True, exist_ok=True)
        for url in urls:
            outcome = self.fetch(url)
            summary.outcomes.append(outcome)
            show(outcome.line())
        summary.seconds = time.monotonic() - started
        return summary

    def fetch(self, url):
        """Fetch one URL into the output folder and return its Outcome."""
        sidecar = self.out / (page_stem(url) + SUFFIX)
        try:
            check_scheme(url)
            earlier, _unreadable = read_record(sidecar)
            if earlier:
                raise Skipped(f"skipped earlier: {earlier['skipped']}" if earlier.get("skipped")
                              else f"already fetched ({sidecar.name} exists)")
            reply = self.follow(url)
            path, record = self.save(url, reply, sidecar)
        except Skipped as skip:
            if skip.reply is not None:
                write_record(sidecar, provenance(url, skip.reply, skipped=str(skip)))
            return Outcome(url, "skipped", str(skip))
        except FetchFailed as failure:
            return Outcome(url, "failed", str(failure))
        encoding = record["detected_encoding"] or "undecodable"
        return Outcome(url, "fetched", f"{path.name} ({len(reply.body)} bytes, {encoding})")

    def follow(self, url):
        """Return the final Reply for url, following redirects to http(s) URLs only."""
        for hop in range(MAX_REDIRECTS + 1):
            if not self.allowed(url):
                raise Skipped(f"redirect to {url} disallowed by robots.txt" if hop
                              else "disallowed by robots.txt")
            reply = self.get(url, self.max_bytes, pages_only=True)
            if reply.status not in REDIRECT_STATUSES:
                if reply.status != 200:
                    raise FetchFailed(f"HTTP {reply.status}")
                if reply.truncated:
                    raise Skipped(f"larger than {self.max_bytes} bytes", reply)
                return reply
            if not reply.location:
                raise FetchFailed(f"HTTP {reply.status} redirect without a Location")
            target = urldefrag(urljoin(url, reply.location)).url
            check_scheme(target, what=f"redirect from {url} to")
            url = target
        raise FetchFailed(f"more than {MAX_REDIRECTS} redirects")

    def save(self, url, reply, sidecar):
        """Write the page, then its sidecar (which marks it complete); return both."""
        media = reply.content_type.split(";")[0].strip().lower()
        path = self.out / (page_stem(url) + PAGE_SUFFIXES.get(media, ".html"))
        write_bytes(path, reply.body)
        record = provenance(url, reply, file=path.name)
        write_record(sidecar, record)
        return path, record

    def allowed(self, url):
        """Tell whether url's robots.txt (read once per host) allows it; fail if unreadable."""
        # Without a readable robots.txt we cannot know what the site allows, so we stay away.
        parts = urlsplit(url)
        origin = f"{parts.scheme.lower()}://{parts.netloc.lower()}"
        if origin not in self.robots:
            try:
                self.robots[origin] = self.read_robots(origin)
            except FetchFailed as failure:
                self.robots[origin] = failure
        rules = self.robots[origin]
        if isinstance(rules, FetchFailed):
            raise FetchFailed(f"robots.txt of {origin} unreadable ({rules}); not fetching there")
        return rules.can_fetch(ROBOTS_AGENT, url)

    def read_robots(self, origin):
        """Fetch and parse an origin's robots.txt: absent allows all, 401/403 allow none."""
        rules = RobotFileParser(origin + "/robots.txt")
        reply = self.get(rules.url, ROBOTS_MAX_BYTES)
        for _ in range(MAX_REDIRECTS):
            if reply.status not in REDIRECT_STATUSES or not reply.location:
                break
            target = urljoin(reply.url, reply.location)
            check_scheme(target, what="robots.txt redirect to")
            reply = self.get(target, ROBOTS_MAX_BYTES)
        if reply.status >= 500:
            raise FetchFailed(f"HTTP {reply.status}")
        if reply.status in (401, 403):
            rules.disallow_all = True  # the site keeps robots out
        elif reply.status >= 300:
            rules.allow_all = True  # no robots.txt: everything is allowed
        else:
            rules.parse(reply.body.decode("utf-8", errors="replace").splitlines())
        return rules

    def get(self, url, limit, pages_only=False):
        """Return the Reply to one GET (no redirects followed), retrying transient failures."""
        host = urlsplit(url).netloc.lower()
        for attempt in range(self.retries + 1):
            self.wait_turn(host)
            reply = error = None
            try:
                reply = self.exchange(url, limit, pages_only)
            except (requests.Timeout, requests.ConnectionError) as caught:
                error = caught
            except requests.RequestException as caught:
                raise FetchFailed(describe(caught, self.timeout, attempt + 1)) from None
            finally:
                self.last_request[host] = time.monotonic()
            last = attempt == self.retries
            if error is not None:
                # A certificate problem does not go away by asking again.
                if last or isinstance(error, requests.exceptions.SSLError):
                    raise FetchFailed(describe(error, self.timeout, attempt + 1))
            elif reply.status not in RETRY_STATUSES or last:
                return reply
            self.pause(attempt, reply)
        raise AssertionError("unreachable: the last attempt returns or raises")

    def exchange(self, url, limit, pages_only):
        """Send one GET and read its body up to limit bytes within the download time budget."""
        with self.session.get(url, stream=True, allow_redirects=False,
                              timeout=(self.timeout, self.timeout)) as response:
            headers = response.headers
            reply = Reply(url=url, status=response.status_code,
                          content_type=headers.get("Content-Type", ""),
                          location=headers.get("Location", ""),
                          retry_after=seconds_or_none(headers.get("Retry-After")))
            if reply.status in REDIRECT_STATUSES or reply.status >= 400:
                return reply
            media = reply.content_type.split(";")[0].strip().lower()
            if pages_only and media and media not in PAGE_SUFFIXES:
                raise Skipped(f"not a web page ({media})", reply)
            declared_size = int(response.headers.get("Content-Length") or 0)
            if declared_size > limit:
                reply.truncated = True
                return reply
            reply.body, reply.truncated = self.read_capped(response, limit)
            return reply

    def read_capped(self, response, limit):
        """Return (body, truncated): at most limit bytes, stopping as soon as more arrive."""
        budget = self.timeout * DOWNLOAD_BUDGET_TIMEOUTS
        deadline = time.monotonic() + budget
        body = bytearray()
        for chunk in response.iter_content(CHUNK_BYTES):
            body.extend(chunk)
            if len(body) > limit:
                return bytes(body[:limit]), True
            if time.monotonic() > deadline:
                raise FetchFailed(f"download took over {budget:g} s")
        return bytes(body), False

    def wait_turn(self, host):
        """Sleep until this host's pause since our last request to it is over."""
        last = self.last_request.get(host)
        if last is not None:
            time.sleep(max(0.0, last + self.host_delay(host) - time.monotonic()))

    def host_delay(self, host):
        """Return the pause between requests to a host: ours, or its Crawl-delay if longer."""
        delays = [self.delay]
        for origin, rules in self.robots.items():
            if isinstance(rules, RobotFileParser) and urlsplit(origin).netloc == host:
                delays.append(min(float(rules.crawl_delay(ROBOTS_AGENT) or 0), MAX_CRAWL_DELAY))
        return max(delays)

    def pause(self, attempt, reply):
        """Back off before a retry: exponentially, or as long as Retry-After asks (capped)."""
        wait = self.backoff * 2 ** attempt
        if reply is not None and reply.retry_after is not None:
            wait = reply.retry_after
        time.sleep(min(wait, MAX_BACKOFF_SECONDS))


def seconds_or_none(value):
    """Return a Retry-After header given in seconds as a number, else None."""
    value = (value or "").strip()
    return float(value) if value.isdigit() else None


def provenance(url, reply, file=None, skipped=None):
    """Return the sidecar record of a fetched (or deliberately skipped) URL."""
    record = {
        "url": url, "final_url": reply.url,
        "fetched_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "status": reply.status, "content_type": reply.content_type,
        # The charset the HTTP header declared; a <meta> charset is found again when cleaning.
        "declared_encoding": charset_of(reply.content_type),
        "detected_encoding": None,
    }
    if skipped:
        record["skipped"] = skipped
    if file:
        record.update(file=file, bytes=len(reply.body))
        try:
            _, record["detected_encoding"] = decode_page(
                reply.body, record["declared_encoding"], is_html=not file.endswith(".txt"))
        except BadPage as error:
            record["decode_error"] = str(error)
    return record


def describe(error, timeout, attempts):
    """Return a short reason for a failed request."""
    tries = f"{attempts} attempt{'s' if attempts > 1 else ''}"
    if isinstance(error, requests.Timeout):
        return f"timed out after {timeout:g} s ({tries})"
    if isinstance(error, requests.exceptions.SSLError):
        return f"TLS error: {str(error)[:160]}"
    if isinstance(error, requests.ConnectionError):
        return f"connection failed ({tries}): {str(error)[:160]}"
    return f"request failed: {str(error)[:160]}"
