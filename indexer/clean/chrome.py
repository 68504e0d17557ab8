"""Page chrome of Chinese government websites, named as data, and the fields it carries.

The cleaner drops every chrome line, but first keeps what the metadata among them says
(文号, 发布机构, 来源, dates) as (label, value) fields, and the breadcrumb trail, which
names the site's region and column.
"""
import re
from dataclasses import dataclass, field

from model.text import SENTENCE_SPLIT

from .metadata import DATE_DELIMITED, PUB_DATE_LABELS

# Whole lines that are page furniture, never report text. Each pattern is anchored or
# bounded so that it cannot swallow a body paragraph that merely mentions the same word.
CHROME_LINE_PATTERNS = {
    # Breadcrumb trails: "您的位置: 首页>>政府信息公开>>…", "您当前所在的位置：首页", "首页 > 政务公开 >
    # 正文", "首页 -> 政务公开 -> 工作报告": a "…位置:" label, or two or more arrows in a short line
    # (an arrow between digits compares numbers: "优良率>85%"). A trail cut to its last two steps
    # ("某乡 > 工作总结", "乡镇动态 » 某镇"): two short names, no digits, round one spaced arrow. A
    # trail parted by bars or slashes from 首页 on ("首页 | 政务公开 | 工作报告"): short steps, no digits.
    "breadcrumb": (r"^.{0,6}位置\s*[:：]|>>.*>>|^.{0,20}首页\s*(?:->|[>›»→])"
                   r"|^[^。！？；;]{0,80}(?<!\d)\s*(?:->|[>›»])(?!\s*\d).{0,80}(?<!\d)\s*(?:->|[>›»])(?!\s*\d)"
                   r"[^。！？；;]{0,80}$"
                   r"|^[^\s\d。！？；;，,：:>›»→]{1,20}\s+(?:->|[>›»→])\s+[^\s\d。！？；;，,：:>›»→]{1,20}$"
                   r"|^.{0,6}首页(?:\s*[|｜丨/]\s*[^\s\d。！？；;，,：:|｜丨/]{1,20})+$"),
    # Menu bars: a line made only of navigation words ("首页 | 政务公开 | 互动交流").
    "nav_bar": (r"^(?:(?:网站首页|首页|政务公开|政府信息公开|信息公开|政务服务|办事服务|互动交流|政民互动"
                r"|公众参与|新闻中心|新闻动态|无障碍浏览|无障碍|长者模式|关怀版|繁體|繁体|简体|English"
                r"|登录|注册|个人中心|智能问答|站内搜索|搜索|网站导航|设为首页|加入收藏|收藏本站"
                r"|手机版|移动版|微信|微博|返回顶部|返回首页"
                # the same bar on a bilingual site
                r"|Home|Print|Close|Share|Search)[\s|｜丨/·•]*)+$"),
    # The buttons reposting platforms and document-sharing sites print round a text: a WeChat
    # account's "点击上方蓝字 关注我们" and "往期推荐", a news app's "举报/反馈" and "相关推荐", a document
    # site's "立即下载 开通VIP" and "下载积分：1500 | 加入阅览室 | 分享到：". A line made of these alone.
    "platform_bar": (r"^(?:(?:点击(?:上方)?蓝字|关注我们|关注该公众号|关注|往期推荐|往期回顾|精彩推荐|阅读原文|在看"
                     r"|点赞|举报|反馈|相关推荐|申请入驻|分享到|分享至|立即下载|下载文档|免费下载|开通VIP|加入阅览室"
                     r"|AI写作|下载积分\s*[:：]?\s*\d*|文档格式\s*[:：]?\s*\w*|页数\s*[:：]?\s*\d*)"
                     r"[\s|｜丨/·•:：]*)+$"),
    # Their notices after the text: "返回搜狐，查看更多", "特别声明：以上内容…为自媒体平台…用户上传并发布…",
    # "本文档由用户上传…"; each opens the line, and says it in words no report uses.
    "platform_notice": (r"^(?:返回搜狐|特别声明\s*[:：]\s*以上内容|免责声明\s*[:：]|本文档由用户上传|本文为自媒体"
                        r"|声明\s*[:：]\s*(?:本文|该文)(?:由|系|观点))"),
    # WeChat's card over an article reposted from another account: "以下文章来源于某某司法 ，作者某县司法局",
    # followed by the account's name and profile (end_of_card).
    "repost_card": r"^以下文章来源于\s*[^，,\s]{1,30}\s*[，,]\s*作者",
    # A repost's note before the text says where it was copied from ("以下全文转自某市人民政府门户网站，
    # 仅供学习交流。"): one short sentence naming a site, an account or a paper as the source (a
    # report's own "来源于群众的线索…" names none).
    "repost_note": (r"^(?:以下)?(?:全文|原文|本文|此文|文章|内容)?(?:转载?自|摘自|来源于)\s*[:：]?\s*[^。！？，,]{2,30}?"
                    r"(?:网|网站|官网|公众号|客户端|日报|报|平台)\s*(?:[，,][^。！？]{0,12})?[。！]?$"),
    # The page numbers a text taken from a printed document keeps ("— 3 —", "- 3 -", "第3页 共7页");
    # a list marker "- " is already cut from the view, leaving "3 -". Only decorated numbers: a bare
    # "3" is a page number only where a PDF's layout puts it at a page's edge (printed.PAGE_NUMBER).
    "page_number": r"^[—–\-－―]*\s*\d{1,4}\s*[—–\-－―]+$|^第\s*\d{1,4}\s*页\s*[,，/]?\s*(?:共\s*\d{1,4}\s*页)?$",
    # Rows of category links: four or more short items between bars, bullets or spaced dashes
    # ("某某范文网 - 工作总结 - 工作报告 - 心得体会", "首页 | 机构 | 新闻 | 政务公开"). A title is never
    # cut into such pieces (the dash inside "2015—2020年" has no spaces round it), and a table row
    # of figures is left to the body: items hold no digits and the row does not open with a bar.
    "menu_row": r"^(?:[^\s|｜丨•·\d]{1,12}(?:\s*[|｜丨•·]\s*|\s+[-–—/]\s+)){3,}[^\s|｜丨•·\d]{1,12}$",
    # Font-size, print, close and eye-care tools: "字体:【 打印", "【浏览字体:", "【关闭】".
    "page_tools": (r"(浏览)?字[体号](大小)?\s*[:：【\[]|[【\[]\s*(打印|关闭|大|中|小)\s*[】\]\s]|打印本页|关闭窗口|关闭本页"
                   r"|^[【\[]?\s*(打印|关闭|收藏|返回)\s*[】\]]?$|视力保护色|(阅读|浏览|点击)(次数|量)\s*[:：]"),
    # View counters on their own: "浏览5072次", "阅读 2525", "点击:[]", "阅读人次: -".
    "view_count": r"^(浏览|阅读|点击|访问)(次数|量|人次|数)?\s*[:：]?\s*(\d+\s*次?|[\[［]\s*\d*\s*[\]］]|[-—])?$",
    # The date and time printed under a title, with or without the site's name or a labelled note
    # after it: "2023-02-15 14:49", "2025-04-27 10:14 某省人民政府网", "2024-02-26 16:42 发布于：某省",
    # "202504271014"; a reposting account's byline puts its names before the time and the place it
    # posted from after it ("原创 某市司法局 某某司法 2024-03-28 18:30 湖南", "2023-03-31 17:02·广东").
    # The place may follow the time unspaced ("2021-02-02 18:06福建", a 百家号's).
    # Without a time it is left alone: a date alone is the signature's, a date and words may be a
    # caption, and a speech's date line ("2022年6月28日在…会议上") has no time of day.
    "dateline": (r"^([^。！？，,；;]{1,40}\s)?((19|20)\d{2}\s*[-年./／]\s*\d{1,2}\s*[-月./／]\s*\d{1,2}\s*日?\s*"
                 r"\d{1,2}:\d{2}(:\d{2})?|(19|20)\d{10}(\d{2})?(?!\d))"
                 r"((\s+|\s*[·•|｜]\s*|(?=[\u4e00-\u9fff]))[^。！？，,；;]{1,40})?$"),
    # An account's name and the day it posted, as a repost prints them under the title ("安吉发布
    # 2019-01-25"), or a site the day and its source ("2017-03-01 | 某县司法局"): a few names, then a
    # date in the hyphened (or dotted, slashed) form of a site system, never the 年月日 a signature is
    # written in, maybe with the view count a mobile template's bar ends with ("某市某局 | 2024.03.01 |
    # 阅读 356"); or the date first, the names after a bar.
    "account_line": (r"^(?:[^\s\d。！？，,；;：:|｜]{2,20}(?:\s+|\s*[|｜丨·•]\s*)){1,3}"
                     r"(19|20)\d{2}(?P<sep>[-./])\d{1,2}(?P=sep)\d{1,2}"
                     r"(?:\s*[|｜丨·•]?\s*(?:阅读|浏览|点击)(?:量|次数)?\s*[:：]?\s*\d+\s*次?)?$"
                     r"|^(19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s*[|｜丨·•]\s*[^\s\d。！？，,；;：:|｜]{2,20}){1,3}$"),
    # The banner an archive or a search engine's cache prints over the copy it keeps: the Wayback Machine's
    # toolbar ("The Wayback Machine - https://web.archive.org/web/…", then its capture counts, month and year
    # strips and buttons, lines without Chinese that end_of_banner skips), archive.today's capture bar, a
    # cache's notice ("这是 Google 对 http://… 的缓存。这是该网页在 2019年3月20日 … 的快照。"), whose dates
    # are the copy's, not the page's.
    "archive_banner": (r"^The Wayback Machine\b|^archive\.(?:today|ph|is|li|md)\b.{0,30}capture"
                       r"|^这是\s*\S+\s*对\s*\S+\s*的缓存|^百度快照"),
    # Links to an infographic or an explainer of the same document: "一图读懂…", "【政策解读】…".
    "explainer_link": r"^[【\[]?\s*(一图(读|看)懂|图解|图说|图文解读|政策解读|视频解读|动漫解读)[^。！？]{0,60}$",
    # A reader service's header over the page it fetched ("Title: …", "URL Source: https://…", "Published Time:
    # …", "Markdown Content:"); the page's own title and date follow in its text.
    "reader_header": r"^(?:Title|URL Source|Published Time|Markdown Content|Warning)\s*:",
    # Script code a text dump kept from the page ("var _hmt = _hmt || [];", "function setFont(n){…}",
    # "document.write('<script …>')"): code opens this way, a report's line never.
    "script_code": (r"^\s*(?:(?:var|let|const)\s+[\w$]+\s*=|function\s*[\w$]*\s*\(|(?:document|window)\.\w+"
                    r"|\$\s*\(|jQuery\s*\(|\(\s*function\s*\()"),
    # Widget leftovers with no text at all: empty share-icon rows "| | | |", a lone ">".
    "no_text": r"^[^\w\u4e00-\u9fff]+$",
    # The date/author/views line under a title: "2020-12-08 10:44  稿件作者:  浏览量:".
    "byline": r"^\s*\d{4}[-年./]\d{1,2}[-月./]\d{1,2}日?(\s+\d{1,2}:\d{2}(:\d{2})?)?\s+.*(作者|浏览|来源|点击|阅读|编辑)",
    # Field lines: "发布时间 : 2021-03-11  来源: …", "责任编辑：张三".
    "field_line": (r"^\s*(发布时间|发布日期|信息来源|文章来源|稿件来源|来源|稿件作者|作者|责任编辑|编辑|审核|撰稿"
                   r"|时间|日期)\s*[:：]"),
    # QR-code prompts: "扫一扫在手机打开当前页"; short, so a sentence about QR codes stays.
    "qr_code": r"^.{0,10}(扫一扫|手机扫码|扫描二维码|用手机打开|二维码).{0,20}$",
    # Share and neighbour-article links.
    "share": r"^\s*(分享到|分享至|分享\s*[:：]|【?我要纠错】?|上一篇|下一篇|上一条|下一条)",
    # Copy sites' notices around a text they copied: "更多精彩范文请访问…", "提醒您：本文仅供参考，
    # 请勿照搬", "（本文由…整理，转载请注明出处）"; a line this short is no report's sentence.
    "copy_notice": (r"^.{0,20}(更多(精彩)?(范文|文章|内容|资料)|仅供参考|仅供学习|仅供交流|请勿照搬|转载请注明|版权归原作者"
                    r"|侵权请联系)"
                    r".{0,30}$"),
    # Site footers.
    "footer": (r"版权所有|ICP备|ICP证|网站标识码|公网安备|^\s*(主办单位|承办单位|技术支持|主办|承办|维护)\s*[:：]"
               r"|^\s*(网站地图|联系我们)|Copyright|©|建议使用.{0,20}浏览器|^\s*(地址|邮编|传真)\s*[:：]"),
    # Attachment headers: "附件:" with links or nothing, "附件下载".
    "attachment": r"^\s*附件\s*\d*\s*[:：]|^\s*附件(下载)?\s*$",
    # Attachment file links: "2023年执法数据统计表.xlsx".
    "attachment_file": r"^.{0,80}\.(pdf|docx?|xlsx?|wps|ofd|zip|rar)\s*$",
    # Headers of related-article lists: "相关链接", "【相关阅读】".
    "related": (r"^\s*[【\[]?\s*(相关链接|相关文章|相关阅读|相关新闻|相关稿件|相关信息|推荐阅读|延伸阅读"
                r"|热点推荐|热门文章|本版其他文章|本版文章)\s*[】\]]?\s*[:：]?\s*$"),
    # A newspaper's e-paper: the page (版) an article is printed on ("第03版：要闻", "A2版"), and the
    # buttons to the pages round it ("上一版 下一版"). The paper's date stands above it (PAPER_DATE).
    "paper_edition": (r"^第?\s*[A-Za-z]?\d{1,3}\s*版\s*(?:[:：]\s*[^\s。！？，,]{1,12})?$"
                      r"|^(?:(?:上一版|下一版|版面导航|版面目录)[\s|｜/]*)+$"),
}
CHROME_LINES = {name: re.compile(pattern, re.IGNORECASE) for name, pattern in CHROME_LINE_PATTERNS.items()}

# The date an e-paper prints over the page's number: the day of the paper, with its weekday. Elsewhere a
# date with a weekday above the title is the site's clock ("2026年12月7日 星期一"), no page's date.
PAPER_DATE = re.compile(r"^(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日(?:\s*(?:星期|周)[一二三四五六日天])?$")
# Chrome that parts the site's head from the article: the line under it starts afresh.
TRAIL_KINDS = frozenset({"breadcrumb", "nav_bar", "menu_row"})
# Chrome that heads a list of links; the short lines after it are list items, not report text.
LIST_HEADERS = frozenset({"related", "attachment"})
# A list item is a link title: short and without a full sentence.
LIST_ITEM_MAX_CHARS = 60
# The account a WeChat repost card names ("以下文章来源于某某司法 ，作者…"); under the card stand the
# account's name (with the dot its avatar leaves, "某某司法.") and its one-line profile.
REPOST_CARD = re.compile(r"^以下文章来源于\s*(?P<account>[^，,\s]{1,30})")
CARD_PROFILE_MAX_CHARS = 60

CHINESE = re.compile(r"[\u4e00-\u9fff]")

# Chrome lines are labels, links and notices; a line holding two sentences is report text.
CHROME_MAX_SENTENCES = 1

# Labels of the metadata table that government sites print above a report, one field per
# line under the national guideline; the line after a label is its value.
METADATA_LABELS = frozenset({
    "索引号", "信息索引号", "文号", "发文字号", "发文号", "关键词", "主题词", "发布机构", "发布机关",
    "发文机关", "公开形式", "公开方式", "公开范围", "公开时限", "责任部门", "生成日期", "发布日期",
    "成文日期", "实施日期", "废止日期", "是否有效", "有效性", "时效", "主题分类", "所属主题",
    "体裁分类", "组配分类", "服务对象", "信息类别", "所属机构", "信息名称", "名称", "标题", "文件名称",
    # Variants of the same table on other site systems.
    "发文机构", "发文单位", "发布单位", "文件编号", "信息分类", "文件分类", "公文生成日期", "签发人",
    # Encyclopedia mirrors print a document's facts as a list: "• 中文名: …", "• 发布单位: …".
    "中文名",
})
# Labels that also head inline fields in bylines and publication lines.
FIELD_LABELS = METADATA_LABELS | {
    "发布时间", "来源", "信息来源", "文章来源", "稿件来源", "稿件作者", "作者", "责任编辑", "编辑", "审核",
    "撰稿", "浏览量", "浏览次数", "浏览数", "点击量", "点击数", "点击次数", "阅读次数", "阅读数", "阅读量",
    "阅读人次", "访问量", "浏览", "阅读", "点击", "时间", "日期",
    "字体", "字号", "字体大小", "浏览字体",
    # Blogs and document-sharing sites: who posted or uploaded a copy, and when.
    "发表时间", "发表于", "发布于", "上传日期", "上传时间", "上传于", "上传者", "上传人",
}
# Labels whose values say where and when the page was published: a short line stating two of
# them, or one and a date, is a publication line wherever the labels stand in it
# ("浏览:5072次 时间:2022-12-07 来源:本站", "某县人民政府网 www.… 发布时间:2025-12-31 16:33").
PUBLICATION_LABELS = ("发布时间", "发布日期", "发布机构", "信息来源", "文章来源", "稿件来源", "来源", "浏览",
                      "阅读", "点击", "时间", "日期", "作者", "发表时间", "发表于", "上传日期", "上传时间", "上传于",
                      "上传者", "上传人")
PUBLICATION_LINE_MAX_CHARS = 120

# Templates print metadata as list items ("- 设为首页", "• 2024-03-22") and labels in brackets
# ("[ 发布日期 ] 2026-02-10", "【发布机构】某县司法局"): classified without the marker and with
# the label written "label:", as other templates print it.
LIST_MARKER = re.compile(r"^\s*(?:[-–•·●○◆■▪*>›»]\s*)+")


def _spaced(label):
    """Return a pattern for a label whose characters a table may space out ("索 引 号")."""
    return r"\s*".join(map(re.escape, label))


_LABEL_ALTERNATIVES = "|".join(_spaced(label) for label in sorted(FIELD_LABELS, key=len, reverse=True))
METADATA_INLINE = re.compile(
    r"^\s*(%s)\s*[:：]" % "|".join(_spaced(label) for label in sorted(METADATA_LABELS, key=len, reverse=True)))
# "label: value" pairs on one line; a value ends at a run of spaces or at the next label.
INLINE_FIELD = re.compile(r"(?P<label>%s)\s*[:：]\s*(?P<value>.*?)\s*(?=\s{2,}|(?:%s)\s*[:：]|【|$)"
                          % (_LABEL_ALTERNATIVES, _LABEL_ALTERNATIVES))
BRACKETED_LABEL = re.compile(r"[\[【［]\s*(%s)\s*[\]】］]\s*[:：]?" % _LABEL_ALTERNATIVES)
# Metadata printed as a table that a text dump separates with bars ("| 发布时间 | 2024-03-20 |
# 来源 | 某县司法局 |", "| 名称： | 某县…报告 |") or with the tabs a copied table keeps
# ("标题<TAB>某部关于…的报告", "索引号<TAB>…<TAB>主题分类<TAB>法治建设"): a label's cell and the
# cell after it read as "label: value". A tab row without a label cell (a menu) is left as it is.
TABLE_LABEL_CELL = re.compile(r"(?:^|[|｜])\s*(%s)\s*[:：]?\s*[|｜]" % _LABEL_ALTERNATIVES)
TABLE_BAR = re.compile(r"\s*[|｜]\s*")
TABLE_TAB = re.compile(r"\s*\t\s*")
# A date label followed by its date without a colon ("发布时间 2024-02-27"), at the start of the
# line or after a space, as in "来源：某县司法局 发布时间 2024-02-27".
DATE_LABEL_BEFORE_DATE = re.compile(r"(?:^|(?<=\s))(%s)\s+(?=(?:19|20)\d{2}\s*[-年./／])"
                                    % "|".join(_spaced(label) for label in PUB_DATE_LABELS))
PUBLICATION_FIELD = re.compile(r"(?:%s)\s*[:：]" % "|".join(PUBLICATION_LABELS))
# A bilingual site labels its fields in English ("Date: 2023-03-10  Source: 某办  Views: 1024"): read as
# the Chinese labels they translate.
ENGLISH_LABELS = {"release date": "发布日期", "publish date": "发布日期", "published": "发布时间", "date": "日期",
                  "source": "来源", "author": "作者", "views": "浏览量", "hits": "点击量"}
ENGLISH_LABEL = re.compile(r"(?<![A-Za-z])(%s)\s*:" % "|".join(sorted(ENGLISH_LABELS, key=len, reverse=True)),
                           re.IGNORECASE)
# A dateline may write the year in two digits: a microblog's post line, the client it was sent from after
# the time ("24-3-28 17:32 来自 微博网页版"), and the list-style templates of older and mobile sites, alone or
# in brackets before the other fields ("[18-03-30]  来源：…", "19-03-05  来源：…  阅读量：326"). Read with
# its century, as the dateline it is; only at the line's start and before a time, a field or the line's end.
SHORT_YEAR_DATE = re.compile(r"^[\[［【(（]?(\d{2})-(0?[1-9]|1[0-2])-(0?[1-9]|[12]\d|3[01])[\]］】)）]?"
                             r"(?=\s+\d{1,2}:\d{2}\s+来自|\s+[^\s:：]{1,6}\s*[:：]|\s*$)")
# The date a byline starts with: "2020-12-08 10:44  稿件作者: …", "202504271014 某省政府网".
BYLINE_DATE = re.compile(r"^\s*(\d{4}[-年./／]\d{1,2}[-月./／]\d{1,2}日?(?:\s*\d{1,2}:\d{2}(?::\d{2})?)?"
                         r"|(?:19|20)\d{10}(?:\d{2})?(?!\d))")
BYLINE_DATE_LABEL = "日期"  # one of metadata.PUB_DATE_LABELS: a byline's date is the page's

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
    # Indexes of the lines that a trail or a menu stood right above: the line before such a line
    # (the site's name) and the line itself (a title) were apart on the page.
    breaks: set = field(default_factory=set)


def field_view(line):
    """Return a line as chrome rules read it: no list marker, English labels in Chinese, bracketed
    labels, table cells (between bars or tabs) and date labels without a colon as "label:", a microblog's
    two-digit year with its century."""
    view = ENGLISH_LABEL.sub(lambda found: ENGLISH_LABELS[found.group(1).lower()] + ":", LIST_MARKER.sub("", line))
    view = SHORT_YEAR_DATE.sub(r"20\1-\2-\3", view)
    view = BRACKETED_LABEL.sub(r"\1: ", view)
    if "\t" in view:
        barred = TABLE_TAB.sub(" | ", view)
        view = barred if TABLE_LABEL_CELL.search(barred) else view
    if TABLE_LABEL_CELL.search(view):
        view = TABLE_BAR.sub("  ", TABLE_LABEL_CELL.sub(r"  \1: ", view))
    return DATE_LABEL_BEFORE_DATE.sub(r"\1: ", view).strip()


def is_publication_line(view):
    """Tell whether a short line states where and when the page was published."""
    if len(view) > PUBLICATION_LINE_MAX_CHARS or SENTENCE_SPLIT.search(view):
        return False
    labels = len(PUBLICATION_FIELD.findall(view))
    return labels >= 2 or (labels == 1 and bool(DATE_DELIMITED.search(view)))


def chrome_kind(line):
    """Return the name of the chrome pattern a line matches, or None for report text."""
    if CHROME_LINES["script_code"].search(line):
        return "script_code"  # its semicolons end statements, not sentences
    if len(SENTENCE_SPLIT.findall(line)) > CHROME_MAX_SENTENCES:
        return None
    view = field_view(line)
    if not view:
        return "no_text"  # a list marker alone ("•", ">")
    if METADATA_INLINE.match(view):
        return "metadata"
    for name, pattern in CHROME_LINES.items():
        if pattern.search(view):
            return name
    if is_publication_line(view):
        return "publication"
    return None


def is_chrome(line):
    """Tell whether a line is page furniture rather than report text."""
    return chrome_kind(line) is not None


def metadata_label(line):
    """Return the metadata label a line consists of, or None."""
    label = re.sub(r"[\s\[\]【】［］]+", "", LIST_MARKER.sub("", line)).rstrip(":：")
    return label if label in METADATA_LABELS else None


def inline_fields(line):
    """Return the (label, value) pairs a chrome line states, its leading byline date first."""
    fields = []
    line = field_view(line)
    date = BYLINE_DATE.match(line)
    if date:
        fields.append((BYLINE_DATE_LABEL, date.group(1)))
    for match in INLINE_FIELD.finditer(line):
        value = match.group("value").strip()
        if value:
            fields.append((re.sub(r"\s+", "", match.group("label")), value))
    dated = any(label in PUB_DATE_LABELS for label, _ in fields)
    loose_date = None if dated else DATE_DELIMITED.search(line)
    if loose_date:
        # A date standing in another field's value ("来源:某日报 2026-03-16 08:15") is the page's.
        fields.append((BYLINE_DATE_LABEL, loose_date.group()))
    return fields


def is_field_value(label, line):
    """Tell whether a line can be the value printed under a metadata label."""
    if not line or metadata_label(line) or is_chrome(line):
        return False
    limit = VALUE_MAX_CHARS.get(label, FIELD_VALUE_MAX_CHARS)
    return len(line) <= limit and not SENTENCE_SPLIT.search(line[-1])


def is_list_item(line):
    """Tell whether a line after a link-list header is one of its links."""
    return len(line) <= LIST_ITEM_MAX_CHARS and not SENTENCE_SPLIT.search(line)


def drop_chrome_lines(lines, keep=lambda line: False):
    """Return a text page's lines without chrome and metadata tables (PageChrome: their fields kept); keep(line) guards list ends."""
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
        if kind in TRAIL_KINDS:
            page.breaks.add(len(page.lines))
        if kind == "breadcrumb":
            page.breadcrumbs.append(line)
        if kind == "paper_edition" and page.lines and PAPER_DATE.match(page.lines[-1]):
            page.fields.append(("日期", page.lines.pop()))  # the paper's date, over its page's number
        if kind in LIST_HEADERS:
            index = end_of_list(lines, index, keep)
        if kind == "repost_card":
            index = end_of_card(lines, index, REPOST_CARD.match(line).group("account"))
        if kind == "archive_banner":
            index = end_of_banner(lines, index)
    return page


def end_of_banner(lines, index):
    """Return the index after an archive's toolbar: its lines hold no Chinese (captures, months, buttons)."""
    while index < len(lines) and not CHINESE.search(lines[index]):
        index += 1
    return index


def end_of_card(lines, index, account):
    """Return the index after a repost card's account name and the profile line under that name."""
    if index < len(lines) and lines[index].rstrip(".。· ") == account:
        index += 1
        profile = lines[index] if index < len(lines) else ""
        if profile and len(profile) <= CARD_PROFILE_MAX_CHARS and len(SENTENCE_SPLIT.findall(profile)) <= 1:
            index += 1
    return index


def end_of_list(lines, index, keep):
    """Return the index after the links listed from lines[index]: short lines without a sentence, up
    to a line that is chrome of its own kind (a breadcrumb, a date line) or, where the links are
    marked ("· 某镇2020年工作总结"), up to the first unmarked line (the title under a 推荐阅读 list)."""
    marked = index < len(lines) and bool(LIST_MARKER.match(lines[index]))
    while index < len(lines) and is_list_item(lines[index]) and not keep(lines[index]):
        if chrome_kind(lines[index]) is not None or (marked and not LIST_MARKER.match(lines[index])):
            break
        index += 1
    return index
