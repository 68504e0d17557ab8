"""Search core: query parsing, matching, ranking, facets and snippets, answered by a backend (the embedded index,
or a cluster: search/backend.py) behind one façade, SearchEngine. No Flask."""
from .engine import SearchEngine
from .params import BadParameter
from .generation import IndexDamaged, IndexMissing, IndexOutdated

__all__ = ["BadParameter", "IndexDamaged", "IndexMissing", "IndexOutdated", "SearchEngine"]
