"""Work shared among processes forked for it: each inherits what the work reads; only items and results travel.

The reuse stage's pieces of work (sets of texts to make, ranges of candidates to check) read
scratch files and memory-mapped arrays that a forked process inherits as they are, while a pool
would pickle a bound method's whole object with every item.
"""
import multiprocessing

from indexer.libc import give_back_memory

# The work of the pool running now, inherited by its forked workers.
WORK = None


def run(item):
    """Return WORK(item), in a forked worker."""
    return WORK(item)


def forked_map(work, items, processes=1, start=None):
    """Yield work(item) for each of items in order, computed in up to processes forked processes (in this one when
    one process, or one item, is all there is); start() is called first in each forked process.

    Files written before must be flushed: a forked process inherits their buffers.
    """
    global WORK
    if processes < 2 or len(items) < 2:
        yield from map(work, items)
        return
    WORK = work
    # What this process freed but its heap keeps would count in every forked process's resident memory too.
    give_back_memory()
    try:
        with multiprocessing.get_context("fork").Pool(min(processes, len(items)), initializer=start) as pool:
            yield from pool.imap(run, items)
    finally:
        WORK = None
