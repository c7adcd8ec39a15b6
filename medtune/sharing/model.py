"""A trained model folder and what its run recorded about it.

``--model-path`` may name a training run (``<run>/`` with ``manifest.json`` and ``final/``),
its ``final/`` folder, a SageMaker download (model files beside ``manifest.json``) or any
saved adapter or model folder (then nothing is known beyond its configs).
"""

from __future__ import annotations

import fnmatch
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.errors import ModelError
from medtune.io import read_json_object
from medtune.modeling.hub import MODEL_FILES
from medtune.modeling.loader import ADAPTER_CONFIG

MANIFEST = "manifest.json"
#: What a shared model folder holds: weights, configs, tokenizer (never training_args.bin, a pickle).
SHARED_FILES = (*MODEL_FILES, ADAPTER_CONFIG, "vocab.json", "merges.txt", "added_tokens.json")


@dataclass(frozen=True)
class TrainedModel:
    """An adapter or full-model folder, with its run's manifest when there is one."""

    path: Path
    run_dir: Path | None
    manifest: dict[str, Any] | None
    adapter_config: dict[str, Any] | None
    config: dict[str, Any] | None

    @property
    def is_adapter(self) -> bool:
        """A PEFT adapter (``adapter_config.json``), not a standalone model."""
        return self.adapter_config is not None

    @property
    def settings(self) -> dict[str, Any]:
        """The run's resolved settings (empty without a manifest)."""
        return (self.manifest or {}).get("settings") or {}

    @property
    def base_model(self) -> str | None:
        """The model that was fine-tuned: the adapter's base, else the run's ``model_name``."""
        if self.adapter_config and self.adapter_config.get("base_model_name_or_path"):
            return str(self.adapter_config["base_model_name_or_path"])
        return (self.settings.get("model") or {}).get("model_name")


def locate(model_path: str | Path) -> TrainedModel:
    """Find the model folder and run behind ``model_path`` (see module doc).

    Raises:
        ModelError: ``model_path`` is not a folder or holds neither an adapter nor a model.
    """
    path = Path(model_path)
    if not path.is_dir():
        raise ModelError(f"{path}: no such folder (expected a training run, its final/ or a saved model)")
    run_dir: Path | None = None
    if (path / MANIFEST).is_file():
        run_dir = path
        if (path / "final").is_dir():
            path = path / "final"
    elif (path.parent / MANIFEST).is_file():
        run_dir = path.parent
    adapter = path / ADAPTER_CONFIG
    config = path / "config.json"
    if not adapter.is_file() and not config.is_file():
        raise ModelError(f"{path}: neither {ADAPTER_CONFIG} nor config.json; not an adapter or model folder")
    return TrainedModel(
        path=path,
        run_dir=run_dir,
        manifest=read_json_object(run_dir / MANIFEST) if run_dir else None,
        adapter_config=read_json_object(adapter) if adapter.is_file() else None,
        config=read_json_object(config) if config.is_file() else None,
    )


def copy_model_files(source: Path, target: Path) -> list[Path]:
    """Put ``source``'s :data:`SHARED_FILES` in ``target``: hard links where the file system
    allows (a merged 8B model is 16 GB), else copies."""
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for file in sorted(source.iterdir()):
        if file.is_file() and any(fnmatch.fnmatch(file.name, p) for p in SHARED_FILES):
            try:
                os.link(file, target / file.name)
            except OSError:
                shutil.copy2(file, target / file.name)
            copied.append(target / file.name)
    return copied
