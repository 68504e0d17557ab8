"""The engine a configuration asks for: the embedded Whoosh index (the default) or a Sphinx cluster."""
from .engine import SearchEngine


def engine_for(index_dir, backend=None, cluster=None):
    """Return the search engine of a backend (default $SEARCH_BACKEND, else embedded) over its index or cluster.

    Raises model.cluster.layout.BadLayout naming what is wrong with the backend or its layout.
    """
    from model.cluster.settings import CLUSTER, backend as backend_name, layout_path
    if backend_name(backend) == CLUSTER:
        from .cluster.engine import ClusterEngine  # pymysql, only for a cluster
        return ClusterEngine(layout_path(cluster))
    return SearchEngine(index_dir)
