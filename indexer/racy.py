"""Whether a file's stat can vouch for its content: one modified just before it was read may change again
within the same timestamp tick, unseen by its stat (the files git calls "racily clean")."""
# A modification this close before a read leaves the file's stat untrusted: 2 s, the coarsest
# modification-time resolution of the filesystems a corpus or an index may live on (FAT's; ext3's
# and HFS+'s is 1 s), so a page copied from a USB stick is hashed, not trusted, too.
RACY_NS = 2_000_000_000


def settled(mtime_ns, read_at):
    """Tell whether a file modified at mtime_ns was modified clearly before read_at (time_ns), so a later change shows."""
    return mtime_ns < read_at - RACY_NS
