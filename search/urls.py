"""Where a report and its paragraphs are read on the site, as paths: the links the API, the command line
and the web give every hit (the web puts its root or its address before them)."""
from urllib.parse import quote, urlencode

from .params import EXACT


def match_pairs(q, match=EXACT):
    """Return the URL parameters of a query to mark: q, and match when its terms match otherwise than as written."""
    if not q:
        return []
    return [("q", q)] + ([("match", match)] if match != EXACT else [])


def report_path(report_id, q="", n=None, match=EXACT):
    """Return the path of a report's page, carrying the query to mark (with its match mode) and the paragraph to
    show: /report/<id>?q=…#p-<n>."""
    path = f"/report/{quote(report_id, safe='')}"
    if q:
        path += "?" + urlencode(match_pairs(q, match))
    return path + (f"#p-{n}" if n is not None else "")


def with_urls(hits, root=""):
    """Give hits the link of their paragraph, of their group's earliest and of the hits folded under them (root before each)."""
    for hit in hits:
        hit["url"] = root + report_path(hit["report_id"], n=hit["n"])
        for other in [hit["earliest"], *hit["folded_hits"]] if hit["earliest"] else hit["folded_hits"]:
            other["url"] = root + report_path(other["report_id"], n=other["n"])
    return hits


def with_report_urls(rows, root=""):
    """Give the rows of results grouped by report the link of their report, and their matches their links (root before each)."""
    for row in rows:
        row["url"] = root + report_path(row["report_id"])
        with_urls(row["matches"], root)
    return rows
