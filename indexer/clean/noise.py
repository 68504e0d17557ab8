"""Junk that mirror and copy sites put inside a report's text, removed before anything is matched.

A page copied by a document-sharing site carries that site's watermark through the body, even
inside words ("湖州<site>市"), and an annotated page carries pinyin glosses inside names
("内(nèi)蒙古"); pages converted from Word or PDF space a year from its 年 ("2020 年") or every
character of a heading set with letter spacing ("峡 江 县 2021 年 度 法 治 政 府 …"), and pages
typeset in full-width forms write their numbers in full-width digits ("２０１９年", "２０２０－０３－２６").
Each breaks the names, titles, years and dates the later stages look for, so they go first. Each repair
takes lines and returns the repaired lines with the warnings a reader is told.
"""
import re
from collections import Counter, defaultdict

# A pinyin gloss after a character: a bracketed syllable or two with a tone mark ("(nèi)",
# "（méng gǔ）"). The tone mark is required, so that an acronym in brackets ("(PPP)") stays.
TONE_MARKS = "āáǎàōóǒòēéěèīíǐìūúǔùǖǘǚǜńňǹḿ"
PINYIN_GLOSS = re.compile(rf"(?<=[\u4e00-\u9fff])\s*[（(\[【]\s*(?=[a-zü\s]*[{TONE_MARKS}])"
                          rf"[a-zü{TONE_MARKS}]{{1,7}}(?:\s+[a-zü{TONE_MARKS}]{{1,7}}){{0,3}}\s*[)）\]】]",
                          re.IGNORECASE)
# Every gloss holds a tone mark: a page without any (nearly all) has no gloss, told by one search.
TONE_MARK = re.compile(f"[{TONE_MARKS}]", re.IGNORECASE)

# A year spaced from its 年 by a converter ("2020 年", "2020 年度"): rejoined, so that every
# pattern reading years, titles and opening sentences sees "2020年". OCR spaces its digits too
# ("2 0 2 3 年", "〔2 0 2 4〕"): a year so spaced, before 年 or a closing bracket, is written together.
SPACED_YEAR = re.compile(r"(?<![\d.])((?:19|20)\d{2})\s+(?=年)")
SPACED_DIGITS_YEAR = re.compile(r"(?<![\d.])(1\s?9|2\s?0)\s?(\d)\s?(\d)\s*(?=[年〕\]］)）])")
# Both patterns space a digit from what follows it; a line with no digit before a space is left as it is
# (SPACED_DIGITS_YEAR also matches a year written together, and writes it as it was).
DIGIT_BEFORE_SPACE = re.compile(r"\d\s")

# A heading set with letter spacing comes out of a PDF with a space between every character ("某 某 县
# 人 民 政 府", "某 县 2021 年 度 法 治 政 府 建 设 情 况 报 告"), and OCR of a scan spaces whole paragraphs
# so, their punctuation too ("我 县 坚 持 ， 认 真 落 实 。"): a line whose pieces are all one character or a
# number, with punctuation beside it or alone, at least this many of them Chinese characters, is written
# together. Shorter runs stay ("前  言", "大 中 小"), and so does a table's row of figures.
LETTER_SPACED_MIN_CHARS = 5
PUNCTUATION = r"，。、；：！？“”‘’（）《》〔〕【】,.;:!?()\[\]—…"
LETTER_SPACED_PIECE = re.compile(rf"^[{PUNCTUATION}]*(?:[\u4e00-\u9fff]|\d+)?[{PUNCTUATION}]*$")
HANZI = re.compile(r"[\u4e00-\u9fff]")

# Full-width digits ("２０１９") are the same numbers as ASCII ones (NFKC folds them); folded, with
# the full-width separators between two digits ("２０２０－０３－２６", "１０：２０", "１．２万"), so
# every pattern reading years, dates and counts reads them. Full-width punctuation elsewhere is the
# text's own (，。：) and stays.
FULLWIDTH_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
FULLWIDTH_SEPARATOR = re.compile(r"(?<=\d)[－／．：](?=\d)")
FULLWIDTH_SEPARATORS = str.maketrans("－／．：", "-/.:")
# Lines holding neither are left as they are without translate(), which looks up every character.
FULLWIDTH_DIGIT_OR_SEPARATOR = re.compile("[０-９－／．：]")

# Document-sharing and essay sites whose names they stamp into the texts they copy; these names
# mean nothing else in a report, so they are a watermark wherever they stand.
WATERMARK_SITES = (
    "秘书之家", "百度文库", "道客巴巴", "豆丁网", "原创力文档", "第一范文网", "范文先生网", "文秘帮",
    "人人文库", "金锄头文库", "360文库", "淘豆网", "爱问共享资料",
)
# What a watermark wraps its site in: a lead ("本文来源于", "来自"), the site's address, brackets.
WATERMARK_LEAD = r"(?:(?:本文|本篇|文章|内容)?(?:来源|来自|出自|摘自|转载自|转自|整理自|源自)于?\s*[:：]?\s*)?"
# ... or a verb after the site's name and address ("【某某网 www.… 整理】").
WATERMARK_VERB = r"(?:\s*(?:整理|收集|编辑|提供|发布|转载|制作))?"
# A copy site's name may hold digits and Latin letters ("文秘114网"): the name printed before its
# address is the run of these and Chinese characters.
SITE_NAME_CHARS = r"\u4e00-\u9fffA-Za-z0-9"
SITE_ADDRESS = (r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|net|org|cn|cc|top|info|vip)(?![a-z0-9])"
                r"(?:/[\w./?=&%-]*)?")
KNOWN_WATERMARK = re.compile(
    rf"(?P<open>[【\[（(]\s*)?{WATERMARK_LEAD}(?:{'|'.join(map(re.escape, WATERMARK_SITES))})"
    rf"(?:\s*[（(]?\s*{SITE_ADDRESS}\s*[)）]?)?{WATERMARK_VERB}(?(open)\s*[】\]）)]|)", re.IGNORECASE)
# A known watermark holds one of the sites' names: a line without any has none (found in one scan,
# where the whole pattern, its optional lead first, is tried at every character).
SITE_NAME = re.compile("|".join(map(re.escape, WATERMARK_SITES)), re.IGNORECASE)
ADDRESS = re.compile(SITE_ADDRESS, re.IGNORECASE)
# A government site's address is a reference a report makes ("中国政府网（www.gov.cn）").
GOVERNMENT_ADDRESS = re.compile(r"gov\.cn(?:/|$)", re.IGNORECASE)
# Another site's address standing this often in one page is its watermark, with the name the
# copies print before it (the characters all of them share, up to this many).
WATERMARK_MIN_REPEATS = 2
WATERMARK_NAME_MAX_CHARS = 10
# That name, once known, is a watermark also where it stands alone in brackets (a title ending
# "【某某范文网】"); a name this short could be an ordinary word a report brackets.
WATERMARK_BRACKETED_NAME_MIN_CHARS = 3


def remove_glosses(lines):
    """Remove pinyin glosses printed inside words ("内(nèi)蒙古" → "内蒙古")."""
    if not TONE_MARK.search("\n".join(lines)):
        return list(lines)
    return [PINYIN_GLOSS.sub("", line) for line in lines]


def join_spaced_years(lines):
    """Join a year to its 年 where a converter spaced them apart, and its digits where OCR did."""
    return [SPACED_YEAR.sub(r"\1", SPACED_DIGITS_YEAR.sub(spaced_digits_joined, line))
            if DIGIT_BEFORE_SPACE.search(line) else line for line in lines]


def spaced_digits_joined(found):
    """Return a year whose digits OCR spaced, written together ("2 0 2 3" → "2023")."""
    return re.sub(r"\s+", "", "".join(found.groups()))


def join_letter_spaced(lines):
    """Write a letter-spaced line's characters together ("某 县 人 民 政 府" → "某县人民政府")."""
    return [joined_letters(line) for line in lines]


def joined_letters(line):
    """Return a line without its spaces if every piece between them is one character or a number."""
    pieces = line.split()
    if (all(map(LETTER_SPACED_PIECE.match, pieces))
            and sum(bool(HANZI.search(piece)) for piece in pieces) >= LETTER_SPACED_MIN_CHARS):
        return "".join(pieces)
    return line


def fold_fullwidth_digits(lines):
    """Write full-width digits, and the separators between them, as ASCII ("２０１９年" → "2019年")."""
    return [folded_digits(line) if FULLWIDTH_DIGIT_OR_SEPARATOR.search(line) else line for line in lines]


def folded_digits(line):
    """Return a line with its full-width digits, and the separators between digits, in ASCII."""
    line = line.translate(FULLWIDTH_DIGITS)
    return FULLWIDTH_SEPARATOR.sub(lambda found: found.group().translate(FULLWIDTH_SEPARATORS), line)


def shared_name(contexts):
    """Return the characters of a name that end every one of the contexts (a site's name), or ""."""
    name = ""
    for width in range(1, WATERMARK_NAME_MAX_CHARS + 1):
        tails = {context[-width:] for context in contexts if len(context) >= width}
        if len(tails) != 1 or not all(len(context) >= width for context in contexts):
            break
        tail = tails.pop()
        if not re.fullmatch(rf"[{SITE_NAME_CHARS}]+", tail):
            break
        name = tail
    return name


def repeated_addresses(lines):
    """Return {address: site name} of every non-government address repeated in the page."""
    contexts = defaultdict(list)
    for line in lines:
        if "." not in line:  # every address holds one: most lines are not searched
            continue
        for match in ADDRESS.finditer(line):
            address = match.group().lower()
            if not GOVERNMENT_ADDRESS.search(address):
                before = re.split(rf"[^{SITE_NAME_CHARS}]", line[:match.start()].rstrip(" （(:："))[-1]
                contexts[address].append(before)
    return {address: shared_name(found) for address, found in contexts.items() if len(found) >= WATERMARK_MIN_REPEATS}


def site_watermarks(lines):
    """Return the patterns of the watermarks a page's repeated addresses reveal, or []: each address
    with the name printed before it, and that name alone in brackets ("…报告【某某范文网】")."""
    sites = repeated_addresses(lines)
    if not sites:
        return []
    marks = [re.escape(name) + r"\s*[（(]?\s*" + re.escape(address) + r"\s*[)）]?" for address, name in sites.items()]
    patterns = [re.compile(rf"(?P<open>[【\[（(]\s*)?{WATERMARK_LEAD}(?:{'|'.join(marks)}){WATERMARK_VERB}"
                           rf"(?(open)\s*[】\]）)]|)", re.IGNORECASE)]
    names = [re.escape(name) for name in sites.values() if len(name) >= WATERMARK_BRACKETED_NAME_MIN_CHARS]
    if names:
        patterns.append(re.compile(rf"[【\[（(]\s*{WATERMARK_LEAD}(?:{'|'.join(names)}){WATERMARK_VERB}\s*[】\]）)]"))
    return patterns


def remove_watermarks(lines):
    """Remove copy sites' watermarks (their names and repeated addresses) from every line."""
    found = Counter()
    patterns = [KNOWN_WATERMARK, *site_watermarks(lines)]
    kept = []
    for line in lines:
        for pattern in patterns:
            if pattern is KNOWN_WATERMARK and not SITE_NAME.search(line):
                continue
            found.update(match.group() for match in pattern.finditer(line))
            line = pattern.sub("", line)
        line = line.strip()
        if line:
            kept.append(line)
    count = sum(found.values())
    return kept, [f"删除转载网站插入的水印{count}处"] if count else []


def remove_noise(lines):
    """Return (lines, warnings): the lines without watermarks, pinyin glosses, letter spacing, spaced
    years and full-width digits."""
    lines, warnings = remove_watermarks(lines)
    return join_spaced_years(join_letter_spaced(fold_fullwidth_digits(remove_glosses(lines)))), warnings
