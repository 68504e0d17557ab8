"""Search core: query parsing, matching, ranking, facets and snippets over the paragraph index. No Flask."""
from .engine import IndexMissing, SearchEngine
from .params import BadParameter

__all__ = ["BadParameter", "IndexMissing", "SearchEngine"]
