"""Structures built from a file and kept pickled in the user's cache folder between runs, named by the file and code.

The cleaner's gazetteer and host spellings (indexer/clean/) and jieba's dictionary prepared for
queries (model/dictionary.py) load from here several times faster than they build.
"""
import hashlib
import os
import pickle
from pathlib import Path

# Under the user's cache folder ($XDG_CACHE_HOME, else ~/.cache).
CACHE_FOLDER = "fazhi-report-search"


def cache_path(source, kind, code):
    """Return where a structure of a kind built from the source file by the code (module paths) is kept."""
    source = Path(source)
    stat = source.stat()
    digest = hashlib.sha1(b"".join(Path(module).read_bytes() for module in code)).hexdigest()
    key = hashlib.sha1(f"{source}|{stat.st_size}|{stat.st_mtime_ns}|{digest}".encode()).hexdigest()[:16]
    return cache_folder() / f"{kind}-{key}.pickle"


def cache_folder():
    """Return the project's folder in the user's cache folder."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / CACHE_FOLDER


def keep(cached, kept):
    """Pickle an object at cached, whole or not at all (a reader never sees half a file); False when it cannot."""
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        partial = cached.with_name(f".{cached.name}.{os.getpid()}")
        partial.write_bytes(pickle.dumps(kept, protocol=pickle.HIGHEST_PROTOCOL))
        partial.replace(cached)
    except OSError:
        return False  # no writable cache folder
    return True


def keep_newest(folder, pattern, count):
    """Remove the files of folder matching pattern beyond the count most recently written."""
    try:
        files = sorted(folder.glob(pattern), key=lambda path: path.stat().st_mtime_ns, reverse=True)
        for stale in files[count:]:
            stale.unlink(missing_ok=True)  # a process still mapping it keeps reading it until it lets go
    except OSError:
        pass  # another process removed one meanwhile: the next write looks again


def load_or_build(cached, build, usable=lambda kept: True):
    """Return the object pickled at cached when usable(it) holds, else build() it and keep it there for the next run."""
    try:
        # Our own file, written below from the same source and code: its name says which.
        kept = pickle.loads(cached.read_bytes())
        if usable(kept):
            return kept
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, KeyError, TypeError,
            ValueError):
        pass  # none, or not a whole file of ours: built again
    built = build()
    keep(cached, built)  # unkept (no writable cache folder): the next run builds it again
    return built
