"""Compatibility characters folded into the ideographs they stand for (the first text stage).

Text taken out of PDFs carries radical code points instead of characters: Noto CJK and
Source Han, the fonts most Chinese PDFs are set in, draw 白 and the Kangxi radical ⽩
(U+2F69) with one glyph, and their ToUnicode maps give the radical back, so 全⾯推进依法⾏政
is what the file says for 全面推进依法行政. Unicode's compatibility decomposition (NFKC)
folds the Kangxi radicals and the CJK compatibility ideographs; the CJK Radicals Supplement
(⺠ ⻓ ⻅ …) has no decomposition, so its characters that stand for a whole simplified
character fold by the table below (from Unicode's EquivalentUnifiedIdeograph.txt).

NFKC is applied to these blocks only: over a whole page it would also turn the full-width
punctuation the cleaner reads (，：；（一）) into ASCII, and ① into 1. ASCII punctuation written
after Chinese characters, as OCR writes it, is read the other way, in those full-width forms
(fold_ascii_punctuation, applied with the simplified form in script.py, so a reader sees the page's own).
"""
import re
import unicodedata

# Kangxi Radicals, CJK Compatibility Ideographs and their supplement: NFKC gives the ideograph.
NFKC_BLOCKS = re.compile("[\u2f00-\u2fdf\uf900-\ufaff\U0002f800-\U0002fa1f]")
# CJK Radicals Supplement: the radicals that are also whole characters, as Noto CJK's
# ToUnicode tables hand them out (⺠ for 民 in 人民政府, ⻓ for 长 in 长效机制).
RADICAL_CHARACTERS = {
    "\u2e9f": "母", "\u2ea0": "民", "\u2ec4": "西", "\u2ec5": "见", "\u2ec6": "角", "\u2ec9": "贝",
    "\u2ecb": "车", "\u2ed1": "長", "\u2ed3": "长", "\u2ed4": "门", "\u2ed7": "雨", "\u2ed8": "青",
    "\u2ed9": "韦", "\u2eda": "页", "\u2edb": "风", "\u2edc": "飞", "\u2edd": "食", "\u2ee2": "马",
    "\u2ee3": "骨", "\u2ee4": "鬼", "\u2ee5": "鱼", "\u2ee6": "鸟", "\u2ee7": "卤", "\u2ee8": "麦",
    "\u2ee9": "黄", "\u2eea": "黾", "\u2eeb": "斉", "\u2eec": "齐", "\u2eed": "歯", "\u2eee": "齿",
    "\u2eef": "竜", "\u2ef0": "龙", "\u2ef1": "龜", "\u2ef2": "亀", "\u2ef3": "龟",
    "\u2ebe": "艹", "\u2ebf": "艹", "\u2ec0": "艹",
    # Kangxi radicals whose NFKC ideograph is a traditional variant of the simplified character a
    # simplified font draws with the same glyph: ⼾ for 户 (NFKC gives 戶), ⾭ for 青 (NFKC gives 靑).
    "\u2f3e": "户", "\u2fad": "青",
}
# Colons written with presentation forms, as Hong Kong, Macao and Taiwan sites print their labels
# ("發佈日期︰2023-03-31", "日期﹕…"): folded into the full-width colon every label pattern reads.
COLON_FORMS = {"\ufe30": "：", "\ufe13": "：", "\ufe55": "："}
FOLDED_FORMS = {**RADICAL_CHARACTERS, **COLON_FORMS}
# OCR of a scan, and some converters, give Chinese text ASCII punctuation ("2016年,我县在市委,市政府…取得成效.",
# "一,…"): after a Chinese character a comma, semicolon, colon, mark or full stop is the full-width one the text
# means, as is a pair of brackets opened there or at a line's start (纲要(2015-2020年), (一)), so sentences end and clauses part as in any
# report. A full stop counts only before Chinese text or at a line's end, and a mark before a Latin letter or a
# slash stays (网址:http://); after a digit nothing changes (1.5万, 10:30).
ASCII_CLAUSE_MARK = re.compile(r"(?<=[\u4e00-\u9fff])(?:[,;:!?](?![A-Za-z/])|\.(?=[\u4e00-\u9fff]|[ \t]*$))",
                               re.MULTILINE)
ASCII_BRACKETS = re.compile(r"(?:(?<=[\u4e00-\u9fff])|^)\(([^()\n]*)\)", re.MULTILINE)
FULLWIDTH_CLAUSE_MARKS = str.maketrans(",;:!?.", "，；：！？。")
FOLDED_BLOCK = re.compile("[" + "".join(FOLDED_FORMS) + "]")


def fold_compatible(text):
    """Return text with radical, compatibility and colon forms replaced by what they stand for."""
    text = FOLDED_BLOCK.sub(lambda found: FOLDED_FORMS[found.group()], text)
    return NFKC_BLOCKS.sub(lambda found: unicodedata.normalize("NFKC", found.group()), text)


def fold_ascii_punctuation(text):
    """Return text with the ASCII punctuation after Chinese characters in full-width form, character for
    character ("市委,市政府." → "市委，市政府。"), so positions stay the same."""
    text = ASCII_CLAUSE_MARK.sub(lambda found: found.group().translate(FULLWIDTH_CLAUSE_MARKS), text)
    return ASCII_BRACKETS.sub(r"（\1）", text)
