"""Word files into paragraphs: DOCX read by python-docx, the older binary DOC by Debian's antiword or catdoc.

A DOCX is a ZIP archive, and python-docx loads every part of it into memory; a part that
expands beyond what a report holds (a ZIP bomb renamed .docx) is refused from the sizes the
archive declares, before anything is expanded (zipfile never expands past a declared size).
"""
import zipfile

from .errors import BadPage
from .tools import missing, run_tool

# The most a DOCX may expand to: its text (word/document.xml) is some 100 KB a report and
# parsed into a tree ten times that; photographs make the rest.
MAX_DOCX_XML_BYTES = 32 * 2**20
MAX_DOCX_BYTES = 256 * 2**20
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of DOC files (and of encrypted DOCX)
ZIP_MAGIC = b"PK\x03\x04"
# Seconds antiword or catdoc may take: a report of 100 pages takes well under one.
DOC_SECONDS = 20.0


def check_docx_archive(path):
    """Raise BadPage when a .docx is no ZIP archive or expands beyond a report's size."""
    with open(path, "rb") as stream:
        start = stream.read(len(OLE_MAGIC))
    if start.startswith(OLE_MAGIC):
        raise BadPage("not a DOCX: an OLE container (an encrypted Word file, or a .doc renamed .docx)")
    if not start.startswith(ZIP_MAGIC):
        raise BadPage("not a DOCX: not a ZIP archive")
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise BadPage(f"damaged DOCX: {error}") from None
    total = sum(part.file_size for part in parts)
    largest = max((part for part in parts if part.filename.endswith(".xml")), key=lambda part: part.file_size,
                  default=None)
    if largest is not None and largest.file_size > MAX_DOCX_XML_BYTES:
        raise BadPage(f"DOCX part {largest.filename} expands to {largest.file_size:,} bytes from"
                      f" {largest.compress_size:,}, above MAX_DOCX_XML_BYTES ({MAX_DOCX_XML_BYTES:,}):"
                      " a ZIP bomb, not read")
    if total > MAX_DOCX_BYTES:
        raise BadPage(f"DOCX expands to {total:,} bytes, above MAX_DOCX_BYTES ({MAX_DOCX_BYTES:,}): not read")


def read_docx(path):
    """Return the paragraphs of a DOCX, tables row by row, in the document's order."""
    check_docx_archive(path)
    import docx
    from docx.opc.exceptions import PackageNotFoundError
    from docx.table import Table
    try:
        document = docx.Document(str(path))
        paragraphs = []
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                paragraphs.extend(" ".join(dict.fromkeys(cell.text.strip() for cell in row.cells)).strip()
                                  for row in block.rows)
            else:
                paragraphs.append(block.text)
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise BadPage(f"damaged DOCX: {type(error).__name__}: {str(error)[:120]}") from None
    return [paragraph for paragraph in paragraphs if paragraph.strip()]


def read_doc(path):
    """Return the paragraphs of a Word 97–2003 DOC, read by antiword (catdoc when antiword cannot)."""
    with open(path, "rb") as stream:
        if not stream.read(len(OLE_MAGIC)).startswith(OLE_MAGIC):
            raise BadPage("not a DOC: no Word 97–2003 container (OLE) at its start")
    if missing("antiword") and missing("catdoc"):
        raise BadPage("cannot read DOC: neither antiword nor catdoc is installed (apt-get install antiword catdoc)")
    try:
        # -w 0: one line per paragraph; UTF-8 output through antiword's own mapping file.
        text = run_tool(["antiword", "-w", "0", "-m", "UTF-8.txt", str(path)], DOC_SECONDS, "the DOC")
    except BadPage:
        if missing("catdoc"):
            raise
        text = run_tool(["catdoc", "-w", "-d", "utf-8", str(path)], DOC_SECONDS, "the DOC")
    return [line for line in text.decode("utf-8", "replace").splitlines() if line.strip()]
