"""Search core: query parsing, matching, ranking, facets and snippets over the paragraph index. No Flask."""
from .engine import SearchEngine
from .params import BadParameter
from .generation import IndexDamaged, IndexMissing, IndexOutdated

__all__ = ["BadParameter", "IndexDamaged", "IndexMissing", "IndexOutdated", "SearchEngine"]
