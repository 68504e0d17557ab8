"""A paragraph's fingerprints: its exact shingle set, its MinHash (datasketch) and its LSH band keys.

Only eligible paragraphs are sketched: not headings, and at least MIN_CHARS normalized characters
(settings.py). Identical normalized texts are one text, known by text_hash(): a boilerplate
paragraph printed in a thousand reports is compared once.
"""
import hashlib
from functools import lru_cache

import numpy as np

from indexer.index.derive import sorted_distinct
from model.text import CODE_POINT_BITS, code_points

from .settings import BANDS, MIN_CHARS, NUM_PERM, ROWS, SEED, SHINGLE_CHARS

# Multiplier folding a packed shingle to the 32-bit value datasketch's MinHash permutes
# (Knuth's multiplicative hashing); its collisions only blur the estimate, never the exact check.
FOLD_32 = np.uint64(0x9E3779B97F4A7C15)
# FNV-1a's 64-bit prime, mixing a band's values into one key.
FNV_PRIME = np.uint64(0x100000001B3)
EMPTY = np.empty(0, np.uint64)


def eligible(norm, heading):
    """Tell whether a paragraph (its normalized text and heading flag) is compared with others."""
    return not heading and len(norm) >= MIN_CHARS


def text_hash(norm):
    """Return the 64-bit identity of a normalized text (as str or UTF-8 bytes)."""
    data = norm.encode("utf-8") if isinstance(norm, str) else bytes(norm)
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "little")


def packed_shingles(codes):
    """Return the shingle starting at each place of codes (uint64 code points, SHINGLE_CHARS or more), its
    characters' code points packed into one integer: exact, no hashing."""
    places = len(codes) - SHINGLE_CHARS + 1
    packed = np.zeros(places, np.uint64)
    for offset in range(SHINGLE_CHARS):
        packed = (packed << np.uint64(CODE_POINT_BITS)) | codes[offset:places + offset]
    return packed


def shingles(norm):
    """Return the sorted distinct shingles of a normalized text, each packed into a uint64."""
    codes = code_points(norm).astype(np.uint64)
    if len(codes) < SHINGLE_CHARS:
        return EMPTY
    return sorted_distinct(packed_shingles(codes))


def many_shingles(norms):
    """Return the shingle sets of several normalized texts as one array, set after set, and each set's size.

    Each set is what shingles() gives for its text; made for all the texts at once (one sort
    of all their shingles by text, then value) instead of a dozen numpy calls a text, which
    cost the reuse stage's exact check some 130 µs a text.
    """
    lengths = np.fromiter(map(len, norms), np.int64, len(norms))
    codes = code_points("".join(norms)).astype(np.uint64)
    if len(codes) < SHINGLE_CHARS:
        return EMPTY, np.zeros(len(norms), np.int64)
    packed = packed_shingles(codes)
    places = len(packed)
    # A shingle belongs to the text it starts in, if it ends there too.
    text = np.repeat(np.arange(len(norms)), lengths)[:places]
    ends = np.cumsum(lengths)
    whole = np.arange(places) + SHINGLE_CHARS <= ends[text]
    text, packed = text[whole], packed[whole]
    order = np.lexsort((packed, text))
    text, packed = text[order], packed[order]
    first = np.ones(len(packed), bool)
    first[1:] = (packed[1:] != packed[:-1]) | (text[1:] != text[:-1])
    return packed[first], np.bincount(text[first], minlength=len(norms))


@lru_cache(maxsize=1)
def minhash_maker():
    """Return one datasketch MinHash of the project's permutations, cleared and reused for every text."""
    from datasketch import MinHash  # imported where sketches are made: serving never needs it
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)


def signature(shingle_set):
    """Return the MinHash values (uint32, NUM_PERM of them) of a shingle set, computed by datasketch."""
    minhash = minhash_maker()
    minhash.clear()
    # A list of Python ints: datasketch calls hashfunc (int) on each, faster than on numpy scalars.
    minhash.update_batch(((shingle_set * FOLD_32) >> np.uint64(32)).astype(np.uint32).tolist())
    return minhash.hashvalues.copy()


def band_keys(signatures):
    """Return the LSH band keys (uint32, BANDS per row) of MinHash signatures (rows of NUM_PERM values).

    Two signatures share a band key where they agree on all ROWS values of that band (or,
    once in 2^32, by chance: such a candidate is dropped by the exact check).
    """
    values = np.asarray(signatures, np.uint64).reshape(len(signatures), BANDS, ROWS)
    keys = np.full((len(signatures), BANDS), np.uint64(0xCBF29CE484222325))
    for row in range(ROWS):
        keys = (keys ^ values[:, :, row]) * FNV_PRIME
    return (keys ^ (keys >> np.uint64(32))).astype(np.uint32)


def sketch(norms):
    """Return the sketches of eligible normalized texts: text hashes, band keys, low bytes of the signatures.

    The low byte of each MinHash value is enough to estimate how many values two texts share
    (pairs.py's prefilter): unequal values agree there once in 256, which only lets more through.
    """
    hashes = np.array([text_hash(norm) for norm in norms], np.uint64)
    signatures = np.array([signature(shingles(norm)) for norm in norms], np.uint32).reshape(len(norms), NUM_PERM)
    return {"text_hashes": hashes, "band_keys": band_keys(signatures).reshape(-1),
            "signatures": (signatures & 0xFF).astype(np.uint8).reshape(-1)}
