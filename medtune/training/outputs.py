"""What a run leaves behind: ``final/``, ``manifest.json`` and the redacted log file."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from medtune.config import Settings, redact, settings_dict

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


def save_final(trainer: Any, output_dir: Path) -> Path:
    """Save the adapter (or full model) + tokenizer to ``final/``, swapped in whole.
    Every rank calls this (DeepSpeed ZeRO-3 gathers weights across ranks)."""
    final, staging = output_dir / "final", output_dir / ".final.tmp"
    trainer.save_model(str(staging))
    if trainer.is_world_process_zero():
        if final.exists():
            shutil.rmtree(final)
        os.replace(staging, final)
    return final


def write_run_manifest(
    settings: Settings, output_dir: Path, *, tokens: Mapping[str, Any], result: Mapping[str, Any]
) -> Path:
    """``manifest.json``: resolved settings, the runs this one continues
    (:func:`medtune.training.lineage.lineage`), data card, token counts and results
    (:func:`medtune.runs.write_manifest` adds versions, git commit and hardware). Every
    string passes through :func:`medtune.config.redact`."""
    from medtune.runs import write_manifest
    from medtune.training.lineage import lineage

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
    return write_manifest(output_dir, **json.loads(redact(json.dumps(sections, default=str))))


@contextlib.contextmanager
def run_log(output_dir: Path, *, enabled: bool = True) -> Iterator[Path | None]:
    """Copy medtune's (INFO) and transformers' (WARNING) log records, redacted, to
    ``<output_dir>/logs/training_<stamp>.log`` while the block runs."""
    if not enabled:
        yield None
        return
    from medtune.runs import stamp

    path = output_dir / "logs" / f"training_{stamp()}.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(_RedactingFormatter(LOG_FORMAT))
    loggers = {"medtune": logging.INFO, "transformers": logging.WARNING}
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


class _RedactingFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
