"""The sites a crawl may visit, without Scrapy: the fence is drawn from its start URLs before a crawler
exists (SiteFence in middlewares.py enforces it on every request)."""
from urllib.parse import urlsplit


def site_of(url):
    """Return the site of a URL: its host and port, the scheme's default port left out."""
    parts = urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        port = None
    default = {"http": 80, "https": 443}.get(parts.scheme.lower())
    host = (parts.hostname or "").lower()
    return host if port in (None, default) else f"{host}:{port}"


class Fence:
    """The sites a crawl may visit: those of its start URLs (any scheme), and the hosts it is told to."""

    def __init__(self, start_urls, allow_hosts=()):
        """Take the start URLs' sites and the hosts allowed besides."""
        self.sites = {site_of(url) for url in start_urls}
        self.hosts = {host.lower().strip() for host in allow_hosts if host.strip()}

    def allows(self, url):
        """Tell whether url is on one of the crawl's sites."""
        return site_of(url) in self.sites or (urlsplit(url).hostname or "").lower() in self.hosts
