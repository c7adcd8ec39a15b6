"""What every training run does around its Trainer: the resume point, the callbacks
(progress, log lines, Ctrl-C), the run log, ``final/``, the manifest and the result.

Supervised fine-tuning (:mod:`.sft`) and preference tuning (:mod:`.preference`) each build
their own Trainer and hand it to :func:`fit`, so both resume, stop on a signal and leave
the same outputs in the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.config import Settings

if TYPE_CHECKING:
    from medtune.training.callbacks import ProgressReporter
    from medtune.training.dataset import TokenStats
    from medtune.training.sft import TrainResult

log = logging.getLogger("medtune.training")


class Notes:
    """One-line remarks for the user: kept for the result, shown by the reporter."""

    def __init__(self, progress: ProgressReporter | None) -> None:
        self.progress = progress
        self.lines: list[str] = []

    def add(self, message: str) -> None:
        self.lines.append(message)
        if self.progress is not None:
            self.progress.note(message)

    def extend(self, messages: Sequence[str]) -> None:
        for message in messages:
            self.add(message)


def fit(
    settings: Settings,
    build: Callable[[list[Any]], Any],
    notes: Notes,
    progress: ProgressReporter | None,
    *,
    tokens: TokenStats,
    device: str,
    packing: bool,
    has_eval: bool,
    context: AbstractContextManager[Any] | None = None,
    figures: Callable[[Sequence[Mapping[str, Any]]], dict[str, float]] | None = None,
) -> TrainResult:
    """Train the Trainer that ``build(callbacks)`` returns (resuming per
    ``train.resume_from_checkpoint``) inside ``context``; save ``final/`` and, on the main
    process, ``manifest.json``. ``figures(log_history)`` adds the method's own end-of-run
    figures to the result. After Ctrl-C the result is ``interrupted`` and ``final/`` is not
    written."""
    from transformers import PrinterCallback

    from medtune.training.callbacks import InterruptCallback, LogCallback, ProgressCallback
    from medtune.training.checkpoints import resolve_resume
    from medtune.training.outputs import run_log, save_final, write_run_manifest
    from medtune.training.sft import TrainResult

    output_dir = Path(settings.train.output_dir)
    resume, message = resolve_resume(settings.train.resume_from_checkpoint, output_dir)
    if message:
        notes.add(message)
    interrupt = InterruptCallback()
    trainer = build([interrupt, LogCallback(), *([ProgressCallback(progress)] if progress else [])])
    trainer.remove_callback(PrinterCallback)
    main = trainer.is_world_process_zero()
    with run_log(output_dir, enabled=main), context or nullcontext():
        for line in notes.lines:
            log.info(line)
        started = time.perf_counter()
        trainer.train(resume_from_checkpoint=str(resume) if resume else None)
        runtime = time.perf_counter() - started
        stopped = interrupt.interrupted
        history = trainer.state.log_history
        result = TrainResult(
            output_dir=output_dir,
            final_dir=None if stopped else save_final(trainer, output_dir),
            manifest=None,
            interrupted=stopped,
            global_step=trainer.state.global_step,
            train_loss=_last(history, "loss"),
            eval_loss=None if stopped or not has_eval else _final_eval_loss(trainer),
            tokens_seen=int(trainer.state.num_input_tokens_seen),
            runtime_seconds=runtime,
            truncated=tokens.truncated,
            device=device,
            packing=packing,
            resumed_from=resume,
            notes=notes.lines,
            loss_history=[(e["step"], e["loss"]) for e in history if "loss" in e],
            figures=figures(history) if figures else {},
        )
        if main:
            summary = result.summary()
            result.manifest = write_run_manifest(
                settings, output_dir, tokens=tokens.as_dict(), result=summary
            )
            log.info("run finished: %s", summary)
    return result


def _final_eval_loss(trainer: Any) -> float | None:
    """Validation loss of the final weights (reusing an evaluation at the last step)."""
    evals = [e for e in trainer.state.log_history if "eval_loss" in e]
    if evals and evals[-1].get("step") == trainer.state.global_step:
        return float(evals[-1]["eval_loss"])
    return trainer.evaluate().get("eval_loss")


def _last(history: Sequence[Mapping[str, Any]], key: str) -> float | None:
    values = [entry[key] for entry in history if key in entry]
    return float(values[-1]) if values else None
