"""A PDF into printed lines, page by page: its text layer read by pdfminer.six, pages without one by OCR.

Before a page is read the file is checked for what makes it no report: not a PDF at all (an
HTML error page saved as .pdf), cut short in transfer, locked by a password, or longer than
any report (MAX_PDF_PAGES). Each is refused with the reason.
"""
import logging
import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BadPage
from .extratime import ask_for
from .ocr import OCR_PAGE_SECONDS, ocr_unavailable, read_scanned_page
from .printed import Line

# The most pages a report runs to: reports run 5–60 pages, a county's with its annexes 120.
# Longer files are yearbooks and compilations, whose reading would take the budget of hundreds of pages.
MAX_PDF_PAGES = 200
# The most pages without a text layer read by OCR in one file: each takes 5–15 s.
MAX_OCR_PAGES = 60
# Where a PDF's header and end marker must stand: readers accept %PDF- within the first KB,
# and %%EOF within the last KB or so (a trailing newline, padding after it).
HEADER_WINDOW, END_WINDOW = 1024, 2048
HTML_START = re.compile(rb"^\s*(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|head|body|!--)", re.I)
# A glyph pdfminer cannot map to a character (a font without a ToUnicode map) reads as "(cid:123)".
UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")
# A page whose text is mostly unmapped glyphs has no usable text layer: it is read by OCR instead.
UNMAPPED_SHARE = 0.3
# pdfminer logs every odd font descriptor (Chromium's fonts give hundreds per page) as a warning.
logging.getLogger("pdfminer").setLevel(logging.ERROR)


@dataclass
class PdfText:
    """A PDF's printed lines by page, and how many pages were read by OCR or could not be read."""

    pages: list = field(default_factory=list)   # per page, its Lines top down
    ocr_pages: int = 0
    unread: list = field(default_factory=list)  # numbers of the pages without text that OCR could not read
    why_unread: str = ""


def check_pdf_bytes(data):
    """Raise BadPage when the bytes of a .pdf file cannot be a whole PDF, saying what they are."""
    if HTML_START.match(data[:HEADER_WINDOW]):
        raise BadPage("not a PDF: the file is an HTML page (a server's error or login page saved as .pdf?)")
    if b"%PDF-" not in data[:HEADER_WINDOW]:
        raise BadPage("not a PDF: no %PDF- header at its start")
    if b"%%EOF" not in data[-END_WINDOW:]:
        raise BadPage("truncated PDF: no %%EOF marker at its end (the download was cut short?)")


def open_pdf(stream):
    """Return (pdfminer document, page count) of a PDF stream; raise BadPage when it cannot be opened."""
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import resolve1
    from pdfminer.psexceptions import PSException
    try:
        document = PDFDocument(PDFParser(stream))
        count = resolve1(resolve1(document.catalog.get("Pages")).get("Count"))
    except PDFPasswordIncorrect:
        raise BadPage("encrypted PDF: it opens only with a password") from None
    except PDFEncryptionError as error:
        raise BadPage(f"encrypted PDF that cannot be read ({error})") from None
    except (PSException, AttributeError, TypeError, ValueError, KeyError) as error:
        raise BadPage(f"damaged PDF: {type(error).__name__}: {str(error)[:120]}") from None
    if not isinstance(count, int):
        raise BadPage("damaged PDF: its page tree gives no page count")
    if count > MAX_PDF_PAGES:
        raise BadPage(f"{count} pages, more than a report has (MAX_PDF_PAGES = {MAX_PDF_PAGES}): not read")
    return document, count


def page_lines(layout):
    """Return the text Lines of a pdfminer page layout, top down, and whether it shows images."""
    from pdfminer.layout import LTFigure, LTImage, LTTextBox, LTTextLine
    lines, images = [], False
    for element in layout:
        if isinstance(element, (LTFigure, LTImage)):
            images = True
        boxes = [element] if isinstance(element, LTTextLine) else element if isinstance(element, LTTextBox) else []
        for line in boxes:
            if isinstance(line, LTTextLine) and line.get_text().strip():
                lines.append(Line(line.get_text().strip(), line.x0, line.x1, layout.height - line.y1, line.height))
    lines.sort(key=lambda line: (round(line.top), line.left))
    return lines, images


def has_text(lines):
    """Tell whether a page's lines are readable text, not glyphs without characters."""
    text = "".join(line.text for line in lines)
    unmapped = sum(len(found) for found in UNMAPPED_GLYPH.findall(text))
    return bool(text.strip()) and unmapped <= UNMAPPED_SHARE * len(text)


def read_pdf(path, data):
    """Return the PdfText of a PDF file (its bytes given); raise BadPage when it cannot be a report."""
    check_pdf_bytes(data)
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LAParams
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException
    with open(path, "rb") as stream:
        document, count = open_pdf(stream)
        resources = PDFResourceManager()
        device = PDFPageAggregator(resources, laparams=LAParams())
        interpreter = PDFPageInterpreter(resources, device)
        read, scanned = [], []
        try:
            for number, page in enumerate(PDFPage.create_pages(document), 1):
                interpreter.process_page(page)
                lines, images = page_lines(device.get_result())
                if not has_text(lines) and images:
                    scanned.append(number)
                read.append(lines if has_text(lines) else [])
        except (PSException, AttributeError, TypeError, ValueError, KeyError) as error:
            raise BadPage(f"damaged PDF: page {len(read) + 1} of {count} cannot be read"
                          f" ({type(error).__name__}: {str(error)[:120]})") from None
    text = PdfText(pages=read)
    if scanned:
        read_scans(path, text, scanned)
    return text


def read_scans(path, text, scanned):
    """Read the scanned pages of a PDF by OCR into text, or note why they stay unread."""
    if len(scanned) > MAX_OCR_PAGES:
        raise BadPage(f"{len(scanned)} scanned pages, more than MAX_OCR_PAGES ({MAX_OCR_PAGES}) read by OCR"
                      " in one file: not read")
    why = ocr_unavailable()
    if why:
        text.unread, text.why_unread = scanned, f"OCR unavailable: {why}"
        return
    ask_for(2 * OCR_PAGE_SECONDS * len(scanned))  # rendering and reading, each page
    for number in scanned:
        text.pages[number - 1] = read_scanned_page(path, number)
        text.ocr_pages += 1


def has_fonts(resources, depth=0):
    """Tell whether page resources (or the forms they draw) hold a font, which text needs."""
    from pdfminer.pdftypes import resolve1
    resources = resolve1(resources) or {}
    if not isinstance(resources, dict):
        return False
    if resolve1(resources.get("Font")):
        return True
    forms = resolve1(resources.get("XObject")) or {}
    return depth < 3 and isinstance(forms, dict) and any(
        has_fonts(getattr(resolve1(form), "attrs", {}).get("Resources"), depth + 1) for form in forms.values())


def unreadable_here(path):
    """Return why a fetched PDF's scanned pages (pages without fonts) cannot be read on this machine, or ""."""
    if Path(path).suffix.lower() != ".pdf" or not ocr_unavailable():
        return ""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.psexceptions import PSException
    try:
        check_pdf_bytes(Path(path).read_bytes())
        with open(path, "rb") as stream:
            document, _ = open_pdf(stream)
            scanned = sum(not has_fonts(page.resources) for page in PDFPage.create_pages(document))
    except (BadPage, OSError, PSException, AttributeError, TypeError, ValueError, KeyError):
        return ""  # a damaged file: the rebuild names it with the reason
    return f"{scanned} scanned page(s), OCR unavailable: {ocr_unavailable()}" if scanned else ""
