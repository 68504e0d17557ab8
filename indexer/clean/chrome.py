"""Page chrome of Chinese government websites, named as data, and the fields it carries.

The cleaner drops every chrome line, but first keeps what the metadata among them says
(文号, 发布机构, 来源, dates) as (label, value) fields, and the breadcrumb trail, which
names the site's region and column.
"""
import re
from dataclasses import dataclass, field

# Whole lines that are page furniture, never report text. Each pattern is anchored or
# bounded so that it cannot swallow a body paragraph that merely mentions the same word.
CHROME_LINE_PATTERNS = {
    # Breadcrumb trails: "您的位置: 首页>>政府信息公开>>…", "首页 > 政务公开 > 正文".
    "breadcrumb": r"^(您的位置|当前位置|您现在的位置|现在位置|所在位置)\s*[:：]|>>.*>>|^.{0,20}首页\s*[>›»]",
    # Menu bars: a line made only of navigation words ("首页 | 政务公开 | 互动交流").
    "nav_bar": (r"^(?:(?:网站首页|首页|政务公开|政府信息公开|信息公开|政务服务|办事服务|互动交流|政民互动"
                r"|公众参与|新闻中心|新闻动态|无障碍浏览|无障碍|长者模式|关怀版|繁體|繁体|简体|English"
                r"|登录|注册|个人中心|智能问答|站内搜索|搜索|网站导航|设为首页|加入收藏|收藏本站"
                r"|手机版|移动版|微信|微博|返回顶部|返回首页)[\s|｜丨/·•]*)+$"),
    # Font-size, print, close and eye-care tools: "字体:【 打印", "【浏览字体:", "【关闭】".
    "page_tools": (r"(浏览)?字[体号](大小)?\s*[:：]|【\s*(打印|关闭|大|中|小)|打印本页|关闭窗口|关闭本页"
                   r"|^[【\[]?\s*(打印|关闭|收藏|返回)\s*[】\]]?$|视力保护色|(阅读|浏览|点击)(次数|量)\s*[:：]"),
    # The date/author/views line under a title: "2020-12-08 10:44  稿件作者:  浏览量:".
    "byline": r"^\s*\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?\s+.*(作者|浏览|来源|点击|阅读|编辑)",
    # Field lines: "发布时间 : 2021-03-11  来源: …", "责任编辑：张三".
    "field_line": (r"^\s*(发布时间|发布日期|信息来源|文章来源|来源|稿件作者|作者|责任编辑|编辑|审核|撰稿"
                   r"|时间|日期)\s*[:：]"),
    # QR-code prompts: "扫一扫在手机打开当前页"; short, so a sentence about QR codes stays.
    "qr_code": r"^.{0,10}(扫一扫|手机扫码|扫描二维码|用手机打开|二维码).{0,20}$",
    # Share and neighbour-article links.
    "share": r"^\s*(分享到|分享至|【?我要纠错】?|上一篇|下一篇|上一条|下一条)",
    # Site footers.
    "footer": (r"版权所有|ICP备|ICP证|网站标识码|公网安备|^\s*(主办单位|承办单位|技术支持|主办|承办|维护)\s*[:：]"
               r"|^\s*(网站地图|联系我们)|Copyright|©|建议使用.{0,20}浏览器|^\s*(地址|邮编|传真)\s*[:：]"),
    # Attachment headers: "附件:" with links or nothing, "附件下载".
    "attachment": r"^\s*附件\s*\d*\s*[:：]|^\s*附件(下载)?\s*$",
    # Attachment file links: "2023年执法数据统计表.xlsx".
    "attachment_file": r"^.{0,80}\.(pdf|docx?|xlsx?|wps|ofd|zip|rar)\s*$",
    # Headers of related-article lists: "相关链接", "【相关阅读】".
    "related": (r"^\s*[【\[]?\s*(相关链接|相关文章|相关阅读|相关新闻|相关稿件|相关信息|推荐阅读|延伸阅读"
                r"|热点推荐|热门文章)\s*[】\]]?\s*[:：]?\s*$"),
}
CHROME_LINES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in CHROME_LINE_PATTERNS.items()}

# Chrome that heads a list of links; the short lines after it are list items, not report text.
LIST_HEADERS = frozenset({"related", "attachment"})
# A list item is a link title: short and without a full sentence.
LIST_ITEM_MAX_CHARS = 60

# Chrome lines are labels, links and notices; a line holding two sentences is report text.
SENTENCE_END = re.compile(r"[。！？]")
CHROME_MAX_SENTENCES = 1

# Labels of the metadata table that government sites print above a report, one field per
# line under the national guideline; the line after a label is its value.
METADATA_LABELS = frozenset({
    "索引号", "信息索引号", "文号", "发文字号", "发文号", "关键词", "主题词", "发布机构", "发布机关",
    "发文机关", "公开形式", "公开方式", "公开范围", "公开时限", "责任部门", "生成日期", "发布日期",
    "成文日期", "实施日期", "废止日期", "是否有效", "有效性", "时效", "主题分类", "所属主题",
    "体裁分类", "组配分类", "服务对象", "信息类别", "所属机构", "信息名称", "名称", "标题", "文件名称",
})
# Labels that also head inline fields in bylines and publication lines.
FIELD_LABELS = METADATA_LABELS | {
    "发布时间", "来源", "信息来源", "文章来源", "稿件作者", "作者", "责任编辑", "编辑", "审核", "撰稿",
    "浏览量", "浏览次数", "点击量", "阅读次数", "时间", "日期", "字体", "字号", "字体大小", "浏览字体",
}


def _spaced(label):
    """Return a pattern for a label whose characters a table may space out ("索 引 号")."""
    return r"\s*".join(map(re.escape, label))


_LABEL_ALTERNATIVES = "|".join(_spaced(label) for label in sorted(FIELD_LABELS, key=len, reverse=True))
METADATA_INLINE = re.compile(
    r"^\s*(%s)\s*[:：]" % "|".join(_spaced(label) for label in sorted(METADATA_LABELS, key=len, reverse=True)))
# "label: value" pairs on one line; a value ends at a run of spaces or at the next label.
INLINE_FIELD = re.compile(r"(?P<label>%s)\s*[:：]\s*(?P<value>.*?)\s*(?=\s{2,}|(?:%s)\s*[:：]|【|$)"
                          % (_LABEL_ALTERNATIVES, _LABEL_ALTERNATIVES))
# The date a byline starts with: "2020-12-08 10:44  稿件作者: …".
BYLINE_DATE = re.compile(r"^\s*(\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)")
BYLINE_DATE_LABEL = "日期"

# A metadata value is short; a longer line after an empty label is already report text.
FIELD_VALUE_MAX_CHARS = 60
# Labels whose values are a word or two ("是", "有效"): a longer line is not their value.
# Title labels hold the report's title, which may be longer than other values.
VALUE_MAX_CHARS = {"是否有效": 8, "有效性": 8, "时效": 8, "公开形式": 12, "公开方式": 12, "公开范围": 12,
                   "信息名称": 100, "名称": 100, "标题": 100, "文件名称": 100}


@dataclass
class PageChrome:
    """A page with its chrome removed: the remaining lines, and what the chrome said."""

    lines: list
    fields: list = field(default_factory=list)
    breadcrumbs: list = field(default_factory=list)


def chrome_kind(line):
    """Return the name of the chrome pattern a line matches, or None for report text."""
    if len(SENTENCE_END.findall(line)) > CHROME_MAX_SENTENCES:
        return None
    if METADATA_INLINE.match(line):
        return "metadata"
    for name, pattern in CHROME_LINES.items():
        if pattern.search(line):
            return name
    return None


def is_chrome(line):
    """Tell whether a line is page furniture rather than report text."""
    return chrome_kind(line) is not None


def metadata_label(line):
    """Return the metadata label a line consists of, or None."""
    label = re.sub(r"\s+", "", line).rstrip(":：")
    return label if label in METADATA_LABELS else None


def inline_fields(line):
    """Return the (label, value) pairs a chrome line states, its leading byline date first."""
    fields = []
    date = BYLINE_DATE.match(line)
    if date:
        fields.append((BYLINE_DATE_LABEL, date.group(1)))
    for match in INLINE_FIELD.finditer(line):
        value = match.group("value").strip()
        if value:
            fields.append((re.sub(r"\s+", "", match.group("label")), value))
    return fields


def is_field_value(label, line):
    """Tell whether a line can be the value printed under a metadata label."""
    if not line or metadata_label(line) or is_chrome(line):
        return False
    limit = VALUE_MAX_CHARS.get(label, FIELD_VALUE_MAX_CHARS)
    return len(line) <= limit and not SENTENCE_END.search(line[-1])


def is_list_item(line):
    """Tell whether a line after a link-list header is one of its links."""
    return len(line) <= LIST_ITEM_MAX_CHARS and not SENTENCE_END.search(line)


def strip_chrome(lines, keep=lambda line: False):
    """Remove chrome and metadata tables, keeping their fields; keep(line) guards list ends."""
    # keep protects lines that a link list must not swallow, such as the signature block.
    page = PageChrome(lines=[])
    index = 0
    while index < len(lines):
        line = lines[index]
        index += 1
        label = metadata_label(line)
        if label:
            if index < len(lines) and is_field_value(label, lines[index]):
                page.fields.append((label, lines[index]))
                index += 1
            continue
        kind = chrome_kind(line)
        if kind is None:
            page.lines.append(line)
            continue
        page.fields.extend(inline_fields(line))
        if kind == "breadcrumb":
            page.breadcrumbs.append(line)
        if kind in LIST_HEADERS:
            while index < len(lines) and is_list_item(lines[index]) and not keep(lines[index]):
                index += 1
    return page
