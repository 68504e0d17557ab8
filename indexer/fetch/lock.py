"""One crawl or scrape per output folder at a time: a lock file in the folder that names its holder.

Two runs writing one folder would each fetch what the other is fetching and replay a
journal the other is still writing. The lock is the kernel's (flock): it goes with the
process however that ends, `kill -9` included, so a lock file left behind holds nothing.
The file is removed when its holder ends; a run that opened it just before checks that
what it locked is still the file at that path.
"""
import fcntl
import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

LOCK_FILE = ".crawl.lock"  # hidden, and not a page suffix: the cleaner never reads it


class FolderBusy(Exception):
    """The output folder cannot be had: another run holds it, or its lock cannot be made; the message says which."""


@contextmanager
def holding(out, what):
    """Hold the output folder's lock while the block runs, or raise FolderBusy; what describes this run."""
    path = Path(out) / LOCK_FILE
    handle = locked(path)
    try:
        write_holder(handle, what)
        yield
    finally:
        path.unlink(missing_ok=True)
        handle.close()


def locked(path):
    """Return the open lock file at path, locked by this process, or raise FolderBusy."""
    while True:
        try:
            handle = open(os.open(path, os.O_RDWR | os.O_CREAT, 0o644), "r+", encoding="utf-8")
        except OSError as error:
            raise FolderBusy(f"cannot use {path.parent} as the output folder (--out): cannot make its lock"
                             f" {path.name}: {error.strerror or error}") from None
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = describe_holder(handle.read())
            handle.close()
            raise FolderBusy(f"{path.parent} is in use by another run ({holder});"
                             " wait for it to end or give another --out") from None
        try:
            if os.stat(path).st_ino == os.fstat(handle.fileno()).st_ino:
                return handle
        except FileNotFoundError:
            pass  # its holder removed it as it ended, after we opened it: lock the next one
        handle.close()


def write_holder(handle, what):
    """Write who holds the lock into its file, for a run that finds it held."""
    holder = {"pid": os.getpid(), "since": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
              "run": what}
    try:
        handle.truncate(0)
        handle.write(json.dumps(holder, ensure_ascii=False))
        handle.flush()
    except OSError:
        pass  # a full disk: the lock holds all the same, only unnamed


def describe_holder(text):
    """Return the holder a lock file names: "pid N since T: run", or what is known of it."""
    try:
        holder = json.loads(text)
        return f"pid {holder['pid']} since {holder['since']}: {holder['run']}"
    except (ValueError, KeyError, TypeError):
        return "its lock file does not say which"
