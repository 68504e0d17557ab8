"""Crawling one list page of many links: python -m bench.crawl_list [--links 1000,10000,100000].

For each size, a list page of that many links (10 of them reports, spread over the page, each
with a date beside it, as lists show them) and a pager claiming 10^8 pages is served on
127.0.0.1; `python -m indexer crawl` reads it (--max-list-pages 1, no delay) and fetches its
10 reports. Measured: the command's wall time and peak memory, the crawl's own time (its summary
line: from the reactor's start to its end), and reading the page alone in this process
(indexer/fetch/lists.py read_list). Writes the '## Crawling a large list page' section of
bench/RESULTS.md (--output elsewhere).
"""
import argparse
import os
import re
import sys
import tempfile
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from indexer.fetch.lists import read_list
from indexer.fetch.politeness import MAX_CLAIMED_PAGES, MAX_LIST_LINKS

from .build import counts, put_section, section_head
from .measure import BenchError, exit_on_sigterm, machine, run_measured
from .results import markdown_table
from .run import RESULTS_PATH, commit_measured, log

SECTION = "## Crawling a large list page"
DEFAULT_LINKS = (1_000, 10_000, 100_000)
REPORTS = 10
CRAWL_TIMEOUT_S = 1800
CRAWL_SECONDS = re.compile(r"\(([\d.]+) s\)(?:; interrupted.*)?$")


def list_page(links):
    """Return the bytes of a list page of that many links, REPORTS of them reports, and a pager claiming 10^8 pages."""
    every = max(links // REPORTS, 1)
    rows = []
    for n in range(links):
        if n % every == 0 and n // every < REPORTS:
            href, title = f"/report/{n}.html", f"第{n}县2023年法治政府建设情况报告"
        else:
            href, title = f"/n/{n}.html", f"第{n}号通知"
        rows.append(f'<li><a href="{href}">{title}</a><span>2024-03-{n % 28 + 1:02d}</span></li>')
    pager = '<script>createPageHTML(100000000, 0, "index", "html");</script>'
    return ("<html><head><meta charset='utf-8'><title>法治政府建设</title></head><body><ul>"
            + "\n".join(rows) + f"</ul>{pager}</body></html>").encode("utf-8")


def report_page(path):
    """Return the bytes of the report page at path."""
    return f"<html><body><h1>{path}</h1><p>本县坚持依法行政，全面推进法治政府建设。</p></body></html>".encode("utf-8")


class ListSite:
    """The list page at /list/index.html and its reports, served on 127.0.0.1 in a thread."""

    def __init__(self, page):
        """Serve page as the list; every /report/ path as a report; anything else 404."""
        class Handler(BaseHTTPRequestHandler):
            """Answers the list, a report, or 404."""

            def do_GET(self):
                """Send the page the path names."""
                if self.path == "/list/index.html":
                    body, status = page, 200
                elif self.path.startswith("/report/"):
                    body, status = report_page(self.path), 200
                else:
                    body, status = b"not found", 404
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "text/html; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the crawler hung up (a page over --max-bytes): its summary says so

            def log_message(self, *args):
                """Keep the output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/list/index.html"

    def __enter__(self):
        """Start serving."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        """Stop serving."""
        self.server.shutdown()
        self.server.server_close()


def measure(links):
    """Crawl a list page of that many links; return the row of its figures."""
    page = list_page(links)
    started = time.perf_counter()
    read = read_list("http://127.0.0.1/list/index.html", page.decode("utf-8"))
    read_seconds = time.perf_counter() - started
    with ListSite(page) as site, tempfile.TemporaryDirectory(prefix="crawl-list-") as out:
        run = run_measured([sys.executable, "-m", "indexer", "crawl", site.url, "--out", out, "--delay", "0",
                            "--max-list-pages", "1"], CRAWL_TIMEOUT_S).check(f"the crawl of {links:,} links")
    summary = run.stdout.strip().splitlines()[-1]
    if f"{REPORTS} reports found: {REPORTS} fetched" not in summary:
        raise BenchError(f"the crawl of {links:,} links did not fetch its {REPORTS} reports:\n{run.stdout[-2000:]}")
    crawl_seconds = float(CRAWL_SECONDS.search(summary).group(1))
    return [f"{links:,}", f"{len(page) / 2 ** 20:.1f} MB", f"{run.seconds:.1f} s", f"{crawl_seconds:.1f} s",
            f"{read_seconds:.2f} s", f"{read_seconds / links * 1e6:.0f} µs", f"{run.peak_mb:.0f} MB",
            f"{len(read.links):,} / {len(read.pages):,}"]


def section_text(rows, context):
    """Return the results file's section: context, table and what each column means."""
    header = ["links", "page", "`crawl` command: wall time", "crawl (summary line)", "reading the page alone",
              "per link", "peak memory", "links read / pager URLs built"]
    return "\n".join([
        *section_head(SECTION, context),
        markdown_table(header, rows), "",
        f"One list page of N links on 127.0.0.1, {REPORTS} of them reports (fetched), each with a date beside it,"
        " and a TRS pager claiming 100,000,000 pages; `python -m indexer crawl URL --delay 0 --max-list-pages 1`."
        " Wall time and peak memory are the command's (Python and Scrapy starting included); the crawl's time is"
        " its summary line's; reading the page alone is `read_list` on the decoded page in the benchmark's own"
        f" process; per link is that time over the links, the pager's {MAX_CLAIMED_PAGES - 1:,} URLs a fixed part"
        f" of it. A page reads at most {MAX_LIST_LINKS:,} links (MAX_LIST_LINKS) and a pager names at most"
        f" {MAX_CLAIMED_PAGES:,} pages (MAX_CLAIMED_PAGES), whatever it claims: the time per link does not"
        " grow with the page (before issue 23 it did: 2,000 links took 13 s, 20,000 did not end"
        " within a minute, and the pager's URLs were all built before any limit).", ""])


def parse_args(argv):
    """Parse the command line."""
    main = argparse.ArgumentParser(prog="python -m bench.crawl_list", description=__doc__,
                                   formatter_class=argparse.RawDescriptionHelpFormatter)
    main.add_argument("--links", default=",".join(map(str, DEFAULT_LINKS)),
                      help="link counts of the list page, separated by commas (default: %(default)s)")
    main.add_argument("--output", default=str(RESULTS_PATH), help="results file (default: %(default)s)")
    args = main.parse_args(argv)
    args.links = counts(main, "--links", args.links, least=REPORTS)  # a page holds its reports at least
    return args


def main(argv=None):
    """Crawl a list page of each size, print the rows, and write the section into the results file."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    exit_on_sigterm("crawl benchmark")
    load_before = os.getloadavg()[0]
    rows = []
    try:
        for links in args.links:
            log(f"crawling a list page of {links:,} links")
            rows.append(measure(links))
            print(" | ".join(rows[-1]), flush=True)
    except BenchError as error:
        print(f"crawl benchmark failed: {error}", file=sys.stderr)
        return 1
    context = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "machine": machine(),
               "load": (load_before, os.getloadavg()[0]), "commit": commit_measured(),
               "command": " ".join([".venv/bin/python -m bench.crawl_list", *argv])}
    put_section(Path(args.output), section_text(rows, context), SECTION, ("## Cluster",))
    log(f"results written to {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
