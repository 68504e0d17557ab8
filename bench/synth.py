"""A deterministic SYNTHETIC corpus for the benchmark: report pages in the seeds' raw format.

Nothing here is a real report. The prose is sentences of the seed pages recombined, the
places are real divisions drawn from the gazetteer, the years are 2016-2025. Every page says
it is synthetic in its first line, a breadcrumb the cleaner drops as chrome (so the label is
never indexed), and every file is named synthetic_<k>.txt.
"""
import random
import re
from collections import defaultdict
from pathlib import Path

from indexer.clean.gazetteer import TOWNSHIP, TOWNSHIP_NAME, gazetteer
from indexer.paths import PROJECT_DIR
from model.report import REGION_LEVELS

SEED_DIR = PROJECT_DIR / "corpus" / "raw"
SYNTHETIC_LABEL = "合成测试数据（synthetic benchmark page）"
BREADCRUMB = f"您的位置：首页 > 政务公开 > {SYNTHETIC_LABEL}"
FILE_PATTERN = "synthetic_*.txt"
YEARS = range(2016, 2026)
# Paragraphs of one report after cleaning, headings included: the seeds hold 20 to 40.
REPORT_PARAGRAPHS = (20, 40)
# A report shorter than this (only the last one can be) gets no sections, only prose.
MIN_SECTIONED_PARAGRAPHS = 12
# Optional sections make the report longer: only reports at least this long get them.
MIN_PARAGRAPHS_FOR_OPTIONAL = 26
SENTENCES_PER_PARAGRAPH = (2, 6)

# Only long body lines are report prose; shorter ones are titles, headings, chrome, signatures.
MIN_SEED_LINE_CHARS = 40
# Seed 001 carries a gambling site's name injected into its page: never multiply it.
SEED_SPAM = ("凯发",)
# A sentence ends at one of these; a trailing fragment without one ("主要表现在：") is dropped.
SENTENCE = re.compile(r"[^。！？；;!?]+[。！？；;!?]")
# A heading number opening a line; stripped from recombined prose so that a synthetic
# paragraph never reads as a heading or a numbered item the cleaner would split off.
CN_DIGITS = "一二三四五六七八九十"
LEADING_NUMBER = re.compile(
    rf"^\s*(第[{CN_DIGITS}]+部分|[{CN_DIGITS}]+\s*[、．.]|[（(]\s*[{CN_DIGITS}\d]+\s*[）)]"
    r"|\d{1,2}\s*[、．.](?!\d))\s*")
SUB_HEADING_LINE = re.compile(rf"^\s*[（(]\s*[{CN_DIGITS}]+\s*[）)]")
# A numbered seed line up to this long with no full stop is a heading line of its own.
SEED_HEADING_MAX_CHARS = 60
# A numbered line's first sentence up to this long is its heading ("（一）强化组织领导。…").
INLINE_HEADING_MAX_CHARS = 40
# Shorter fragments ("一是抓学习。") say nothing on their own.
MIN_SENTENCE_CHARS = 8

# Top-level sections in reading order, with the heading wordings of the seeds; {year} is the
# report's year and {next} the year after.
SECTIONS = {
    "主要工作": ("{year}年法治政府建设主要工作内容", "主要工作成效", "推进法治政府建设的主要举措和成效",
             "法治政府建设工作情况", "工作成效"),
    "存在问题": ("存在的问题", "推进法治政府建设存在的不足和原因", "推进法治建设工作中存在的问题"),
    "负责人履职": ("党政主要负责人履行推进法治建设第一责任人职责，加强法治政府建设的有关情况",),
    "下一步工作": ("下一步工作思路", "下一步工作", "{next}年推进法治政府建设的主要安排"),
    "整改情况": ("{year}年度法治督查整改情况",),
}
# Share of long reports that carry each optional section.
OPTIONAL_SECTIONS = {"负责人履职": 0.3, "整改情况": 0.2}
# Paragraphs under each short section, heading excluded.
SECTION_PARAGRAPHS = {"存在问题": (1, 3), "负责人履职": (1, 2), "下一步工作": (2, 4), "整改情况": (1, 2)}
# Which pool of seed sentences a seed section feeds, by the words of its heading; first match wins.
SEED_SECTION_WORDS = (
    ("存在问题", re.compile(r"问题|不足|短板")),
    ("下一步工作", re.compile(r"下一步|思路|安排|计划")),
    ("整改情况", re.compile(r"督查|督察|整改")),
    ("负责人履职", re.compile(r"第一责任人|主要负责人")),
)
MAIN_SECTION = "主要工作"

TITLES = ("{unit}{year}年度法治政府建设情况报告", "{unit}关于{year}年度法治政府建设情况的报告",
          "{unit}{year}年法治政府建设工作报告", "关于{year}年法治政府建设有关情况的报告")
LEADS = (
    "{year}年以来，{unit}坚持以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平法治思想，"
    "全面推进法治政府建设，现将有关情况报告如下：",
    "{year}年，{unit}在上级党委、政府的坚强领导下，认真落实法治政府建设各项任务，"
    "现将{year}年度法治政府建设情况报告如下。",
    "按照《法治政府建设与责任落实督察工作规定》，现将{unit}{year}年度法治政府建设情况报告如下。",
)
# The report's own level is drawn with these weights: most published reports are local.
LEVEL_WEIGHTS = {"province": 0.05, "city": 0.15, "county": 0.4, "township": 0.4}
# The metadata-table layout prints the issuer on a value line, which the cleaner only drops
# when it is short.
MAX_TABLE_VALUE_CHARS = 36
# Shares of pages with the error-report and print links above the QR prompt, and of pages
# laid out indented with blank lines between paragraphs (the others are compact): the seeds
# come both ways.
ERROR_LINKS_SHARE = 0.5
INDENTED_SHARE = 0.5


def seed_sections(path):
    """Yield (section pool name, line) for each body line of a seed page."""
    section = MAIN_SECTION
    for line in path.read_text(encoding="utf-8-sig").splitlines():
        line = line.replace("\u3000", " ").strip()
        if re.match(rf"^[{CN_DIGITS}]+\s*、", line) and len(line) <= SEED_HEADING_MAX_CHARS:
            section = next((name for name, words in SEED_SECTION_WORDS if words.search(line)),
                           MAIN_SECTION)
            continue
        if line and not any(spam in line for spam in SEED_SPAM):
            yield section, line


def split_seed_line(line):
    """Return (sub-heading or "", prose sentences) of one seed line, numbers stripped."""
    heading = ""
    if SUB_HEADING_LINE.match(line):
        stripped = LEADING_NUMBER.sub("", line)
        first = SENTENCE.match(stripped)
        if len(line) <= SEED_HEADING_MAX_CHARS and "。" not in line:
            return stripped, []
        if first and len(first.group()) <= INLINE_HEADING_MAX_CHARS:
            heading, line = first.group().rstrip("。；"), stripped[first.end():]
    sentences = [LEADING_NUMBER.sub("", s).strip() for s in SENTENCE.findall(line)]
    return heading, [s for s in sentences if len(s) >= MIN_SENTENCE_CHARS]


class Template:
    """A seed text whose full place names are slots, filled with the synthetic report's places."""

    def __init__(self, text, gaz):
        """Cut text at each full gazetteer name whose places all sit at one level."""
        self.parts, position = [], 0
        for name in gaz.find_names(text):
            found = gaz.names[name]
            levels = {len(gaz.lineage(place)) - 1 for place in found.places}
            start = text.find(name, position)
            if found.short or len(levels) != 1 or start < 0:
                continue
            self.parts += [text[position:start], levels.pop()]
            position = start + len(name)
        self.parts.append(text[position:])

    def fill(self, region, unit):
        """Return the text with each slot replaced by the region's name at that level, else unit."""
        return "".join(part if isinstance(part, str) else (region[REGION_LEVELS[part]] or unit)
                       for part in self.parts)


def seed_pools(seed_dir, gaz):
    """Return (sentence templates by section, sub-heading templates) from the seed pages."""
    sentences, headings = defaultdict(list), []
    for path in sorted(Path(seed_dir).glob("*.txt")):
        for section, line in seed_sections(path):
            heading, prose = split_seed_line(line)
            if heading:
                headings.append(Template(heading, gaz))
            if len(line) > MIN_SEED_LINE_CHARS:
                sentences[section].extend(Template(s, gaz) for s in prose)
    if not sentences[MAIN_SECTION] or not headings:
        raise ValueError(f"{seed_dir}: no seed report pages with body text to recombine")
    return sentences, headings


def places_by_level(gaz):
    """Return the divisions of each level that a report can be about."""
    levels = defaultdict(list)
    for place, label in enumerate(gaz.labels):
        level = len(gaz.lineage(place)) - 1
        if not label or place in gaz.merged_cities.values():
            continue
        if level == TOWNSHIP and not TOWNSHIP_NAME.match(label):
            continue  # 农场, 林业局 and the like publish no rule-of-law report
        levels[REGION_LEVELS[level]].append(place)
    return levels


def report_sizes(rng, total):
    """Split total paragraphs into report sizes drawn from REPORT_PARAGRAPHS."""
    sizes = []
    while total > 0:
        size = min(rng.randint(*REPORT_PARAGRAPHS), total)
        sizes.append(size)
        total -= size
    return sizes


class ReportWriter:
    """Writes the body of one synthetic report: lead, sections, sub-headings, recombined prose."""

    def __init__(self, rng, pools, region, unit, year):
        """Hold what every paragraph of this report is drawn from."""
        self.rng, (self.sentences, self.headings) = rng, pools
        self.region, self.unit, self.year = region, unit, year
        self.seen = set()

    def prose(self, section):
        """Return a new paragraph of recombined seed sentences from the section's pool."""
        pool = self.sentences.get(section) or self.sentences[MAIN_SECTION]
        count = self.rng.randint(*SENTENCES_PER_PARAGRAPH)
        text = "".join(t.fill(self.region, self.unit) for t in self.rng.choices(pool, k=count))
        while text in self.seen:  # a repeat would be one paragraph to a deduplicating cleaner
            text += self.rng.choice(pool).fill(self.region, self.unit)
        self.seen.add(text)
        return text[:-1] + "。" if text.endswith(("；", ";")) else text

    def lead(self):
        """Return the opening paragraph."""
        template = self.rng.choice(LEADS).format(year=self.year, unit=self.unit)
        return self.prose(MAIN_SECTION) + template

    def main_section(self, lines):
        """Return the paragraphs of the main section below its heading: sub-sections with prose."""
        if lines < 2:
            return [self.prose(MAIN_SECTION) for _ in range(lines)]
        count = min(len(CN_DIGITS) - 1, max(1, lines // 4))
        # Each sub-section gets its heading and at least one paragraph; the rest go at random.
        extra = [0] * count
        for _ in range(lines - 2 * count):
            extra[self.rng.randrange(count)] += 1
        body = []
        for number, more in zip(CN_DIGITS, extra):
            heading = self.rng.choice(self.headings).fill(self.region, self.unit)
            body.append(f"（{number}）{heading}")
            body += [self.prose(MAIN_SECTION) for _ in range(1 + more)]
        return body

    def sections(self, size):
        """Return the section names and the paragraphs under each heading, summing to size - 1."""
        names = ["主要工作", "存在问题", "下一步工作"]
        if size >= MIN_PARAGRAPHS_FOR_OPTIONAL:
            for name, share in OPTIONAL_SECTIONS.items():
                if self.rng.random() < share:
                    names.append(name)
        names.sort(key=list(SECTIONS).index)
        lines = {name: self.rng.randint(*SECTION_PARAGRAPHS[name]) for name in names[1:]}
        lines[MAIN_SECTION] = size - 1 - sum(lines.values()) - len(names)
        return [(name, lines[name]) for name in names]

    def body(self, size):
        """Return size paragraph lines: the lead, then numbered sections."""
        if size < MIN_SECTIONED_PARAGRAPHS:
            return [self.lead()] + [self.prose(MAIN_SECTION) for _ in range(size - 1)]
        body = [self.lead()]
        for number, (name, lines) in zip(CN_DIGITS, self.sections(size)):
            heading = self.rng.choice(SECTIONS[name]).format(year=self.year, next=self.year + 1)
            body.append(f"{number}、{heading}")
            if name == MAIN_SECTION:
                body += self.main_section(lines)
            else:
                body += [self.prose(name) for _ in range(lines)]
        return body


def issuer_of(unit):
    """Return the issuing body of a unit: a 街道's office, otherwise its people's government."""
    return unit + ("办事处" if unit.endswith("街道") else "人民政府")


def full_issuer(region, unit):
    """Return the issuer with every level above it, as a 来源 line prints it."""
    names = []
    for level in REGION_LEVELS:
        if region[level] and region[level] not in names:
            names.append(region[level])
    return "".join(names) + issuer_of(unit)[len(unit):]


def page_text(rng, meta, body):
    """Lay out one page: synthetic breadcrumb, title, chrome of one seed layout, body, signature."""
    title, issuer = meta["title"], meta["issuer"]
    pub = meta["pub_date"]
    layouts = ["byline", "pub_line"] + (["table"] if len(issuer) <= MAX_TABLE_VALUE_CHARS else [])
    layout = rng.choice(layouts)
    head = [BREADCRUMB, title]
    if layout == "byline":
        head.append(f"{pub} {rng.randint(8, 17)}:{rng.randint(0, 59):02d}  来源：{issuer}  "
                    "稿件作者:   浏览量:- 【浏览字体:")
    elif layout == "pub_line":
        head.append(f"发布时间：{pub}  来源：{issuer}  字体：大 中 小")
    else:
        year = pub[:4]
        head += ["字体:【 打印", "索引号", f"{rng.randrange(10**8, 10**9)}/{year}-{rng.randrange(1, 10**5):05d}",
                 "文号", f"{meta['unit'][:2]}政报〔{year}〕{rng.randint(1, 60)}号",
                 "发布机构", issuer, "生成日期", f"{pub} 09:{rng.randint(0, 59):02d}:00"]
    year, month, day = (int(part) for part in pub.split("-"))
    tail = [issuer_of(meta["unit"]), f"{year}年{month}月{day}日"]
    if rng.random() < ERROR_LINKS_SHARE:
        tail.append("【我要纠错】 【打印本页】 【关闭窗口】")
    tail.append("扫一扫在手机打开当前页")
    if rng.random() < INDENTED_SHARE:
        lines = head + ["    " + line for line in body] + tail
        return "\n\n".join(lines) + "\n"
    return "\n".join(head + body + tail) + "\n"


def report_meta(rng, gaz, levels, number):
    """Draw the place, year and title of report number."""
    level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
    place = rng.choice(levels[level])
    region, unit, year = gaz.region(place), gaz.labels[place], rng.choice(YEARS)
    pub_date = f"{year + 1}-{rng.randint(1, 4):02d}-{rng.randint(1, 28):02d}"
    return {"file": f"synthetic_{number:06d}.txt", "unit": unit, "region": region, "year": year,
            "title": rng.choice(TITLES).format(unit=unit, year=year), "pub_date": pub_date,
            "issuer": full_issuer(region, unit)}


def generate(out_dir, n_paragraphs, seed=0, seed_dir=SEED_DIR):
    """Write synthetic report pages holding n_paragraphs paragraphs into out_dir; return their list.

    The same arguments give byte-identical files. Earlier synthetic_*.txt files in out_dir
    are removed first so that the folder holds exactly this corpus.
    """
    if not isinstance(n_paragraphs, int) or n_paragraphs < 1:
        raise ValueError(f"generate: n_paragraphs must be a positive integer, not {n_paragraphs!r}")
    gaz = gazetteer()
    rng = random.Random(seed)
    pools, levels = seed_pools(seed_dir, gaz), places_by_level(gaz)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob(FILE_PATTERN):
        old.unlink()
    manifest = []
    for number, size in enumerate(report_sizes(rng, n_paragraphs), start=1):
        meta = report_meta(rng, gaz, levels, number)
        body = ReportWriter(rng, pools, meta["region"], meta["unit"], meta["year"]).body(size)
        text = page_text(rng, meta, body)
        (out_dir / meta["file"]).write_text(text, encoding="utf-8")
        manifest.append({**meta, "paragraphs": len(body), "chars": len(text)})
    return manifest

