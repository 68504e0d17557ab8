"""Scanned pages read by OCR: rendered by pdftoppm (poppler-utils), read by tesseract in simplified Chinese.

tesseract's TSV output gives every line its box on the page, so a scanned page goes through
the same layout rules as a text layer (printed.py): lines wrapped at the column's edge are
joined, running headers and page numbers dropped.
"""
import tempfile
from functools import lru_cache
from pathlib import Path

from .errors import BadPage
from .printed import Line
from .tools import missing, run_tool

# Resolution a page is rendered at: tesseract reads body text best with characters some 30
# pixels high, which 300 dpi gives a 10.5–16 pt font.
OCR_DPI = 300
OCR_LANGUAGE = "chi_sim"
# Seconds each tool may take on one page: tesseract reads an A4 page of Chinese in 5–15 s on one core.
OCR_PAGE_SECONDS = 60.0
# TSV rows of tesseract: level 4 is a line (its box), level 5 a word of it.
LINE_LEVEL, WORD_LEVEL = "4", "5"


@lru_cache(maxsize=1)
def ocr_unavailable():
    """Return why OCR cannot run on this machine (a tool or the language data missing), or ""."""
    name = missing("pdftoppm", "tesseract")
    if name:
        return f"{name} is not installed (apt-get install poppler-utils tesseract-ocr tesseract-ocr-chi-sim)"
    try:
        languages = run_tool(["tesseract", "--list-langs"], 30, "the OCR languages").decode("utf-8", "replace")
    except BadPage as error:
        return str(error)
    if OCR_LANGUAGE not in languages.split():
        return f"tesseract has no {OCR_LANGUAGE} language data (apt-get install tesseract-ocr-chi-sim)"
    return ""


def read_scanned_page(pdf, number):
    """Return the Lines OCR reads on page number (from 1) of a PDF file."""
    with tempfile.TemporaryDirectory(prefix="ocr-") as folder:
        image = Path(folder) / "page"
        run_tool(["pdftoppm", "-r", str(OCR_DPI), "-gray", "-png", "-f", str(number), "-l", str(number),
                  "-singlefile", str(pdf), str(image)], OCR_PAGE_SECONDS, f"page {number} as an image")
        tsv = run_tool(["tesseract", str(image.with_suffix(".png")), "stdout", "-l", OCR_LANGUAGE, "tsv"],
                       OCR_PAGE_SECONDS, f"page {number} by OCR")
    return lines_of_tsv(tsv.decode("utf-8", "replace"))


def lines_of_tsv(tsv):
    """Return the Lines of tesseract's TSV output: each line's box with its words' text."""
    boxes, words = {}, {}
    for row in tsv.splitlines()[1:]:
        cells = row.split("\t")
        if len(cells) < 12:
            continue
        level, key = cells[0], tuple(cells[1:5])
        left, top, width, height = (float(cell) for cell in cells[6:10])
        if level == LINE_LEVEL:
            boxes[key] = (left, left + width, top, height)
        elif level == WORD_LEVEL and cells[11].strip():
            words.setdefault(key, []).append(cells[11].strip())
    # In tesseract's reading order: block by block, line by line.
    return [Line(join_words(words[key]), *boxes[key]) for key in boxes if key in words]


def join_words(words):
    """Return a line's words as text: a space only between two Latin words (tesseract splits Chinese at digits)."""
    text = words[0]
    for word in words[1:]:
        text += " " + word if text[-1].isascii() and word[0].isascii() else word
    return text
