"""Page chrome of Chinese government websites, named as data.

Each pattern says why it exists; the cleaner drops any line that matches one.
"""
import re

# Whole lines that are page furniture, never report text.
CHROME_LINE_PATTERNS = {
    # Breadcrumb trails: "您的位置: 首页>>政府信息公开>>…".
    "breadcrumb": r"^(您的位置|当前位置|您现在的位置|现在位置)\s*[:：]|>>.*>>|首页\s*>",
    # Font-size, print and close tools under the title: "字体:【 打印", "【浏览字体:".
    "page_tools": r"(浏览)?字体(大小)?\s*[:：]|【\s*打印|打印本页|关闭窗口|【\s*(大|中|小)\s*】",
    # The date/author/views line under a title: "2020-12-08 10:44  稿件作者:  浏览量:".
    "byline": r"^\s*\d{4}-\d{1,2}-\d{1,2}(\s+\d{1,2}:\d{2}(:\d{2})?)?\s+.*(作者|浏览|来源|点击)",
    # Publication line: "发布时间 : 2021-03-11  来源: …".
    "pub_line": r"^\s*(发布时间|发布日期|信息来源|来源)\s*[:：]",
    # QR-code prompt: "扫一扫在手机打开当前页".
    "qr_code": r"扫一扫|手机扫码|用手机打开",
    # Attachment lines at the end of a page: "附件:" with links or nothing.
    "attachment": r"^\s*附件\s*[:：]",
    # Share and neighbour-article links.
    "share": r"^\s*(分享到|【我要纠错】|上一篇|下一篇|相关链接|相关文章|相关稿件)\s*[:：]?",
    # Site footers.
    "footer": r"版权所有|ICP备|网站标识码|主办单位\s*[:：]|承办单位\s*[:：]|技术支持\s*[:：]|公网安备|网站地图|联系我们",
}
CHROME_LINE = re.compile("|".join(f"(?:{p})" for p in CHROME_LINE_PATTERNS.values()))

# Labels of the metadata table that government sites print above a report, one
# field per line under the national guideline; the line after a label is its value.
METADATA_LABELS = frozenset({
    "索引号", "文号", "发文字号", "关键词", "主题词", "发布机构", "发文机关", "公开形式",
    "公开方式", "公开范围", "责任部门", "生成日期", "发布日期", "成文日期", "是否有效",
    "有效性", "主题分类", "信息类别", "所属机构", "信息名称", "名称", "公开时限",
})
METADATA_INLINE = re.compile(r"^\s*(%s)\s*[:：]" % "|".join(sorted(METADATA_LABELS, key=len, reverse=True)))

# A line that is only a date: the signature date "2024年3月15日", or a broken one "2021310".
DATE_LINE = re.compile(r"^\s*\d{4}\s*[-年./]?\s*\d{1,2}\s*[-月./]?\s*\d{0,2}\s*日?\s*$")

# The issuing body under the report ("城关镇人民政府"): a short name with no punctuation,
# which a heading or a sentence always has.
SIGNATURE_LINE = re.compile(r"^[^\s，。、；：,.;:！？!?()（）《》“”]{2,30}$")


def is_chrome(line):
    """Tell whether a line is page furniture rather than report text."""
    return bool(CHROME_LINE.search(line)) or bool(METADATA_INLINE.match(line))


def metadata_label(line):
    """Return the metadata label a line consists of, or None."""
    label = line.strip().rstrip(":：")
    return label if label in METADATA_LABELS else None
