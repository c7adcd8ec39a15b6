"""The supervised fine-tuning run: settings in, adapter (or model) + manifest out.

transformers' Trainer with medtune's own tokenization (one template, answer-only labels),
collation (dynamic padding, or padding-free packing where it pays) and callbacks
(progress, logs, Ctrl-C checkpointing). TRL's SFTTrainer would do the same with defaults
that fight a CPU (bf16 and gradient checkpointing on), so the plain Trainer it is.

Outputs in ``train.output_dir``: ``checkpoint-N/`` every ``save_steps`` (newest
``save_total_limit`` kept), ``final/`` (adapter or full model + tokenizer),
``manifest.json``, ``logs/training_<stamp>.log`` and TensorBoard events under ``runs/``.
Determinism: seeds (``train.seed``) fix LoRA init, dropout and data order; checkpoints
carry optimizer, scheduler and RNG states, so a resumed run continues the same run.
"""

from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Mapping, Sequence
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.config import Settings, settings_dict
from medtune.errors import DataError
from medtune.modeling.device import check_gpus, check_precision, detect, pick_device
from medtune.modeling.loader import attention_implementation, check_trainable, load_model, load_tokenizer
from medtune.training.arguments import check_names, machine_choices, optimizer, training_arguments
from medtune.training.collate import make_collator, pack_rows, should_pack
from medtune.training.dataset import show_masked, tokenize_records
from medtune.training.launch import deepspeed_config, find_unused_parameters
from medtune.training.results import TrainPlan, TrainResult
from medtune.training.runner import Notes, fit, start

if TYPE_CHECKING:
    from medtune.training.callbacks import ProgressReporter
    from medtune.training.dataset import TokenStats
    from medtune.training.loss import ChunkedLoss

DRY_RUN_EXAMPLES = 3
Example = dict[str, list[int]]


def train(
    settings: Settings,
    *,
    progress: ProgressReporter | None = None,
    dry_run: bool = False,
    smoke: bool = False,
) -> TrainResult | TrainPlan:
    """Fine-tune ``settings.model`` on ``<data_dir>/train.jsonl`` (see module doc).

    Args:
        settings: Resolved settings.
        progress: Optional front end that follows the run (see ProgressReporter).
        dry_run: Return a :class:`TrainPlan` instead of training; nothing is written.
        smoke: Run the config on a tiny random model for a few CPU steps (see
            :mod:`medtune.training.smoke`), writing under ``<output_dir>/smoke``.

    Returns:
        A :class:`TrainResult` (``interrupted`` after Ctrl-C), or a :class:`TrainPlan`.
    """
    run = start(settings, progress, preflight, smoke=smoke)
    job = _Job.prepare(
        run.settings, run.device, run.train_records, run.eval_records, run.notes, dry_run=dry_run
    )
    return job.plan() if dry_run else job.fit(progress)


def preflight(settings: Settings) -> tuple[str, list[str]]:
    """The device to train on and notes about it. Raises (exit 2) for what cannot work:
    4/8-bit full fine-tuning, fp16 on a CPU, an unknown optimizer, ``--gpus N`` beyond
    the GPUs present (unless ``model.device = "cpu"``: N CPU processes)."""
    t = settings.train
    check_gpus(t.gpus, "cpu" if settings.model.device == "cpu" else "cuda")  # before torch loads
    check_trainable(settings.model, settings.lora)
    info = detect()
    device = pick_device(settings.model.device, info)
    notes: list[str] = []
    check_precision(t.fp16, t.bf16, device)
    optimizer(settings, device)
    check_names(settings)
    if device == "cpu" and settings.model.device == "auto":
        notes.append("no CUDA GPU found: training on the CPU")
    if t.optim != "auto" and "optimizer" in (deepspeed_config(settings, device) or {}):
        notes.append(f"train.optim = {t.optim!r} is not used: the DeepSpeed config names the optimizer")
    if settings.model.bits == 4 and t.deepspeed and "zero3" in Path(t.deepspeed).name:
        notes.append(
            "4-bit weights cannot be sharded by DeepSpeed ZeRO-3; use --deepspeed zero2, "
            "or --bits 16 LoRA with ZeRO-3"
        )
    return device, notes


@dataclass
class _Job:
    """Everything a run needs, loaded once; planned (dry run) or fitted."""

    settings: Settings
    device: str
    attn: str
    pack: bool
    tokenizer: Any
    model: Any
    #: TrainingArguments (None for a dry run, which must not set up processes).
    args: Any
    train_set: list[Example]
    eval_set: list[Example]
    train_stats: TokenStats
    eval_stats: TokenStats | None
    notes: Notes

    @classmethod
    def prepare(
        cls,
        settings: Settings,
        device: str,
        train_records: Sequence[Mapping[str, Any]],
        eval_records: Sequence[Mapping[str, Any]],
        notes: Notes,
        *,
        dry_run: bool,
    ) -> _Job:

        tokenizer = load_tokenizer(settings.model)
        tokenize = functools.partial(
            tokenize_records,
            tokenizer,
            max_seq_length=settings.data.max_seq_length,
            train_on_inputs=settings.train.train_on_inputs,
        )
        train_set, train_stats = tokenize(train_records)
        if not train_set:
            raise DataError(f"{settings.data.data_dir}/train.jsonl: no example left after tokenization")
        eval_set, eval_stats = tokenize(eval_records) if eval_records else ([], None)
        attn = attention_implementation(settings.model, device)
        pack = should_pack(settings.train.packing, device, attn)
        notes.extend(machine_choices(settings, device)[1])
        args = None if dry_run else training_arguments(settings, device, has_eval=bool(eval_set), pack=pack)
        adapter = settings.train.init_adapter
        model = load_model(settings.model, settings.lora, for_training=True, device=device, adapter=adapter)
        if args is not None:
            args.ddp_find_unused_parameters = find_unused_parameters(model)
        return cls(
            settings,
            device,
            attn,
            pack,
            tokenizer,
            model,
            args,
            train_set,
            eval_set,
            train_stats,
            eval_stats,
            notes,
        )

    def batches_of(self, examples: list[Example]) -> list[Any]:
        """What the Trainer iterates: packed rows of max_seq_length tokens, or examples."""
        return pack_rows(examples, self.settings.data.max_seq_length) if self.pack else examples

    def collator(self) -> Any:

        return make_collator(self.tokenizer.pad_token_id, pack=self.pack, attn_implementation=self.attn)

    def plan(self) -> TrainPlan:

        total, trainable = count_parameters(self.model)
        return TrainPlan(
            settings=settings_dict(self.settings),
            device=self.device,
            packing=self.pack,
            parameters=total,
            trainable_parameters=trainable,
            examples=[show_masked(self.tokenizer, ex) for ex in self.train_set[:DRY_RUN_EXAMPLES]],
            train_tokens=self.train_stats.as_dict(),
            eval_tokens=self.eval_stats.as_dict() if self.eval_stats else None,
            steps=estimate_steps(self.settings, len(self.batches_of(self.train_set))),
            seconds_per_step=self._time_one_step(),
            notes=self.notes.lines,
        )

    def _time_one_step(self) -> float:
        """Seconds per optimizer step: forward+backward of the first micro-batch (timed on
        the second try, the first pays set-up costs) times the accumulation steps."""
        first = self.batches_of(self.train_set)[: self.settings.data.per_device_train_batch_size]
        batch = self.collator()(first)
        batch = {k: v.to(self.device) if hasattr(v, "to") else v for k, v in batch.items()}
        if self.settings.model.bits == 16:  # 16-bit weights load on the CPU; the Trainer moves them
            self.model.to(self.device)
        if self.settings.train.gradient_checkpointing:  # time what the run will do
            self.model.gradient_checkpointing_enable(gradient_checkpointing_kwargs={"use_reentrant": False})
        self.model.train()
        loss_function = self.chunked_loss()
        with loss_function.attached() if loss_function else nullcontext():
            for _ in range(2):
                started = time.perf_counter()
                if loss_function:
                    labels = batch.pop("labels")
                    loss_function(self.model(**batch), labels).backward()
                    batch["labels"] = labels
                else:
                    self.model(**batch).loss.backward()
                elapsed = time.perf_counter() - started
                self.model.zero_grad(set_to_none=True)
        return elapsed * self.settings.train.gradient_accumulation_steps

    def chunked_loss(self) -> ChunkedLoss | None:
        """The run's loss function: medtune's chunked cross-entropy (see
        :mod:`medtune.training.loss`), or None for transformers' own, with a note why."""
        from transformers.integrations import is_deepspeed_zero3_enabled

        from medtune.training.loss import ChunkedLoss, chunked_loss_blocker

        if not self.settings.train.chunked_cross_entropy:
            return None
        blocker = chunked_loss_blocker(
            self.model,
            zero3=is_deepspeed_zero3_enabled(),
            data_parallel=self.args is not None and self.args.n_gpu > 1,
        )
        if blocker:
            self.notes.add(f"chunked cross-entropy off: {blocker}")
            return None
        return ChunkedLoss(self.model)

    def fit(self, progress: ProgressReporter | None) -> TrainResult:
        from transformers import Trainer

        loss_function = self.chunked_loss()

        def build(callbacks: list[Any]) -> Trainer:
            return Trainer(
                model=self.model,
                args=self.args,
                train_dataset=self.batches_of(self.train_set),
                eval_dataset=self.batches_of(self.eval_set) or None,
                data_collator=self.collator(),
                processing_class=self.tokenizer,
                callbacks=callbacks,
                compute_loss_func=loss_function,
            )

        return fit(
            self.settings,
            build,
            self.notes,
            progress,
            tokens=self.train_stats,
            device=self.device,
            packing=self.pack,
            has_eval=bool(self.eval_set),
            context=loss_function.attached() if loss_function else None,
        )


def estimate_steps(settings: Settings, examples: int) -> int:
    """Optimizer steps a run over ``examples`` training items (examples, or packed rows) takes."""
    t = settings.train
    if t.max_steps > 0:
        return t.max_steps
    world = int(os.environ.get("WORLD_SIZE", t.gpus))
    batches = math.ceil(examples / (settings.data.per_device_train_batch_size * world))
    per_epoch = max(math.ceil(batches / t.gradient_accumulation_steps), 1)
    return math.ceil(per_epoch * t.num_train_epochs)


def count_parameters(model: Any) -> tuple[int, int]:
    """(all, trainable) parameters; peft counts packed 4-bit weights at their real size."""
    if hasattr(model, "get_nb_trainable_parameters"):
        trainable, total = model.get_nb_trainable_parameters()
        return total, trainable
    params = list(model.parameters())
    return sum(p.numel() for p in params), sum(p.numel() for p in params if p.requires_grad)
