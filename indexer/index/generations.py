"""The index folder as a series of generations, switched atomically.

INDEX_DIR/current is a symbolic link to the live generation (INDEX_DIR/gen-…). A rebuild
writes a new generation beside it and swaps the link with one rename, so a searcher
never sees a half-written index and a killed rebuild leaves the live one untouched.
"""
import fcntl
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

CURRENT = "current"
GENERATION_PREFIX = "gen-"
LOCK_FILE = ".rebuild.lock"
# Whoosh's write lock belongs to one folder; a copied one would be shared by two.
NOT_COPIED = ("WRITELOCK", "LOCK")


class UnwritableIndex(Exception):
    """The index folder cannot be written: the message names it and the reason."""

    def __init__(self, index_dir, error):
        super().__init__(f"cannot write to the index folder {index_dir}: {error.strerror or error}")


def inside(path, folder):
    """Tell whether path lies in folder (both as given, made absolute)."""
    return Path(os.path.abspath(path)).is_relative_to(os.path.abspath(folder))


@contextmanager
def writing(index_dir):
    """Turn an OSError while writing the index folder into UnwritableIndex.

    An error naming a file elsewhere (a page being read) is not the index folder's and goes
    on as it is; one naming no file comes from writing an open file (a full disk).
    """
    try:
        yield
    except OSError as error:
        if error.filename is not None and not inside(os.fsdecode(error.filename), index_dir):
            raise
        raise UnwritableIndex(index_dir, error) from None


def current_folder(index_dir):
    """Return the live generation's folder, or None when no index was published."""
    link = Path(index_dir) / CURRENT
    if not link.is_symlink():
        return None
    folder = Path(index_dir) / os.readlink(link)
    return folder if folder.is_dir() else None


def new_folder(index_dir):
    """Create an empty folder for the next generation."""
    with writing(index_dir):
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=GENERATION_PREFIX, dir=index_dir))


def link_copy(source, target, leave_out=()):
    """Fill target with hard links to source's files, but those under the relative folders left out.

    Whoosh never rewrites a file in place, nor does the indexer.
    """
    source, target = os.fspath(source), os.fspath(target)
    left_out = {os.path.join(source, folder) for folder in leave_out}
    for folder, folders, files in os.walk(source):
        folders[:] = [name for name in folders if os.path.join(folder, name) not in left_out]
        copy = os.path.join(target, os.path.relpath(folder, source))
        os.makedirs(copy, exist_ok=True)
        for name in files:
            if not name.endswith(NOT_COPIED):
                os.link(os.path.join(folder, name), os.path.join(copy, name))


def publish(index_dir, folder):
    """Make folder the live generation with one atomic rename of the link."""
    link = Path(index_dir) / CURRENT
    staged = Path(index_dir) / f".{CURRENT}-{os.getpid()}"
    staged.unlink(missing_ok=True)
    staged.symlink_to(Path(folder).name)
    os.replace(staged, link)


def prune(index_dir):
    """Remove every generation but the live one: older ones and those of killed rebuilds."""
    live = current_folder(index_dir)
    for folder in Path(index_dir).glob(GENERATION_PREFIX + "*"):
        if live is None or folder.name != live.name:
            # Searchers still reading an old generation keep their open files on POSIX.
            shutil.rmtree(folder, ignore_errors=True)


@contextmanager
def rebuild_lock(index_dir, warn):
    """Hold the index folder's rebuild lock, waiting (and saying so) while another rebuild runs."""
    with writing(index_dir):
        Path(index_dir).mkdir(parents=True, exist_ok=True)
        handle = open(Path(index_dir) / LOCK_FILE, "w")
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            warn(f"another rebuild of {index_dir} is running; waiting for it to finish")
            fcntl.flock(handle, fcntl.LOCK_EX)
        # The kernel drops the lock when the process dies, even by kill -9.
        yield
