"""Training: ``train(settings)`` runs ``train.method`` (supervised fine-tuning, or DPO, ORPO
or KTO preference tuning), ``plan(settings)`` plans it, ``check(settings)`` reports every
problem it would stop on. Heavy libraries
load when a run starts, not on import."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from medtune.errors import MedtuneError, Problems
from medtune.training import preference, sft
from medtune.training.results import TrainPlan, TrainResult
from medtune.training.runner import read_splits

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


def _method(settings: Settings) -> Callable[..., TrainResult | TrainPlan]:
    return sft.train if settings.train.method == "sft" else preference.train


def preflight(settings: Settings) -> tuple[str, list[str]]:
    """The checks a run makes before anything is loaded (exit 2 for what cannot work),
    also made before ``--gpus N`` starts its processes: the device and notes about it."""
    return (sft.preflight if settings.train.method == "sft" else preference.preflight)(settings)
