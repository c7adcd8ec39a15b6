"""Evaluation: batched generation, lexical, semantic and medical metrics, bootstrap
statistics and reports. ``evaluate(settings)`` runs it all; the pieces are importable on
their own (``medtune.medical`` has no heavy dependency)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medtune.config import Settings
    from medtune.evaluation.run import EvalResult
    from medtune.progress import ProgressFn

__all__ = ["evaluate"]


def evaluate(settings: Settings, *, progress: ProgressFn | None = None) -> EvalResult:
    """Generate, score and report (see :func:`medtune.evaluation.run.evaluate`)."""
    # Imported here, not above: the run imports medtune.medical, which imports this package
    # (evaluation.repetition), so a module-level import would be a cycle.
    from medtune.evaluation.run import evaluate as run

    return run(settings, progress=progress)
