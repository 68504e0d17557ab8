"""Which backend answers searches, from the environment or an app's configuration.

SEARCH_BACKEND is `embedded` (the Whoosh index, the default) or `cluster`; SEARCH_CLUSTER is
the cluster's layout file (model/cluster/layout.py), which `make cluster` prints.
"""
import os

from model.cluster.layout import BadLayout

EMBEDDED, CLUSTER = "embedded", "cluster"
BACKENDS = (EMBEDDED, CLUSTER)


def backend(override=None):
    """Return the backend's name: the argument, else $SEARCH_BACKEND, else embedded; raises BadLayout for another."""
    name = (override or os.environ.get("SEARCH_BACKEND") or EMBEDDED).strip().lower()
    if name not in BACKENDS:
        raise BadLayout(f"SEARCH_BACKEND={name!r} is not a backend (use {' or '.join(BACKENDS)})")
    return name


def layout_path(override=None):
    """Return the cluster's layout file: the argument, else $SEARCH_CLUSTER; raises BadLayout when neither is set."""
    path = override or os.environ.get("SEARCH_CLUSTER")
    if not path:
        raise BadLayout("no cluster layout: set SEARCH_CLUSTER to the cluster's layout file (make cluster prints it)")
    return path
