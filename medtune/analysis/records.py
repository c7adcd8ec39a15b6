"""Reading an evaluation's ``predictions.jsonl`` and tagging each row with its specialty and errors."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.analysis.error_types import detect_errors, fixed_and_introduced, unsupported_medications
from medtune.evaluation.predictions import read_predictions
from medtune.medical.specialty import classify_specialty
from medtune.progress import ProgressFn
from medtune.text import words


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


def load_predictions(path: str | Path, progress: ProgressFn | None = None) -> list[Analysed]:
    """Read and check every line of ``path`` and tag it; a bad line is a DataError naming it.

    ``progress(step, done, total)`` is called after each example."""
    rows = read_predictions(path)
    analysed = []
    for done, row in enumerate(rows, start=1):
        item = Analysed(
            id=row.id,
            question=row.question,
            reference=row.reference,
            prediction=row.prediction,
            scores=row.scores,
            specialty=classify_specialty(row.question, row.reference),
            errors=detect_errors(row.question, row.reference, row.prediction, row.finished),
            unsupported_medications=unsupported_medications(row.question, row.reference, row.prediction),
        )
        if row.baseline_prediction is not None:
            item.baseline_prediction = row.baseline_prediction
            item.baseline_scores = row.baseline_scores
            item.baseline_errors = detect_errors(
                row.question, row.reference, row.baseline_prediction, row.baseline_finished
            )
        analysed.append(item)
        if progress is not None:
            progress("examples", done, len(rows))
    return analysed
