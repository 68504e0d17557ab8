"""The corpus page as plain data: counts and reports with their links, and when the index was built."""
from .dates import beijing_time
from .reports import region_text
from .state import SearchState, report_url, url


def corpus_links(overview, search_path, root):
    """Return the overview with a search link on every year and province and a link on every report."""
    def browse(name, value):
        """Return the link to every paragraph under one filter value."""
        return url(search_path, SearchState(filters={name: (value,)}))

    return dict(
        overview,
        by_year=[dict(row, url=browse("year", row["value"])) for row in overview["by_year"]],
        by_province=[dict(row, url=browse("province", row["value"])) for row in overview["by_province"]],
        reports=[dict(report, url=report_url(root, report["report_id"]), region_text=region_text(report["region"]))
                 for report in overview["reports"]],
    )


def built_at_text(info):
    """Return when the index was built, in Beijing time (e.g. 2024-05-01 12:30 北京时间), or "" if unknown."""
    return beijing_time((info or {}).get("built_at", "")) if isinstance(info, dict) else ""
