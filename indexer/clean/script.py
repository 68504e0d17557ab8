"""Traditional Chinese pages: read in simplified characters, shown in their own.

Every pattern and name the cleaner matches (chrome, labels, dates, the gazetteer) is written in
simplified characters, so a page is converted once (OpenCC's t2s, keeping every character's
place) and cleaned in that form; the texts a reader sees (paragraphs, title, issuer, 文号) are then given
back the page's own characters by aligning them with the simplified page. ASCII punctuation after
Chinese characters (OCR's "市委,市政府.") is read in its full-width form the same way (compat.py).
"""
from model.text import simplified, t2s_converter

from .compat import fold_ascii_punctuation

# Aligning a cleaned text with the page: where it starts is found by its first characters,
# and after a character the cleaner inserted or removed, by the next few within a window.
ANCHOR_CHARS = (12, 6, 3)
RESYNC_CHARS = 4
RESYNC_WINDOW = 80


def to_simplified(text):
    """Return text in simplified characters, one for one, so positions stay the same."""
    # Phrase by phrase where OpenCC keeps the length (乾隆 stays, 乾燥 becomes 干燥), else character by character.
    simple = t2s_converter().convert(text)
    return simple if len(simple) == len(text) else simplified(text)


class PageScript:
    """A page's texts in simplified characters, and the way back to the page's own characters."""

    def __init__(self, texts):
        """Convert the page's texts (its text and the markup's hints) once, all together."""
        self.original = "\n".join(texts)
        simplified = fold_ascii_punctuation(to_simplified(self.original))
        self.changed = simplified != self.original
        # Each text in simplified characters, cut out of the whole by its length.
        self.texts, start = [], 0
        for text in texts:
            self.texts.append(simplified[start:start + len(text)])
            start += len(text) + 1
        # Wide and no-break spaces read as spaces, as the cleaner reads lines (same length).
        self.simplified = simplified.replace("\u3000", " ").replace("\xa0", " ")
        self.cursor = 0  # where the last restored text ended: texts come in page order

    def restore(self, text):
        """Return a cleaned text with the page's own characters where it came from the page."""
        if not self.changed or not text:
            return text
        start = self._anchor(text)
        if start < 0:
            return text  # composed by the cleaner, not on the page
        page, own = self.simplified, self.original
        restored, i, j = [], 0, start
        while i < len(text):
            if j < len(page) and text[i] == page[j]:
                restored.append(own[j])
                i, j = i + 1, j + 1
            elif j < len(page) and page[j].isspace():
                j += 1  # a line break or space the cleaner joined or collapsed
            elif text[i].isspace():
                restored.append(text[i])
                i += 1
            else:
                found = page.find(text[i:i + RESYNC_CHARS], j, j + RESYNC_WINDOW)
                if found < 0 or len(text) - i < RESYNC_CHARS:
                    restored.append(text[i])  # a character the cleaner put in (a repaired 年)
                    i += 1
                else:
                    j = found  # characters the cleaner took out (spam)
        self.cursor = j
        return "".join(restored)

    def _anchor(self, text):
        """Return where in the simplified page a cleaned text starts, or -1."""
        for size in ANCHOR_CHARS:
            head = text[:size]
            found = self.simplified.find(head, self.cursor)
            if found < 0:
                found = self.simplified.find(head)
            if found >= 0:
                return found
        return -1
