"""Decoding pages in any Chinese encoding: the right text or a clear refusal, never mojibake."""
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.clean.encoding import decode_page
from indexer.clean.errors import BadPage

from conftest import SEED_FILES, examples

# A real report (seed 004, 城关镇), long enough to judge any decoding of it.
REPORT = SEED_FILES[4].read_text(encoding="utf-8")
# Names and rare place names are where GBK-only and GB 18030-only characters show up.
GBK_ONLY = "镇党委书记王喆、副镇长刘堃主持召开专题会议。"
GB18030_ONLY = "村民委员会主任李㛃、𠈌家村法律顾问参加会议。"


def page(charset_meta, body=REPORT):
    """Return an HTML page declaring charset_meta (or nothing) around body text."""
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={charset_meta}">'
    return f"<html><head>{meta if charset_meta else ''}</head><body><p>{body}</p></body></html>"


def test_utf8_page():
    text, encoding = decode_page(page("utf-8").encode("utf-8"))
    assert encoding == "utf-8" and REPORT in text


def test_gbk_bytes_declared_gb2312_read_as_gb18030_keeping_gbk_only_characters():
    data = page("gb2312", REPORT + GBK_ONLY).encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gb2312")  # the declaration taken literally would fail on 喆 and 堃
    text, encoding = decode_page(data)
    assert encoding == "gb18030" and GBK_ONLY in text


def test_gb18030_only_characters_with_http_charset_gbk():
    data = (REPORT + GB18030_ONLY).encode("gb18030")
    text, encoding = decode_page(data, http_charset="GBK", is_html=False)
    assert encoding == "gb18030" and text.endswith(GB18030_ONLY)


@pytest.mark.parametrize("codec, name", [("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16")])
def test_byte_order_mark_wins_over_a_wrong_declaration(codec, name):
    text, encoding = decode_page(page("gbk").encode(codec), http_charset="gbk")
    assert encoding == name and not text.startswith("\ufeff") and REPORT in text


def test_declared_utf8_but_gbk_bytes_is_read_as_gbk():
    text, encoding = decode_page(page("utf-8").encode("gb18030"), http_charset="utf-8")
    assert encoding == "gb18030" and REPORT in text


def test_declared_gbk_but_utf8_bytes_is_read_as_utf8():
    text, encoding = decode_page(page("gbk").encode("utf-8"), http_charset="gbk")
    assert encoding == "utf-8" and REPORT in text


def test_latin1_header_default_on_a_gbk_page_is_passed_over():
    # Servers that know no better send "charset=ISO-8859-1", which decodes anything.
    text, encoding = decode_page(page(None).encode("gb18030"), http_charset="ISO-8859-1")
    assert encoding == "gb18030" and REPORT in text


def test_header_beats_meta_and_unknown_labels_are_ignored():
    data = page("x-no-such-charset").encode("gb18030")
    assert decode_page(data, http_charset="gbk") == (page("x-no-such-charset"), "gb18030")
    assert decode_page(data)[1] == "gb18030"


def test_undeclared_gbk_page_is_detected():
    text, encoding = decode_page(REPORT.encode("gb18030"), is_html=False)
    assert encoding == "gb18030" and text == REPORT


def test_traditional_big5_page():
    traditional = "臺灣法治政府建設報告：推動行政程序法制化，強化資訊公開與民眾參與，健全國家賠償制度。" * 4
    text, encoding = decode_page(page("big5", traditional).encode("big5"))
    assert encoding == "big5" and traditional in text


def test_binary_with_nul_bytes_is_refused():
    with pytest.raises(BadPage, match="binary"):
        decode_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


def test_random_junk_is_refused_naming_what_was_tried():
    rng = random.Random(7)
    junk = bytes(rng.randrange(1, 256) for _ in range(4000))
    with pytest.raises(BadPage, match=r"no encoding decodes.*HTTP header says gbk.*gb18030"):
        decode_page(junk, http_charset="gbk")


def test_mixed_gbk_and_utf8_is_refused():
    half = len(REPORT) // 2
    data = REPORT[:half].encode("gb18030") + REPORT[half:].encode("utf-8")
    with pytest.raises(BadPage, match="mixed encodings"):
        decode_page(data, http_charset="gbk", is_html=False)


def test_a_utf8_paragraph_inside_a_gbk_page_is_refused():
    # Strict GB 18030 decoding of this succeeds: only the UTF-8 runs give it away.
    paragraph = "坚持和发展新时代枫桥经验全面落实矛盾纠纷排查化解机制"
    data = (REPORT + "\n").encode("gb18030") + paragraph.encode("utf-8") + "\n完。".encode("gb18030")
    with pytest.raises(BadPage, match="mixed encodings.*gb18030"):
        decode_page(data, http_charset="gb2312", is_html=False)


def test_a_few_stray_bytes_in_utf8_are_replaced_not_fatal():
    data = REPORT.encode("utf-8") + "版权所有 ".encode("utf-8") + b"\xa9 2024"
    text, encoding = decode_page(data, is_html=False)
    assert encoding == "utf-8" and REPORT in text and text.endswith("版权所有 \ufffd 2024")


# Bilingual portals of 新疆, 西藏, 内蒙古, 延边 and 凉山 print titles and toggles in the region's other script.
MINORITY_LINES = {
    "uyghur": "غۇلجا ناھىيىسىنىڭ قانۇن ئارقىلىق ھۆكۈمەت قۇرۇش دوكلاتى",
    "tibetan": "བསམ་གྲུབ་རྩེ་ཆུས་ཀྱི་ཁྲིམས་ལྡན་སྲིད་གཞུང་།",
    "mongolian": "ᠮᠣᠩᠭᠣᠯ ᠬᠡᠯᠡ ᠪᠢᠴᠢᠭ᠌",
    "korean": "연변조선족자치주 법치정부 건설 보고",
    "yi": "ꆈꌠꁱꂷ ꉙꄮꌋ",
}


@pytest.mark.parametrize("line", MINORITY_LINES.values(), ids=list(MINORITY_LINES))
@pytest.mark.parametrize("charset", [None, "utf-8"])
def test_a_minority_script_beside_the_chinese_is_text_not_mojibake(line, charset):
    body = f"{line}<br>{line}<br>{REPORT[:200]}"
    text, encoding = decode_page(page(charset, body).encode("utf-8"))
    assert encoding == "utf-8" and body in text


# Every way a page can state (or misstate) its encoding.
DECLARATIONS = st.sampled_from([None, "utf-8", "gbk", "gb2312", "gb18030", "iso-8859-1", "big5"])


@settings(max_examples=examples(80), deadline=None)
@given(start=st.integers(0, len(REPORT) - 60), size=st.integers(40, 2000),
       codec=st.sampled_from(["utf-8", "gb18030"]), header=DECLARATIONS, meta=DECLARATIONS)
def test_never_mojibake(start, size, codec, header, meta):
    body = REPORT[start:start + size]
    try:
        text, _ = decode_page(page(meta, body).encode(codec), http_charset=header)
    except BadPage:
        return
    assert body in text
