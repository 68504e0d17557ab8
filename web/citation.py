"""Citations of a paragraph in the form Chinese readers use (GB/T 7714-2015, electronic resources).

主要责任者. 题名：文号[EB/OL]. (发布日期)[引用日期]. 获取和访问路径. 第N段.

The responsible body is the report's issuer; the title is the report's; its 文号 follows
the title as other title information; the access path is the page the report was published
on when it is known, else this site's link to the paragraph; the paragraph number, which
GB/T 7714 has no element for, closes the citation as the locator legal writing expects.
"""
# GB/T 7714's type and carrier code of an online document.
ONLINE_DOCUMENT = "[EB/OL]"


def citation(report, n, link, accessed):
    """Return the citation of paragraph n of a report (its metadata as a dict), found at link, on the accessed date."""
    title = report.get("title") or "无标题报告"
    if report.get("doc_number"):
        title += f"：{report['doc_number']}"
    parts = [f"{report['issuer']}. " if report.get("issuer") else "", title, ONLINE_DOCUMENT, ". "]
    parts.append(f"({report['pub_date']})" if report.get("pub_date") else "")
    parts.append(f"[{accessed}]. {link}. 第{n}段.")
    return "".join(parts)
