"""Resolve the region a report is about, province down to township, from a gazetteer of China.

The gazetteer is jionlp's china_location.txt, read straight from the zip inside the installed
package: importing jionlp would load a whole NLP stack. The file is a tab-indented tree of
province, city, county, township and village lines; villages are skipped. gazetteer_more.txt
adds what that tree of today's divisions lacks: divisions renamed or merged since a report named
them, and the 国家级新区 that are no division but name the place they lie in.
"""
import importlib.util
import re
import zipfile
from collections import Counter, defaultdict
from functools import cached_property, lru_cache
from pathlib import Path
from typing import NamedTuple

from model.cachefile import cache_path as kept_path, load_or_build
from model.report import REGION_LEVELS
from model.text import CODE_POINT_BITS, code_points

GAZETTEER_PACKAGE = "jionlp"
GAZETTEER_ZIP = Path("dictionary", "china_location.zip")
GAZETTEER_MEMBER = "china_location.txt"
SUPPLEMENT = Path(__file__).with_name("gazetteer_more.txt")
FORMER, AREA = "former", "area"
# Village lines (four tabs) are nine lines in ten and never used: keep the lines above them.
DIVISION_LINE = re.compile(r"^(?!\t\t\t\t).+", re.MULTILINE)

PROVINCE, CITY, COUNTY, TOWNSHIP = range(len(REGION_LEVELS))
ROOT = -1  # the parent of the provinces: "somewhere in China"

# Stand-in for a level the hierarchy skips (省直辖行政区划: counties directly under a province,
# 市直辖行政区划: townships directly under a city such as 东莞市); it names no place.
PLACEHOLDER_SUFFIX = "直辖行政区划"

# Township-level divisions proper are "<name><unit>" (街道, 镇, 乡, 苏木). A one-character name
# part ("东街道", "口镇") is a truncated fragment in the data, not what a text calls a place; a
# 苏木's name is a Mongolian word, and its one one-character name (辉苏木) is real.
TOWNSHIP_NAME = re.compile(r"(?:.{2,}(?:街道|镇|乡)|.+苏木)$")
# Other township-level units (农场, 开发区, 工业园区) are searched only when their name is long
# and used once: "开发区" and "工业园区" recur in dozens of counties and in ordinary prose.
MIN_OTHER_UNIT_CHARS = 4
# Township names that are also ordinary phrases of planning prose (小城镇建设, 重点中心镇).
TOWNSHIP_NAMES_THAT_ARE_PHRASES = frozenset({"小城镇", "中心镇", "大城镇", "新城镇", "老城镇",
                                             "小村镇", "两城镇"})

# City short names that are also everyday words: 长治 (长治久安), 安康 (安康杯), 文山 (文山会海),
# 大庆 (百年大庆), 日照 (日照时数), 白银, 来宾, 四平 (四平八稳), 中山 (中山路), 朝阳 (朝阳产业)...
CITY_SHORT_NAMES_THAT_ARE_WORDS = frozenset({
    "长治", "安康", "文山", "大庆", "大同", "大理", "日照", "白银", "来宾", "四平", "玉树", "普洱",
    "海口", "北海", "红河", "黑河", "中山", "朝阳", "三明", "包头", "开封", "海西", "白山", "桃园",
    "台中"})
# County short names are searched only from three characters up: two-character ones are too
# often words (合作, 公安, 会同, 比如, 同心, 大兴, 富民, 惠民), or shared by several counties.
MIN_COUNTY_SHORT_CHARS = 3
# Short names ending in 区/园 are kinds of zone (经开区, 高新区, 产业园), not names.
ZONE_ENDINGS = ("区", "园")
# County short names that read as something else: rivers (清水河, 七里河), 河南县 in
# "河南县级市", 东乡县 (also the old name of 抚州's 东乡区), truncated forms in the data.
MISLEADING_COUNTY_SHORT_NAMES = frozenset({"航空港", "清水河", "七里河", "河南县", "东乡县",
                                           "云龙示范", "六枝特"})

# A word-like name (和县, 新县, 范县) must start a word: at the start of a text, after a
# non-Chinese character, right after another place name (马鞍山市和县), or after one of these
# characters that introduce a place (在环县, 赴沛县, 中共沛县县委). So 市和县两级, 创新县域
# and 规范县级 name no county.
PLACE_INTRODUCERS = frozenset("在赴到至于与及共")
# A short name followed by one of these names another unit or a street (高台镇, 长沙路).
UNIT_CHARS = frozenset("省市州盟县区旗镇乡村街路")
# Everyday words that begin with a name's last character: 城郊乡 in 城郊乡村, 新城镇 in 城镇化,
# 苏木乡 in 苏木乡镇 (the townships of a 旗, a column of every Inner Mongolian portal).
RUN_ON_WORDS = frozenset({"乡村", "镇化", "乡镇"})

# Autonomous prefectures and counties go by their short name and unit: 伊犁哈萨克自治州 is
# 伊犁州, 延边朝鲜族自治州 延边州, 长阳土家族自治县 长阳县 or 长阳自治县 (the short name alone is in
# the data).
AUTONOMOUS_UNITS = {"自治州": ("州", "自治州"), "自治县": ("县", "自治县")}
# A banner's everyday name is often its first character and 旗 (莫旗, 准旗, 鄂旗): two characters, yet a
# name and not a word, since it ends in the banner's unit. It must still start a word (在准旗).
BANNER = "旗"

# A city bureau's office in a district is named after the district's short name: 北京市公安局海淀分局,
# 某市规划和自然资源委员会朝阳分局. The name between the body and 分局, with a county's unit, is that county.
BRANCH_OFFICE = re.compile(r"(?:局|委员会|委)([\u4e00-\u9fff]{2,4}?)分局")
BRANCH_UNITS = ("区", "县", "市", "旗", "新区")

# A short name (浙江, 长沙) is weaker evidence than a full one (浙江省, 长沙市).
FULL_NAME_WEIGHT = 1.0
SHORT_NAME_WEIGHT = 0.5
# In body text a place is the subject only if it holds at least this share of the mentions
# below its parent: a county report lists several of its townships, none of them the subject.
MIN_CHILD_SHARE = 0.5


class GazetteerUnavailable(RuntimeError):
    """The gazetteer data cannot be found or read; the message says where and why."""


class Name(NamedTuple):
    """A text that names divisions, and how carefully it must be matched."""

    places: tuple  # indexes of the divisions it can name
    short: bool  # only ever a short form (长沙 for 长沙市): weaker, must not run into a unit
    wordlike: bool  # also reads as part of ordinary words (和县, 新县): must start a word


class Gazetteer:
    """The divisions of China down to townships, and the names that find them in text."""

    def __init__(self, labels, parents, names, merged_cities, areas=frozenset()):
        """Index the divisions (full name and parent of each) and the names that find them."""
        self.labels = labels  # "" for a placeholder level
        self.parents = parents
        self.names = names
        # Names of areas that are no division (雄安新区): each names the place it lies in.
        self.areas = areas
        # Province -> its only city when that city is the province itself (上海市 in 上海市):
        # kept so a province -> city -> county drill-down works, never named on its own.
        self.merged_cities = merged_cities
        lengths = defaultdict(set)
        for name in names:
            lengths[name[:2]].add(len(name))
        # Lengths of the names starting with each two characters, longest first, so a scan
        # tries only the few names that can start at a position.
        self.lengths_by_prefix = {prefix: sorted(found, reverse=True)
                                  for prefix, found in lengths.items()}

    def lineage(self, place):
        """Return the indexes from the province down to place, place included."""
        line = []
        while place != ROOT:
            line.append(place)
            place = self.parents[place]
        return tuple(reversed(line))

    def children(self, place):
        """Return the divisions directly under place (a municipality's under its city)."""
        place = self.merged_cities.get(place, place)
        return [index for index, parent in enumerate(self.parents) if parent == place and self.labels[index]]

    def common_ancestor(self, places):
        """Return the deepest division containing all of places (itself included), or ROOT."""
        lines = [self.lineage(place) for place in places]
        common = ROOT
        for level in zip(*lines):
            if len(set(level)) > 1:
                break
            common = level[0]
        return common

    @cached_property
    def prefix_keys(self):
        """The first two characters of every name as prefix_key() numbers, ascending (computed on first use,
        so that a gazetteer pickled without them still loads)."""
        import numpy as np
        return np.array(sorted(prefix_key(prefix) for prefix in self.lengths_by_prefix if len(prefix) == 2), np.int64)

    def name_starts(self, text):
        """Return the positions of text, ascending, where the first two characters of a name stand."""
        import numpy as np
        keys = self.prefix_keys
        codes = code_points(text).astype(np.int64)
        pairs = (codes[:-1] << CODE_POINT_BITS) | codes[1:]
        places = np.minimum(np.searchsorted(keys, pairs), len(keys) - 1) if len(keys) else pairs
        return np.flatnonzero(keys[places] == pairs).tolist() if len(keys) else []

    def name_starts_of(self, texts):
        """Return name_starts() of each of texts, found in one pass over them all (one numpy call, not one a text)."""
        import numpy as np
        lengths = np.array([len(text) for text in texts], np.int64)
        begins = np.cumsum(lengths + 1) - lengths - 1  # where each text begins in the texts joined by a separator
        starts = np.array(self.name_starts("\n".join(texts)), np.int64)
        # A text's own starts lie before its last character; a pair across the separator is left out.
        firsts, lasts = np.searchsorted(starts, begins), np.searchsorted(starts, begins + lengths - 1)
        return [(starts[first:last] - begin).tolist() for first, last, begin in zip(firsts, lasts, begins)]

    def find_names(self, text, starts=None):
        """Yield each gazetteer name found in text, leftmost-longest, without overlaps (starts: its name_starts())."""
        # Only where a name's first two characters stand (one text in thirty) is a name tried.
        free, end_of_last = 0, -1
        for start in self.name_starts(text) if starts is None else starts:
            if start < free:
                continue
            found = ""
            for length in self.lengths_by_prefix[text[start:start + 2]]:
                end = start + length
                name = self.names.get(text[start:end]) if end <= len(text) else None
                if name and _fits(name, text, start, end, end_of_last):
                    found = text[start:end]
                    break
            if found:
                yield found
                free = end_of_last = start + len(found)

    def mentions(self, texts):
        """Count the names mentioned in texts, a short name counting less than a full one."""
        counts = Counter()
        texts = list(texts)
        for text, starts in zip(texts, self.name_starts_of(texts)):
            for name in self.find_names(text, starts):
                counts[name] += SHORT_NAME_WEIGHT if self.names[name].short else FULL_NAME_WEIGHT
            for name in self.branch_counties(text):
                counts[name] += SHORT_NAME_WEIGHT
        return counts

    def branch_counties(self, text):
        """Yield the county names a bureau's district office is named after ("…公安局海淀分局": 海淀区)."""
        for short in BRANCH_OFFICE.findall(text):
            yield from (short + unit for unit in BRANCH_UNITS if self.level_of_name(short + unit) == COUNTY)

    def level_of_name(self, name):
        """Return the region level (an index of REGION_LEVELS) a name denotes, or None when it
        names no division or divisions of different levels."""
        found = self.names.get(name)
        if found is None:
            return None
        depths = {len(self.lineage(place)) - 1 for place in found.places}
        return depths.pop() if len(depths) == 1 else None

    def region(self, place):
        """Return the region dict of place: every level's full name, "" below it."""
        if place == ROOT:
            return dict.fromkeys(REGION_LEVELS, "")
        place = self.merged_cities.get(place, place)
        path = [self.labels[division] for division in self.lineage(place)]
        return {level: path[depth] if depth < len(path) else ""
                for depth, level in enumerate(REGION_LEVELS)}


def _is_chinese(char):
    """Tell whether char is a CJK ideograph."""
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf"


def prefix_key(chars):
    """Return the number of two characters, the first's code point above the second's: two of them make one number."""
    return (ord(chars[0]) << CODE_POINT_BITS) | ord(chars[1])


def _fits(name, text, start, end, end_of_last):
    """Tell whether the name at text[start:end] names the place rather than part of a word."""
    if text[end - 1:end + 1] in RUN_ON_WORDS:
        return False
    if name.short and end < len(text) and text[end] in UNIT_CHARS:
        return False
    if name.wordlike and start > 0 and start != end_of_last:
        before = text[start - 1]
        return not _is_chinese(before) or before in PLACE_INTRODUCERS
    return True


def _searchable_township(name, uses):
    """Tell whether a township name is distinctive enough to look for in text."""
    if TOWNSHIP_NAME.match(name):
        return name not in TOWNSHIP_NAMES_THAT_ARE_PHRASES
    return (len(name) >= MIN_OTHER_UNIT_CHARS and uses[name] == 1
            and not name.endswith(PLACEHOLDER_SUFFIX))


def _unit_short_forms(name, shorts):
    """Yield the everyday names of autonomous divisions: short name and unit (伊犁州, 长阳县)."""
    for ending, units in AUTONOMOUS_UNITS.items():
        if name.endswith(ending):
            yield from ((short + unit, False, False) for unit in units for short in shorts
                        if not short.endswith(units[0]))


def _names_of(level, name, shorts, uses):
    """Yield (text, is_short, is_wordlike) for each name that may find a division in text."""
    if level == PROVINCE:
        yield name, False, False
        yield from ((short, True, False) for short in shorts)
    elif level == CITY:
        yield name, False, False
        yield from ((short, True, False) for short in shorts
                    if short not in CITY_SHORT_NAMES_THAT_ARE_WORDS)
        yield from _unit_short_forms(name, shorts)
    elif level == COUNTY:
        # A two-character 区 (城区, 郊区, 东区) is a kind of area, not a name, unless its city's name
        # stands before it (_city_prefixed_names).
        if not (len(name) == 2 and name.endswith("区")):
            yield name, False, len(name) == 2
        yield from _unit_short_forms(name, shorts)
        yield from ((short, True, False) for short in shorts
                    if len(short) >= MIN_COUNTY_SHORT_CHARS and uses[short] == 1
                    and not short.endswith(ZONE_ENDINGS)
                    and short not in MISLEADING_COUNTY_SHORT_NAMES)
        yield from ((short, False, True) for short in shorts
                    if len(short) == 2 and short.endswith(BANNER) and name.endswith(BANNER) and uses[short] == 1)
    elif _searchable_township(name, uses):
        yield name, False, False


def _city_prefixed_names(name, city, city_shorts):
    """Yield the names a county that is a generic two-character 区 (城区, 郊区, 矿区) goes by: after its city's
    name (阳泉市矿区, 晋城城区), the only way a text can tell which district it is."""
    if len(name) == 2 and name.endswith("区") and city:
        yield from ((prefix + name, False, False) for prefix in (city, *city_shorts))


def build_gazetteer(lines, supplement=()):
    """Build the Gazetteer from the province-to-township lines of china_location.txt and the
    (kind, place path, name) rows of the supplement (read_supplement)."""
    labels, parents, levels, shorts_of, merged_cities = [], [], [], [], {}
    last_at_level = [ROOT] * len(REGION_LEVELS)
    for line in lines:
        stripped = line.lstrip("\t")
        level = len(line) - len(stripped)
        fields = stripped.split("\t")
        name = fields[0]
        parent = last_at_level[level - 1] if level else ROOT
        last_at_level[level] = len(labels)
        if level == CITY and name in (labels[parent], *shorts_of[parent]):
            merged_cities[parent] = len(labels)
        labels.append("" if name.endswith(PLACEHOLDER_SUFFIX) else name)
        parents.append(parent)
        levels.append(level)
        shorts = fields[2].split("/") if len(fields) > 2 else ()
        shorts_of.append(tuple(dict.fromkeys(s for s in shorts if s and s != name)))
    places = _places_by_path(labels, parents, {path for _, path, _ in supplement})
    areas = {name: places[path] for kind, path, name in supplement if kind == AREA}
    held = set(labels).union(*shorts_of)
    for kind, path, name in supplement:
        if name in held:
            raise GazetteerUnavailable(f"{SUPPLEMENT}: {name} is in {GAZETTEER_MEMBER} already; remove its line")
        if kind == FORMER:  # a division of its own, under the place it then stood in
            labels.append(name)
            parents.append(places[path])
            levels.append(levels[places[path]] + 1)
            shorts_of.append(())
    # Shorts shared by several counties, and other-unit townships used in several counties,
    # are generic words (城关, 新华, 开发区) more often than references to one place.
    uses = Counter(label for label, level in zip(labels, levels) if level == TOWNSHIP)
    uses.update(short for shorts, level in zip(shorts_of, levels) if level == COUNTY
                for short in shorts)
    unnamed = set(merged_cities.values())
    names = {}
    for index, label in enumerate(labels):
        if not label or index in unnamed:
            continue
        found = list(_names_of(levels[index], label, shorts_of[index], uses))
        if levels[index] == COUNTY:
            parent = parents[index]
            found += _city_prefixed_names(label, labels[parent], shorts_of[parent])
        for text, short, wordlike in found:
            known = names.get(text)
            names[text] = Name((index,), short, wordlike) if known is None else Name(
                known.places + (index,), known.short and short, known.wordlike and wordlike)
    names.update((name, Name((place,), False, False)) for name, place in areas.items())
    return Gazetteer(labels, parents, names, merged_cities, frozenset(areas))


def _places_by_path(labels, parents, paths):
    """Map each "省/市" path of the supplement to the division it names (a municipality's city for
    "北京市/北京市"); raise GazetteerUnavailable naming a path the data does not hold."""
    wanted = {tuple(path.split("/")): path for path in paths}
    last_names = {names[-1] for names in wanted}
    found = {}
    for index, label in enumerate(labels):
        if label not in last_names:
            continue
        line, place = [], index
        while place != ROOT:
            line.append(labels[place])
            place = parents[place]
        path = wanted.get(tuple(reversed(line)))
        if path:
            found.setdefault(path, index)
    missing = sorted(set(paths) - set(found))
    if missing:
        raise GazetteerUnavailable(f"{SUPPLEMENT}: no division {', '.join(missing)} in {GAZETTEER_MEMBER}")
    return found


def read_supplement(path=SUPPLEMENT):
    """Return the supplement's (kind, place path, name) rows (gazetteer_more.txt)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise GazetteerUnavailable(f"{path}: cannot read it ({error})") from None
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 3 or fields[0] not in (FORMER, AREA) or not fields[2]:
            raise GazetteerUnavailable(f"{path}, line {number}: not kind<TAB>place<TAB>name<TAB>note")
        rows.append(tuple(fields[:3]))
    return rows


def gazetteer_zip_path():
    """Return the path of jionlp's china_location.zip, without importing jionlp."""
    spec = importlib.util.find_spec(GAZETTEER_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise GazetteerUnavailable(
            f"package {GAZETTEER_PACKAGE} is not installed: its {GAZETTEER_ZIP} is the gazetteer")
    return Path(spec.submodule_search_locations[0]) / GAZETTEER_ZIP


def read_gazetteer(path):
    """Build the gazetteer from jionlp's zip (most of a second)."""
    try:
        with zipfile.ZipFile(path) as archive:
            text = archive.read(GAZETTEER_MEMBER).decode("utf-8")
    except (OSError, KeyError, zipfile.BadZipFile, UnicodeDecodeError) as error:
        raise GazetteerUnavailable(f"{path}: cannot read {GAZETTEER_MEMBER} ({error})") from None
    lines = (line.rstrip("\r") for line in DIVISION_LINE.findall(text))
    return build_gazetteer([line for line in lines if line.strip()], read_supplement())


def cache_path(zip_path, kind="gazetteer", code=(Path(__file__), SUPPLEMENT)):
    """Return where a structure built from this zip by this code is kept between runs (model/cachefile.py)."""
    return kept_path(zip_path, kind, code)


@lru_cache(maxsize=1)
def gazetteer():
    """Load the gazetteer once per process: from this machine's cache, else built and cached."""
    path = gazetteer_zip_path()
    return load_or_build(cache_path(path), lambda: read_gazetteer(path))


def _as_texts(value, parameter):
    """Return value as a tuple of strings, or raise TypeError naming the parameter."""
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    try:
        texts = tuple(value)
    except TypeError:
        texts = None
    if texts is None or not all(isinstance(text, str) for text in texts):
        raise TypeError(f"resolve_region: {parameter} must be a string or an iterable of "
                        f"strings, not {type(value).__name__}")
    return texts


def _in_scope(gaz, places, scope):
    """Return the places inside or above one of the scope's places, else all of them."""
    if not scope:
        return places
    inside = tuple(place for place in places
                   if any(outer in gaz.lineage(place) or place in gaz.lineage(outer) for outer in scope))
    return inside or places


def _candidates(gaz, issuer, body, scope=()):
    """Map each mentioned name to the places it most likely names, judged by the other names.

    A place is supported by another mentioned name that names one of its ancestors or
    descendants (城关镇 by 高台县); issuer names count before body names. An ambiguous name
    keeps its best-supported places, or all of them when nothing supports any. Within a scope
    (the site's own places), a name that can name a place there names that one.
    """
    mentioned = set(issuer) | set(body)
    places_of = {name: _in_scope(gaz, gaz.names[name].places, scope) for name in mentioned}
    # place -> the mentioned names that can denote it, and those that can denote a place in it
    naming, naming_below = defaultdict(set), defaultdict(set)
    for name in mentioned:
        for place in places_of[name]:
            naming[place].add(name)
            for ancestor in gaz.lineage(place)[:-1]:
                naming_below[ancestor].add(name)
    chosen = {}
    for name in mentioned:
        places = places_of[name]
        if len(places) == 1:
            chosen[name] = places
            continue
        scores = {}
        for place in places:
            related = set(naming_below.get(place, ()))
            for ancestor in gaz.lineage(place)[:-1]:
                related |= naming.get(ancestor, set())
            related.discard(name)
            scores[place] = (len(related & issuer.keys()), len(related & body.keys()))
        best = max(scores.values())
        chosen[name] = tuple(p for p in places if scores[p] == best) if best > (0, 0) else places
    return chosen


def _place_weights(gaz, mentions, candidates):
    """Credit each mention to its place, or to what its candidate places have in common."""
    weights = Counter()
    for name, weight in mentions.items():
        place = gaz.common_ancestor(candidates[name])
        if place != ROOT:
            weights[place] += weight
    return weights


def _narrow(gaz, weights, place, cautious):
    """Walk down from place into the one child that holds the mentions, as far as one does.

    Issuer texts name the issuer with its ancestors (高台县城关镇), so their deepest place
    wins. Body text (cautious) also names wider places and neighbours: a child is entered only
    when it is mentioned at least as much as the place itself and holds most of the mentions
    among its siblings.
    """
    totals, kids = Counter(), defaultdict(set)
    for mentioned, weight in weights.items():
        line = gaz.lineage(mentioned)
        for parent, child in zip((ROOT,) + line[:-1], line):
            totals[child] += weight
            kids[parent].add(child)
    while kids[place]:
        ranked = sorted(kids[place], key=lambda kid: totals[kid], reverse=True)
        best = totals[ranked[0]]
        if len(ranked) > 1 and totals[ranked[1]] == best:
            break  # two places equally mentioned: neither is certain
        if cautious and (best < weights[place]
                         or best < MIN_CHILD_SHARE * sum(totals[kid] for kid in ranked)):
            break
        place = ranked[0]
    return place


def resolve_region(texts, strong=(), scope=()):
    """Return the region {province, city, county, township} a report is about; "" if unsure.

    texts are the body; strong are the texts naming the issuer (title, 发布机构, signature),
    preferred when they name a place. scope holds the divisions the page's site belongs to
    (sitehost.site_places): a name several places share is read as the one there, and a page
    naming no place at all is the site's own when the site is one place. Ancestors come from
    the gazetteer, not from the text.
    """
    texts, strong = _as_texts(texts, "texts"), _as_texts(strong, "strong")
    gaz = gazetteer()
    body, issuer = gaz.mentions(texts), gaz.mentions(strong)
    candidates = _candidates(gaz, issuer, body, tuple(scope))
    place = _narrow(gaz, _place_weights(gaz, issuer, candidates), ROOT, cautious=False)
    place = _narrow(gaz, _place_weights(gaz, body, candidates), place, cautious=True)
    if place == ROOT and len(scope) == 1:
        place = scope[0]
    return gaz.region(place)


def region_path(region):
    """Join a region's non-empty levels with "/", a repeated name once (上海市/宝山区/罗店镇)."""
    if not hasattr(region, "get"):
        raise TypeError(f"region_path: region must be a mapping of {', '.join(REGION_LEVELS)}, "
                        f"not {type(region).__name__}")
    parts = []
    for level in REGION_LEVELS:
        name = region.get(level) or ""
        if name and (not parts or parts[-1] != name):
            parts.append(name)
    return "/".join(parts)
