"""The scraper's default pace and bounds, apart from it so the command line needs no HTTP library to start."""

DEFAULT_DELAY = 2.0         # seconds between two requests to one host
DEFAULT_TIMEOUT = 20.0      # seconds to connect, and to wait for each read
DEFAULT_MAX_BYTES = 10_000_000  # report pages are well under 1 MB; bigger is not a page
DEFAULT_RETRIES = 2         # extra attempts after a timeout, a dropped connection or a 5xx
