"""Reading a predictions file: answers made by ``medtune eval`` or anywhere else.

One JSON object per line: ``question``, ``reference`` and ``prediction`` (strings,
required; the reference non-empty), optional ``id`` (default: the line number),
``baseline_prediction``, ``finished`` / ``baseline_finished`` (whether generation ended
with EOS) and ``scores`` / ``baseline_scores`` ({metric: number}). ``medtune eval
--predictions-file`` scores such a file; ``medtune analyze`` reads the one eval writes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.errors import DataError
from medtune.io import numbered_jsonl, read_json_object


@dataclass(frozen=True)
class Prediction:
    """One answered question, as read from a predictions file."""

    line: int
    id: str
    question: str
    reference: str
    prediction: str
    finished: bool | None = None
    baseline_prediction: str | None = None
    baseline_finished: bool | None = None
    scores: dict[str, float] = field(default_factory=dict)
    baseline_scores: dict[str, float] = field(default_factory=dict)


def _text(row: dict[str, Any], key: str, where: str, *, required: bool) -> str | None:
    value = row.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str):
        got = "missing" if value is None else f"of type {type(value).__name__}"
        raise DataError(f"{where}: '{key}' is {got}; each line needs a string '{key}'")
    return value


def _scores(row: dict[str, Any], key: str, where: str) -> dict[str, float]:
    scores = row.get(key) or {}
    if not isinstance(scores, dict):
        raise DataError(f"{where}: '{key}' must be an object of metric -> number")
    return {
        name: float(v)
        for name, v in scores.items()
        if isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    }


def _check_finished(path: Path) -> None:
    """An evaluation folder streams ``predictions.jsonl`` beside a manifest naming its
    generation, and writes ``metrics.json`` when every answer is there."""
    manifest = path.parent / "manifest.json"
    if path.name != "predictions.jsonl" or not manifest.is_file() or (path.parent / "metrics.json").exists():
        return
    if "generation" in read_json_object(manifest):
        raise DataError(
            f"{path}: its evaluation has not finished (no metrics.json beside it); "
            "rerun the same 'medtune eval' to complete it"
        )


def _flag(row: dict[str, Any], key: str) -> bool | None:
    value = row.get(key)
    return value if isinstance(value, bool) else None


def read_predictions(path: str | Path) -> list[Prediction]:
    """Every line of ``path``, checked; a bad line is a DataError naming it, and so is the
    answer stream of an evaluation that has not finished (killed: its answers so far)."""
    path = Path(path)
    _check_finished(path)
    out = []
    for line, row in numbered_jsonl(path):
        where = f"{path}:{line}"
        reference = _text(row, "reference", where, required=True)
        assert reference is not None
        if not reference.strip():
            raise DataError(f"{where}: 'reference' is empty; each prediction is compared with its reference")
        out.append(
            Prediction(
                line=line,
                id=str(row.get("id", line)),
                question=_text(row, "question", where, required=True) or "",
                reference=reference,
                prediction=_text(row, "prediction", where, required=True) or "",
                finished=_flag(row, "finished"),
                baseline_prediction=_text(row, "baseline_prediction", where, required=False),
                baseline_finished=_flag(row, "baseline_finished"),
                scores=_scores(row, "scores", where),
                baseline_scores=_scores(row, "baseline_scores", where),
            )
        )
    if not out:
        raise DataError(f"{path}: no predictions (the file is empty)")
    return out
