"""A report as a Word document (/report/<id>.docx): its title, facts, source, citation and numbered paragraphs.

Written with python-docx. The text is the clean report's, as the report page shows it; headings
keep their depth, every paragraph its number, so that what is quoted from the document can be
found again on the page (#p-<n>) and in the original.
"""
import io

from docx import Document
from docx.enum.text import WD_COLOR_INDEX
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from .citation import COMPOSED_TITLE

MIMETYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# A CJK face every Word and LibreOffice has or substitutes; the Latin text keeps the theme's.
CJK_FONT = "宋体"
# The paragraph numbers: small and grey, before the text, as on the page.
NUMBER_SIZE, NUMBER_COLOR = Pt(8), RGBColor(0x76, 0x76, 0x76)
# Heading depth (a heading paragraph's section_path length) to Word's heading level; the title is level 0.
MAX_HEADING = 3


def set_cjk_font(document):
    """Give the body and the headings a CJK face for their East Asian text."""
    for style in document.styles:
        if style.type == 1 and (style.name == "Normal" or style.name.startswith(("Heading", "Title"))):
            style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)


def add_hyperlink(paragraph, url, text=None):
    """Add a clickable external link to a paragraph (python-docx writes none itself: a w:hyperlink run)."""
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True))
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    style = OxmlElement("w:rStyle")
    style.set(qn("w:val"), "Hyperlink")
    underline = OxmlElement("w:u")
    underline.set(qn("w:val"), "single")
    color = OxmlElement("w:color")
    color.set(qn("w:val"), "0563C1")
    properties.extend([style, color, underline])
    run.append(properties)
    body = OxmlElement("w:t")
    body.text = text or url
    run.append(body)
    link.append(run)
    paragraph._p.append(link)


def add_fact(document, label, value, url=""):
    """Add one line of the report's facts: 标签：value, the value a link when url is given."""
    line = document.add_paragraph()
    line.add_run(f"{label}：").bold = True
    if url:
        add_hyperlink(line, url, value)
    else:
        line.add_run(value)


def add_numbered(document, paragraph):
    """Add one paragraph of the report: a heading at its depth, or body text, its number before it."""
    if paragraph.heading:
        line = document.add_heading(level=min(max(len(paragraph.section_path), 1), MAX_HEADING))
    else:
        line = document.add_paragraph()
    number = line.add_run(f"{paragraph.n}　")
    number.font.size, number.font.color.rgb = NUMBER_SIZE, NUMBER_COLOR
    line.add_run(paragraph.text)


def report_docx(report, facts, source, citation, copy_url, downloaded):
    """Return the bytes of a report's Word document.

    facts are (label, value) pairs (web/reports.py facts); source is web/reports.py's source_of;
    citation cites the whole report; copy_url is this site's page of it; downloaded the date.
    """
    document = Document()
    set_cjk_font(document)
    document.core_properties.title = report.title or "无标题报告"
    document.core_properties.author = report.issuer
    document.add_heading(report.title or "无标题报告", level=0)
    if report.title_composed:
        note = document.add_paragraph().add_run(f"{COMPOSED_TITLE}原页面没有标题，由发布机关、年度和报告类型组成。")
        note.font.highlight_color = WD_COLOR_INDEX.YELLOW
    for label, value in facts:
        add_fact(document, label, value)
    if source["url"]:
        add_fact(document, "原文链接", source["url"], source["url"])
    else:
        add_fact(document, "原文链接", "来源网址未记录")
    if source["page"]:
        add_fact(document, "发布页面", source["page"], source["page"])
    if source["ocr_note"]:
        add_fact(document, "文字识别", source["ocr_note"])
    add_fact(document, "本站页面", copy_url, copy_url)
    add_fact(document, "引用本报告", citation)
    if report.citations:
        add_fact(document, "引用的法规文件", "、".join(f"《{name}》" for name in report.citations))
    document.add_paragraph().add_run(f"下载于 {downloaded}；段落前的数字为段落序号，与本站页面的 #p-序号 对应。").italic = True
    for paragraph in report.paragraphs:
        add_numbered(document, paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
