"""Benchmarks: MultiMedQA accuracy through lm-evaluation-harness, fine-tuned vs base, with
paired statistics and a do-no-harm gate. ``benchmark(settings)`` runs it all; the task list
and the readers of the original releases (:mod:`.tasks`, :mod:`.sources`) import nothing heavy."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from medtune.benchmark.run import BenchmarkResult
    from medtune.config import Settings
    from medtune.progress import ProgressFn

__all__ = ["benchmark"]


def benchmark(settings: Settings, *, progress: ProgressFn | None = None) -> BenchmarkResult:
    """Score, compare and report (see :func:`medtune.benchmark.run.benchmark`)."""
    # Imported here, not above: data.contamination imports this package (.sources, .tasks)
    # and the run imports the data and evaluation stack, so that would be a cycle.
    from medtune.benchmark.run import benchmark as run

    return run(settings, progress=progress)
