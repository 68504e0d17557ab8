"""Match a list of CSS selectors against a page in one walk over its elements.

Soup Sieve walks the whole page once per selector, at some 15 µs an element each: fifteen
content selectors cost a 2,000-element page half a second, and a 100,000-element one a
minute. The simple forms the cleaner uses (tag, .class, tag.class, #id, tag#id) are looked up
here by name, class and id in a single pass; any other form still goes through Soup Sieve.
"""
import re
from collections import defaultdict

SIMPLE = re.compile(r"(?P<name>[a-zA-Z][\w-]*)?(?:\.(?P<cls>-?[_a-zA-Z][\w-]*))?(?:#(?P<id>-?[_a-zA-Z][\w-]*))?")


def simple_parts(selector):
    """Return (tag name, class, id) of a simple selector, each None when absent; None for other forms."""
    found = SIMPLE.fullmatch(selector.strip())
    if not found or not any(found.groups()):
        return None
    name, cls, ident = found.groups()
    return (name.lower() if name else None), cls, ident


def matches(tag, parts):
    """Tell whether a tag matches a simple selector's parts (class and id case-sensitive, as in HTML)."""
    name, cls, ident = parts
    return ((name is None or (tag.name or "").lower() == name)
            and (cls is None or cls in (tag.get("class") or ()))
            and (ident is None or tag.get("id") == ident))


def select_each(root, tags, selectors):
    """Return {selector: the tags matching it, in document order}; tags are root's elements in document order."""
    simple = {selector: simple_parts(selector) for selector in selectors}
    # Each simple selector is filed under its most selective part: its id, else class, else name.
    filed = defaultdict(list)
    for selector, parts in simple.items():
        if parts:
            name, cls, ident = parts
            filed[("#", ident) if ident else (".", cls) if cls else ("", name)].append(selector)
    found = {selector: [] for selector in selectors}
    for tag in tags:
        keys = {("", (tag.name or "").lower()), *((".", cls) for cls in tag.get("class") or ())}
        if tag.get("id"):
            keys.add(("#", tag.get("id")))
        for key in keys & filed.keys():
            for selector in filed[key]:
                if matches(tag, simple[selector]):
                    found[selector].append(tag)
    for selector, parts in simple.items():
        if parts is None:
            found[selector] = root.select(selector)
    return found
