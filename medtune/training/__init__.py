"""Training: ``train(settings)`` runs ``train.method`` (supervised fine-tuning, or DPO, ORPO
or KTO preference tuning), ``plan(settings)`` plans it, ``check(settings)`` reports every
problem it would stop on. Heavy libraries
load when a run starts, not on import."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from medtune.training.sft import TrainPlan, TrainResult

if TYPE_CHECKING:
    from medtune.config import Settings
    from medtune.training.callbacks import ProgressReporter

__all__ = ["TrainPlan", "TrainResult", "check", "plan", "preflight", "train"]


def train(
    settings: Settings, *, progress: ProgressReporter | None = None, smoke: bool = False
) -> TrainResult:
    """Run ``train.method``: :func:`medtune.training.sft.train` or
    :func:`medtune.training.preference.train` (``smoke``: on a tiny model for a few steps)."""
    result = _method(settings)(settings, progress=progress, smoke=smoke)
    assert isinstance(result, TrainResult)
    return result


def plan(settings: Settings, *, progress: ProgressReporter | None = None, smoke: bool = False) -> TrainPlan:
    """What :func:`train` would do (``--dry-run``): nothing is trained or written."""
    result = _method(settings)(settings, progress=progress, dry_run=True, smoke=smoke)
    assert isinstance(result, TrainPlan)
    return result


def check(settings: Settings) -> None:
    """Every problem a run would stop on before loading a model (the training split, the
    hardware, the settings), reported together: one MedtuneError, or :class:`Problems`."""
    from medtune.errors import MedtuneError, Problems
    from medtune.training.sft import read_splits

    found: list[MedtuneError] = []
    for step in (read_splits, preflight):
        try:
            step(settings)
        except MedtuneError as exc:
            found.append(exc)
    if len(found) == 1:
        raise found[0]
    if found:
        raise Problems(found)


def _method(settings: Settings) -> Any:
    if settings.train.method == "sft":
        from medtune.training import sft

        return sft.train
    from medtune.training import preference

    return preference.train


def preflight(settings: Settings) -> tuple[str, list[str]]:
    """The checks a run makes before anything is loaded (exit 2 for what cannot work),
    also made before ``--gpus N`` starts its processes: the device and notes about it."""
    if settings.train.method == "sft":
        from medtune.training.sft import preflight as check
    else:
        from medtune.training.preference import preflight as check
    return check(settings)
