"""Where a run starts: a base model, or an earlier run's output (its LoRA adapter, given as
``train.init_adapter``, or its fine-tuned model, given as ``model.model_name``).

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
from medtune.modeling.loader import adapter_base

MANIFEST = "manifest.json"


def continue_adapter(settings: Settings) -> tuple[Settings, list[str]]:
    """``settings`` with the model and tokenizer of ``train.init_adapter`` (unchanged when
    none is set), and notes on what changed. A folder that is no adapter is a ModelError."""
    path = settings.train.init_adapter
    if not path:
        return settings, []
    if not settings.lora.use_lora:
        raise UsageError(
            "--init-adapter continues a LoRA adapter, which full fine-tuning (lora.use_lora = false) "
            "cannot; pass --lora, or merge it first (medtune model merge) and train the merged model"
        )
    base = adapter_base(path)
    saved = any((Path(path) / name).is_file() for name in ("tokenizer.json", "tokenizer_config.json"))
    tokenizer = path if saved else settings.model.tokenizer_name
    model = settings.model.model_copy(update={"model_name": base, "tokenizer_name": tokenizer})
    notes = [f"continuing the adapter {path} (its LoRA settings replace [lora]) on its base model {base}"]
    return settings.model_copy(update={"model": model}), notes


def parent_manifest(folder: str | Path) -> dict[str, Any] | None:
    """The manifest of the training run that wrote ``folder`` (an adapter or a model): beside
    it (a downloaded SageMaker model) or in the run folder above it (``<run>/final``); None
    when there is none."""
    for place in (Path(folder), Path(folder).parent):
        path = place / MANIFEST
        if path.is_file():
            try:
                manifest = json.loads(path.read_text(encoding="utf-8"))
            except json.JSONDecodeError:
                return None
            return manifest if manifest.get("command") == "train" else None
    return None


def lineage(settings: Settings) -> list[dict[str, Any]]:
    """The runs behind this one, oldest first: the base model, every earlier run whose
    output (adapter, or fine-tuned model) this one continues, then this run. Earlier runs
    are read from their manifests; one without a manifest is named by its folder."""
    this = {"method": settings.train.method, "run": settings.train.output_dir}
    adapter, model = settings.train.init_adapter, settings.model.model_name
    start = adapter or model
    parent = parent_manifest(start) if Path(start).is_dir() else None
    chain = (parent or {}).get("lineage")
    if chain:
        return [*chain[:-1], {**chain[-1], "continued": str(start)}, this]
    if adapter:  # an adapter from elsewhere (or from before manifests had a lineage)
        return [{"base_model": model}, {"continued": str(adapter)}, this]
    return [{"base_model": model}, this]
