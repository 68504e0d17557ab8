"""One issuer's timeline as its page shows it: its reports by year with their links, and from each report to the
next the paragraphs new, dropped and rewritten, each linked to its place, the rewritten ones side by side with
their differences marked as on the similar-paragraph view (web/diff.py, web/marks.py)."""
from .diff import differences
from .marks import added, removed
from .state import compare_url, report_url


def paragraph_link(root, row, paragraph):
    """Return a paragraph of a report row as the page lists it: its number, text and link."""
    return {"n": paragraph.n, "text": paragraph.text, "url": report_url(root, row["report_id"], n=paragraph.n)}


def report_link(root, row):
    """Return a report row with its link."""
    return dict(row, url=report_url(root, row["report_id"]))


def rewritten_pair(root, older, newer, pair):
    """Return a rewritten paragraph: the older and newer text, what only the older has struck through (<del>), what
    only the newer has underlined (<ins>), their similarity in percent and both links."""
    before, after, similarity = pair
    dropped, gained = differences(before.text, after.text)
    return {"before": paragraph_link(root, older, before), "after": paragraph_link(root, newer, after),
            "before_html": removed(before.text, dropped), "after_html": added(after.text, gained),
            "percent": round(similarity * 100)}


def timeline_links(found, root):
    """Return a timeline (search/timeline.py) with every link its page shows."""
    steps = []
    for step in found["steps"]:
        older, newer = step["older"], step["newer"]
        steps.append({"older": report_link(root, older), "newer": report_link(root, newer), "kept": step["kept"],
                      "compare_url": compare_url(root, older["report_id"], newer["report_id"]),
                      "new": [paragraph_link(root, newer, paragraph) for paragraph in step["new"]],
                      "dropped": [paragraph_link(root, older, paragraph) for paragraph in step["dropped"]],
                      "rewritten": [rewritten_pair(root, older, newer, pair) for pair in step["rewritten"]]})
    return {"issuer": found["issuer"], "steps": steps,
            "years": [{"year": year["year"], "reports": [report_link(root, row) for row in year["reports"]]}
                      for year in found["years"]],
            "undated": [report_link(root, row) for row in found["undated"]], "total": len(found["reports"])}
