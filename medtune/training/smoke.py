"""Smoke mode: run a user's config end to end on the CPU in about a minute.

Everything the config chooses stays (data pipeline, template, LoRA and quantization,
output layout) except the model and the length of the run: the base model is replaced by
a tiny random model of the same architecture family (the configured model's own config,
scaled down, when it is a local folder or already in the HF cache; else the built-in tiny
Llama), training runs a few steps on a few examples, on one CPU process, into
``<output_dir>/smoke``. It proves a config works before GPU money is spent.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.config import ModelSettings, Settings
from medtune.data import prepare
from medtune.data.pairs import build_pairs
from medtune.data.sample import sample_path
from medtune.data.template import DEFAULT_CHAT_TEMPLATE, ensure_chat_template
from medtune.io import atomic_dir
from medtune.modeling.tiny import build_tiny_model

if TYPE_CHECKING:
    from medtune.training.runner import Notes

SMOKE_STEPS = 3
SMOKE_TRAIN_EXAMPLES = 16
SMOKE_EVAL_EXAMPLES = 4
#: Fits the bundled sample (prompt + answer p90 ~320 tokens on the tiny tokenizer).
SMOKE_MAX_SEQ_LENGTH = 512
#: Record fields whose text trains the built-in tiny model's tokenizer (SFT and preference data).
TEXT_FIELDS = ("instruction", "input", "output", "chosen", "rejected", "completion")

#: Scaled-down sizes applied to the configured model's config (keys it lacks are skipped).
SCALED = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "head_dim": 16,
}


def smoke_settings(settings: Settings, model_dir: Path) -> Settings:
    """``settings`` with the smoke run's model, device, length and output folder."""
    model = settings.model
    attn = "sdpa" if model.attn_implementation == "flash_attention_2" else model.attn_implementation
    return settings.model_copy(
        update={
            "model": model.model_copy(
                update={
                    "model_name": str(model_dir),
                    "tokenizer_name": None,
                    "revision": None,
                    "use_local_model": True,
                    "device": "cpu",
                    "attn_implementation": attn,
                }
            ),
            "data": settings.data.model_copy(
                update={
                    "max_seq_length": min(settings.data.max_seq_length, SMOKE_MAX_SEQ_LENGTH),
                    "per_device_train_batch_size": min(settings.data.per_device_train_batch_size, 2),
                    "per_device_eval_batch_size": min(settings.data.per_device_eval_batch_size, 2),
                }
            ),
            "train": settings.train.model_copy(
                update={
                    "output_dir": str(smoke_dir(settings)),
                    "max_steps": SMOKE_STEPS,
                    "gradient_accumulation_steps": 1,
                    "logging_steps": 1,
                    "eval_steps": SMOKE_STEPS,
                    "save_steps": SMOKE_STEPS,
                    "gpus": 1,
                    "deepspeed": None,
                    "fp16": False,
                    "resume_from_checkpoint": None,
                    "init_adapter": None,
                    "report_to": [r for r in settings.train.report_to if r != "wandb"] or ["none"],
                }
            ),
        }
    )


def smoke_data(settings: Settings, notes: Notes) -> Settings:
    """``settings`` unchanged when ``[data] data_dir`` holds a training split; else the
    bundled sample, prepared (and, for preference methods, made into safety pairs) under
    the smoke folder, so ``--smoke`` runs anywhere, e.g. from a fresh clone's root."""
    if (Path(settings.data.data_dir) / "train.jsonl").is_file():
        return settings
    data_dir = smoke_dir(settings) / "data"
    processed = data_dir / "processed"
    prepare(settings, input_path=sample_path(), output_dir=processed)
    if settings.train.method != "sft":
        build_pairs(processed, data_dir / "pairs", safety=True)
        processed = data_dir / "pairs"
    notes.add(
        f"smoke run: no training split in {settings.data.data_dir}; using the bundled sample ({processed})"
    )
    return settings.model_copy(update={"data": settings.data.model_copy(update={"data_dir": str(processed)})})


def enter_smoke(settings: Settings, records: Sequence[Mapping[str, Any]], notes: Notes) -> Settings:
    """Build the smoke model for ``settings`` (a tokenizer learnt on the records' text
    when it is the built-in tiny Llama) and return the smoke run's settings; the notes say
    what runs: model, quantization, adapter and template."""
    texts = [str(r[k]) for r in records for k in TEXT_FIELDS if r.get(k)]
    model_dir, what = build_smoke_model(
        settings.model, smoke_dir(settings) / "model", texts, settings.train.seed
    )
    lora = settings.lora
    adapter = (
        f"LoRA r={lora.r}" + (" (DoRA)" if lora.use_dora else "") if lora.use_lora else "full fine-tuning"
    )
    template = "medtune's default template" if uses_default_template(model_dir) else "its own chat template"
    notes.add(
        f"smoke run: {what}, {settings.model.bits}-bit, {adapter}, {template}, {len(records)} examples, CPU, "
        f"output in {smoke_dir(settings)}"
    )
    if settings.train.init_adapter:
        notes.add("smoke run: --init-adapter is not used (it does not fit the tiny model): a new adapter")
    return smoke_settings(settings, model_dir)


def uses_default_template(model_dir: Path) -> bool:
    """Whether the tokenizer in ``model_dir`` renders prompts with medtune's default template
    (it has no chat template of its own)."""
    from transformers import AutoTokenizer

    template = AutoTokenizer.from_pretrained(model_dir).chat_template
    return template in (None, DEFAULT_CHAT_TEMPLATE)


def smoke_dir(settings: Settings) -> Path:
    """Where a smoke run writes: ``<output_dir>/smoke``."""
    return Path(settings.train.output_dir) / "smoke"


def build_smoke_model(
    model: ModelSettings, dest: Path, texts: Iterable[str], seed: int = 0
) -> tuple[Path, str]:
    """Write a tiny random model for ``model`` into ``dest``; return it and what it is."""
    scaled = _scaled_copy(model, dest, seed)
    if scaled is not None:
        return scaled, f"scaled-down random copy of {model.model_name}"

    return build_tiny_model(
        dest, texts=texts, seed=seed
    ), f"built-in tiny Llama ({model.model_name} not available offline)"


def _scaled_copy(model: ModelSettings, dest: Path, seed: int) -> Path | None:
    """The configured model's architecture at toy size, with its own tokenizer, when both
    are on disk (local folder or HF cache); None otherwise."""
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer

    source: dict[str, Any] = {
        "revision": model.revision,
        "cache_dir": model.cache_dir,
        "trust_remote_code": model.trust_remote_code,
        "local_files_only": True,
    }
    try:
        config = AutoConfig.from_pretrained(model.model_name, **source)
        tokenizer = AutoTokenizer.from_pretrained(model.tokenizer_name or model.model_name, **source)
    except (OSError, ValueError):
        return None
    for key, value in SCALED.items():
        if hasattr(config, key):
            setattr(config, key, value)
    config.vocab_size = len(tokenizer)
    torch.manual_seed(seed)
    tiny = AutoModelForCausalLM.from_config(config, trust_remote_code=model.trust_remote_code)
    with atomic_dir(dest, replaces=("config.json",)) as tmp:
        tiny.save_pretrained(tmp)
        ensure_chat_template(tokenizer).save_pretrained(tmp)
    return dest
