"""Decode the bytes of a fetched page, in whatever Chinese encoding it came, without mojibake.

Evidence is weighed in this order: a byte-order mark; the charset of the HTTP header; the
charset a `<meta>` tag (or an XML declaration) states near the top of an HTML page; strict
UTF-8; GB 18030 (what nearly every mainland page not in UTF-8 uses); the guesses of
charset-normalizer. Every candidate must decode strictly AND read as Chinese text (few
characters outside the common set of its script); a declaration that fails is passed over.

Mixed bytes: a page that is not valid UTF-8 but holds runs of UTF-8 Chinese is refused with
BadPage ("mixed encodings"), because any single decoding of it would turn part of the
report into mojibake. The one tolerated exception is a UTF-8 page with a few stray bytes
(a footer symbol in Latin-1, a cut-off character): it is decoded as UTF-8 with each bad
byte replaced by U+FFFD, which the caller can count and report as a warning.
"""
import codecs
import re
from collections import Counter
from functools import cache, lru_cache

from charset_normalizer import from_bytes

from .errors import BadPage

# Byte-order marks, longest first (the UTF-32-LE mark begins with the UTF-16-LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)

# Only the top of a page is searched for a declaration; browsers read 1 KB, but government
# pages often carry long inline scripts before their <meta> tags.
DECLARATION_SEARCH_BYTES = 8192
META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:+-]+)""", re.I)
XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']\s*([A-Za-z0-9_.:+-]+)""", re.I)

# Tried after the declarations: UTF-8, whose strict decoding rarely succeeds by chance, then
# GB 18030, the mainland standard; charset-normalizer guesses only when both fail.
FALLBACK_CHARSETS = [("fallback", "utf-8"), ("fallback", "gb18030")]
# Labels that browsers accept but Python's codec registry does not know (WHATWG names).
LABEL_ALIASES = {
    "x-gbk": "gbk", "gb_2312": "gb2312", "gb_2312-80": "gb2312", "csgb2312": "gb2312",
    "iso-ir-58": "gb2312", "chinese": "gb2312", "x-euc-cn": "gb2312", "windows-936": "gbk",
    "ms936": "gbk", "unicode-1-1-utf-8": "utf-8", "x-unicode20utf8": "utf-8",
}
# GB 2312 and GBK are subsets of GB 18030, and pages declared gb2312 routinely carry GBK
# characters (names, rare place names), so every GB declaration is decoded as GB 18030.
WIDER_CODEC = {"gb2312": "gb18030", "gbk": "gb18030"}

# Mojibake test. Real Chinese text keeps almost every non-ASCII character within the common
# set of its script (GB 2312 for simplified, Big5 level 1 for traditional): the seeds keep
# over 99.9%. Wrong decodings keep far fewer (measured on the seeds): UTF-8 read as
# GB 18030 about a third, GBK read as Latin-1 about a seventh. Allowing a tenth of rare
# characters leaves room for names, rare place names and symbols.
MOJIBAKE_SHARE = 0.10
# A few odd characters in a short text prove nothing either way.
MOJIBAKE_TOLERANCE_CHARS = 2
# Punctuation and symbol blocks Chinese pages use beyond the GB 2312 set.
COMMON_BLOCKS = (
    (0x2000, 0x206F),  # general punctuation: dashes, quotes, ellipsis, thin spaces
    (0x2150, 0x218F),  # Roman numerals in headings: Ⅰ Ⅱ Ⅲ
    (0x2460, 0x24FF),  # enclosed numbers: ① ⑴ ⒈
    (0x3000, 0x303F),  # CJK punctuation: 、 。 〇 〔 〕 and the ideographic space
    (0xFE30, 0xFE4F),  # CJK compatibility forms: ﹝ ﹞
    (0xFF00, 0xFFEF),  # full-width forms: ， ： （ ） ０-９
)
# Scripts of China's other official languages, printed beside Chinese on bilingual portals (新疆,
# 西藏, 内蒙古, 延边, 凉山): common in a Unicode page. Only a Unicode decoding is granted them, and a
# strict UTF-8 decoding of bytes in another encoding fails rather than yielding them.
MINORITY_SCRIPT_BLOCKS = (
    (0x0600, 0x06FF), (0xFB50, 0xFDFF), (0xFE70, 0xFEFE),  # Arabic script: Uyghur, Kazakh
    (0x0F00, 0x0FFF),  # Tibetan
    (0x1800, 0x18AF),  # Mongolian
    (0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF),  # Hangul: Korean
    (0xA000, 0xA4CF),  # Yi
)
# Characters that decode without error but never appear in text: NUL..US except whitespace
# controls, DEL, and the replacement character a lenient decoder leaves behind.
NOT_TEXT = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f\ufffd]")
# Whitespace that pages use in place of spaces; not evidence either way.
ODD_SPACES = "\xa0\ufeff"

# Codecs of traditional-script pages, judged against the Big5 common set.
BIG5_CODECS = frozenset({"big5", "big5hkscs", "cp950"})
# Big5 trail bytes (symbols lie in leads A1-A3, level 1 hanzi in A4-C6).
BIG5_TRAIL_BYTES = (*range(0x40, 0x7F), *range(0xA1, 0xFF))
# Runs of UTF-8-encoded CJK ideographs (lead byte E4-E9). Six in a row never occur by
# chance in GBK bytes (measured: random GB 2312 text gives runs of at most two), so such a
# run inside bytes that are not valid UTF-8 means two encodings were mixed.
UTF8_HANZI_RUN = re.compile(rb"(?:[\xe4-\xe9][\x80-\xbf]{2}){6,}")
# A UTF-8 page may carry this many stray (undecodable) bytes and still be read as UTF-8.
STRAY_BYTES_MAX = 8
# The Western decodings a Chinese page gets when its charset is missing or wrong (reread_misdecoded),
# and how many characters beyond ASCII a text needs before it is taken for one.
MISDECODING_CODECS = ("latin-1", "cp1252")
MISDECODED_MIN_CHARS = 40
CJK_IDEOGRAPH = re.compile("[\u4e00-\u9fff]")
BEYOND_ASCII = re.compile("[^\x00-\x7f]")


def decode_page(data, http_charset=None, is_html=True):
    """Return (text, encoding) for a page's bytes, raising BadPage when none decodes cleanly."""
    if not data:
        return "", "utf-8"
    tried = []
    for mark, codec in BOMS:
        if data.startswith(mark):
            text = try_decode(data, codec, tried)
            if text is not None:
                return text, codec
            break
    if b"\x00" in data:
        raise BadPage(f"binary data, not a text page (NUL byte at {data.index(0)})")
    declared = [("HTTP header", http_charset)]
    if is_html:
        declared.append(("<meta> tag", declared_charset(data)))
    for codec in candidate_codecs(declared, tried):
        text = try_decode(data, codec, tried)
        if text is not None:
            refuse_mixed(data, codec)
            return text, codec
    text = decode_with_stray_bytes(data)
    if text is not None:
        return text, "utf-8"
    refuse_mixed(data, "any single encoding")
    for codec in detected_codecs(data, tried):
        text = try_decode(data, codec, tried)
        if text is not None:
            return text, codec
    said = ", ".join(f"{source} says {label}" for source, label in declared if label)
    attempts = "; ".join(f"{codec}: {reason}" for codec, reason in tried)
    raise BadPage(f"no encoding decodes this page cleanly ({said or 'no declared charset'};"
                  f" tried {attempts or 'nothing'})")


def reread_misdecoded(text):
    """Return (text, codec): a Chinese page that was decoded as ISO-8859-1 or windows-1252 decoded again
    from its bytes, or (text, None) when it was not."""
    # A page served without a charset is ISO-8859-1 by HTTP's default (requests, many scrapers), so a
    # GBK or UTF-8 page comes out as Latin letters with accents (·¨ÖÎ, æ³•æ²») and no Chinese at all.
    # The bytes are all there: encoded back they decode as the page was written.
    if text.isascii() or CJK_IDEOGRAPH.search(text) or len(BEYOND_ASCII.findall(text)) < MISDECODED_MIN_CHARS:
        return text, None
    for western in MISDECODING_CODECS:
        try:
            data = text.encode(western)
        except UnicodeEncodeError:
            continue  # a character the page had beyond this codec's range: not its decoding
        try:
            return decode_page(data, is_html=False)
        except BadPage:
            return text, None
    return text, None


def candidate_codecs(declared, tried):
    """Yield the declared charsets' codecs, then the fallbacks, once each; note unknown labels."""
    seen = set()
    for source, label in declared + FALLBACK_CHARSETS:
        if not label:
            continue
        codec = codec_for(label)
        if codec is None:
            tried.append((label, f"unknown encoding ({source})"))
        elif codec not in seen:
            seen.add(codec)
            yield codec


def detected_codecs(data, tried):
    """Yield the encodings charset-normalizer finds plausible, best first, not yet tried."""
    done = {codec for codec, _ in tried}
    for match in from_bytes(data):
        codec = codec_for(match.encoding)
        if codec and codec not in done:
            done.add(codec)
            yield codec


def codec_for(label):
    """Return the Python codec for a charset label (widening GB ones), or None if unknown."""
    name = label.strip().strip("\"'").lower()
    name = LABEL_ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return WIDER_CODEC.get(codec, codec)


def declared_charset(data):
    """Return the charset a <meta> tag or XML declaration states near the top, or None."""
    head = data[:DECLARATION_SEARCH_BYTES]
    found = META_CHARSET.search(head) or XML_ENCODING.search(head)
    return found.group(1).decode("ascii") if found else None


def charset_of(content_type):
    """Return the charset parameter of a Content-Type header value, or None."""
    found = re.search(r"charset\s*=\s*[\"']?([^\"';\s]+)", content_type or "", re.I)
    return found.group(1) if found else None


def try_decode(data, codec, tried):
    """Return the strict decoding of data if it reads as text, else None, noting why in tried."""
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        tried.append((codec, f"invalid bytes at {error.start}"))
        return None
    uncommon, judged = uncommon_chars(text, codec)
    if is_mojibake(uncommon, judged):
        tried.append((codec, f"mojibake ({uncommon} of {judged} characters uncommon)"))
        return None
    return text


def decode_with_stray_bytes(data):
    """Return data as UTF-8 with a few stray bytes replaced, if it is UTF-8 apart from them."""
    text = data.decode("utf-8", errors="replace")
    stray = text.count("\ufffd") - data.decode("utf-8", errors="ignore").count("\ufffd")
    if stray > STRAY_BYTES_MAX:
        return None
    uncommon, judged = uncommon_chars(text, "utf-8")
    if is_mojibake(uncommon - stray, judged - stray) or judged - stray < stray * 10:
        return None
    return text


def refuse_mixed(data, codec):
    """Raise BadPage when data is not UTF-8 yet holds runs of UTF-8 Chinese."""
    if codec in ("utf-8", "utf-8-sig"):
        return
    run = UTF8_HANZI_RUN.search(data)
    if run is None:
        return
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BadPage(f"mixed encodings: UTF-8 Chinese at byte {run.start()} but bytes invalid"
                      f" as UTF-8 at {error.start}; decoding it as {codec} would garble part"
                      f" of the text") from None


def uncommon_chars(text, codec):
    """Return (uncommon, judged): how many judged characters fall outside common Chinese text."""
    uncommon = judged = 0
    # Each distinct character is judged once: a page has thousands of characters, few distinct.
    for char, count in Counter(text).items():
        kind = char_kind(char, codec)
        if kind is not SKIPPED:
            judged += count
            uncommon += count if kind is UNCOMMON else 0
    return uncommon, judged


# What a character counts as when a decoding is judged. Remembered per character and codec: the
# same few thousand characters make up page after page, and judging one takes a few microseconds.
SKIPPED, COMMON, UNCOMMON = "skipped", "common", "uncommon"
CHAR_KINDS_KEPT = 1 << 16


@lru_cache(maxsize=CHAR_KINDS_KEPT)
def char_kind(char, codec):
    """Return whether a character is skipped (ASCII text, spaces), common or uncommon in text of a codec."""
    if char.isascii() and not NOT_TEXT.match(char):
        return SKIPPED
    if char in ODD_SPACES or char.isspace():
        return SKIPPED
    blocks = COMMON_BLOCKS + (MINORITY_SCRIPT_BLOCKS if codec.startswith("utf") else ())
    if NOT_TEXT.match(char) or not (char in common_chars(codec) or in_blocks(char, blocks)):
        return UNCOMMON
    return COMMON


def is_mojibake(uncommon, judged):
    """Tell whether so many characters are uncommon that the decoding must be wrong."""
    return uncommon > max(MOJIBAKE_TOLERANCE_CHARS, MOJIBAKE_SHARE * judged)


def in_blocks(char, blocks):
    """Tell whether a character lies in one of the (low, high) code point blocks."""
    point = ord(char)
    return any(low <= point <= high for low, high in blocks)


def common_chars(codec):
    """Return the common characters of the script a codec encodes (both scripts for Unicode)."""
    if codec in BIG5_CODECS:
        return big5_common()
    if codec.startswith("utf"):
        return both_common()
    return gb2312_common()


@cache
def both_common():
    """Return the common characters of simplified and traditional Chinese together."""
    return gb2312_common() | big5_common()


@cache
def gb2312_common():
    """Return the GB 2312 set: the 6,763 common simplified hanzi and the symbol rows."""
    return frozenset(double_byte_chars("gb2312", range(0xA1, 0xF8), range(0xA1, 0xFF)))


@cache
def big5_common():
    """Return Big5 symbols and level 1: the 5,401 common traditional hanzi."""
    return frozenset(double_byte_chars("big5", range(0xA1, 0xC7), BIG5_TRAIL_BYTES))


def double_byte_chars(codec, leads, trails):
    """Return the characters a double-byte codec maps the given lead and trail bytes to."""
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                chars.add(bytes((lead, trail)).decode(codec))
            except UnicodeDecodeError:
                continue
    return chars
