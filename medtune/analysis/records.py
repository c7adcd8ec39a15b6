"""Reading an evaluation's ``predictions.jsonl`` and tagging each row with its specialty and errors."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.analysis.error_types import detect_errors, fixed_and_introduced, unsupported_medications, words
from medtune.errors import DataError
from medtune.io import iter_jsonl
from medtune.medical.specialty import classify_specialty

#: ``progress(step, done, total)``: called as work advances (the data layer's convention).
Progress = Callable[[str, int, int], None]


@dataclass
class Analysed:
    """One prediction with what analysis found (the baseline fields are None without one)."""

    id: str
    question: str
    reference: str
    prediction: str
    scores: dict[str, float]
    specialty: str = ""
    errors: list[str] = field(default_factory=list)
    unsupported_medications: list[str] = field(default_factory=list)
    baseline_prediction: str | None = None
    baseline_scores: dict[str, float] = field(default_factory=dict)
    baseline_errors: list[str] | None = None

    @property
    def has_baseline(self) -> bool:
        return self.baseline_prediction is not None

    def category(self) -> dict[str, Any]:
        """The row of ``categories.jsonl``."""
        row: dict[str, Any] = {
            "id": self.id,
            "specialty": self.specialty,
            "errors": self.errors,
            "unsupported_medications": self.unsupported_medications,
            "prediction_words": len(words(self.prediction)),
            "reference_words": len(words(self.reference)),
        }
        if self.baseline_errors is not None:
            fixed, introduced = fixed_and_introduced(self.baseline_errors, self.errors)
            row |= {"baseline_errors": self.baseline_errors, "fixed": fixed, "introduced": introduced}
        return row


def _lines(path: Path) -> Iterator[int]:
    """Line numbers of the non-blank lines (the ones :func:`iter_jsonl` yields)."""
    with path.open(encoding="utf-8") as fh:
        yield from (n for n, line in enumerate(fh, start=1) if line.strip())


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


def _finished(row: dict[str, Any], key: str) -> bool | None:
    value = row.get(key)
    return value if isinstance(value, bool) else None


def load_predictions(path: str | Path, progress: Progress | None = None) -> list[Analysed]:
    """Read and check every line of ``path`` and tag it; a bad line is a DataError naming it.

    ``progress(step, done, total)`` is called after each example."""
    path = Path(path)
    rows = list(iter_jsonl(path))
    if not rows:
        raise DataError(f"{path}: no predictions (the file is empty)")
    analysed = []
    for done, (row, lineno) in enumerate(zip(rows, _lines(path), strict=True), start=1):
        where = f"{path}:{lineno}"
        reference = _text(row, "reference", where, required=True)
        if not reference.strip():
            raise DataError(
                f"{where}: 'reference' is empty; analysis compares each prediction with its reference"
            )
        question = _text(row, "question", where, required=True)
        prediction = _text(row, "prediction", where, required=True)
        item = Analysed(
            id=str(row.get("id", lineno)),
            question=question,
            reference=reference,
            prediction=prediction,
            scores=_scores(row, "scores", where),
            specialty=classify_specialty(question, reference),
            errors=detect_errors(question, reference, prediction, _finished(row, "finished")),
            unsupported_medications=unsupported_medications(question, reference, prediction),
        )
        baseline = _text(row, "baseline_prediction", where, required=False)
        if baseline is not None:
            item.baseline_prediction = baseline
            item.baseline_scores = _scores(row, "baseline_scores", where)
            item.baseline_errors = detect_errors(
                question, reference, baseline, _finished(row, "baseline_finished")
            )
        analysed.append(item)
        if progress is not None:
            progress("examples", done, len(rows))
    return analysed
