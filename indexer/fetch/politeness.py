"""The fetcher's pace and bounds, as plain numbers, so the command line can show them without loading Scrapy."""

# Who we are: sites see the project's name, and robots.txt rules can address it.
USER_AGENT = "fazhi-report-search/1.0 (search engine of rule-of-law government reports)"
ROBOTS_AGENT = "fazhi-report-search"   # "User-agent: fazhi-report-search" in a robots.txt
ACCEPT = "text/html,application/xhtml+xml,text/plain;q=0.9,*/*;q=0.1"

DEFAULT_DELAY = 2.0         # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0      # seconds for a whole download, connecting to the last byte
DEFAULT_MAX_BYTES = 10_000_000  # report pages are well under 1 MB; bigger is not a page
DEFAULT_RETRIES = 2         # extra attempts after a timeout, a dropped connection or a 5xx
DEFAULT_MAX_PAGES = 5000    # pages (lists and reports) one crawl fetches at most
DEFAULT_MAX_LIST_PAGES = 100  # list pages read from one start URL: 100 pages of 20 links

# What one list page can make the crawl do. A column shows 15-50 links a page, and its pager
# counts a few hundred pages at most; a page far past either is broken or hostile, and the
# excess would only cost memory and time in the reactor thread, out of reach of --timeout.
MAX_LIST_LINKS = 100_000    # <a> elements of one list page read; those after are left alone
MAX_CLAIMED_PAGES = 10_000  # pages a pager's claimed total names at most: 200,000 links of 20 a page

ALLOWED_SCHEMES = ("http", "https")
MAX_REDIRECTS = 5
# Worth retrying: the server was busy or briefly down.
RETRY_STATUSES = (429, 500, 502, 503, 504)
BACKOFF_SECONDS = 1.0       # the first wait before a retry; doubled for each further one
MAX_BACKOFF_SECONDS = 30.0  # also the longest Retry-After honoured
# A robots.txt Crawl-delay above this is capped: one page a minute is polite enough.
MAX_CRAWL_DELAY = 60.0
# Google reads the first 500 KiB of a robots.txt; so do we.
ROBOTS_MAX_BYTES = 500 * 1024
