"""Deterministic train/validation/test split that keeps near-duplicate questions together.

Questions are grouped when their normalised text is equal or when they are near
duplicates: MinHash over lower-cased word 3-shingles (:data:`NUM_HASHES` hashes in
:data:`BANDS` LSH bands), a candidate pair joining a group only when the signatures agree
on at least :data:`THRESHOLD` of the hashes (estimated Jaccard similarity). Words are
hashed with CRC-32 and fixed-seed multipliers, so the groups depend only on the input,
never on ``PYTHONHASHSEED``.

Each group is ordered by a keyed BLAKE2 hash of ``(seed, its first question)`` and the
groups are dealt to train until it holds ``train_ratio`` of the rows, then validation,
then test. A group never straddles two splits; the same input and seed give the same split.
"""

from __future__ import annotations

import hashlib
import zlib
from array import array
from collections.abc import Sequence

import numpy as np

from medtune.data.clean import question_key

NUM_HASHES = 16
BANDS = 4
THRESHOLD = 0.75
SHINGLE = 3
SPLITS = ("train", "validation", "test")
#: ASCII punctuation and whitespace become spaces before splitting into words.
_PUNCT = bytes(b for b in range(128) if not chr(b).isalnum())
_TO_SPACE = bytes.maketrans(_PUNCT, b" " * len(_PUNCT))
_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)


def _find(parent: list[int], i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def _union(parent: list[int], a: int, b: int) -> None:
    ra, rb = _find(parent, a), _find(parent, b)
    if ra != rb:
        parent[max(ra, rb)] = min(ra, rb)


def signatures(questions: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """(MinHash signatures [n, NUM_HASHES] as uint64, mask of rows that have a shingle)."""
    hashes = array("I")  # CRC-32 of each word, compact (10M words = 40 MB)
    lengths = np.empty(len(questions), dtype=np.int64)
    for row, text in enumerate(questions):
        words = text.lower().encode("utf-8", "surrogatepass").translate(_TO_SPACE).split()
        hashes.extend(map(zlib.crc32, words))
        lengths[row] = len(words)
    rng = np.random.default_rng(0)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    has = lengths >= SHINGLE
    # shingle i covers tokens i .. i+SHINGLE-1 and must not cross into the next question
    n_sh = np.where(has, lengths - SHINGLE + 1, 0)
    sh_starts = np.repeat(starts, n_sh) + (np.arange(n_sh.sum()) - np.repeat(np.cumsum(n_sh) - n_sh, n_sh))
    mults = rng.integers(1, 2**63, size=SHINGLE, dtype=np.uint64) | np.uint64(1)
    shingles = np.zeros(len(sh_starts), dtype=np.uint64)
    with np.errstate(over="ignore"):
        tokens = np.frombuffer(hashes, dtype=np.uint32).astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        for k in range(SHINGLE):
            shingles += tokens[sh_starts + k] * mults[k]
        a = rng.integers(1, 2**63, size=NUM_HASHES, dtype=np.uint64) | np.uint64(1)
        b = rng.integers(0, 2**63, size=NUM_HASHES, dtype=np.uint64)
        sig = np.full((len(questions), NUM_HASHES), _MASK64, dtype=np.uint64)
        offsets = (np.cumsum(n_sh) - n_sh)[has]
        for h in range(NUM_HASHES):
            mixed = shingles * a[h] + b[h]
            mixed ^= mixed >> np.uint64(29)
            if len(offsets):
                sig[has, h] = np.minimum.reduceat(mixed, offsets)
    return sig, has


def group(questions: Sequence[str], keys: Sequence[bytes]) -> list[int]:
    """Group id (the smallest row index in the group) of every question; ``keys`` are the
    questions' :func:`~medtune.data.clean.question_key`."""
    n = len(questions)
    parent = list(range(n))
    first: dict[bytes, int] = {}
    for i, key in enumerate(keys):
        j = first.setdefault(key, i)
        if j != i:
            _union(parent, j, i)
    sig, has = signatures(questions)
    rows = np.flatnonzero(has)
    per_band = NUM_HASHES // BANDS
    with np.errstate(over="ignore"):
        for band in range(BANDS):
            cols = sig[rows, band * per_band : (band + 1) * per_band]
            band_key = np.zeros(len(rows), dtype=np.uint64)
            for c in range(per_band):
                band_key = band_key * np.uint64(0x9E3779B97F4A7C15) + cols[:, c]
            order = np.argsort(band_key, kind="stable")
            sorted_key = band_key[order]
            same = np.flatnonzero(sorted_key[1:] == sorted_key[:-1])
            if not len(same):
                continue
            lead = np.maximum.accumulate(
                np.where(np.r_[True, sorted_key[1:] != sorted_key[:-1]], np.arange(len(order)), 0)
            )
            left, right = rows[order[lead[same + 1]]], rows[order[same + 1]]
            agree = (sig[left] == sig[right]).mean(axis=1) >= THRESHOLD
            for i, j in zip(left[agree].tolist(), right[agree].tolist(), strict=True):
                _union(parent, i, j)
    return [_find(parent, i) for i in range(n)]


def assign(
    questions: Sequence[str], ratios: tuple[float, float, float], seed: int
) -> tuple[dict[str, list[int]], dict[str, int]]:
    """Row indices of each split (ascending), dealing whole groups in seeded-hash order,
    and the count of multi-question groups and their rows (for the data card)."""
    keys = [question_key(q) for q in questions]
    groups = group(questions, keys)
    members: dict[int, list[int]] = {}
    for i, g in enumerate(groups):
        members.setdefault(g, []).append(i)

    def rank(g: int) -> bytes:
        digest = hashlib.blake2b(keys[g], digest_size=8, key=str(seed).encode()[:64])
        return digest.digest() + g.to_bytes(8, "big")

    n = len(questions)
    targets = (round(ratios[0] * n), round((ratios[0] + ratios[1]) * n))
    out: dict[str, list[int]] = {name: [] for name in SPLITS}
    filled = 0
    for g in sorted(members, key=rank):
        name = SPLITS[0] if filled < targets[0] else SPLITS[1] if filled < targets[1] else SPLITS[2]
        out[name] += members[g]
        filled += len(members[g])
    multi = [len(m) for m in members.values() if len(m) > 1]
    stats = {"near_duplicate_groups": len(multi), "rows_in_groups": sum(multi)}
    return {name: sorted(rows) for name, rows in out.items()}, stats


def rows_needed(ratios: tuple[float, float, float], limit: int = 100_000) -> int:
    """The fewest rows (ungrouped questions) for which every split with a share gets one."""
    for n in range(1, limit):
        cuts = (0, round(ratios[0] * n), round((ratios[0] + ratios[1]) * n), n)
        if all(hi > lo for lo, hi, r in zip(cuts, cuts[1:], ratios, strict=False) if r > 0):
            return n
    return limit
