"""Where a run starts: a base model, or an earlier run's LoRA adapter (``train.init_adapter``).

Preference tuning usually continues an SFT adapter: ``--init-adapter <sft run>/final``. The
adapter's own base model and LoRA settings are used, and its tokenizer (saved with it by
the SFT run, chat template included), so the preference run sees the prompts SFT trained
on. Each run's manifest records the chain it continues, oldest first, e.g. base -> SFT run
-> DPO run (:func:`lineage`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from medtune.config import Settings
from medtune.errors import UsageError

MANIFEST = "manifest.json"


def continue_adapter(settings: Settings) -> tuple[Settings, list[str]]:
    """``settings`` with the model and tokenizer of ``train.init_adapter`` (unchanged when
    none is set), and notes on what changed. A folder that is no adapter is a ModelError."""
    from medtune.modeling.loader import adapter_base

    path = settings.train.init_adapter
    if not path:
        return settings, []
    if not settings.lora.use_lora:
        raise UsageError(
            "--init-adapter continues a LoRA adapter, which full fine-tuning (--disable-lora) cannot; "
            "merge it first (medtune model merge) and train the merged model"
        )
    base = adapter_base(path)
    saved = any((Path(path) / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json"))
    tokenizer = path if saved else settings.model.tokenizer_name
    model = settings.model.model_copy(update={"model_name": base, "tokenizer_name": tokenizer})
    notes = [f"continuing the adapter {path} (its LoRA settings replace [lora]) on its base model {base}"]
    return settings.model_copy(update={"model": model}), notes


def parent_manifest(adapter: str | Path) -> dict[str, Any] | None:
    """The manifest of the run that wrote ``adapter``: beside it (a downloaded SageMaker
    model) or in the run folder above it (``<run>/final``); None when there is none."""
    for folder in (Path(adapter), Path(adapter).parent):
        path = folder / MANIFEST
        if path.is_file():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return None
    return None


def lineage(settings: Settings) -> list[dict[str, Any]]:
    """The runs behind this one, oldest first: the base model, every run whose adapter was
    continued (from their manifests), then this run."""
    this = {"method": settings.train.method, "run": settings.train.output_dir}
    adapter = settings.train.init_adapter
    if not adapter:
        return [{"base_model": settings.model.model_name}, this]
    parent = parent_manifest(adapter) or {}
    chain = parent.get("lineage")
    if not chain:  # a manifest from before lineage was recorded, or none at all
        run = {"method": parent.get("settings", {}).get("train", {}).get("method", "sft")} if parent else {}
        chain = [{"base_model": settings.model.model_name}, {**run, "adapter": str(adapter)}]
    return [*chain[:-1], {**chain[-1], "adapter": str(adapter)}, this]
