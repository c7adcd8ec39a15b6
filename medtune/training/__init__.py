"""Training: ``train(settings)`` runs ``train.method`` (supervised fine-tuning, or DPO, ORPO
or KTO preference tuning), ``train(settings, dry_run=True)`` plans it. Heavy libraries
load when a run starts, not on import."""

from __future__ import annotations

from typing import TYPE_CHECKING

from medtune.training.sft import TrainPlan, TrainResult

if TYPE_CHECKING:
    from medtune.config import Settings
    from medtune.training.callbacks import ProgressReporter

__all__ = ["TrainPlan", "TrainResult", "preflight", "train"]


def train(
    settings: Settings,
    *,
    progress: ProgressReporter | None = None,
    dry_run: bool = False,
    smoke: bool = False,
) -> TrainResult | TrainPlan:
    """Run (or with ``dry_run`` plan) ``train.method``: :func:`medtune.training.sft.train`
    or :func:`medtune.training.preference.train`, which take the same arguments."""
    if settings.train.method == "sft":
        from medtune.training.sft import train as run
    else:
        from medtune.training.preference import train as run
    return run(settings, progress=progress, dry_run=dry_run, smoke=smoke)


def preflight(settings: Settings) -> tuple[str, list[str]]:
    """The checks a run makes before anything is loaded (exit 2 for what cannot work),
    also made before ``--gpus N`` starts its processes: the device and notes about it."""
    if settings.train.method == "sft":
        from medtune.training.sft import preflight as check
    else:
        from medtune.training.preference import preflight as check
    return check(settings)
