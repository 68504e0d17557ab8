"""Search core: query parsing, matching, ranking and snippets over the paragraph index. No Flask."""
from .engine import IndexMissing, SearchEngine

__all__ = ["IndexMissing", "SearchEngine"]
