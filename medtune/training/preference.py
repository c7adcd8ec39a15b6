"""Preference tuning: DPO, ORPO and KTO (``train.method``) on TRL's own trainers.

Data: a preference folder (``medtune data prepare`` on prompt/chosen/rejected or
prompt/completion/label files, or ``medtune data pairs``; see
:mod:`medtune.data.preference`). DPO and ORPO need pairs; KTO takes labelled answers or
pairs (the chosen answer desirable, the rejected one not). Tokenized as SFT tokenizes: the
prompt rendered with the one template (what SFT trained on and eval and chat render), each
answer + EOS, the prompt never trained (:mod:`.trl_trainers`). Longer examples are cut at
``data.max_seq_length`` and counted; a pair whose prompt alone fills it is dropped.

Model: loaded as for SFT (``--bits 4|8|16``, LoRA/DoRA, the CPU 4-bit fix);
``train.init_adapter`` continues an SFT adapter. The reference model of DPO and KTO is the
one TRL uses with peft: for a new adapter the base model with the adapter disabled; for a
continued adapter a frozen copy of it as loaded (the SFT model DPO moves away from); for
full fine-tuning a second copy of the starting model. ORPO needs none. ``[preference]``
holds ``beta`` and ``loss_type``; every other setting means what it means for SFT, and
medtune's precision and device choices replace TRL's defaults (bf16, gradient
checkpointing, a 1e-6 learning rate).

Around the trainer everything is SFT's (:mod:`.runner`): resume, Ctrl-C, ``--gpus N`` and
DeepSpeed, ``--smoke``, ``--dry-run``, the run log, TensorBoard, ``final/`` and the
manifest. TRL logs its preference figures (rewards of the chosen and rejected answers,
their margin and how often the chosen one wins) every ``logging_steps``; the result keeps
the last of each.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from medtune.config import Settings, settings_dict
from medtune.data.preference import record_kind
from medtune.errors import ConfigError, DataError
from medtune.modeling.loader import load_model, load_tokenizer, lora_config
from medtune.training.arguments import machine_choices, training_arguments
from medtune.training.collate import PaddingCollator
from medtune.training.dataset import IGNORE_INDEX, TokenStats, encode_answers, encode_prompts
from medtune.training.launch import find_unused_parameters
from medtune.training.results import TrainPlan
from medtune.training.runner import fit, start
from medtune.training.sft import count_parameters, estimate_steps
from medtune.training.sft import preflight as sft_preflight

if TYPE_CHECKING:
    from medtune.training.callbacks import ProgressReporter
    from medtune.training.dataset import TokenStats
    from medtune.training.results import TrainPlan, TrainResult

#: TRL's DPO losses (``DPOConfig.loss_type``); the first is the default.
DPO_LOSSES = (
    "sigmoid", "hinge", "ipo", "exo_pair", "nca_pair", "robust", "bco_pair", "sppo_hard", "aot",
    "aot_unpaired", "apo_zero", "apo_down", "discopop", "sft", "sigmoid_norm",
)  # fmt: skip
#: TRL's KTO losses (``KTOConfig.loss_type``); the first is the default.
KTO_LOSSES = ("kto", "apo_zero_unpaired")
#: TRL's logged preference figures the result keeps (and their validation twins).
FIGURES = ("rewards/chosen", "rewards/rejected", "rewards/margins", "rewards/accuracies")
DRY_RUN_PAIRS = 2
#: The answer token ids of a tokenized example (see :func:`tokenize`).
ANSWERS = ("chosen_ids", "rejected_ids", "completion_ids")


def check_method(settings: Settings) -> None:
    """Refuse (exit 2) a loss the method does not have, and KTO's KL estimate on batches
    of one example."""
    method, loss = settings.train.method, settings.preference.loss_type
    losses = {"dpo": DPO_LOSSES, "kto": KTO_LOSSES, "orpo": ()}[method]
    if loss is not None and loss not in losses:
        known = f"use one of {', '.join(losses)}" if losses else "ORPO has one loss; leave it unset"
        raise ConfigError(f"preference.loss_type: {loss!r} is not a {method.upper()} loss; {known}")
    if method == "kto" and (loss or "kto") == "kto" and settings.data.per_device_train_batch_size < 2:
        raise ConfigError(
            "data.per_device_train_batch_size: KTO estimates its KL term from other answers in the "
            "batch, so it needs at least 2 (or preference.loss_type = 'apo_zero_unpaired')"
        )


def preflight(settings: Settings) -> tuple[str, list[str]]:
    """SFT's checks (:func:`medtune.training.sft.preflight`) plus :func:`check_method`."""
    check_method(settings)
    return sft_preflight(settings)


def check_records(records: Sequence[Mapping[str, Any]], method: str, where: str) -> None:
    """Refuse data the method cannot train on, in one line naming the file."""
    kinds = {record_kind(record) for record in records}
    if kinds - {"paired", "unpaired"}:
        raise DataError(
            f"{where}: --method {method} trains on preference data (chosen/rejected or completion/label); "
            "prepare some with 'medtune data prepare' or 'medtune data pairs'"
        )
    if method != "kto" and "unpaired" in kinds:
        raise DataError(f"{where}: answers labelled one by one (completion/label): use --method kto")


def check_splits(
    settings: Settings, train_records: Sequence[Mapping[str, Any]], eval_records: Sequence[Mapping[str, Any]]
) -> None:
    """:func:`check_records` on the training and validation splits."""
    for split, records in (("train", train_records), ("validation", eval_records)):
        check_records(records, settings.train.method, f"{settings.data.data_dir}/{split}.jsonl")


def tokenize(
    tokenizer: Any, records: Sequence[Mapping[str, Any]], method: str, max_length: int
) -> tuple[list[dict[str, Any]], TokenStats]:
    """Token ids for TRL: ``prompt_ids`` with ``chosen_ids`` and ``rejected_ids`` (DPO,
    ORPO), or with ``completion_ids`` and ``label`` (KTO; pairs are split in two), and their
    stats. Stats count pairs (KTO: answers), non-padding tokens after the cut at
    ``max_length``, trained answer tokens, examples cut and examples dropped because the
    prompt alone fills ``max_length``."""
    if method == "kto":
        records = [answer for record in records for answer in _unpair(record)]
        answers = {"completion_ids": [r["completion"] for r in records]}
    else:
        answers = {f"{side}_ids": [r[side] for r in records] for side in ("chosen", "rejected")}
    prompts = encode_prompts(tokenizer, records)
    encoded = {key: encode_answers(tokenizer, texts) for key, texts in answers.items()}
    examples, stats = [], TokenStats()
    for i, prompt in enumerate(prompts):
        if len(prompt) >= max_length:
            stats.dropped += 1
            continue
        example: dict[str, Any] = {"prompt_ids": prompt, **{key: ids[i] for key, ids in encoded.items()}}
        if method == "kto":
            example["label"] = bool(records[i]["label"])
        kept = [min(len(example[key]), max_length - len(prompt)) for key in encoded]
        stats.truncated += any(len(example[key]) > n for key, n in zip(encoded, kept, strict=True))
        stats.examples += 1
        stats.tokens += sum(len(prompt) + n for n in kept)
        stats.label_tokens += sum(kept)
        stats.lengths.append(len(prompt) + max(kept))
        examples.append(example)
    return examples, stats


def _unpair(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """A KTO record as it is; a pair as its chosen (desirable) and rejected answers."""
    if record_kind(record) == "unpaired":
        return [record]
    return [
        {**record, "completion": record[side], "label": side == "chosen"} for side in ("chosen", "rejected")
    ]


def train(
    settings: Settings,
    *,
    progress: ProgressReporter | None = None,
    dry_run: bool = False,
    smoke: bool = False,
) -> TrainResult | TrainPlan:
    """Preference-tune per ``train.method`` (see module doc); arguments and result as
    :func:`medtune.training.sft.train`."""
    run = start(settings, progress, preflight, smoke=smoke, check=check_splits)
    settings, device, notes, method = run.settings, run.device, run.notes, run.settings.train.method
    train_records, eval_records = run.train_records, run.eval_records
    tokenizer = load_tokenizer(settings.model)
    max_length = settings.data.max_seq_length
    train_set, train_stats = tokenize(tokenizer, train_records, method, max_length)
    if not train_set:
        raise DataError(f"{settings.data.data_dir}/train.jsonl: no example left after tokenization")
    eval_set, _ = tokenize(tokenizer, eval_records, method, max_length) if eval_records else ([], None)
    notes.extend(machine_choices(settings, device)[1])
    unused = [key for key in ("packing", "train_on_inputs") if getattr(settings.train, key) in ("true", True)]
    if unused:
        notes.add(
            f"train.{' and train.'.join(unused)} not used: TRL pads each pair and trains the answers only"
        )
    args = None if dry_run else arguments(settings, device, has_eval=bool(eval_set))
    model, peft_config, reference = load_policy(settings, device)
    notes.add(f"{method.upper()} on TRL; reference model: {reference}")
    if dry_run:
        if peft_config is not None:  # count and time the adapter TRL would attach
            from peft import get_peft_model

            model = get_peft_model(model, peft_config)
        return plan(settings, device, tokenizer, model, train_set, train_stats, notes.lines)

    def build(callbacks: list[Any]) -> Any:
        return make_trainer(settings, model, args, tokenizer, train_set, eval_set, callbacks, peft_config)

    return fit(
        settings,
        build,
        notes,
        progress,
        tokens=train_stats,
        device=device,
        packing=False,
        has_eval=bool(eval_set),
        figures=figures,
    )


def arguments(settings: Settings, device: str, *, has_eval: bool) -> Any:
    """The TRL config of ``train.method``: medtune's TrainingArguments (see
    :func:`medtune.training.arguments.training_arguments`) plus beta, the loss and the
    length limit."""
    from medtune.training import trl_trainers

    method, pref = settings.train.method, settings.preference
    extra: dict[str, Any] = {"beta": pref.beta, "max_length": settings.data.max_seq_length}
    if method == "dpo":
        extra["loss_type"] = [pref.loss_type or DPO_LOSSES[0]]
    elif method == "kto":
        extra["loss_type"] = pref.loss_type or KTO_LOSSES[0]
    config = {"dpo": trl_trainers.DPOConfig, "orpo": trl_trainers.ORPOConfig, "kto": trl_trainers.KTOConfig}
    return training_arguments(
        settings, device, has_eval=has_eval, pack=False, config_class=config[method], **extra
    )


def load_policy(settings: Settings, device: str) -> tuple[Any, Any, str]:
    """(model to train, peft config for TRL to attach or None, what the reference is).

    A new LoRA adapter for DPO/KTO is left to TRL (``peft_config``), which then takes the
    base model with the adapter disabled as the reference; a continued adapter is loaded
    here and TRL keeps a frozen copy of it as the reference."""
    method, adapter, lora = settings.train.method, settings.train.init_adapter, settings.lora
    attach_later = lora.use_lora and not adapter and method != "orpo"
    model = load_model(
        settings.model, lora, for_training=True, device=device, adapter=adapter, new_adapter=not attach_later
    )
    if method == "orpo":
        reference = "none (ORPO needs none)"
    elif adapter:
        reference = f"the adapter {adapter} as loaded (a frozen copy)"
    elif lora.use_lora:
        reference = "the base model (the adapter disabled)"
    else:
        reference = "a frozen copy of the starting model"
    return model, lora_config(model, lora) if attach_later else None, reference


def make_trainer(
    settings: Settings,
    model: Any,
    args: Any,
    tokenizer: Any,
    train_set: list[dict[str, Any]],
    eval_set: list[dict[str, Any]],
    callbacks: list[Any],
    peft_config: Any,
) -> Any:
    """TRL's trainer for ``train.method`` on the tokenized examples. TRL casts 4/8-bit
    models' LoRA weights to bf16; they are put back in the dtype SFT trains them in."""
    from datasets import Dataset

    from medtune.training import trl_trainers

    method = settings.train.method
    args.ddp_find_unused_parameters = find_unused_parameters(model)
    trainer_class = {
        "dpo": trl_trainers.DPOTrainer,
        "orpo": trl_trainers.ORPOTrainer,
        "kto": trl_trainers.KTOTrainer,
    }[method]
    kwargs = {"peft_config": peft_config} if peft_config is not None else {}
    trainer = trainer_class(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(train_set),
        eval_dataset=Dataset.from_list(eval_set) if eval_set else None,
        processing_class=tokenizer,
        callbacks=callbacks,
        **kwargs,
    )
    if settings.model.bits in (4, 8):
        _restore_adapter_dtype(trainer.model)
    return trainer


def _restore_adapter_dtype(model: Any) -> None:
    """LoRA weights in fp32, as peft makes them and SFT trains them (bf16 autocast still
    computes in bf16 on a GPU; on the CPU, bf16 weights are slower and coarser)."""
    import torch

    for param in model.parameters():
        if param.requires_grad and param.dtype == torch.bfloat16:
            param.data = param.data.float()


def figures(history: Sequence[Mapping[str, Any]]) -> dict[str, float]:
    """The last logged value of each of TRL's preference figures (training and validation)."""
    keys = (*FIGURES, *(f"eval_{key}" for key in FIGURES))
    return {key: float(entry[key]) for entry in history for key in keys if key in entry}


def plan(
    settings: Settings,
    device: str,
    tokenizer: Any,
    model: Any,
    examples: list[dict[str, Any]],
    stats: TokenStats,
    notes: list[str],
) -> TrainPlan:
    """What the run would do: each of the first pairs as two examples (the prompt masked,
    the answer trained), sizes and a time estimate."""
    total, trainable = count_parameters(model)
    shown, titles = [], []
    for n, example in enumerate(examples[:DRY_RUN_PAIRS], 1):
        prompt = tokenizer.decode(example["prompt_ids"])
        for key in ANSWERS:
            if key in example:
                shown.append([(prompt, False), (tokenizer.decode(example[key]), True)])
                label = key.removesuffix("_ids")
                if key == "completion_ids":
                    label = "desirable" if example["label"] else "undesirable"
                titles.append(f"example {n}, {label}")
    return TrainPlan(
        settings=settings_dict(settings),
        device=device,
        packing=False,
        parameters=total,
        trainable_parameters=trainable,
        examples=shown,
        example_titles=titles,
        train_tokens=stats.as_dict(),
        eval_tokens=None,
        steps=estimate_steps(settings, len(examples)),
        seconds_per_step=_time_one_step(settings, device, model, tokenizer, examples),
        notes=notes,
    )


def _time_one_step(
    settings: Settings, device: str, model: Any, tokenizer: Any, examples: list[dict[str, Any]]
) -> float:
    """Seconds per optimizer step, roughly: forward+backward over the first micro-batch's
    answers (both of each pair) plus the reference's forward (DPO, KTO), timed on the second
    try, times the accumulation steps."""
    import torch

    rows = []
    for example in examples[: settings.data.per_device_train_batch_size]:
        for key in ANSWERS:
            if key in example:
                ids = (example["prompt_ids"] + example[key])[: settings.data.max_seq_length]
                labels = [IGNORE_INDEX] * len(example["prompt_ids"]) + example[key]
                rows.append({"input_ids": ids, "labels": labels[: len(ids)]})
    batch = PaddingCollator(tokenizer.pad_token_id)(rows)
    batch = {k: v.to(device) for k, v in batch.items()}
    if settings.model.bits == 16:
        model.to(device)
    model.train()
    for _ in range(2):
        started = time.perf_counter()
        model(**batch).loss.backward()
        if settings.train.method != "orpo":
            with torch.no_grad():
                model(**batch)
        elapsed = time.perf_counter() - started
        model.zero_grad(set_to_none=True)
    return elapsed * settings.train.gradient_accumulation_steps
