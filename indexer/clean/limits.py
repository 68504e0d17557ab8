"""What one page may spend while it is cleaned (its time and memory, each overridable from the environment), and
the tie that kills a page's worker, and the tools it runs, with the process that started it."""
import os
import signal

from indexer.libc import libc

# Seconds one page may take to clean. Reports take 10–100 ms; a 1 MB page of markup a few
# seconds; past this a page is stuck, not slow. $PAGE_SECONDS overrides it.
PAGE_SECONDS = 30.0
# Resident memory a worker may reach while cleaning one page (the largest page allowed,
# 10 MB, needs a few hundred MB at most). $PAGE_MEMORY_MB overrides it.
PAGE_MEMORY_MB = 2048
# prctl(2) option: the signal the kernel sends a process when its parent dies (Linux).
PR_SET_PDEATHSIG = 1


def configured(name, default):
    """Return a positive number from the environment variable name, else the default."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if value > 0 else default


def die_with(parent):
    """Have the kernel kill this process as soon as its parent dies, even in the middle of a page.

    The worker holds copies of the parent's files, the rebuild lock among them: a rebuild
    killed with kill -9 must not leave it held by a worker still busy with a page.
    """
    try:
        libc().prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError, TypeError):
        pass  # not Linux: the pipe's end still stops the worker after its page
    if os.getppid() != parent:
        os._exit(1)  # the parent died before the request was made
