"""Where the corpus and the index live: defaults, overridden by CORPUS_DIR and INDEX_DIR."""
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent
PAGE_SUFFIXES = {".txt", ".html", ".htm"}


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
    """Return the report pages under a corpus folder (raw/ if present), sorted by name."""
    root = Path(corpus)
    raw = root / "raw" if (root / "raw").is_dir() else root
    # os.walk and plain strings: a corpus holds thousands of pages, and pathlib is slow in bulk.
    found = [os.path.join(folder, name) for folder, _folders, names in os.walk(raw) for name in names
             if os.path.splitext(name)[1].lower() in PAGE_SUFFIXES]
    found.sort(key=lambda path: path.split(os.sep))
    return [Path(path) for path in found if os.path.isfile(path)]
