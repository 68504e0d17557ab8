"""Files written whole or not at all, and JSON read back without raising."""
import json
import os
from pathlib import Path


def write_bytes(path, data):
    """Write a file atomically: a new file renamed over the old, never a half-written one.

    The rename also gives the path a new inode, so a hard-linked copy elsewhere keeps
    its own content. A write that fails removes what it had written.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        partial.write_bytes(data)
        partial.replace(path)
    except BaseException:  # a full disk, an interrupt: no partial file is left behind
        partial.unlink(missing_ok=True)
        raise


def write_json(path, data):
    """Write JSON atomically (see write_bytes)."""
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def read_json(path):
    """Return the JSON data of a file, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
