"""Text reuse across reports: which paragraphs of other reports are near-identical to each one.

Built into every generation after its Whoosh index and arrays (indexer/index/build.py):

    sketch.py    a paragraph's character shingles, its MinHash (datasketch) and LSH band keys
    pairs.py     candidate pairs from equal band keys, each verified by its exact Jaccard similarity
    runs.py      candidate and checked pairs on disk as sorted runs, merged back a range of keys at a time
    exact.py     that exact check, a chunk of pairs at a time, every text's shingles computed once
    forked.py    work shared among forked processes: sets made, ranges of candidates checked
    groups.py    which report came first, and groups of near-identical texts under their earliest
    stage.py     the reuse stage of a rebuild: sketch new segments, compare only new texts, group

settings.py holds every tuned number and why. indexer/index/format.py reads and writes the data.
"""
