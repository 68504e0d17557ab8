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
# datasketch's permutation scheme whose arithmetic signatures() does, and the value of an empty set.
AFFINE32 = "affine32"
EMPTY_VALUE = np.uint32(0xFFFFFFFF)
# Texts whose shingle sets are held at once while their signatures are made (some 1.8 KB each).
SKETCH_TEXTS = 1024
# MurmurHash3's 32-bit finalizer: (shift, multiplier) twice, then a last shift by 16.
FMIX32_STEPS = ((16, 0x85EBCA6B), (13, 0xC2B2AE35))


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
    """Return one datasketch MinHash of the project's permutations (its a and b are what signatures() applies)."""
    from datasketch import MinHash  # imported where sketches are made: serving never needs it
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, hashfunc=int)
    if minhash.scheme != AFFINE32:
        raise RuntimeError(f"datasketch makes MinHash values by its {minhash.scheme!r} scheme; the sketches are"
                           f" datasketch's {AFFINE32!r} ones (datasketch==2.0.0, pinned in requirements.txt)")
    return minhash


def signature(shingle_set):
    """Return the MinHash values (uint32, NUM_PERM of them) of a shingle set, computed by datasketch itself."""
    minhash = minhash_maker()
    minhash.clear()
    # A list of Python ints: datasketch calls hashfunc (int) on each, faster than on numpy scalars.
    minhash.update_batch(folded(shingle_set).tolist())
    return minhash.hashvalues.copy()


def folded(shingle_set):
    """Return the 32-bit values of packed shingles that their MinHash permutes (FOLD_32)."""
    return ((shingle_set * FOLD_32) >> np.uint64(32)).astype(np.uint32)


def fmix32(values):
    """Return MurmurHash3's 32-bit finalizer of uint32 values: datasketch's pre-mix of its affine32 scheme."""
    for shift, multiplier in FMIX32_STEPS:
        values = values ^ (values >> np.uint32(shift))
        values *= np.uint32(multiplier)
    return values ^ (values >> np.uint32(16))


def signatures(shingle_sets):
    """Return the MinHash values of shingle sets, a row of NUM_PERM uint32 each: signature() of each, bit for bit.

    datasketch's affine32 arithmetic (each value pre-mixed, then a * value + b modulo 2^32
    for each permutation, the least per permutation) over numpy arrays: datasketch's
    update_batch() takes a Python list and makes an array of it again for every text, half
    of a sketch's time. Checked against signature() on first use (same_as_datasketch()).
    """
    same_as_datasketch()
    return signature_rows(shingle_sets)


def signature_rows(shingle_sets):
    """Return signatures() of shingle sets without the check against datasketch."""
    a, b = minhash_maker().permutations
    sizes = np.fromiter(map(len, shingle_sets), np.int64, len(shingle_sets))
    ends = np.cumsum(sizes)
    mixed = fmix32(folded(np.concatenate(shingle_sets))) if len(shingle_sets) else EMPTY.astype(np.uint32)
    rows = np.full((len(shingle_sets), NUM_PERM), EMPTY_VALUE, np.uint32)
    for row, (start, end) in enumerate(zip((ends - sizes).tolist(), ends.tolist())):
        if end > start:
            permuted = mixed[start:end, None] * a
            permuted += b
            permuted.min(axis=0, out=rows[row])
    return rows


@lru_cache(maxsize=1)
def same_as_datasketch():
    """Raise RuntimeError unless signature_rows() gives datasketch's own signatures on a few made-up sets."""
    made_up = [np.arange(size, dtype=np.uint64) * np.uint64(0x100003) + np.uint64(size) for size in (0, 1, 7, 300)]
    if not np.array_equal(signature_rows(made_up), np.array([signature(found) for found in made_up], np.uint32)):
        raise RuntimeError("the MinHash values computed here differ from datasketch's own"
                           " (datasketch==2.0.0, pinned in requirements.txt)")
    return True


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
    rows = np.empty((len(norms), NUM_PERM), np.uint32)
    for start in range(0, len(norms), SKETCH_TEXTS):
        rows[start:start + SKETCH_TEXTS] = signatures([shingles(norm) for norm in norms[start:start + SKETCH_TEXTS]])
    return {"text_hashes": hashes, "band_keys": band_keys(rows).reshape(-1),
            "signatures": (rows & 0xFF).astype(np.uint8).reshape(-1)}
