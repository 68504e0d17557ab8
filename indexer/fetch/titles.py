"""Which links of a list page are reports: their titles, matched against the report pattern.

A column of a 政府信息公开 site mixes the annual reports with notices about them, plans,
work points, readings and infographics whose titles share the same words. A report's title
*ends* with 报告 (at most a short bracketed note after it), and names what it reports on
before that: 法治政府建设, or the older 依法行政 and the wider 法治建设.
"""
import re

# 湖州市人民政府关于2023年度法治政府建设工作情况的报告, 2023年法治政府建设年度报告,
# 关于2019年依法行政工作情况的报告, 《2022年度法治政府建设情况报告》, …报告（全文）.
REPORT_TITLE = re.compile(
    r"(?:法治政府建设|依法行政|法治建设)[^。；;！!？?]{0,40}?报告》?\s*"
    r"(?:[（(](?P<note>[^（）()]{1,12})[）)])?\s*$")
# Bracketed notes that make the page something other than the report itself.
NOT_THE_REPORT_NOTE = re.compile(r"图解|解读|视频|动漫|征求意见|草案|摘要")
# "2023年度", "2023年": the year a title is about.
TITLE_YEAR = re.compile(r"((?:19|20)\d{2})\s*年")
# Characters list pages pad titles with.
PADDING = re.compile(r"[\s\u00a0\u3000]+")


class BadPattern(ValueError):
    """A --match pattern that is not a regular expression; the message says why."""


def tidy(text):
    """Return a title or link text without its padding."""
    return PADDING.sub("", text or "")


def is_report_title(text):
    """Tell whether a title is that of a 法治政府建设 report (the default pattern)."""
    found = REPORT_TITLE.search(tidy(text))
    return bool(found) and not NOT_THE_REPORT_NOTE.search(found.group("note") or "")


class ReportMatcher:
    """Tells report links from the others, by the default pattern or a user's --match."""

    def __init__(self, pattern=None):
        """Use pattern (a regular expression searched in the title and the link text) if given."""
        self.pattern = None
        if pattern:
            try:
                self.pattern = re.compile(pattern)
            except re.error as error:
                raise BadPattern(f"--match {pattern!r} is not a regular expression: {error}") from None

    def matches(self, *texts):
        """Tell whether any of texts (a link's title attribute, its text) names a report."""
        texts = [tidy(text) for text in texts if text]
        if self.pattern is not None:
            return any(self.pattern.search(text) for text in texts)
        return any(is_report_title(text) for text in texts)


def year_of(texts, date):
    """Return the year a report link is about: the first year its title names, else the list date's."""
    for text in texts:
        found = TITLE_YEAR.search(tidy(text))
        if found:
            return int(found.group(1))
    return int(date[:4]) if date else None
