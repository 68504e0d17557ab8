"""The documents a report cites in 《…》: laws by their full names, everything else as written.

Reports cite the laws they apply (《中华人民共和国行政复议法》, or 《行政复议法》 for short), the
central documents they follow (《法治政府建设实施纲要（2021－2025年）》) and their own (《2023年
法治政府建设工作要点》). A national law or regulation on the list (model/laws.txt) is folded to its
full name, so that 《宪法》 and 《中华人民共和国宪法》 are one document; any other is kept as the
page writes it. Each document is listed once, in the order it is first cited.
"""
import re

from model.laws import full_name
from model.text import normalize

# A title in book-title marks; a title of a title inside it is in 〈〉, so 《》 do not nest. A pair
# further apart than this is a stray mark, not a title.
CITED = re.compile(r"《([^《》\n]{1,100})》")
# Spaces inside a title are typing, not part of its name (《 中华人民共和国 宪法 》).
SPACES = re.compile(r"\s+")


def cited_documents(paragraphs, title=""):
    """Return the documents the paragraphs cite, once each in order of first citation, leaving out the report's own title."""
    found = {}
    own = normalize(title)
    for paragraph in paragraphs:
        for match in CITED.finditer(paragraph.text):
            written = SPACES.sub("", match.group(1))
            name = full_name(written) or written
            key = normalize(name)
            if key and key != own:
                found.setdefault(key, name)
    return list(found.values())
