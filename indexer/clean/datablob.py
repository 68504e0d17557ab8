"""Articles a stored page holds as data: a JSON answer of a site's article API, or the state object a
script-rendered (Vue, React) page carries (`window.__INITIAL_STATE__={…}`), stored before rendering.

Such a page's text is one JSON value: the title, the date and the body are string fields in it, the body
as HTML paragraphs, so no line of the text is the title and the first "paragraph" is `{"code":0,…`.
The article is the object holding a title field and a long body field; it is written out as a page
(title, date and source lines, then the body's markup, which the markup stage reads) in place of the
data. A text that holds no such object is left as it is. An HTML page rendered by a script shows no
article at all: its article is looked for in its <script> elements (article_in_scripts). A site's feed
(RSS or Atom) stored as the page holds its article the same way, as an item's fields (article_in_feed).
"""
import json
import re
import xml.etree.ElementTree as ElementTree
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

# Where a JSON value may start: the whole text, or an assignment of a script ("window.__STATE__ = {").
DATA_START = re.compile(r"\A\s*(?=[{\[])|=\s*(?=\{)")
# Field names, lower-cased: the title (not a subtitle's, a column's or a site's), the body, the date.
TITLE_KEY = re.compile(r"^(?:doc|article|news|info)?_?title$")
BODY_KEYS = ("content", "doccontent", "articlecontent", "body", "htmlcontent", "text", "contenthtml", "detail")
DATE_KEYS = ("publishtime", "pubdate", "publishdate", "releasetime", "releasedate", "pubtime", "docreltime",
             "showtime", "createtime", "date")
# A date field may hold a moment as a number: seconds or (13 digits) milliseconds since 1970, which
# the site shows in China's time. Numbers before 2000 or after 2099 are no publication time.
CHINA_TIME = timezone(timedelta(hours=8))
EPOCH_RANGE = (datetime(2000, 1, 1, tzinfo=CHINA_TIME).timestamp(), datetime(2100, 1, 1, tzinfo=CHINA_TIME).timestamp())
MILLISECONDS_DIGITS = 13
SOURCE_KEYS = ("source", "docsource", "publisher", "sitename")
# A body this short is a summary or a teaser, not the article.
MIN_BODY_CHINESE = 100
CHINESE = re.compile(r"[\u4e00-\u9fff]")
# A JSON value at most this long is read: an article answer is tens of kilobytes.
MAX_DATA_CHARS = 2_000_000
# A feed: an XML text whose root is <rss>, <feed> (Atom) or <rdf:RDF>; its items or entries are articles,
# their fields named without namespaces (content:encoded is "encoded"). An RSS date is RFC 822's
# ("Thu, 28 Mar 2024 09:40:00 +0800"), an Atom date ISO's.
FEED_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?<(?:rss|feed|rdf:RDF)\b")
FEED_ITEMS = ("item", "entry")
FEED_BODIES = ("encoded", "content", "description", "summary")
FEED_DATES = ("pubdate", "published", "updated", "date")
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.S | re.I)


def unblob(text):
    """Return the page an article held as JSON data or as a feed's item in text stands for, or text unchanged."""
    return article_page(text) or article_in_feed(text) or text


def article_in_feed(text):
    """Return the page written out from the first item of a feed (RSS, Atom) with an article's body, or ""."""
    if not FEED_START.match(text) or len(text) > MAX_DATA_CHARS:
        return ""
    try:
        root = ElementTree.fromstring(text.strip())
    except ElementTree.ParseError:
        return ""
    for item in (element for element in root.iter() if local_name(element.tag) in FEED_ITEMS):
        fields = {local_name(child.tag): "".join(child.itertext()).strip() for child in item}
        article = find_article({"title": fields.get("title", ""), "content": first_of(fields, FEED_BODIES),
                                "date": feed_date(first_of(fields, FEED_DATES)), "source": ""})
        if article:
            return written_out(article)
    return ""


def local_name(tag):
    """Return an XML tag's name without its namespace, lower-cased ("{…/content/}encoded" → "encoded")."""
    return str(tag).rsplit("}", 1)[-1].lower()


def feed_date(value):
    """Return a feed's RFC 822 date as China's date and time, or the value as it is (an ISO date)."""
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return value
    moment = moment if moment.tzinfo else moment.replace(tzinfo=CHINA_TIME)
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")


def article_page(text):
    """Return the page written out from the first article a JSON value in text holds, or ""."""
    if "{" not in text or len(text) > MAX_DATA_CHARS:
        return ""
    decoder = json.JSONDecoder()
    for start in DATA_START.finditer(text):
        try:
            data, _ = decoder.raw_decode(text, start.end())
        except ValueError:
            continue
        article = find_article(data)
        if article:
            return written_out(article)
    return ""


def article_in_scripts(html):
    """Return the page an article in one of an HTML page's <script> elements stands for, or ""."""
    return next(filter(None, (article_page(found.group(1)) for found in SCRIPT.finditer(html))), "")


def find_article(data):
    """Return the first object in data (depth first) with a title and a body of article length, or None."""
    if isinstance(data, dict):
        fields = {str(key).lower(): value for key, value in data.items() if isinstance(value, str)}
        title = next((value for key, value in fields.items() if TITLE_KEY.match(key) and value.strip()), "")
        body = next((fields[key] for key in BODY_KEYS
                     if len(CHINESE.findall(fields.get(key, ""))) >= MIN_BODY_CHINESE), "")
        if title and body:
            return {"title": title, "body": body, "date": first_of(fields, DATE_KEYS) or epoch_date(data),
                    "source": first_of(fields, SOURCE_KEYS)}
        children = data.values()
    elif isinstance(data, list):
        children = data
    else:
        return None
    return next(filter(None, map(find_article, children)), None)


def epoch_date(data):
    """Return the first date field of an object holding a moment as a number, as China's date and time, or ""."""
    for key, value in data.items():
        if str(key).lower() not in DATE_KEYS or isinstance(value, bool) or not isinstance(value, (int, float)):
            continue
        seconds = value / 1000 if len(str(int(value))) >= MILLISECONDS_DIGITS else value
        if EPOCH_RANGE[0] <= seconds < EPOCH_RANGE[1]:
            return datetime.fromtimestamp(seconds, CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S")
    return ""


def first_of(fields, keys):
    """Return the first non-empty field of keys, stripped, or ""."""
    return next((fields[key].strip() for key in keys if fields.get(key, "").strip()), "")


def written_out(article):
    """Return an article's fields as a page's text: its title, date and source lines, then its body."""
    lines = [article["title"].strip()]
    lines += [f"发布时间：{article['date']}"] if article["date"] else []
    lines += [f"来源：{article['source']}"] if article["source"] else []
    return "\n".join([*lines, article["body"]])
