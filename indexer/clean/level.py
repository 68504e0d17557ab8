"""The kind of government a report comes from (Report.level), read from its issuer's name.

A department (局, 厅, 委, 办…) of a government at any level is "department"; a court, a procuratorate,
a development zone's 管委会, a zone that is no division or a 兵团 师 or 团 has no level; a government, its
party committee or both jointly ("中共某镇委员会 某镇人民政府", "某省委、省政府") have the level
of their place: the deepest division the gazetteer finds in the name, else what the place
name's ending says. Without an issuer, a body that calls itself 我局 is a department's, and
otherwise the region the report is about tells the level.
"""
import re

from model.report import REGION_LEVELS

from .gazetteer import Name, gazetteer
from .metadata import CORPS_NAME, INSTITUTION

# What a government or its party committee is called at the end of its name; a 地区 or a 盟 is
# governed by its 行政公署 (行署), which is no department although it ends in 署.
GOVERNMENT_ENDING = re.compile(r"(人民政府|政府|办事处|行政公署|行署|党委和政府|党委、政府|党工委|党委)$")
PARTY_COMMITTEE = re.compile(r"(省|自治区|市|州|盟|地区|县|旗|区|镇|乡|街道|苏木)(委员会|委|工委)$")
# What a department's name ends with: 司法局, 司法厅, 卫生健康委员会, 发改委, 政府办公室, 司法所, and
# the central ministries and banks (司法部, 海关总署, 中国人民银行) and the customs offices (南京海关)…
DEPARTMENT_ENDING = re.compile(r"(局|厅|委员会|委|办公室|办|中心|所|署|站|队|院|处|科|部|银行|海关)$")
# Bodies that are none of the five kinds: courts and procuratorates (judicial organs, not a government
# or its departments, though their 法治建设 reports are published with the governments'), and the
# management committees (管委会) a government dispatches to run a development zone or new area, which
# govern no division of their own. Their reports have no level rather than a guessed one. A 管理委员会 is
# a zone's only after the zone's name (某开发区管理委员会, 某工业园管理委员会): 省人民政府国有资产监督管理
# 委员会 and 市城市管理委员会 are departments.
NO_LEVEL_ENDING = re.compile(r"(人民法院|法院|人民检察院|检察院|管委会|(?:区|园|新城|港|岛)管理委员会)$")
# So are the 师 and 团 of 新疆生产建设兵团 (metadata.CORPS_NAME: 第一师十团, 第八师石河子市 with its city): a corps
# unit, not a government of a division, though a 师市 shares its leaders with a county-level city.
# A zone named without its 管委会 (郑州高新区, 贵安新区) is one too, unless the division codes make it a
# county (浦东新区, 滨海新区, 苏州工业园区: the gazetteer holds those).
ZONE_ENDING = re.compile(r"(开发区|高新区|新区|园区|示范区|试验区|实验区)$")
# A department's leading party group or committee signs the department's report: "中共某市生态
# 环境局党组", "某县教育局机关党委" are the department's (a government's 党组 is the government's).
PARTY_LEADERSHIP = re.compile(r"(?:机关)?(?:党组|党委|党总支)$")
# A report whose body calls its author 我局, 本局, 我厅, 我委, 我部 is a department's; not 基本局面,
# 自我局限, 本委员会, 本部分 (办 is left out: 本办法 is everywhere).
DEPARTMENT_SELF = re.compile(r"[我本](?:局(?![面势限部])|厅|委(?![员会])|部(?![分署队落]))")
# A central body names no place and is the State Council's (司法部, 国家税务总局, 海关总署, 国务院
# 国有资产监督管理委员会); a local one without its place is named by its level (县委宣传部, 市司法局).
CENTRAL_PREFIX = re.compile(r"^(?:中华人民共和国|国务院|国家|中央|中国|最高人民)")
CENTRAL_ENDING = re.compile(r"(部|总局|总署|署)$")
LOCAL_PREFIX = re.compile(r"^[省市州盟县区旗镇乡]|[省市州盟县区旗]委")
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
BODY_ENDING = re.compile(r"(人民政府|政府|办事处|行政公署|行署|党委和政府|党委、政府|党工委|党委|委员会|委|工委)$")


DISTRICT_ZONE = "新区"
# A zone that is no division is run by a management committee (管委会), named so in the zone's reports.
ZONE_BODY = "管委会"
# A government called by 政府 alone (五常市政府, 南昌县政府), not by its full name.
SHORT_GOVERNMENT = re.compile(r"(?<!人民)政府$")
# A place's government by its name: a 街道's is its 办事处, a 地区's or a 盟's its 行政公署, others' the 人民政府.
GOVERNMENT_SUFFIXES = ((re.compile("街道$"), "办事处"), (re.compile("(?:地区|盟)$"), "行政公署"), (re.compile(""), "人民政府"))


def is_department(issuer):
    """Tell whether an issuer's name is a department's rather than a government's."""
    led = PARTY_LEADERSHIP.sub("", issuer)
    if led != issuer and is_department(led):
        return True
    if GOVERNMENT_ENDING.search(issuer) or PARTY_COMMITTEE.search(issuer):
        return False
    return bool(DEPARTMENT_ENDING.search(issuer))


def is_party_body(name):
    """Tell whether a name is a party committee or party group's ("中共某县委", "某厅党组")."""
    return bool(PARTY_PREFIX.match(name) or PARTY_COMMITTEE.search(name) or PARTY_LEADERSHIP.search(name))


def is_central(issuer):
    """Tell whether an issuer is a central government body, whose report is about no one place."""
    issuer = (issuer or "").strip()
    if not issuer or not is_department(issuer) or any(gazetteer().find_names(issuer)):
        return False
    if CENTRAL_PREFIX.match(issuer):
        return True
    return bool(CENTRAL_ENDING.search(PARTY_LEADERSHIP.sub("", issuer))) and not LOCAL_PREFIX.search(issuer)


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
    body = PARTY_LEADERSHIP.sub("", issuer)
    if NO_LEVEL_ENDING.search(body) or CORPS_NAME.match(body) or is_unlisted_zone(issuer):
        return ""
    if issuer:
        if is_department(issuer):
            return "department"
        level = place_level(issuer)
        if level:
            return level
    if not issuer and says_department(paragraphs):
        return "department"
    return region_level(region or {})


def is_unlisted_zone(issuer):
    """Tell whether an issuer is a development zone or new area that is no division (郑州高新区, 雄安新区:
    the gazetteer knows the latter only as the name of the province it lies in)."""
    gaz = gazetteer()
    divisions = [name for name in gaz.find_names(issuer) if name not in gaz.areas]
    return bool(ZONE_ENDING.search(issuer)) and not any(issuer.endswith(name) for name in divisions)


def says_department(paragraphs):
    """Tell whether the body's first paragraphs call their author 我局, 我厅, 我委 or 我部."""
    opening = [p.text for p in paragraphs if not p.heading][:DEPARTMENT_SELF_PARAGRAPHS]
    return any(DEPARTMENT_SELF.search(text) for text in opening)


def government_name(issuer, region, level):
    """Return the government an issuer named by its place alone stands for, in full: 永修县 → 永修县人民政府,
    河源市源城区 → 河源市源城区人民政府, 莫旗 → 莫力达瓦达斡尔族自治旗人民政府; any other issuer as it is."""
    # A report whose title or opening names only its place ("永修县2018年…") is that place's government's,
    # and users filter and read issuers by the body's name; a qualified place keeps its qualifier, a place's
    # everyday name (莫旗, 昌吉州) gives way to the division's. A zone counted as a division is run by a
    # 管委会 (苏州工业园区), except a 新区 with a government of its own (浦东新区人民政府).
    # A place the region could not settle (湖滨街道, a name of several) is named as it is, at its ending's level.
    if not level and ZONE_ENDING.search(issuer or "") and " " not in issuer:
        return issuer + ZONE_BODY  # 雄安新区 → 雄安新区管委会: the body that runs a zone of no division
    if SHORT_GOVERNMENT.search(issuer or ""):
        # 五常市政府 is 五常市人民政府 by its full name, when what precedes 政府 is the place.
        named = government_name(issuer[:-len("政府")], region, level)
        return named if named != issuer[:-len("政府")] else issuer
    if level not in REGION_LEVELS or not issuer or " " in issuer or INSTITUTION.search(issuer):
        return issuer
    label = (region or {}).get(level, "") or (issuer if place_level(issuer) == level else "")
    if not label or (ZONE_ENDING.search(label) and not label.endswith(DISTRICT_ZONE)):
        return issuer
    above = [region.get(upper, "") for upper in REGION_LEVELS[:REGION_LEVELS.index(level)]]
    if issuer.endswith(label) and issuer[:-len(label)] in {"", *above, "".join(dict.fromkeys(filter(None, above)))}:
        place = issuer
    elif label in (gazetteer().labels[place] for place in gazetteer().names.get(issuer, Name((), False, False)).places):
        place = label
    else:
        return issuer
    return place + next(suffix for ending, suffix in GOVERNMENT_SUFFIXES if ending.search(place))
