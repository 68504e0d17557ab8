"""The kind of government a report comes from (Report.level), read from its issuer's name.

A department (局, 厅, 委, 办…) of a government at any level is "department"; a government, its
party committee or both jointly ("中共某镇委员会 某镇人民政府", "某省委、省政府") have the level
of their place: the deepest division the gazetteer finds in the name, else what the place
name's ending says. Without an issuer, a body that calls itself 我局 is a department's, and
otherwise the region the report is about tells the level.
"""
import re

from model.report import REGION_LEVELS

from .gazetteer import gazetteer

# What a government or its party committee is called at the end of its name.
GOVERNMENT_ENDING = re.compile(r"(人民政府|政府|办事处|党委和政府|党委、政府|党工委|党委)$")
PARTY_COMMITTEE = re.compile(r"(省|自治区|市|州|盟|地区|县|旗|区|镇|乡|街道|苏木)(委员会|委|工委)$")
# What a department's name ends with: 司法局, 司法厅, 卫生健康委员会, 发改委, 政府办公室, 司法所…
DEPARTMENT_ENDING = re.compile(r"(局|厅|委员会|委|办公室|办|中心|所|署|站|队|院|处|科)$")
# A report whose body calls its author 我局, 本局, 我厅, 我委 is a department's; not 基本局面,
# 自我局限, 本委员会 (办 is left out: 本办法 is everywhere).
DEPARTMENT_SELF = re.compile(r"[我本](?:局(?![面势限部])|厅|委(?![员会]))")
DEPARTMENT_SELF_PARAGRAPHS = 5
# The levels place names end with, for the places the gazetteer does not know (a 市 is most
# often a prefecture-level city; the gazetteer knows the county-level ones).
PLACE_ENDING_LEVELS = (
    (re.compile(r"(街道|镇|乡|苏木)$"), "township"),
    (re.compile(r"(省|自治区)$"), "province"),
    (re.compile(r"(自治州|州|地区|盟|市)$"), "city"),
    (re.compile(r"(县|旗|区)$"), "county"),
)
# Around the place name: "中共" before a party committee, the body's own name after it.
PARTY_PREFIX = re.compile(r"^中共")
BODY_ENDING = re.compile(r"(人民政府|政府|办事处|党委和政府|党委、政府|党工委|党委|委员会|委|工委)$")


def is_department(issuer):
    """Tell whether an issuer's name is a department's rather than a government's."""
    if GOVERNMENT_ENDING.search(issuer) or PARTY_COMMITTEE.search(issuer):
        return False
    return bool(DEPARTMENT_ENDING.search(issuer))


def place_level(issuer):
    """Return the level of the place a government's name names, or ""."""
    gaz = gazetteer()
    depths = [gaz.level_of_name(name) for name in gaz.find_names(issuer)]
    depths = [depth for depth in depths if depth is not None]
    if depths:
        return REGION_LEVELS[max(depths)]
    place = BODY_ENDING.sub("", PARTY_PREFIX.sub("", issuer.split()[-1] if issuer.split() else issuer))
    return next((level for pattern, level in PLACE_ENDING_LEVELS if pattern.search(place)), "")


def region_level(region):
    """Return the level of the deepest division of a region (a municipality is a province)."""
    names = [region.get(level, "") for level in REGION_LEVELS]
    filled = [depth for depth, name in enumerate(names) if name]
    if not filled:
        return ""
    depth = filled[-1]
    if depth == 1 and names[0] == names[1]:
        depth = 0  # 上海市 / 上海市: the municipality itself
    return REGION_LEVELS[depth]


def government_level(issuer, region, paragraphs):
    """Return the report's level: province, city, county, township or department ("" if unknown)."""
    issuer = (issuer or "").strip()
    if issuer:
        if is_department(issuer):
            return "department"
        level = place_level(issuer)
        if level:
            return level
    opening = [p.text for p in paragraphs if not p.heading][:DEPARTMENT_SELF_PARAGRAPHS]
    if not issuer and any(DEPARTMENT_SELF.search(text) for text in opening):
        return "department"
    return region_level(region or {})
