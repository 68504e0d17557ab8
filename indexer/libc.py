"""The C library, for the two calls Python does not wrap: prctl (a worker dies with its parent) and malloc_trim."""
import ctypes
from functools import lru_cache


@lru_cache(maxsize=1)
def libc():
    """Return the C library as ctypes sees it (errno kept), or None where the process's own symbols cannot be opened."""
    # The process's own symbols hold the C library's: finding it by name instead
    # (ctypes.util.find_library) runs `ldconfig -p` in a subprocess at every call.
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def give_back_memory():
    """Hand the memory the process freed back to the system (glibc's malloc_trim; elsewhere nothing).

    Closing a segment frees hundreds of megabytes of arrays and postings, which malloc would
    otherwise keep for the next segment, counted as the writer's resident memory meanwhile (and
    in every process forked after it).
    """
    try:
        libc().malloc_trim(0)
    except (OSError, AttributeError, TypeError):
        pass
