"""What a run leaves behind: ``final/``, ``manifest.json`` and the redacted log file."""

from __future__ import annotations

import contextlib
import json
import logging
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medtune.config import Settings, redact, settings_dict
from medtune.io import swap_in, writes_to
from medtune.runs import stamp, write_manifest
from medtune.training.lineage import lineage

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def save_final(trainer: Any, output_dir: Path) -> Path:
    """Save the adapter (or full model) + tokenizer to ``final/``, swapped in whole; a save
    that fails (a full disk) leaves no staging folder behind. Every rank calls this
    (DeepSpeed ZeRO-3 gathers weights across ranks)."""
    final, staging = output_dir / "final", output_dir / ".final.tmp"
    main = trainer.is_world_process_zero()
    if main:
        shutil.rmtree(staging, ignore_errors=True)  # left by a run killed mid-save
    try:
        with writes_to(final):
            trainer.save_model(str(staging))
            if main:
                swap_in(staging, final)
    except BaseException:
        if main:
            shutil.rmtree(staging, ignore_errors=True)
        raise
    return final


def finished_result(output_dir: Path, step: int) -> dict[str, Any] | None:
    """The manifest's result when ``output_dir`` holds a run that finished at ``step``
    (``final/`` written, the manifest saying so), else None."""
    path = output_dir / "manifest.json"
    if not (output_dir / "final").is_dir() or not path.is_file():
        return None
    try:
        result = json.loads(path.read_text(encoding="utf-8")).get("result") or {}
    except (ValueError, AttributeError):
        return None
    done = result.get("final_dir") and result.get("global_step") == step and not result.get("interrupted")
    return result if done else None


def write_run_manifest(
    settings: Settings, output_dir: Path, *, tokens: Mapping[str, Any], result: Mapping[str, Any]
) -> Path:
    """``manifest.json``: resolved settings, the runs this one continues
    (:func:`medtune.training.lineage.lineage`), data card, token counts and results
    (:func:`medtune.runs.write_manifest` adds versions, git commit and hardware, and
    redacts)."""
    card_path = Path(settings.data.data_dir) / "data_card.json"
    card = json.loads(card_path.read_text(encoding="utf-8")) if card_path.is_file() else None
    sections = {
        "command": "train",
        "settings": settings_dict(settings),
        "lineage": lineage(settings),
        "data_card": card,
        "tokens": dict(tokens),
        "result": dict(result),
    }
    return write_manifest(output_dir, **sections)


@contextlib.contextmanager
def run_log(output_dir: Path, *, enabled: bool = True) -> Iterator[Path | None]:
    """Copy medtune's (INFO) and transformers', bitsandbytes' and peft's (WARNING) log
    records, redacted, to ``<output_dir>/logs/training_<stamp>.log`` while the block runs."""
    if not enabled:
        yield None
        return

    path = output_dir / "logs" / f"training_{stamp()}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = _RunLogHandler(path, encoding="utf-8")
    handler.setFormatter(_RedactingFormatter(LOG_FORMAT))
    loggers = {
        "medtune": logging.INFO,
        "transformers": logging.WARNING,
        "bitsandbytes": logging.WARNING,
        "peft": logging.WARNING,
    }
    for name, level in loggers.items():
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        if logger.level == logging.NOTSET or logger.level > level:
            logger.setLevel(level)
    try:
        yield path
    finally:
        for name in loggers:
            logging.getLogger(name).removeHandler(handler)
        handler.close()


class _RunLogHandler(logging.FileHandler):
    """The run's log file. A record it cannot write (a full disk) is dropped rather than
    printed with a traceback: the run's own outputs then fail and say why in one line."""

    def handleError(self, record: logging.LogRecord) -> None:
        return None


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
