"""A cluster's remembered answers kept in the user's cache folder, by the push they hold for: every worker of a web
server, and the next server, reads what one asked (as search/execute.py's plans are kept per generation).

A file is named by the cluster's layout, the push stamp the answers were read at (model/cluster/stamp.py) and the
batch's statements: a push makes every older file dead by its name; the least recently written beyond FILES_KEPT go.
"""
import hashlib
import pickle
from pathlib import Path

from model.cachefile import cache_folder, keep, keep_newest

# Batches kept on disk at most (a count's batch is some hundred kB pickled).
FILES_KEPT = 512
FOLDER = "cluster-answers"


class KeptAnswers:
    """The answers of one cluster's batches kept on disk, by push stamp and statements."""

    def __init__(self, layout_path):
        self.folder = cache_folder() / FOLDER
        self.cluster = str(Path(layout_path).resolve())

    def path(self, held, statements):
        """Return the file of a batch's answers at a push stamp."""
        digest = hashlib.sha1(repr((self.cluster, held, tuple(statements))).encode("utf-8")).hexdigest()
        return self.folder / f"{digest}.pickle"

    def read(self, held, statements):
        """Return the answers kept of a batch at a push stamp, or None."""
        try:
            # Our own file, written by write below: its name says which cluster, push and batch.
            return pickle.loads(self.path(held, statements).read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError, ValueError):
            return None  # none, or not a whole file of ours: asked of the cluster

    def write(self, held, statements, answers):
        """Keep the answers of a batch at a push stamp, letting go of the least recently written beyond FILES_KEPT."""
        if keep(self.path(held, statements), answers):
            keep_newest(self.folder, "*.pickle", FILES_KEPT)
