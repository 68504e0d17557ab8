"""Citations of a report or one of its paragraphs in the form Chinese readers use (GB/T 7714-2015, electronic resources).

主要责任者. 题名：文号[EB/OL]. (发布日期)[引用日期]. 获取和访问路径. 第N段.

The responsible body is the report's issuer; the title is the report's, marked when this
system composed it (the page had none: a reader must not take it for the report's own); its
文号 follows the title as other title information; the access path is the page the report was
published on when it is known, else it says that no address was recorded and names this
site's copy as such, never as the source; the paragraph number, which GB/T 7714 has no element
for, closes the citation as the locator legal writing expects.
"""
# GB/T 7714's type and carrier code of an online document.
ONLINE_DOCUMENT = "[EB/OL]"
# Before a title the cleaner composed from issuer, year and report type.
COMPOSED_TITLE = "[系统生成标题]"
# The access path of a report whose original address was never recorded: this site's copy, called so.
NO_SOURCE = "来源网址未记录，本站收录：{copy}"


def cited_title(report):
    """Return the title as a citation gives it: marked when composed, "无标题报告" when none, its 文号 after it."""
    title = report.get("title") or "无标题报告"
    if report.get("title") and report.get("title_composed"):
        title = COMPOSED_TITLE + title
    if report.get("doc_number"):
        title += f"：{report['doc_number']}"
    return title


def access_path(report, copy):
    """Return where the cited report is found: its original page, or this site's copy named as such."""
    return report.get("source_url") or NO_SOURCE.format(copy=copy)


def citation(report, accessed, copy, n=None):
    """Return the citation of a report, or of its paragraph n, on the accessed date.

    report is its metadata as a dict (a hit, or web/reports.py's report_metadata): title,
    title_composed, issuer, doc_number, pub_date, source_url; copy is this site's link to it.
    """
    parts = [f"{report['issuer']}. " if report.get("issuer") else "", cited_title(report), ONLINE_DOCUMENT, ". "]
    parts.append(f"({report['pub_date']})" if report.get("pub_date") else "")
    parts.append(f"[{accessed}]. {access_path(report, copy)}.")
    if n is not None:
        parts.append(f" 第{n}段.")
    return "".join(parts)
