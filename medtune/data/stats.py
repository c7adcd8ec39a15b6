"""Read back a processed folder: per-split counts, length percentiles, first records."""

from __future__ import annotations

from collections import Counter
from itertools import islice
from pathlib import Path
from typing import Any

from medtune.data.preference import taught_answer
from medtune.errors import DataError
from medtune.io import iter_jsonl, numbered_jsonl

SPLITS = ("train", "validation", "test")
PERCENTILES = (50, 90, 99)


def split_file(folder: str | Path, split: str) -> Path:
    """``folder/<split>.jsonl``; a missing folder or file is a DataError naming the fix."""
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}; use one of {', '.join(SPLITS)}")
    path = Path(folder) / f"{split}.jsonl"
    if not path.is_file():
        raise DataError(f"{path}: not found; run 'medtune data prepare' first")
    return path


def _percentiles(lengths: list[int]) -> dict[str, float]:
    import numpy as np

    values = np.percentile(lengths, PERCENTILES) if lengths else [0.0] * len(PERCENTILES)
    return {f"p{p}": float(v) for p, v in zip(PERCENTILES, values, strict=True)}


def split_stats(folder: str | Path, tokenizer: str | None = None) -> dict[str, Any]:
    """Rows, flag counts and p50/p90/p99 input/output lengths (words, or tokens of
    ``tokenizer``) of every split; the output of preference data is the taught answer (the
    chosen one, or the completion)."""
    if tokenizer:
        from transformers import AutoTokenizer

        tok = AutoTokenizer.from_pretrained(tokenizer)

        def measure(texts: list[str]) -> list[int]:
            return [len(ids) for ids in tok(texts, add_special_tokens=False)["input_ids"]]
    else:

        def measure(texts: list[str]) -> list[int]:
            return [len(t.split()) for t in texts]

    out: dict[str, Any] = {"unit": "tokens" if tokenizer else "words", "splits": {}}
    for split in SPLITS:
        path = split_file(folder, split)
        records = []
        for line, record in numbered_jsonl(path):
            if not isinstance(record.get("input"), str):
                raise DataError(f"{path}:{line}: 'input' is missing or not text; is this a processed folder?")
            records.append(record)
        flags = Counter(f for r in records for f in r.get("flags") or [])
        out["splits"][split] = {
            "rows": len(records),
            "input": _percentiles(measure([r["input"] for r in records])),
            "output": _percentiles(measure([taught_answer(r) for r in records])),
            "flags": dict(sorted(flags.items())),
        }
    return out


def head(folder: str | Path, split: str = "test", n: int = 3) -> list[dict[str, Any]]:
    """The first ``n`` records of ``split``."""
    return list(islice(iter_jsonl(split_file(folder, split)), n))
