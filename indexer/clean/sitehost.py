"""Which government a site belongs to, read from its host name.

Chinese government sites are named after their place, in pinyin or pinyin initials, often
after the province or city above it as well: luqu.gov.cn is 碌曲县, hzsc.gov.cn 杭州 上城区,
xxgk.sxgp.gov.cn 山西 高平市, jmsqjq.gov.cn 佳木斯 前进区, ncx.nc.gov.cn 南昌县 under 南昌.
Each host label is read as one to three such names, each inside the one before it; a label
that several places spell keeps all of them, and the labels of one host must agree. Only
government hosts (…gov.cn) are read: a mirror or a news site says nothing about its pages.
"""
import re
from collections import defaultdict
from functools import lru_cache
from importlib.metadata import version
from pathlib import Path
from urllib.parse import urlsplit

from model.cachefile import load_or_build

from . import gazetteer as gazetteer_module
from .gazetteer import TOWNSHIP, cache_path, gazetteer, gazetteer_zip_path

GOVERNMENT_HOST = re.compile(r"(?:^|\.)gov\.cn$")
# Labels that name a service or a department of the site, never a place: www, 信息公开 (xxgk),
# 政务公开 (zwgk), 司法局 (sfj, ssfj 市司法局), 司法厅 (sft), 审计局/厅 (sjj, sjt), 教育局 (jyj),
# 卫健委 (wjw). Read as initials they could spell some far-away county.
SERVICE_LABELS = frozenset({
    "www", "m", "wap", "en", "english", "gov", "xxgk", "zwgk", "zfxxgk", "gk", "sfj", "ssfj", "xsfj",
    "qsfj", "sft", "sjj", "sjt", "jyj", "wjw", "wjj", "fzb", "fgw", "czj", "rsj", "mzj", "gaj",
})
# A host label is at most three place names run together (province, city, county).
MAX_NAMES_PER_LABEL = 3
# A name part of one character ("郏" of 郏县) spells too many places to mean one.
MIN_NAME_CHARS = 2
# Unit words a place name drops in a host (碌曲县 → luqu); the longest first.
PLACE_UNITS = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "林区", "省", "市", "盟",
               "县", "区", "旗")
# A copy an archive or a search engine's cache keeps names the page it copied in its own address: the
# Wayback Machine's path (/web/20190315082233/http://…), a cache's query (?q=cache:Hq7s2JkTx3EJ:www.…).
ARCHIVED_ADDRESS = re.compile(r"^https?://(?:web\.)?archive\.org/web/\d{1,14}[a-z_]*/(?P<url>.+)$"
                              r"|^https?://webcache\.googleusercontent\.com/search\?q=cache:[\w-]+:(?P<cached>[^&+\s]+)",
                              re.IGNORECASE)
# Initials that pinyin writes with two letters, kept whole by some sites (朝阳 → chy in bjchy).
DIGRAPH_INITIALS = ("zh", "ch", "sh")


def original_url(url):
    """Return the address of the page an archive's or a cache's copy keeps, else url itself."""
    copied = ARCHIVED_ADDRESS.match(url or "")
    if not copied:
        return url
    inner = copied.group("url") or copied.group("cached")
    return inner if "://" in inner else "http://" + inner


def host_of(url):
    """Return the lower-cased host name of a URL (of the page it copied, for an archive's copy), or ""
    when it has none."""
    try:
        return (urlsplit(original_url(url) or "").hostname or "").lower()
    except ValueError:
        return ""


def spellings(name):
    """Return the ways a host spells a place name: full pinyin and initials."""
    from pypinyin import lazy_pinyin  # half a second to load: only when a government host is read
    syllables = [syllable for syllable in lazy_pinyin(name) if syllable.isalpha()]
    if len(syllables) != len(name):
        return set()  # a name with characters pinyin does not know
    initials = "".join(syllable[0] for syllable in syllables)
    digraphs = "".join(syllable[:2] if syllable.startswith(DIGRAPH_INITIALS) else syllable[0]
                       for syllable in syllables)
    return {"".join(syllables), initials, digraphs}


def short_forms(label):
    """Return a division's name with and without its unit word (碌曲县, 碌曲)."""
    forms = {label}
    for unit in PLACE_UNITS:
        if label.endswith(unit) and len(label) - len(unit) >= MIN_NAME_CHARS:
            forms.add(label[:-len(unit)])
            break
    return forms


@lru_cache(maxsize=1)
def spelling_index():
    """Load the spellings of place names once per process: from this machine's cache, else built."""
    # Spelling ten thousand names takes seconds; the cache key covers the gazetteer, this
    # code and the pinyin dictionary's version.
    zip_path = gazetteer_zip_path()
    code = (Path(__file__), Path(gazetteer_module.__file__), gazetteer_module.SUPPLEMENT)
    cached = cache_path(zip_path, f"hosts-pypinyin{version('pypinyin')}", code)
    return load_or_build(cached, build_spelling_index)


def build_spelling_index():
    """Map every spelling of a province, city or county name to the divisions it names."""
    gaz = gazetteer()
    names = defaultdict(set)
    merged = set(gaz.merged_cities.values())
    for place, label in enumerate(gaz.labels):
        if label and place not in merged and len(gaz.lineage(place)) - 1 < TOWNSHIP:
            for form in short_forms(label):
                names[form].add(place)
    for name, found in gaz.names.items():  # the data's short names (伊犁, 广西, 内蒙古)
        for place in found.places:
            if len(gaz.lineage(place)) - 1 < TOWNSHIP and len(name) >= MIN_NAME_CHARS:
                names[name].add(place)
    index = defaultdict(set)
    for name, places in names.items():
        for spelling in spellings(name):
            index[spelling] |= places
    return dict(index)


def label_places(label):
    """Return the divisions a host label spells as one to three nested place names."""
    index, gaz = spelling_index(), gazetteer()
    found = set()

    def walk(start, outer, names_left):
        """Read label[start:] as names of places inside outer."""
        for end in range(start + 2, len(label) + 1):
            for place in index.get(label[start:end], ()):
                if outer is not None and outer not in gaz.lineage(place)[:-1]:
                    continue
                if end == len(label):
                    found.add(place)
                elif names_left > 1:
                    walk(end, place, names_left - 1)

    walk(0, None, MAX_NAMES_PER_LABEL)
    return found


def inside(place, outer):
    """Tell whether place lies inside outer (and is not outer itself)."""
    return outer in gazetteer().lineage(place)[:-1]


def site_places(url):
    """Return the divisions a government host names (several when it cannot tell), or ()."""
    host = host_of(url)
    if not GOVERNMENT_HOST.search(host):
        return ()
    labels = [label for label in host[:-len("gov.cn")].split(".")
              if label and label not in SERVICE_LABELS and label.isalpha()]
    readings = [places for places in map(label_places, labels) if places]
    # The most specific label first: a sub-site's place lies inside the place of every label
    # after it (ncx.nc: 南昌县 in 南昌市; 宁城县 is not in any place "nc" spells but itself).
    for index, places in enumerate(readings):
        agreed = {place for place in places
                  if all(any(inside(place, outer) for outer in wider) for wider in readings[index + 1:])}
        if agreed:
            return tuple(sorted(agreed))
    return ()

