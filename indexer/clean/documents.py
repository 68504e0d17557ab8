"""Reports published as documents (PDF, DOCX, DOC) into the text lines the cleaner's stages read.

Each kind is read by the reader made for it (pdffile.py, wordfile.py); a PDF's printed lines
become paragraphs by their layout (printed.py). What the stages then see is the same as a
text dump: a paragraph a line, the title on top, the signature at the bottom.
"""
from dataclasses import dataclass, field

from .errors import BadPage
from .pdffile import read_pdf
from .printed import paragraphs_of
from .wordfile import read_doc, read_docx

# The document files a corpus holds, by suffix, with the name a reader knows them by.
DOCUMENT_KINDS = {".pdf": "PDF", ".docx": "DOCX", ".doc": "DOC"}


@dataclass
class Document:
    """A document's text as paragraphs, whether any of it was read by OCR, and what the reader noticed."""

    kind: str
    paragraphs: list
    ocr: bool = False
    warnings: list = field(default_factory=list)


def is_document(path):
    """Tell whether a raw file is a document (by its suffix) rather than a page."""
    return path.suffix.lower() in DOCUMENT_KINDS


def read_document(path, data):
    """Return the Document of a raw document file (its bytes given); raise BadPage when it holds no text."""
    kind = DOCUMENT_KINDS[path.suffix.lower()]
    if kind == "PDF":
        document = pdf_document(path, data)
    else:
        document = Document(kind, read_docx(path) if kind == "DOCX" else read_doc(path))
    if not document.paragraphs:
        raise BadPage(f"no text in the {kind}")
    return document


def pdf_document(path, data):
    """Return the Document of a PDF: its pages' paragraphs, scanned pages read by OCR where it can run."""
    pdf = read_pdf(path, data)
    unread = ", ".join(str(number) for number in pdf.unread)
    if pdf.unread and not any(pdf.pages):
        raise BadPage(f"scanned PDF, no text layer on its {len(pdf.unread)} page(s): {pdf.why_unread}")
    warnings = [f"第 {unread} 页是扫描图像，未能识别文字（{pdf.why_unread}），这些页的内容没有收录"] if unread else []
    return Document("PDF", paragraphs_of(pdf.pages), ocr=pdf.ocr_pages > 0, warnings=warnings)
