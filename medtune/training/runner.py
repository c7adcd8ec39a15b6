"""What every training run does around its Trainer: before it (:func:`start`: the splits,
``--smoke``, a continued adapter, the preflight checks, the seed) and around it (:func:`fit`:
the resume point, the callbacks for progress, log lines and Ctrl-C, the run log, ``final/``,
the manifest and the result).

Supervised fine-tuning (:mod:`.sft`) and preference tuning (:mod:`.preference`) each build
their own Trainer and hand it to :func:`fit`, so both start, resume, stop on a signal and
leave the same outputs in the same way.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.config import Settings
from medtune.data.preference import record_kind
from medtune.errors import DataError
from medtune.io import numbered_jsonl, writes_to
from medtune.training.checkpoints import discard_broken, resolve_resume
from medtune.training.lineage import continue_adapter
from medtune.training.outputs import finished_result, run_log, save_final, write_run_manifest
from medtune.training.results import TrainResult
from medtune.training.smoke import SMOKE_EVAL_EXAMPLES, SMOKE_TRAIN_EXAMPLES, enter_smoke, smoke_data

if TYPE_CHECKING:
    from medtune.training.callbacks import ProgressReporter
    from medtune.training.dataset import TokenStats

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


def read_splits(
    settings: Settings, *, smoke: bool = False
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Processed train and (optional) validation records; a few of each for smoke runs."""
    data_dir = Path(settings.data.data_dir)
    train_path, eval_path = data_dir / "train.jsonl", data_dir / "validation.jsonl"
    if not train_path.is_file():
        raise DataError(f"{train_path}: no training split; run 'medtune data prepare' (or set data.data_dir)")
    method = settings.train.method
    train_records = read_records(train_path, method)
    eval_records = read_records(eval_path, method) if eval_path.is_file() else []
    if smoke:
        return train_records[:SMOKE_TRAIN_EXAMPLES], eval_records[:SMOKE_EVAL_EXAMPLES]
    return train_records, eval_records


def read_records(path: Path, method: str) -> list[dict[str, Any]]:
    """A processed split; a row without the texts ``method`` trains on (the patient's
    ``input``; SFT's ``output``) is one line naming its file and line."""
    need = ("input", "output") if method == "sft" else ("input",)
    records = []
    for line, record in numbered_jsonl(path):
        missing = next((key for key in need if not isinstance(record.get(key), str)), None)
        if missing is not None:
            hint = (
                "preference data? --method dpo|orpo|kto"
                if method == "sft" and record_kind(record) in ("paired", "unpaired")
                else "processed rows have it: run 'medtune data prepare --input' on the raw file "
                "(it reads question/answer tables and TRL's prompt/chosen/rejected)"
            )
            raise DataError(f"{path}:{line}: no {missing!r} text; {hint}")
        records.append(record)
    return records


@dataclass
class Start:
    """What a run has before it loads a model: its settings (a smoke run's, a continued
    adapter's), the device, the records and the notes so far."""

    settings: Settings
    device: str
    train_records: list[dict[str, Any]]
    eval_records: list[dict[str, Any]]
    notes: Notes


def start(
    settings: Settings,
    progress: ProgressReporter | None,
    preflight: Callable[[Settings], tuple[str, list[str]]],
    *,
    smoke: bool,
    check: Callable[[Settings, list[dict[str, Any]], list[dict[str, Any]]], None] | None = None,
) -> Start:
    """The steps every method takes before it loads a model: read the splits (with
    ``smoke``, a few records of the smoke data, then the smoke model's settings), let
    ``check`` refuse records the method cannot train on, continue an adapter, run the
    method's ``preflight`` and seed."""
    from transformers import set_seed

    notes = Notes(progress)
    if smoke:
        settings = smoke_data(settings, notes)
    train_records, eval_records = read_splits(settings, smoke=smoke)
    if check is not None:
        check(settings, train_records, eval_records)
    if smoke:
        settings = enter_smoke(settings, train_records, notes)
    settings, adapter_notes = continue_adapter(settings)
    notes.extend(adapter_notes)
    device, hardware_notes = preflight(settings)
    notes.extend(hardware_notes)
    set_seed(settings.train.seed)
    return Start(settings, device, train_records, eval_records, notes)


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

    from medtune.training.callbacks import (
        InterruptCallback,
        LogCallback,
        ProgressCallback,
        ResumeCallback,
        RunComplete,
    )

    output_dir = Path(settings.train.output_dir)
    resume, messages = resolve_resume(settings.train.resume_from_checkpoint, output_dir)
    notes.extend(messages)
    start, interrupt = ResumeCallback(), InterruptCallback()
    trainer = build([start, interrupt, LogCallback(), *([ProgressCallback(progress)] if progress else [])])
    trainer.remove_callback(PrinterCallback)
    main = trainer.is_world_process_zero()
    with writes_to(output_dir), run_log(output_dir, enabled=main), context or nullcontext():
        for line in notes.lines:
            log.info(line)
        started = time.perf_counter()
        finished: dict[str, Any] | None = None  # the result of a run that already finished
        try:
            with writes_to(output_dir):  # name a failed save before its partial checkpoint goes
                trainer.train(resume_from_checkpoint=str(resume) if resume else None)
        except RunComplete as done:
            finished = _finished_before(trainer, output_dir, notes, f"{resume} is at {done}")
        except BaseException:
            partial = output_dir / f"checkpoint-{trainer.state.global_step}"
            if main and (why := discard_broken(partial)):
                log.warning("removed %s: %s", partial.name, why)
            raise
        finally:  # the Trainer skips on_train_end when train() raises
            interrupt.restore()
        runtime = time.perf_counter() - started
        stopped = interrupt.interrupted
        if stopped:
            final_dir, eval_loss = None, None
        elif finished is not None:
            final_dir, eval_loss = output_dir / "final", finished.get("eval_loss")
        else:
            final_dir = save_final(trainer, output_dir)
            eval_loss = _final_eval_loss(trainer) if has_eval else None
        history = trainer.state.log_history
        seen = int(trainer.state.num_input_tokens_seen)
        result = TrainResult(
            output_dir=output_dir,
            final_dir=final_dir,
            manifest=None if finished is None else output_dir / "manifest.json",
            interrupted=stopped,
            global_step=trainer.state.global_step,
            train_loss=_train_loss(history),
            eval_loss=eval_loss,
            tokens_seen=seen,
            tokens_trained=seen - start.start_tokens,
            runtime_seconds=runtime,
            truncated=tokens.truncated,
            device=device,
            packing=packing,
            resumed_from=resume,
            notes=notes.lines,
            loss_history=[(e["step"], e["loss"]) for e in history if "loss" in e],
            figures=figures(history) if figures else {},
        )
        if main and finished is None:
            summary = result.summary()
            result.manifest = write_run_manifest(
                settings, output_dir, tokens=tokens.as_dict(), result=summary
            )
            log.info("run finished: %s", summary)
    return result


def _finished_before(trainer: Any, output_dir: Path, notes: Notes, where: str) -> dict[str, Any] | None:
    """After a resume at or past the last step: the manifest's result of the finished run
    when ``final/`` and it are there (nothing to write), else None (write them). Rank 0's
    outputs decide for every process."""
    from medtune.training.callbacks import any_rank

    trainer.callback_handler.on_train_end(trainer.args, trainer.state, trainer.control)
    main = trainer.is_world_process_zero()
    found = finished_result(output_dir, trainer.state.global_step) if main else None
    if not any_rank(found is not None, trainer.args.device):
        notes.add(f"{where}: writing final/ without training")
        return None
    notes.add(f"{where}: the run is finished, nothing to do")
    return found or {}


def _final_eval_loss(trainer: Any) -> float | None:
    """Validation loss of the final weights (reusing an evaluation at the last step)."""
    evals = [e for e in trainer.state.log_history if "eval_loss" in e]
    if evals and evals[-1].get("step") == trainer.state.global_step:
        return float(evals[-1]["eval_loss"])
    return trainer.evaluate().get("eval_loss")


def _train_loss(history: Sequence[Mapping[str, Any]]) -> float | None:
    """The last logged training loss; in a run shorter than ``logging_steps``, which logs
    none, the Trainer's mean over the run."""
    last = _last(history, "loss")
    return last if last is not None else _last(history, "train_loss")


def _last(history: Sequence[Mapping[str, Any]], key: str) -> float | None:
    values = [entry[key] for entry in history if key in entry]
    return float(values[-1]) if values else None
