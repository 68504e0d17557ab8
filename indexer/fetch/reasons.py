"""Why a request came to nothing, said in one line, from the error Scrapy hands an errback."""
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from scrapy.exceptions import (CannotResolveHostError, DownloadCancelledError, DownloadConnectionRefusedError,
                               DownloadFailedError, DownloadTimeoutError, IgnoreRequest, NotSupported,
                               ResponseDataLossError, StopDownload, UnsupportedURLSchemeError)
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.internet.error import ConnectError, ConnectionLost, DNSLookupError, TimeoutError

from .middlewares import Refused, describe_error
from .politeness import ALLOWED_SCHEMES, MAX_REDIRECTS
from .tally import FAILED, SKIPPED


@dataclass
class Reason:
    """Why a URL was not kept: failed or skipped, the detail, its kind for the summary, whether to remember it."""

    state: str
    detail: str
    kind: str = ""
    remembered: bool = False  # a page we chose not to keep: its record stops later runs asking again
    status: int | None = None
    content_type: str = ""


def scheme_refusal(url, what="URL"):
    """Return why a URL may not be fetched (not http or https, no host), or ""."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        return f"{what} {url} refused: scheme '{parts.scheme}' is not http or https"
    if not parts.hostname:
        return f"{what} {url} has no host"
    return ""


def attempts_of(request):
    """Return "N attempts": how often a request was sent, retries included."""
    count = request.meta.get("retry_times", 0) + 1
    return f"{count} attempt{'s' if count > 1 else ''}"


def explain(failure, timeout, max_bytes):
    """Return the Reason of a failed request, from the Failure an errback receives."""
    error, request = failure.value, failure.request
    if isinstance(error, Refused):
        return Reason(FAILED if error.failed else SKIPPED, str(error),
                      "robots.txt unreadable" if error.failed else str(error).split(" (")[0])
    if isinstance(error, StopDownload) and error.response is not None:
        content_type = (error.response.headers.get(b"Content-Type") or b"").decode("latin-1")
        media = content_type.split(";")[0].strip().lower()
        if urlsplit(request.url).path.lower().endswith(".wps"):
            # Kingsoft WPS files have no well-kept reader outside WPS Office and LibreOffice.
            return Reason(SKIPPED, f"a WPS document ({media}), which no reader here reads", "WPS document", True,
                          error.response.status, content_type)
        return Reason(SKIPPED, f"not a web page ({media})", "not a web page", True,
                      error.response.status, content_type)
    if isinstance(error, DownloadCancelledError):
        return Reason(SKIPPED, f"larger than {max_bytes} bytes", f"larger than {max_bytes} bytes", True)
    if isinstance(error, HttpError):
        return http_error(error.response)
    if isinstance(error, IgnoreRequest) and "redirections" in str(error):
        return Reason(FAILED, f"more than {MAX_REDIRECTS} redirects", "too many redirects")
    if isinstance(error, (DownloadTimeoutError, TimeoutError)):
        return Reason(FAILED, f"timed out after {timeout:g} s ({attempts_of(request)})", "timed out")
    if isinstance(error, (CannotResolveHostError, DNSLookupError)):
        return Reason(FAILED, f"host name not found: {describe_error(error)}", "host name not found")
    if isinstance(error, (DownloadConnectionRefusedError, ConnectError, ConnectionLost)):
        return Reason(FAILED, f"connection failed ({attempts_of(request)}): {describe_error(error)}",
                      "connection failed")
    if isinstance(error, (DownloadFailedError, ResponseDataLossError)):
        # A response that breaks HTTP (a Content-Length of "abc", a body cut short): this URL fails, the run goes on.
        return Reason(FAILED, f"broken response ({attempts_of(request)}): {describe_error(error)}",
                      "broken response")
    if isinstance(error, (NotSupported, UnsupportedURLSchemeError)):
        return Reason(FAILED, scheme_refusal(request.url) or describe_error(error), "scheme refused")
    return Reason(FAILED, f"request failed: {describe_error(error)}", "request failed")


def http_error(response):
    """Return the Reason of a response that is not a 200 page: an HTTP error, or a redirect we refused."""
    location = (response.headers.get(b"Location") or b"").decode("latin-1").strip()
    if 300 <= response.status < 400 and location:
        target = urljoin(response.url, location)
        refusal = scheme_refusal(target, what=f"redirect from {response.url} to")
        if refusal:
            return Reason(FAILED, refusal, "redirect refused", status=response.status)
    return Reason(FAILED, f"HTTP {response.status}", f"HTTP {response.status}", status=response.status)
