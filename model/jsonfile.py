"""Files written whole or not at all, and JSON read back without raising."""
import json
import os
from pathlib import Path


def write_bytes(path, data):
    """Write a file atomically: a new file renamed over the old, never a half-written one.

    The rename also gives the path a new inode, so a hard-linked copy elsewhere keeps
    its own content.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)


def write_json(path, data):
    """Write JSON atomically (see write_bytes)."""
    write_bytes(path, json.dumps(data, ensure_ascii=False).encode("utf-8"))


def read_json(path):
    """Return the JSON data of a file, or None when it is missing or unreadable."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
