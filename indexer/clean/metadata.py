"""Report metadata from what the page says: title, issuer, report year, publication date, 文号.

Rules, each in one function below:
- title: the page's title (hints, the title line, a 标题/名称 field); when there is none,
  composed from the issuer's place name, the report year and the report type, flagged
  title_composed.
- issuer: the first full institution name or place among, in order of trust, the signature,
  the title ("芙蓉区人民政府关于…", "某市司法局2022年度…", "湘桥街道2020年度…", "关于某区2025年度…"),
  the names printed under the title, the markup's ContentSource, the 发文机关/发布机构/来源/责任部门
  fields (who posted the page, often the office that drafted it) and the subject of the first
  body sentence ("2020年,罗店镇在…", "2022年,某县卫生健康局在…"). A place is replaced by its
  government's full name when another candidate gives it (草滩街道 → 草滩街道办事处), never by a
  department of the same place; one still alone is named as its government once the region and
  level are known (level.government_name). A place name elsewhere on the page that adds the county or city
  above it qualifies the issuer: 城关镇人民政府 + 发布机构 高台县城关镇 → 高台县城关镇人民政府.
- report_year: the year the title names; else the year one of the first body sentences (past
  a salutation) opens with ("2020年，…", "2024年以来"), its first "YYYY年度", or the year of
  "现将…YYYY年…报告如下"; else derived from pub_date (reports on a year appear from its last
  months to mid next year).
- pub_date: hints, else the page's publication field (发布日期, 发布时间, byline date,
  生成日期, 成文日期, a date in another field's value), else a date printed alone above or under
  the title, else the signature date.
- doc_number: the 文号/发文字号 field when it reads like one (…〔2024〕9号).
"""
import re
from dataclasses import dataclass, field
from datetime import date

# Dates: "2024-03-18", "2024年3月15日", "2024.3.15", in Chinese numerals "二〇二四年三月十五日",
# and the compact forms a broken page prints ("2021310", "20210310").
# A date alone on its line may stand in brackets: "（二〇二〇年三月三十一日）", "[2023-02-20]", "【2023-02-20】".
DATE_DELIMITED = re.compile(r"((?:19|20)\d{2})\s*[-年./／]\s*(\d{1,2})\s*[-月./／]\s*(\d{1,2})\s*日?")
# A timestamp printed without separators: "202504271014", "20220330155920" (date, hour, minute
# and maybe second); shorter runs are the compact dates below, read only in a signature.
DATE_TIMESTAMP = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])"
                            r"(?:[01]\d|2[0-3])[0-5]\d(?:[0-5]\d)?(?!\d)")
DATE_CHINESE = re.compile(r"([〇○零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月"
                          r"\s*([一二三四五六七八九十]{1,3})\s*日")
DATE_COMPACT = re.compile(r"^((?:19|20)\d{2})(\d{2,4})$")
# A date field's value packed into eight digits ("发布时间：20170301"): a date where a label says so.
DATE_PACKED = re.compile(r"(?<!\d)((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?!\d)")
# A date in English, as a bilingual template ("March 1, 2017") or a Java site printing its clock's
# own form ("Wed Mar 01 09:30:00 CST 2017") writes it.
ENGLISH_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
DATE_ENGLISH = re.compile(r"\b(%s)[a-z]*\.?\s+(\d{1,2}),?\s+(?:\d{1,2}:\d{2}(?::\d{2})?\s+)?(?:[A-Z]{2,5}\s+)?"
                          r"((?:19|20)\d{2})\b" % "|".join(ENGLISH_MONTHS), re.IGNORECASE)
DATE_LINE = re.compile(r"^[（(\[［【]?\s*(?:%s|%s|(?:19|20)\d{4,6})\s*[）)\]］】]?$"
                       % (DATE_DELIMITED.pattern, DATE_CHINESE.pattern))
CN_NUMERALS = {"〇": 0, "○": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}

# Names of places and of the bodies that issue reports.
PLACE_SUFFIX = r"(?:街道|苏木|自治州|自治县|地区|省|市|区|县|州|旗|盟|镇|乡)"
# Central bodies end in 部, 署 or 银行 (司法部, 海关总署, 中国人民银行), the customs offices under 海关总署
# in 海关 (南京海关, 拱北海关), the survey teams of 国家统计局 in a province or city in 调查总队 or 调查队
# (国家统计局浙江调查总队); a department's leading party group signs its report as 党组 ("中共某市生态环境局党组").
INSTITUTION_SUFFIX = (r"(?:人民政府|街道办事处|办事处|政府|委员会|党工委|党委|党组|司法局|局|厅|办公室|司法所"
                      r"|管委会|中心|委|部|署|银行|海关|调查总队|调查队|人民法院|法院|人民检察院|检察院)")
NAME = re.compile(rf"^[\u4e00-\u9fff（）()]{{1,30}}?(?:{INSTITUTION_SUFFIX}|{PLACE_SUFFIX})$")
# A unit of 新疆生产建设兵团, named by its 师 and maybe its city (师市合一) and 团: 第一师十团, 第八师石河子市,
# 新疆生产建设兵团第三师; no place suffix ends its name.
CORPS_UNIT = (r"(?:新疆生产建设兵团)?第[一二三四五六七八九十]{1,3}师(?:[\u4e00-\u9fff]{1,5}?市)?"
              r"(?:[一二三四五六七八九十〇零百]{1,4}团)?")
CORPS_NAME = re.compile(rf"^{CORPS_UNIT}$")
INSTITUTION = re.compile(rf"{INSTITUTION_SUFFIX}$")
# Suffixes that name the body rather than the place: 城关镇人民政府 is the place 城关镇; a 地区's or
# a 盟's government is its 行政公署 (行署): 阿克苏地区行政公署 is the place 阿克苏地区.
BODY_SUFFIX = re.compile(r"(人民政府|政府|办事处|行政公署|行署)$")
# The county or city above a place ("高台县" in "高台县城关镇").
REGION_PREFIX = re.compile(rf"^[\u4e00-\u9fff]+{PLACE_SUFFIX}$")
# Words that sit where a subject belongs but name no body: "全区", "我镇", "本街道".
NOT_A_NAME = re.compile(r"^(全|我|本|各|该|辖|市区|县区)")

# The title's issuer: "芙蓉区人民政府关于…", its body or place before the year: "某市司法局2022年度…",
# "湘桥街道2020年度…", or the place a "关于…" title is about: "关于某市某区2025年度…", "关于某市“法治某市”建设…",
# "关于2024年度某街道法治政府建设…", "某区贯彻落实《…纲要》2018年度情况报告".
# The issuers may be two, spaced: "中共某市委 某市人民政府关于…"; a converted page may space the
# year from the name before it: "某盟行政公署 2020 年…". A title may also open with its year and
# name its place after it: "2022年某市法治政府建设情况报告", "2021年度某市…"; or name its place
# right before what it reports on, its year after or nowhere: "某市法治政府建设年度报告（2022年）".
# 关于 opens a title, never a name: "关于某县2021年度…" names 某县.
# A name may be one character and its suffix (陇县, 沛县, 郏县): the place is the issuer's, not the
# 县司法局 of the 来源 field.
# A title's year, in digits or in Chinese numerals with 〇, ○ or 零 ("二〇二三年", "二零二三年度").
TITLE_YEAR = r"(?:(?:19|20)\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
YEAR_AHEAD = r"(?:\d|二[〇○零])"
TITLE_ISSUER = re.compile(r"^(.{2,40}?)\s*关于")
TITLE_NAME = rf"[\u4e00-\u9fff]{{1,30}}?(?:{INSTITUTION_SUFFIX}|{PLACE_SUFFIX})"
TITLE_PLACE = re.compile(rf"^(?!关于|{TITLE_YEAR})((?:{TITLE_NAME}[\s、]+)?{TITLE_NAME})"
                         rf"(?=\s*{YEAR_AHEAD}|关于|法治|依法|贯彻落实)")
TITLE_ABOUT_PLACE = re.compile(rf"^关于(?:{TITLE_YEAR}\s*年度?)?([\u4e00-\u9fff]{{1,15}}?{PLACE_SUFFIX})"
                               rf"(?=\s*{YEAR_AHEAD}|[“「\"]?法治|依法)")
JOINT_SEPARATOR = re.compile(r"\s*、\s*")
PARTY_PREFIX = re.compile(r"^中共")
TITLE_CORPS = re.compile(rf"^({CORPS_UNIT})(?=\s*{YEAR_AHEAD}|关于|法治|依法)")
TITLE_YEAR_PLACE = re.compile(rf"^{TITLE_YEAR}\s*年度?\s*([\u4e00-\u9fff]{{1,15}}?{PLACE_SUFFIX})(?=法治|依法)")
# The subject of the first body sentence: "2020年,罗店镇在…", "2024年以来,草滩街道办事处坚持…",
# "2022年,某县卫生健康局在…" (a body's name runs up to the verb that follows it; 和 joins two
# bodies, "市委和市政府", except inside a department's name, "住房和城乡建设局").
# A preposition or verb where the subject would stand ("2023年，在区委的领导下", "按照…") is
# no subject: "在区", "按照区" must not read as places.
OPENING_LEAD = (r"^(?:(?:19|20)\d{2}年(?:度)?(?:以来)?|今年以来|一年来)[,，]?\s*"
                r"(?!在|按照|根据|对照|经过|由于|为了|围绕|通过|坚持|紧扣|聚焦|以)")
OPENING_BODY = re.compile(rf"{OPENING_LEAD}((?:(?!在|的|和[省市州盟县区旗镇乡])[\u4e00-\u9fff]){{2,16}}?"
                          rf"{INSTITUTION_SUFFIX})"
                          r"(?=在|坚持|深入|认真|始终|全面|以|按照|紧紧|围绕|积极|扎实|不断|高度|严格|持续|聚焦"
                          r"|切实|结合|着力|进一步|立足|贯彻|紧扣|牢牢|忠诚|[,，、])")
# The subject ends before 在 ("2023年，某院在区委…领导下" names no place 某院在区).
OPENING_SUBJECT = re.compile(rf"{OPENING_LEAD}((?:(?!在)[\u4e00-\u9fff]){{1,8}}?(?:街道办事处|人民政府|{PLACE_SUFFIX}))")
# A salutation heads the body of a report sent to a superior ("市委、市政府：", "县委依法治县办:"):
# a short line ending in a colon, with no comma; the opening sentence comes after it.
ADDRESSEE = re.compile(r"^[^。！？，,；;]{2,40}[:：]$")
# Salutations stand in the body's first lines; one names several bodies: "中共某市委、某市人民政府".
SALUTATION_PARAGRAPHS = 2
ADDRESSEE_SEPARATOR = re.compile(r"[、，,\s]+")
# The body's first sentences are read for the issuer and the year: past a salutation, a
# one-line preamble ("按照工作安排，现就…报告如下。") and headings.
OPENING_PARAGRAPHS = 3

# Field labels by meaning, in order of trust.
ISSUER_LABELS = ("发文机关", "发文机构", "发文单位", "发布机构", "发布机关", "发布单位", "来源", "信息来源",
                 "文章来源", "稿件来源", "所属机构", "责任部门")
# A blog prints when a post went up as 发表于 (发表时间), a document-sharing site when a file was
# uploaded (上传日期): for a copy, that is the page's own date.
PUB_DATE_LABELS = ("发布日期", "发布时间", "发表时间", "发表于", "发布于", "日期", "时间", "上传日期", "上传时间",
                   "上传于", "生成日期", "公文生成日期", "成文日期")
DOC_NUMBER_LABELS = ("文号", "发文字号", "发文号")
TITLE_LABELS = ("标题", "信息名称", "文件名称", "名称")
# A 文号 names its year in brackets and ends with 号: "政府报〔2024〕9号".
DOC_NUMBER = re.compile(r"[〔\[［(（【]\s*(?:19|20)\d{2}\s*[〕\]］)）】]\s*\d+\s*号")

# A year that closes a range is a plan's or an outline's, not the report's: "《法治政府建设实施纲要（2015—2020年）》
# 2018年度情况报告", "实施方案（2021—2025年）实施情况暨2022年度…".
YEAR = re.compile(r"(?<![\d—–\-~～])((?:19|20)\d{2}|[〇○零一二][〇○零一二三四五六七八九]{3})\s*年")
OPENING_YEAR = re.compile(r"^((?:19|20)\d{2})年")
YEAR_OF_REPORT = re.compile(r"(?<!\d)((?:19|20)\d{2})年度")
# The sentence that announces the report names its year: "现将我镇2025年法治政府建设情况报告如下",
# "现对2023年所做工作总结如下".
ANNOUNCED_YEAR = re.compile(r"现[将就对][^。；]{0,20}?(?<!\d)((?:19|20)\d{2})\s*年[^。；]{0,40}?如下")
# Reports on a year appear from its November to the following June (the deadline is
# the end of the first quarter); in between the year cannot be told from the date.
SAME_YEAR_FROM_MONTH = 11
PREVIOUS_YEAR_UNTIL_MONTH = 6

# The report type a composed title names, by what the body talks about.
REPORT_TYPES = (("法治政府建设", "法治政府建设情况报告"), ("依法行政", "依法行政工作情况报告"))
DEFAULT_REPORT_TYPE = "法治建设情况报告"


@dataclass
class PageFacts:
    """What the page says about the report outside its body paragraphs."""

    title: str = ""
    fields: list = field(default_factory=list)  # (label, value) in page order
    breadcrumbs: list = field(default_factory=list)
    signature: list = field(default_factory=list)  # names the report is signed with
    byline: list = field(default_factory=list)  # names printed between the title and the body
    signature_dates: list = field(default_factory=list)  # date texts printed alone: by the title, then the signature
    accounts: list = field(default_factory=list)  # platform accounts that posted the page ("深圳南山发布")
    sites: list = field(default_factory=list)  # the site's names printed above the title ("某市某区人民政府")
    hints: dict = field(default_factory=dict)

    def values(self, labels):
        """Return the values of the fields with these labels, in the order of the labels."""
        return [value for label in labels for name, value in self.fields if name == label]


def _cn_number(text):
    """Return the value of a Chinese numeral up to 39 ("十五", "二十", "三")."""
    if "十" not in text:
        return CN_NUMERALS[text]
    tens, _, units = text.partition("十")
    return (CN_NUMERALS[tens] if tens else 1) * 10 + (CN_NUMERALS[units] if units else 0)


def _iso(year, month, day):
    """Return the ISO form of a date, or "" when it does not exist."""
    try:
        return date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return ""


def find_date(text):
    """Return the ISO form of the first written-out date in text, or ""."""
    for match in DATE_DELIMITED.finditer(text or ""):
        found = _iso(*match.groups())
        if found:
            return found
    match = DATE_CHINESE.search(text or "")
    if match:
        year = "".join(str(CN_NUMERALS[c]) for c in match.group(1))
        return _iso(year, _cn_number(match.group(2)), _cn_number(match.group(3)))
    match = DATE_TIMESTAMP.search(text or "")
    if match:
        return _iso(*match.groups())
    match = DATE_ENGLISH.search(text or "")
    return _iso(match.group(3), ENGLISH_MONTHS.index(match.group(1).lower()) + 1, match.group(2)) if match else ""


def compact_readings(digits):
    """Return every real date a run of digits can be read as ("2021310" → 2021-03-10)."""
    match = DATE_COMPACT.match(digits)
    if not match:
        return []
    year, rest = match.groups()
    if len(rest) == 3:
        # yyyy m dd or yyyy mm d; a one-digit month is never followed by a padded day.
        splits = [(rest[:2], rest[2])] + ([(rest[0], rest[1:])] if rest[1] != "0" else [])
    else:
        half = len(rest) // 2
        splits = [(rest[:half], rest[half:])]
    return sorted(filter(None, (_iso(year, month, day) for month, day in splits)))


def read_date(text, reference=""):
    """Return (ISO date, warning) of a date text; a compact one is read nearest the reference."""
    found = find_date(text)
    if found:
        return found, ""
    digits = re.sub(r"[\s（）()]", "", text)
    readings = compact_readings(digits)
    if len(readings) == 1:
        return readings[0], f"落款日期“{digits}”缺少分隔符，按{readings[0]}读取"
    if readings and reference:
        # The report is signed on or a little before the day the page published it.
        best = min(readings, key=lambda r: (r > reference, abs(date.fromisoformat(r).toordinal()
                                                               - date.fromisoformat(reference).toordinal())))
        return best, f"落款日期“{digits}”缺少分隔符，按与发布日期最接近的{best}读取"
    if readings:
        return "", f"落款日期“{digits}”缺少分隔符，可读作{'或'.join(readings)}，无法确定"
    return "", ""


def is_date_line(line):
    """Tell whether a line is only a date, as a signature date is."""
    return bool(DATE_LINE.match(line.strip()))


def is_name(text):
    """Tell whether a text is the name of a place or an issuing body."""
    return (bool(NAME.match(text)) or bool(CORPS_NAME.match(text))) and not NOT_A_NAME.match(text)


def is_names(text):
    """Tell whether a text consists of names of issuing bodies, spaced ("中共某省委 某省人民政府")."""
    parts = text.split()
    return bool(parts) and all(is_name(part) for part in parts)


def place_of(name):
    """Return the place an issuer's name stands for: 城关镇人民政府 → 城关镇."""
    return BODY_SUFFIX.sub("", name) or name


def publication_date(facts):
    """Return (pub_date, warnings): hints, the page's publication fields, else the signature."""
    page_date = find_date(facts.hints.get("pub_date", ""))
    for value in facts.values(PUB_DATE_LABELS):
        packed = DATE_PACKED.search(value)
        page_date = page_date or find_date(value) or (_iso(*packed.groups()) if packed else "")
    warnings, signed = [], ""
    for text in facts.signature_dates:
        found, warning = read_date(text, page_date)
        signed = signed or found
        warnings += [warning] if warning else []
    return page_date or signed, warnings


def opening_paragraphs(paragraphs):
    """Return the texts of the body's first sentences: no headings, no salutation."""
    texts = (p.text for p in paragraphs if not p.heading and not ADDRESSEE.match(p.text))
    return [text for text, _ in zip(texts, range(OPENING_PARAGRAPHS))]


def salutations(paragraphs):
    """Return the salutation lines heading the body ("浙江省人民政府：", "市委、市政府：")."""
    found = []
    for paragraph in paragraphs[:SALUTATION_PARAGRAPHS]:
        if paragraph.heading or not ADDRESSEE.match(paragraph.text):
            break
        found.append(paragraph.text)
    return found


def salutation_names(line):
    """Return the names of the bodies a salutation line addresses ("中共某市委、某市人民政府：")."""
    return [name for name in ADDRESSEE_SEPARATOR.split(line.rstrip(":：")) if is_name(name)]


def addressees(paragraphs):
    """Return the names of the bodies a report is addressed to."""
    return [name for line in salutations(paragraphs) for name in salutation_names(line)]


def title_issuer(title):
    """Return the body or place a title names as its author, or ""."""
    for pattern in (TITLE_ISSUER, TITLE_PLACE, TITLE_CORPS, TITLE_ABOUT_PLACE, TITLE_YEAR_PLACE):
        found = pattern.match(title or "")
        # Joint issuers are spaced or parted by 、 ("中共某区委、某区人民政府关于…"): named spaced.
        names = JOINT_SEPARATOR.sub(" ", found.group(1)) if found else ""
        if names and is_names(names):
            return " ".join(names.split())
    return ""


def opening_subject(paragraphs):
    """Return the body or place the first body sentence is about ("2020年,罗店镇在…"), or ""."""
    opening = next(iter(opening_paragraphs(paragraphs)), "")
    for pattern in (OPENING_BODY, OPENING_SUBJECT):
        found = pattern.match(opening)
        if found and is_name(found.group(1)):
            return found.group(1)
    return ""


def issuer_candidates(facts, paragraphs):
    """Return the names that may be the issuer, in order of trust."""
    # Who signed the report comes first, then whom its title names; the page's 发布机构/来源
    # fields and the markup's ContentSource name who published the page, often the office that
    # drafted it (a 司法局 for the government's report), so they come after.
    # A joint signature ("中共某镇委员会 某镇人民政府"): the government reports on 法治政府.
    signature = sorted(facts.signature, key=lambda name: not BODY_SUFFIX.search(name))
    titled = title_issuer(facts.title)
    if signs_jointly(titled, signature):
        # The title names the signatories jointly and in full ("中共某市某区委 某市某区人民政府"): as they report.
        signature = []
    candidates = [*signature, titled, *facts.byline, facts.hints.get("issuer", ""),
                  *facts.values(ISSUER_LABELS), opening_subject(paragraphs)]
    # Whom the report is addressed to never sent it.
    addressed = set(addressees(paragraphs))
    return [name.strip() for name in candidates
            if name and is_names(name) and name.strip() not in addressed]


def signs_jointly(titled, signature):
    """Tell whether a title's joint issuers are the bodies a signature names, each by the end of its name."""
    parts = titled.split()
    return len(parts) > 1 and bool(signature) and all(any(part.endswith(name) for part in parts) for name in signature)


def same_body(place, name):
    """Tell whether name is the government of place, named in full (某镇 → 某镇人民政府)."""
    return name != place and place_of(name).endswith(place)


def qualify(issuer, candidates):
    """Prefix the issuer with the region above it when another candidate names it."""
    place = place_of(issuer)
    best = ""
    for name in candidates:
        start = name.find(place)
        # The place above as the name gives it, without the party's 中共 ("中共某市某区委" qualifies by 某市).
        prefix = PARTY_PREFIX.sub("", name[:start]) if start > 0 else ""
        if prefix and REGION_PREFIX.match(prefix) and not issuer.startswith(prefix) and len(prefix) > len(best):
            best = prefix
    return best + issuer


def issuing_body(facts, paragraphs):
    """Return the issuer: the most trusted name, a place replaced by its government's full name."""
    candidates = issuer_candidates(facts, paragraphs)
    if not candidates:
        return ""
    issuer = candidates[0]
    if not INSTITUTION.search(issuer):
        # A title naming only the place ("某街道2024年度…") is the report of that place's
        # government, which another line may name in full; a department of the same place
        # (the 发布机构 that posted it) is not the author.
        issuer = next((name for name in candidates if same_body(issuer, name)), issuer)
    return qualify(issuer, candidates)


def year_reported(title, paragraphs, pub_date):
    """Return the year the report is about: from the title, the opening sentence, or pub_date."""
    found = YEAR.search(title or "")
    if found:
        return int("".join(str(CN_NUMERALS.get(c, c)) for c in found.group(1)))
    for opening in opening_paragraphs(paragraphs):
        found = (OPENING_YEAR.match(opening) or YEAR_OF_REPORT.search(opening)
                 or ANNOUNCED_YEAR.search(opening))
        if found:
            return int(found.group(1))
    if pub_date:
        published = date.fromisoformat(pub_date)
        if published.month <= PREVIOUS_YEAR_UNTIL_MONTH:
            return published.year - 1
        if published.month >= SAME_YEAR_FROM_MONTH:
            return published.year
    return None


def report_type(paragraphs):
    """Return the report type a composed title names, by what the body is about."""
    body = "".join(p.text for p in paragraphs)
    return next((name for topic, name in REPORT_TYPES if topic in body), DEFAULT_REPORT_TYPE)


def compose_title(issuer, year, paragraphs):
    """Compose a title for a page that shows none: place + year + report type."""
    if not issuer and year is None:
        return ""
    year_part = f"{year}年" if year is not None else ""
    return f"{place_of(issuer)}{year_part}{report_type(paragraphs)}"


def doc_number(facts):
    """Return the 文号 from the page's fields when one reads like a document number."""
    return next((value.strip() for value in facts.values(DOC_NUMBER_LABELS) if DOC_NUMBER.search(value)), "")


def read_metadata(facts, paragraphs):
    """Return (metadata fields for the Report, warnings) from the page facts and body."""
    pub_date, warnings = publication_date(facts)
    issuer = issuing_body(facts, paragraphs)
    title = facts.title or next(iter(facts.values(TITLE_LABELS)), "")
    year = year_reported(title, paragraphs, pub_date)
    composed = not title
    if composed:
        title = compose_title(issuer, year, paragraphs)
    meta = {"title": title, "title_composed": composed and bool(title), "issuer": issuer,
            "report_year": year, "pub_date": pub_date, "doc_number": doc_number(facts)}
    return meta, warnings


def _unique(texts):
    """Return the non-empty texts once each, in their first order."""
    return list(dict.fromkeys(text.strip() for text in texts if text and text.strip()))


def region_evidence(report, facts):
    """Return (texts, strong) for the region resolver: all evidence, and what names the issuer."""
    # strong: the issuer, the signature, the 发布机构/来源/责任部门 fields and the site's name;
    # texts: those, then the title, breadcrumbs, the posting accounts' names (a repost's), the site's names
    # above the title, the column's name and the body paragraphs.
    hints = facts.hints
    strong = _unique([report.issuer, *facts.signature, *facts.byline, *facts.values(ISSUER_LABELS),
                      hints.get("issuer", ""), hints.get("site_name", "")])
    texts = _unique([*strong, report.title, *facts.breadcrumbs, *facts.accounts, *facts.sites,
                     hints.get("column_name", ""),
                     *(p.text for p in report.paragraphs)])
    return texts, strong
