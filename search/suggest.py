"""What a search may have meant: a spelling the corpus holds, and a place typed as text.

Suggestions come from the corpus's own text and are offered, never applied silently. A
phrase of the query that finds few paragraphs is tried with one character replaced by each
character the corpus holds in that place (the characters found between its neighbours):
a homophone first (the same pinyin: what an input method mistypes, 风桥 for 枫桥), then a
similar sound (zh/z, n/l, an/ang …), then any other (in phrases of three characters or more),
each ranked by how often the corpus says it. A variant is offered only where the corpus holds
it as words of its own: 政复 is in the corpus only as a piece of 行政复议, so 答复 is never
respelled into it. A word of the query that names a region of the corpus's reports (诸暨 for 诸暨市)
is offered as that region's filter.
"""
import re
from functools import lru_cache
from itertools import accumulate

from model.text import normalize, normalize_with_map, words

from .parse import Phrase, Words
from model.registry import REGION

# A search finding at most this many paragraphs gets spelling suggestions.
FEW_HITS = 2
# Phrases tried: long enough to have neighbours, short enough to be one expression.
MIN_CHARS, MAX_CHARS = 2, 12
# Spellings offered at most, and variants of one phrase checked against the index.
MAX_SUGGESTIONS = 2
MAX_CHECKED = 8
# Only Chinese characters are replaced: a digit or a Latin letter is not mistyped by sound.
CJK = re.compile(r"[\u4e00-\u9fff]")
# Sounds an ear (or a dialect) confuses: initials, then finals.
SIMILAR_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("f", "h"), ("r", "l"))
SIMILAR_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"), ("iang", "ian"), ("uang", "uan"))
SAME, SIMILAR, OTHER = 0, 1, 2
# A phrase this short respelled by a character of another sound is another word, not a typo
# (答复 → 恢复): only homophones and similar sounds are offered for it.
MIN_CHARS_ANY_SOUND = 3
# The characters most often before or after a variant that are read to see whether the corpus
# holds it as words of its own.
CONTEXTS_READ = 16
# What a place's full name ends with after the part people type: 诸暨 in 诸暨市.
REGION_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "新区", "林区", "地区", "街道",
                   "省", "市", "区", "县", "盟", "旗", "镇", "乡")


@lru_cache(maxsize=None)
def sound(char):
    """Return the toneless pinyin of a character, every reading of it (行: xing, hang, heng)."""
    from pypinyin import Style, pinyin
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def folded(syllable):
    """Return a syllable with the sounds people confuse made the same."""
    for precise, loose in SIMILAR_INITIALS:
        if syllable.startswith(precise):
            syllable = loose + syllable[len(precise):]
            break
    for precise, loose in SIMILAR_FINALS:
        if syllable.endswith(precise):
            syllable = syllable[:-len(precise)] + loose
            break
    return syllable


def sound_distance(typed, other):
    """Return SAME for homophones, SIMILAR for confusable sounds, OTHER otherwise."""
    if sound(typed) & sound(other):
        return SAME
    if {folded(s) for s in sound(typed)} & {folded(s) for s in sound(other)}:
        return SIMILAR
    return OTHER


def variants(arrays, needle):
    """Return the one-character variants of a normalized phrase that the corpus holds, best first."""
    found = {}
    for place, char in enumerate(needle):
        if not CJK.match(char):
            continue
        left, right = needle[:place], needle[place + 1:]
        for other, count in arrays.between(left, right).items():
            if other != char and CJK.match(other):
                distance = sound_distance(char, other)
                if distance == OTHER and len(needle) < MIN_CHARS_ANY_SOUND:
                    continue
                variant = left + other + right
                rank = (distance, -count)
                found[variant] = min(rank, found.get(variant, rank))
    return sorted(found, key=found.get)


def cut_at(text, place):
    """Tell whether jieba's words of a text end at place (a word boundary there)."""
    return place in set(accumulate(len(word) for word in words(text)))


def mostly_cut(contexts, joined, place):
    """Tell whether, in most of the places counted by contexts ({character: occurrences}), the text joined with that
    character has a word boundary at place."""
    common = sorted(contexts.items(), key=lambda item: -item[1])[:CONTEXTS_READ]
    cut = sum(count for char, count in common if cut_at(joined(char), place))
    return 2 * cut >= sum(count for _, count in common)


def stands_alone(arrays, variant):
    """Tell whether the corpus holds a variant as words of its own: where it occurs, jieba mostly ends a word right
    before and right after it (政复 occurs only inside 行政复议, a piece of one word)."""
    return mostly_cut(arrays.between("", variant), lambda char: char + variant, 1) and \
        mostly_cut(arrays.between(variant, ""), lambda char: variant + char, len(variant))


def respelled(query, needle, variant):
    """Return the query with the characters of a needle changed into the variant's, punctuation kept."""
    norm, origin = normalize_with_map(query)
    start = norm.find(needle)
    if start < 0:
        return None
    chars = list(query)
    for offset, (old, new) in enumerate(zip(needle, variant)):
        if old != new:
            chars[origin[start + offset]] = new
    return "".join(chars)


def text_needles(tree):
    """Yield the normalized phrases a query tree asks the text for, outside any NOT."""
    if isinstance(tree, (Words, Phrase)):
        yield normalize(tree.text)
    elif hasattr(tree, "parts"):
        for part in tree.parts:
            yield from text_needles(part)


def spellings(plan, arrays, total):
    """Return queries respelled into what the corpus holds, for a search that found total paragraphs."""
    if total > FEW_HITS or plan.scope != "all":
        return []
    query, found = plan.text, []
    for needle in dict.fromkeys(text_needles(plan.tree)):
        if not MIN_CHARS <= len(needle) <= MAX_CHARS or len(arrays.containing(needle)) > FEW_HITS:
            continue
        for variant in variants(arrays, needle)[:MAX_CHECKED]:
            if len(arrays.containing(variant)) > total and stands_alone(arrays, variant):
                query = respelled(query, needle, variant) or query
                break
    if query != plan.text:
        found.append(query)
    return found[:MAX_SUGGESTIONS]


def region_forms(columns):
    """Return {what people type: [(region level, full name)]} for every region name of the corpus's reports."""
    forms = {}
    for facet in REGION:
        for name in columns.facets[facet.name].names:
            if not name:
                continue
            typed = {name}
            for suffix in REGION_SUFFIXES:
                if name.endswith(suffix) and len(name) - len(suffix) >= 2:
                    typed.add(name[:-len(suffix)])
                    break
            for text in typed:
                forms.setdefault(text, [])
                if (facet.name, name) not in forms[text]:
                    forms[text].append((facet.name, name))
    return forms


def places(plan, columns):
    """Return the places a query names as plain words, each with the query without it: {facet, value, term, query}."""
    if plan.tree is None:
        return []
    forms = columns.cached("region_forms", region_forms)
    chosen = {value for choice in plan.choices.values() for value in choice.labels}
    words = plan.tree.parts if hasattr(plan.tree, "parts") else (plan.tree,)
    found = []
    for word in words:
        if not isinstance(word, Words):
            continue
        for facet, name in forms.get(word.text.strip(), ()):
            if name not in chosen:
                rest = " ".join(plan.text.replace(word.text, " ", 1).split())
                found.append({"facet": facet, "value": name, "term": word.text, "query": rest})
    return found
