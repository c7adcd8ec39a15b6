"""``medtune analyze``: error analysis of an evaluation's predictions."""

from __future__ import annotations

from medtune.cli.options import not_landed


def analyze() -> None:
    """Classify errors and specialties; write plots and a report.

    Example: medtune analyze --predictions-file outputs/evaluation/latest/predictions.jsonl
    """
    not_landed("analyze", "issue #5")
