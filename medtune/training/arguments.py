"""transformers ``TrainingArguments`` from medtune settings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medtune.config import Secrets, Settings
from medtune.errors import ConfigError


def machine_choices(settings: Settings, device: str) -> tuple[dict[str, Any], list[str]]:
    """Mixed precision and reporters for ``device``, with notes on what was changed:
    bf16 only where it is supported (the CPU trains in fp32, faster there; a GPU older than
    Ampere, e.g. a T4 or V100, in fp16), W&B only with WANDB_API_KEY set."""
    from medtune.modeling.device import cuda_bf16

    t, notes = settings.train, []
    cuda = device == "cuda"
    bf16 = cuda and t.bf16 and cuda_bf16()
    fp16 = cuda and (t.fp16 or (t.bf16 and not bf16))
    if t.bf16 and not bf16:
        notes.append(
            "this GPU has no bf16 (compute capability < 8.0): fp16 mixed precision instead"
            if cuda
            else "bf16 off on the CPU: training in fp32 (bf16 autocast is slower on most CPUs)"
        )
    report_to = [r for r in t.report_to if r != "none"]
    if "wandb" in report_to and Secrets().wandb_api_key is None:
        notes.append("report_to wandb dropped: WANDB_API_KEY is not set")
        report_to.remove("wandb")
    return {"bf16": bf16, "fp16": fp16, "report_to": report_to or "none"}, notes


def optimizer(settings: Settings, device: str) -> str:
    """``train.optim`` as a transformers optimizer name. ``auto``: paged 8-bit AdamW states
    for 4/8-bit on a GPU; else torch's fused AdamW, transformers' own default since torch
    2.8 (the non-fused one cost 7% on the CPU). (bitsandbytes runs paged optimizers unpaged
    on the CPU, with a warning.)"""
    from transformers.training_args import OptimizerNames

    name, quantized = settings.train.optim, settings.model.bits in (4, 8)
    if name == "auto":
        return "paged_adamw_8bit" if device == "cuda" and quantized else "adamw_torch_fused"
    if name not in {o.value for o in OptimizerNames}:
        examples = "auto, adamw_torch_fused, paged_adamw_8bit, adafactor"
        raise ConfigError(f"train.optim: unknown optimizer {name!r}; e.g. {examples}")
    return name


def check_names(settings: Settings) -> None:
    """``train.lr_scheduler_type`` and ``train.report_to`` are names transformers knows (else
    a ConfigError naming the key, before anything loads rather than after)."""
    from transformers.integrations.integration_utils import INTEGRATION_TO_CALLBACK
    from transformers.trainer_utils import SchedulerType

    t = settings.train
    schedulers = [s.value for s in SchedulerType]
    if t.lr_scheduler_type not in schedulers:
        known = ", ".join(schedulers)
        raise ConfigError(
            f"train.lr_scheduler_type: unknown scheduler {t.lr_scheduler_type!r}; one of {known}"
        )
    unknown = [r for r in t.report_to if r not in {*INTEGRATION_TO_CALLBACK, "all", "none"}]
    if unknown:
        raise ConfigError(f"train.report_to: unknown {unknown[0]!r}; e.g. tensorboard, wandb, mlflow, none")


def training_arguments(
    settings: Settings,
    device: str,
    *,
    has_eval: bool,
    pack: bool,
    config_class: type | None = None,
    **extra: Any,
) -> Any:
    """The run's TrainingArguments. Build them before loading the model (DeepSpeed ZeRO-3
    partitions weights while loading). The per-process keys (``use_cpu``, ``deepspeed``,
    gloo set-up for DeepSpeed on the CPU) come from
    :func:`medtune.training.launch.process_arguments`, which avoids the silent
    multi-process traps.

    ``config_class`` is a TrainingArguments subclass (a TRL config), given its own keys in
    ``extra``; every key set here is given explicitly, so TRL's defaults that fight a CPU
    (bf16, gradient checkpointing, a 1e-6 learning rate) never apply."""
    from transformers import TrainingArguments

    from medtune.training.launch import process_arguments

    t, d = settings.train, settings.data
    cuda = device == "cuda"
    return (config_class or TrainingArguments)(
        output_dir=str(Path(t.output_dir)),
        per_device_train_batch_size=d.per_device_train_batch_size,
        per_device_eval_batch_size=d.per_device_eval_batch_size,
        gradient_accumulation_steps=t.gradient_accumulation_steps,
        learning_rate=t.learning_rate,
        num_train_epochs=t.num_train_epochs,
        max_steps=t.max_steps,
        warmup_steps=t.warmup_ratio,  # a float < 1 is a ratio of the total steps
        lr_scheduler_type=t.lr_scheduler_type,
        weight_decay=t.weight_decay,
        max_grad_norm=t.max_grad_norm,
        optim=optimizer(settings, device),
        neftune_noise_alpha=t.neftune_noise_alpha,
        torch_compile=t.torch_compile,
        activation_checkpointing=t.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False} if t.gradient_checkpointing else None,
        logging_steps=t.logging_steps,
        eval_strategy="steps" if has_eval else "no",
        eval_steps=t.eval_steps,
        save_strategy="steps",
        save_steps=t.save_steps,
        save_total_limit=t.save_total_limit,
        seed=t.seed,
        data_seed=t.seed,
        include_num_input_tokens_seen="all" if pack else "non_padding",
        remove_unused_columns=False,
        disable_tqdm=True,
        dataloader_pin_memory=cuda,
        **machine_choices(settings, device)[0],
        **process_arguments(settings, device),
        **extra,
    )
