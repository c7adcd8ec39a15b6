"""Trainer callbacks: progress reporting, log lines, Ctrl-C that saves a checkpoint, and
where a resumed run starts."""

from __future__ import annotations

import json
import logging
import signal
import time
from collections.abc import Mapping
from typing import Any, Protocol

from transformers import TrainerCallback, TrainerControl, TrainerState, TrainingArguments

from medtune.config import redact

log = logging.getLogger("medtune.training")


class ProgressReporter(Protocol):
    """What a front end (e.g. the CLI's Rich progress bar) implements to follow a run."""

    def note(self, message: str) -> None:
        """A one-line remark (device choice, dropped reporter, resume point)."""

    def start(self, total_steps: int, first_step: int) -> None:
        """Training begins (or resumes at ``first_step``) and will run ``total_steps``."""

    def update(self, step: int, metrics: Mapping[str, float]) -> None:
        """Optimizer step ``step`` finished; ``metrics`` holds the latest loss, learning_rate,
        tokens_per_second and, after evaluations, eval_loss."""

    def finish(self) -> None:
        """Training ended (normally or interrupted)."""


class ProgressCallback(TrainerCallback):
    """Feed a :class:`ProgressReporter` from the main process: logged metrics plus the
    non-padding tokens per second since training (or this resumed part) began, the figure
    the end-of-run summary reports (``TrainResult.tokens_per_second``), measured the same way."""

    def __init__(self, reporter: ProgressReporter) -> None:
        self.reporter = reporter
        self.metrics: dict[str, float] = {}
        self._start: tuple[float, int] = (0.0, 0)

    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        if state.is_world_process_zero:
            self.reporter.start(state.max_steps, state.global_step)
        self._start = (time.perf_counter(), state.num_input_tokens_seen)

    def on_step_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        now, tokens = time.perf_counter(), state.num_input_tokens_seen
        began, before = self._start
        if now > began:
            self.metrics["tokens_per_second"] = (tokens - before) / (now - began)
        if state.is_world_process_zero:
            self.reporter.update(state.global_step, dict(self.metrics))

    def on_log(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        logs = kw.get("logs") or {}
        self.metrics.update(
            {k: float(v) for k, v in logs.items() if k in ("loss", "learning_rate", "eval_loss")}
        )
        if state.is_world_process_zero:
            self.reporter.update(state.global_step, dict(self.metrics))

    def on_train_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        if state.is_world_process_zero:
            self.reporter.finish()


class LogCallback(TrainerCallback):
    """Write every logged metrics dict to the ``medtune.training`` logger (redacted)."""

    def on_log(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        if state.is_world_process_zero:
            payload = {"step": state.global_step, **(kw.get("logs") or {})}
            log.info(redact(json.dumps(payload, sort_keys=True, default=str)))


class RunComplete(Exception):
    """The checkpoint a run resumed from is at or past its last step: nothing to train."""


class ResumeCallback(TrainerCallback):
    """Note where this part of a run starts (step, tokens seen: throughput counts only the
    part that ran) and raise :class:`RunComplete` when a resumed run is already at or past
    its last step: the Trainer's loop would train one step more and save checkpoint-N+1.
    The checkpoint is loaded by then, so the model holds its weights. List it before the
    other medtune callbacks, so none of them starts (progress bar, signal handlers)."""

    def __init__(self) -> None:
        self.start_step = 0
        self.start_tokens = 0

    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        self.start_step, self.start_tokens = state.global_step, int(state.num_input_tokens_seen)
        if state.global_step > 0 and state.global_step >= state.max_steps:
            raise RunComplete(f"step {state.global_step} of {state.max_steps}")


class InterruptCallback(TrainerCallback):
    """First Ctrl-C (SIGINT) or SIGTERM: finish the current step, save a checkpoint, stop
    training. A second one interrupts immediately. With several processes, all of them
    stop after the same step: each step ends with a max-reduction of the flag, so a rank
    that got the signal a step later than another cannot leave it waiting in a collective.
    A signal after the last step (during the final evaluation or save) stops nothing."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        #: True once the run stopped for a signal (all processes agreed on the step).
        self.interrupted = False
        self._signalled = False
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: Any) -> None:
        self._signalled = True
        log.warning("%s received: saving a checkpoint after this step", signal.Signals(signum).name)
        self.restore()

    def restore(self) -> None:
        """Put back the handlers that were there before training began (again: a no-op)."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        self._previous = {}

    def on_train_begin(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        self._previous = {sig: signal.signal(sig, self._handle) for sig in self.SIGNALS}

    def on_step_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        self.interrupted = any_rank(self._signalled, args.device)
        if self.interrupted:
            control.should_save = True
            control.should_training_stop = True

    def on_train_end(
        self, args: TrainingArguments, state: TrainerState, control: TrainerControl, **kw: Any
    ) -> None:
        self.restore()


def any_rank(flag: bool, device: Any) -> bool:
    """``flag`` or'ed over all processes (itself when not distributed)."""
    import torch
    import torch.distributed as dist

    if not (dist.is_available() and dist.is_initialized()) or dist.get_world_size() == 1:
        return flag
    value = torch.tensor([int(flag)], device=device)
    dist.all_reduce(value, op=dist.ReduceOp.MAX)
    return bool(value.item())
