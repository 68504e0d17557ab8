"""Where the corpus and the index live: defaults, overridden by CORPUS_DIR and INDEX_DIR."""
import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parent.parent


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
    suffixes = {".txt", ".html", ".htm"}
    return sorted(p for p in raw.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
