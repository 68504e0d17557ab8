"""The reuse pages as plain data: a report's share of earlier text, paragraphs side by side with their
differences marked, passages and whom a selection borrows from, each with its links."""
from .diff import differences
from .links import paragraph_links
from .marks import added, removed
from .reports import region_text
from .state import compare_url, passage_url, report_url, similar_url


def report_links(row, root, current=None):
    """Return a report row (report_id and its fields) with its link, its region as text, and the link comparing it with current."""
    return dict(row, url=report_url(root, row["report_id"]), region_text=region_text(row["region"]),
                compare_url=compare_url(root, current, row["report_id"]) if current else None)


def sharing(report, found, root):
    """Return what a report page's header says of reuse: how many of its paragraphs and how much of its
    text it shares with earlier reports, and those reports with links (None when nothing is shared)."""
    shared = {n for n, paragraph in found["paragraphs"].items() if paragraph["earlier"]}
    if not shared:
        return None
    chars = sum(len(paragraph.text) for paragraph in report.paragraphs)
    shared_chars = sum(len(paragraph.text) for paragraph in report.paragraphs if paragraph.n in shared)
    return {"compared": found["compared"], "shared": len(shared),
            "percent": round(100 * shared_chars / chars) if chars else 0,
            "sources": [report_links(row, root, report.report_id) for row in found["sources"]]}


def paragraph_notes(found, report_id, root):
    """Return per paragraph number the note a report page shows: how many other reports hold a near-identical paragraph, and its link."""
    return {n: dict(paragraph, url=similar_url(root, report_id, n)) for n, paragraph in found["paragraphs"].items()}


def side_by_side(found, root):
    """Return a paragraph and, for each near-identical one, both texts with their differences marked (<del> in
    this one, <ins> in the other), its similarity as a percentage and its link."""
    own = found["paragraph"]
    rows = []
    for other in found["similar"]:
        ours, theirs = differences(own["text"], other["text"])
        rows.append(dict(paragraph_links(other, root), left_html=removed(own["text"], ours),
                         right_html=added(other["text"], theirs), percent=round(other["similarity"] * 100),
                         changed=bool(ours or theirs)))
    return {"paragraph": paragraph_links(own, root), "rows": rows, "total": found["total"],
            "passage_url": passage_url(root, found["group"]) if found["group"] else None}


def passage_links(passage, root):
    """Return a passage with the links of its first appearance and of its own page."""
    return dict(passage, first=paragraph_links(passage["first"], root), url=passage_url(root, passage["group"]),
                similar_url=similar_url(root, passage["first"]["report_id"], passage["first"]["n"]))


def borrowed_links(borrowed, root):
    """Return whom a selection borrows from, each source's reports with their links."""
    if borrowed is None:
        return None
    return dict(borrowed, sources=[dict(source, reports=[report_links(row, root) for row in source["reports"]])
                                   for source in borrowed["sources"]])
