"""The government a report is sent to, and what it tells of the sender.

A report sent up opens with a salutation naming its addressee ("浙江省人民政府：", "省政府："). The
addressee is never the issuer, and its place is not the report's: a government reports to the
government one level above it, a department to its own government. So a government's report
that names no issuer of its own is one level below its addressee and lies within the addressee's
place; there the sender is the one division the report's slogans name ("法治湖州", "平安长兴") or
the code its 文号 opens with (湖政报〔2023〕5号: 湖 under 浙江省 is 湖州市). When neither names one,
only the addressee's place is known of the report's region.
"""
import re

from model.report import REGION_LEVELS

from .gazetteer import gazetteer
from .level import place_level, region_level, says_department
from .metadata import addressees, salutation_names, salutations
from .sitehost import short_forms

# An addressee that is a government (a party committee or a people's congress may be the
# sender's own, of the same level).
GOVERNMENT = re.compile(r"(?:人民政府|政府)$")
# The level of the governments that report to one of each level.
LEVEL_BELOW = {"province": "city", "city": "county", "county": "township"}
# A place's slogan is a campaign word and its short name: 法治湖州, 平安长兴, 美丽浙江.
SLOGAN = re.compile(r"(?:法治|平安|美丽|数字|智慧|健康|幸福|文明|清廉|诚信|善治|和谐)"
                    r"([\u4e00-\u9fff]{2,4})")
# A 文号's code opens with its issuer's place: 湖政报 for 湖州市人民政府, 长政 for 长兴县人民政府.
DOC_CODE = re.compile(r"^[\u4e00-\u9fff]")


def superior_government(paragraphs):
    """Return the name of the government the report is addressed to, or ""."""
    return next((name for name in addressees(paragraphs) if GOVERNMENT.search(name)), "")


def superior_salutations(paragraphs):
    """Return the salutation lines that name a government the report is sent up to."""
    return [line for line in salutations(paragraphs)
            if any(GOVERNMENT.search(name) for name in salutation_names(line))]


def named_place(name):
    """Return the one division a name names at its deepest (浙江省人民政府 → 浙江省), or None."""
    gaz = gazetteer()
    found = [gaz.names[text].places for text in gaz.find_names(name)]
    unique = [places[0] for places in found if len(places) == 1]
    return unique[-1] if unique else None


def deepest_place(region):
    """Return the division a region dict ends at, or None for an empty or unknown region."""
    gaz = gazetteer()
    labels = [label for label in region.values() if label]
    found = gaz.names.get(labels[-1]) if labels else None
    return next((place for place in found.places if gaz.region(place) == region), None) if found else None


def sender_under(place, paragraphs, doc_number):
    """Return the one division directly under place that the slogans or the 文号 name, or None."""
    gaz = gazetteer()
    children = gaz.children(place)
    body = "".join(paragraph.text for paragraph in paragraphs)
    slogans = set(SLOGAN.findall(body))
    named = {child for child in children
             if any(short in slogans or any(slogan.startswith(short) for slogan in slogans)
                    for short in short_forms(gaz.labels[child]) if len(short) >= 2)}
    code = DOC_CODE.match(doc_number or "")
    if code:
        coded = {child for child in children if gaz.labels[child].startswith(code.group())}
        named = named & coded if named & coded else named | coded
    return named.pop() if len(named) == 1 else None


def level_below(level, region):
    """Return the level of the governments reporting to a government of this level and region."""
    if region.get("province") and region.get("province") == region.get("city"):
        return "county"  # a municipality's districts
    return LEVEL_BELOW.get(level, "")


def placed_by_addressee(report):
    """Return (region, level) of a report that names no issuer but is sent to a superior
    government, or None when the addressee tells nothing the page does not."""
    superior = superior_government(report.paragraphs)
    if report.issuer or not superior:
        return None
    gaz = gazetteer()
    own, place = deepest_place(report.region), named_place(superior)
    if says_department(report.paragraphs):
        # A department reports to its own government: the addressee's place is its own.
        return None if own is not None or place is None else (gaz.region(place), "department")
    above, own_level = place_level(superior), region_level(report.region)
    if above not in LEVEL_BELOW:
        return None  # no level of government sends its report to this one
    if place is None and own_level == above:
        place = own  # "省政府：" on a page whose own place is a province: that province
    if place is None:
        # Only the addressee's level is known: the page's own place is the sender's if deeper.
        if own_level and REGION_LEVELS.index(own_level) > REGION_LEVELS.index(above):
            return None
        return report.region, level_below(above, report.region)
    if own is not None and (place in gaz.lineage(own)[:-1] or own not in gaz.lineage(place)):
        return None  # the page names its own place below the addressee, or a place elsewhere
    sender = sender_under(place, report.paragraphs, report.doc_number)
    if sender is not None:
        region = gaz.region(sender)
        return region, region_level(region)
    region = gaz.region(place)
    return region, level_below(region_level(region), region)
