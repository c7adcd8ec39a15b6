"""Record ids: stable digests of a row's text, so the same row gets the same id in every run."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable


def digest(*parts: str | int) -> str:
    """A 16-hex-digit BLAKE2 digest of ``parts``."""
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def record_ids(pairs: Iterable[tuple[str, str]]) -> list[str]:
    """The id of each (question, answer): its digest, with ``-2``, ``-3``... for repeats."""
    seen: Counter = Counter()
    out = []
    for question, answer in pairs:
        rid = digest(question, answer)
        seen[rid] += 1
        out.append(rid if seen[rid] == 1 else f"{rid}-{seen[rid]}")
    return out
