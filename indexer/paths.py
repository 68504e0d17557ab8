"""Where the corpus and the index live: defaults, overridden by CORPUS_DIR and INDEX_DIR."""
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
# Raw files a corpus holds: pages, and the documents reports are published as.
PAGE_SUFFIXES = {".txt", ".html", ".htm", ".pdf", ".docx", ".doc"}


def corpus_dir(override=None):
    """Return the corpus folder: the argument, else $CORPUS_DIR, else corpus/."""
    return Path(override or os.environ.get("CORPUS_DIR") or PROJECT_DIR / "corpus")


def index_dir(override=None):
    """Return the index folder: the argument, else $INDEX_DIR, else instance/index/."""
    return Path(override or os.environ.get("INDEX_DIR") or PROJECT_DIR / "instance" / "index")


def clean_dir(corpus):
    """Return where the clean reports of a corpus are kept: its clean/ folder (git-ignored)."""
    return Path(corpus) / "clean"


def raw_files(corpus):
    """Return the report pages under a corpus folder (raw/ if present), sorted by path."""
    return scan_raw(corpus)[0]


def scan_raw(corpus):
    """Return (pages, refused) under a corpus folder (raw/ if present), sorted by path.

    refused holds (path, reason) for what a page must not be: a symbolic link (to a file or
    a folder), or a folder resolving outside the corpus folder. A link would let any file
    the indexer can read (elsewhere on the machine) be indexed and served.
    """
    root = Path(corpus)
    raw = root / "raw" if (root / "raw").is_dir() else root
    inside = os.path.realpath(root)
    pages, refused = [], []
    # os.walk and plain strings: a corpus holds thousands of pages, and pathlib is slow in bulk.
    # os.walk does not enter linked folders; they are named below rather than passed over.
    for folder, folders, names in os.walk(raw):
        real = os.path.realpath(folder)
        if os.path.commonpath([real, inside]) != inside:
            refused.append((folder, f"folder resolves outside the corpus folder (to {real}): its pages are refused"))
            folders.clear()
            continue
        links = [os.path.join(folder, name) for name in folders if os.path.islink(os.path.join(folder, name))]
        for name in names:
            if os.path.splitext(name)[1].lower() in PAGE_SUFFIXES:
                path = os.path.join(folder, name)
                if os.path.islink(path):
                    links.append(path)
                elif os.path.isfile(path):
                    pages.append(path)
        refused += [(path, f"symbolic link (to {os.readlink(path)}): refused, a page must be a file"
                           " inside the corpus folder") for path in links]
    pages.sort(key=lambda path: path.split(os.sep))
    refused.sort(key=lambda item: item[0].split(os.sep))
    return [Path(path) for path in pages], [(Path(path), reason) for path, reason in refused]
