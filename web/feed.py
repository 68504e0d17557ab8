"""A search as an Atom feed (templates/feed.xml, escaped by Jinja): the newest reports its hits come from, one entry
per report, each with the links of its matching paragraphs, so that a reader subscribed to a search sees what every
rebuild or crawl adds.

Every id is a tag: URI (RFC 4151) of the site's host and path and of what it names (a report, a search), never of
anything a rebuild renumbers, so an entry keeps its id across rebuilds and a reader shows it once.
"""
from datetime import datetime
from urllib.parse import quote, urlsplit

from model.registry import LEVEL
from model.values import date_key
from search.params import EXACT

from .dates import BEIJING
from .state import report_url

# Reports a feed lists, the newest first (report year, then publication date): a reader's page of news.
FEED_REPORTS = 30
# Hits read in that order to find them: a search of common words stops there, its entries then the reports of
# those hits.
FEED_HITS = 3000
# Matching paragraphs an entry links at most; its text says how many it found.
ENTRY_PARAGRAPHS = 20
# The date of every tag: URI this site mints, fixed once so that no id ever changes.
TAG_DATE = "2026"
SITE_NAME = "法治政府建设报告检索"
ATOM_TYPE = "application/atom+xml; charset=utf-8"


def tag_uri(site, specific):
    """Return the tag: URI of something on the site (site: its address, http://host/fz): host, TAG_DATE, path."""
    address = urlsplit(site)
    return f"tag:{address.hostname},{TAG_DATE}:{address.path}{specific}"


def report_tag(site, report_id):
    """Return a report's entry id: the same for the same report on the same site, whatever the rebuild."""
    return tag_uri(site, f"/report/{quote(report_id, safe='')}")


def report_entries(hits, most=FEED_REPORTS, linked=ENTRY_PARAGRAPHS):
    """Return the first `most` reports hits come from, in the hits' order, each as {hit: its first, hits: its first
    `linked` hits, count: how many of the hits read are its}."""
    entries = {}
    for hit in hits:
        entry = entries.get(hit["report_id"])
        if entry is None:
            if len(entries) == most:
                break
            entry = entries[hit["report_id"]] = {"hit": hit, "hits": [], "count": 0}
        entry["count"] += 1
        if len(entry["hits"]) < linked:
            entry["hits"].append(hit)
    return list(entries.values())


def published(hit):
    """Return when a hit's report was published, as midnight in Beijing, or None when it gives no date."""
    day = date_key(hit.get("pub_date") or "")
    if not day:
        return None
    return datetime(day // 10000, day // 100 % 100, day % 100, tzinfo=BEIJING)


def entry_title(hit):
    """Return an entry's title: the report's, flagged when the cleaner composed it (as citations flag it)."""
    title = hit["title"] or "无标题报告"
    return f"{title}（标题为系统生成）" if hit.get("title_composed") else title


def report_line(hit):
    """Return what an entry says of its report: issuer, level, year and date, as a result list does."""
    parts = [hit.get("issuer"), LEVEL.display(hit.get("level") or ""),
             f"{hit['report_year']} 年度" if hit.get("report_year") else "",
             f"{hit['pub_date']} 发布" if hit.get("pub_date") else ""]
    return " · ".join(part for part in parts if part)


def feed_about(site, description, self_url, page_url, updated):
    """Return what the feed says of itself: id, title, subtitle, its own address, its results page, when updated."""
    searched = description or "全部报告"
    return {"id": tag_uri(site, "/feed?" + urlsplit(self_url).query), "title": f"{searched} - {SITE_NAME}",
            "subtitle": f"检索：{searched}。最新的报告在前，每篇报告一条，附相符段落的链接。", "author": SITE_NAME,
            "self": self_url, "page": page_url, "updated": updated.isoformat()}


def feed_entry(entry, site, q, updated, match=EXACT):
    """Return one entry's data (its content added by the caller): id, title, report link, paragraph links (marking q
    as the search matched it), dates."""
    hit = entry["hit"]
    day = published(hit)
    return {"id": report_tag(site, hit["report_id"]), "title": entry_title(hit),
            "url": report_url(site, hit["report_id"], q, match=match), "issuer": hit.get("issuer") or "",
            "paragraphs": [{"n": found["n"], "url": report_url(site, hit["report_id"], q, found["n"], match)}
                           for found in entry["hits"]],
            "updated": (day or updated).isoformat(), "published": day.isoformat() if day else "",
            "summary": report_line(hit)}
