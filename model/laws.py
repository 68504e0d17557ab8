"""National laws and administrative regulations by full name and by the short names reports cite them by.

The list is data (model/laws.txt, with where it comes from): the cleaner folds a citation of
《民法典》 to 中华人民共和国民法典 with it, and pages offer a law's short name to search by.
"""
from functools import lru_cache
from pathlib import Path

from model.text import normalize

LAWS_FILE = Path(__file__).with_name("laws.txt")
# The state's name before a national law's title, which its short name leaves out.
STATE_NAME = "中华人民共和国"


def listed_names(text):
    """Yield (full name, its other short names) of every line of the list's text."""
    for line in text.splitlines():
        names = line.split("#", 1)[0].split()
        if names:
            yield names[0], names[1:]


def short_name(name):
    """Return the name a document goes by without the state's name (宪法 for 中华人民共和国宪法); others as they are."""
    return name[len(STATE_NAME):] if name.startswith(STATE_NAME) and len(name) > len(STATE_NAME) else name


@lru_cache(maxsize=1)
def full_names():
    """Return {folded full or short name: full name} of every document of the list (folded as searches fold)."""
    found = {}
    for full, others in listed_names(LAWS_FILE.read_text(encoding="utf-8")):
        for name in {full, short_name(full), *others}:
            found[normalize(name)] = full
    return found


def full_name(name):
    """Return the full name of a listed law or regulation cited as name (full or short), or None."""
    return full_names().get(normalize(name))
