"""Benchmark: CPU training throughput of medtune's default vs a plain Trainer + peft run,
and of medtune's DPO vs a plain TRL DPOTrainer script.

    python bench/train_throughput.py [--steps 30] [--repeats 1] [--only sft|dpo]

Effective throughput = non-padding tokens per second of ``trainer.train()`` wall time. All
runs use the same tiny Llama (built offline), the same data (the bundled sample through
``medtune data prepare``: its real length spread, printed first), the same LoRA (r 16,
alpha 32, dropout 0.05, all linear layers), fp32, gradient checkpointing as medtune's
default, and the seed's batch settings: per-device batch 2, gradient accumulation 4, one
process. Side by side, in one process:

- baseline: transformers Trainer + peft, each batch padded to its longest example
  (DataCollatorForSeq2Seq), answer-only labels: what the seed's script does;
- medtune default: ``medtune.training.train`` with ``packing = "auto"`` (padded on the CPU);
- medtune packed: the same with ``packing = "true"``: padding-free rows of 512 tokens, one
  per micro-step (about the real tokens of a padded batch of 2), SDPA block mask.

DPO, on pairs made from the same training split for throughput's sake (chosen = the answer
+ the urgent-care sentence, rejected = the answer), with the same LoRA, batch settings,
gradient checkpointing, beta and sigmoid loss, the reference being the base model with the
adapter disabled in both:

- plain TRL: ``trl.DPOTrainer`` with ``peft_config``, given the prompts as text (the
  rendered template without its BOS, which TRL's tokenizer call adds) and the answers;
- medtune DPO: ``medtune.training.train`` with ``method = "dpo"``.

Both count the non-padding tokens of the chosen and rejected rows, and both save the
checkpoint transformers writes at the end of ``train()`` (the seed baseline above saves
none, so medtune's SFT rows pay for one it does not).

Ratios are reported as measured. Numbers move with machine load: rerun on an idle machine.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

BATCH, ACCUM = 2, 4
PACKED_ROW = 512


def prepare_data(root: Path) -> Path:
    """Processed training split of the bundled sample, alone in its folder (no eval runs)."""
    from medtune.config import load_settings
    from medtune.data import prepare
    from medtune.data.sample import sample_path

    prepare(load_settings(None, {}), input_path=sample_path(), output_dir=root / "processed")
    train_only = root / "train-only"
    train_only.mkdir()
    (train_only / "train.jsonl").write_bytes((root / "processed" / "train.jsonl").read_bytes())
    return train_only


def settings_for(model_dir: Path, data_dir: Path, out: Path, steps: int, packing: str) -> Any:
    """medtune's defaults, with the tiny model on the CPU in fp32 and a fixed step count.

    Packed, the batch counts rows of max_seq_length tokens: one row of PACKED_ROW tokens per
    micro-step holds about what the seed's padded batch of 2 does (2 x ~264 real tokens)."""
    from medtune.config import load_settings

    rows = {"per_device_train_batch_size": 1, "max_seq_length": PACKED_ROW}
    return load_settings(
        None,
        {
            "model": {"model_name": str(model_dir), "bits": 16, "precision": "fp32", "device": "cpu"},
            "data": {
                "data_dir": str(data_dir),
                "per_device_train_batch_size": BATCH,
                **(rows if packing == "true" else {}),
            },
            "train": {
                "output_dir": str(out),
                "max_steps": steps,
                "gradient_accumulation_steps": ACCUM,
                "packing": packing,
                "save_steps": 10_000,
                "logging_steps": 10_000,
                "report_to": ["none"],
            },
        },
    )


def run_medtune(settings: Any) -> tuple[int, float]:
    """(non-padding tokens, seconds) of medtune's training path."""
    from medtune.training import train

    result = train(settings)
    return result.tokens_seen, result.runtime_seconds


def run_baseline(settings: Any, out: Path) -> tuple[int, float]:
    """(non-padding tokens, seconds) of a plain Trainer + peft run padding each batch."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, DataCollatorForSeq2Seq, Trainer, TrainingArguments

    from medtune.io import read_jsonl
    from medtune.modeling.loader import load_tokenizer
    from medtune.training.dataset import tokenize_records

    tokenizer = load_tokenizer(settings.model)
    records = read_jsonl(Path(settings.data.data_dir) / "train.jsonl")
    examples, _ = tokenize_records(tokenizer, records, max_seq_length=settings.data.max_seq_length)
    model = AutoModelForCausalLM.from_pretrained(settings.model.model_name, dtype=torch.float32)
    model.config.use_cache = False
    lora = settings.lora
    model = get_peft_model(
        model,
        LoraConfig(
            r=lora.r,
            lora_alpha=lora.alpha,
            lora_dropout=lora.dropout,
            target_modules=lora.target_modules,
            task_type="CAUSAL_LM",
        ),
    )
    t = settings.train
    args = TrainingArguments(
        output_dir=str(out),
        per_device_train_batch_size=BATCH,
        gradient_accumulation_steps=ACCUM,
        max_steps=t.max_steps,
        learning_rate=t.learning_rate,
        warmup_steps=t.warmup_ratio,
        lr_scheduler_type=t.lr_scheduler_type,
        activation_checkpointing=t.gradient_checkpointing,
        activation_checkpointing_kwargs={"use_reentrant": False},
        use_cpu=True,
        seed=t.seed,
        save_strategy="no",
        logging_steps=10_000,
        report_to="none",
        include_num_input_tokens_seen="non_padding",
        disable_tqdm=True,
    )
    collator = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
    trainer = Trainer(model=model, args=args, train_dataset=examples, data_collator=collator)
    started = time.perf_counter()
    trainer.train()
    return int(trainer.state.num_input_tokens_seen), time.perf_counter() - started


def prepare_pairs(root: Path, data_dir: Path) -> Path:
    """Preference pairs on the training split (see module doc), alone in their folder."""
    from medtune.io import read_jsonl, write_jsonl
    from medtune.medical.urgency import urgent_care_sentence

    pairs = root / "pairs"
    records = read_jsonl(data_dir / "train.jsonl")
    sentence = urgent_care_sentence([])
    write_jsonl(
        pairs / "train.jsonl",
        ({**r, "chosen": f"{r['output']} {sentence}", "rejected": r["output"]} for r in records),
    )
    return pairs


def dpo_settings(model_dir: Path, pairs_dir: Path, out: Path, steps: int) -> Any:
    """medtune's DPO with the settings of :func:`settings_for` (padded batches)."""
    settings = settings_for(model_dir, pairs_dir, out, steps, "auto")
    return settings.model_copy(update={"train": settings.train.model_copy(update={"method": "dpo"})})


def run_trl_dpo(settings: Any, out: Path) -> tuple[int, float]:
    """(non-padding tokens, seconds) of a plain TRL DPOTrainer script on the same pairs."""
    import torch
    from datasets import Dataset
    from peft import LoraConfig
    from transformers import AutoModelForCausalLM
    from trl import DPOConfig, DPOTrainer

    from medtune.data.template import render_prompt
    from medtune.io import read_jsonl
    from medtune.modeling.loader import load_tokenizer

    tokenizer = load_tokenizer(settings.model)
    records = read_jsonl(Path(settings.data.data_dir) / "train.jsonl")
    bos = tokenizer.bos_token or ""
    rows = [
        {
            "prompt": render_prompt(tokenizer, r).removeprefix(bos),
            "chosen": r["chosen"],
            "rejected": r["rejected"],
        }
        for r in records
    ]
    model = AutoModelForCausalLM.from_pretrained(settings.model.model_name, dtype=torch.float32)
    model.config.use_cache = False
    lora, t = settings.lora, settings.train
    args = DPOConfig(
        output_dir=str(out),
        per_device_train_batch_size=BATCH,
        gradient_accumulation_steps=ACCUM,
        max_steps=t.max_steps,
        learning_rate=t.learning_rate,
        warmup_steps=t.warmup_ratio,
        lr_scheduler_type=t.lr_scheduler_type,
        gradient_checkpointing=t.gradient_checkpointing,
        gradient_checkpointing_kwargs={"use_reentrant": False},
        bf16=False,
        use_cpu=True,
        seed=t.seed,
        save_steps=t.save_steps,  # as medtune: none during the run, one at its end (inside train())
        logging_steps=10_000,
        report_to="none",
        include_num_input_tokens_seen="non_padding",
        disable_tqdm=True,
        max_length=settings.data.max_seq_length,
        beta=settings.preference.beta,
    )
    peft_config = LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=lora.target_modules,
        task_type="CAUSAL_LM",
    )
    trainer = DPOTrainer(
        model=model,
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=peft_config,
    )
    started = time.perf_counter()
    trainer.train()
    return int(trainer.state.num_input_tokens_seen), time.perf_counter() - started


def length_spread(model_dir: Path, data_dir: Path) -> str:
    from medtune.config import ModelSettings
    from medtune.io import read_jsonl
    from medtune.modeling.loader import load_tokenizer
    from medtune.training.dataset import tokenize_records

    tokenizer = load_tokenizer(ModelSettings(model_name=str(model_dir)))
    _, stats = tokenize_records(tokenizer, read_jsonl(data_dir / "train.jsonl"), max_seq_length=4096)
    q = statistics.quantiles(stats.lengths, n=10)
    return (
        f"{stats.examples} examples, prompt+answer tokens: median {statistics.median(stats.lengths):.0f}, "
        f"p10 {q[0]:.0f}, p90 {q[-1]:.0f}, max {max(stats.lengths)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=30, help="Optimizer steps per run.")
    parser.add_argument("--repeats", type=int, default=1, help="Runs per variant (best is kept).")
    parser.add_argument("--only", choices=("sft", "dpo"), help="Run one table only.")
    cli = parser.parse_args()

    import torch

    from medtune.modeling.tiny import build_tiny_model

    with tempfile.TemporaryDirectory(prefix="medtune-bench-") as tmp:
        root = Path(tmp)
        data_dir = prepare_data(root)
        model_dir = build_tiny_model(root / "tiny", texts=None)
        print(f"data: bundled sample, {length_spread(model_dir, data_dir)}")
        print(f"torch threads: {torch.get_num_threads()}, steps: {cli.steps}, batch {BATCH} x accum {ACCUM}")
        pairs_dir = prepare_pairs(root, data_dir)
        tables: dict[str, dict[str, Callable[[Path], tuple[int, float]]]] = {
            "sft": {
                "plain Trainer+peft, padded (seed)": lambda out: run_baseline(
                    settings_for(model_dir, data_dir, out, cli.steps, "false"), out
                ),
                "medtune default (auto: padded)": lambda out: run_medtune(
                    settings_for(model_dir, data_dir, out, cli.steps, "auto")
                ),
                "medtune packed (padding-free)": lambda out: run_medtune(
                    settings_for(model_dir, data_dir, out, cli.steps, "true")
                ),
            },
            "dpo": {
                "plain TRL DPOTrainer+peft": lambda out: run_trl_dpo(
                    dpo_settings(model_dir, pairs_dir, out, cli.steps), out
                ),
                "medtune DPO": lambda out: run_medtune(dpo_settings(model_dir, pairs_dir, out, cli.steps)),
            },
        }
        results = {
            name: best_of(variants, cli.repeats, root / name)
            for name, variants in tables.items()
            if cli.only in (None, name)
        }
    for best in results.values():
        print_table(best)


def best_of(
    variants: dict[str, Callable[[Path], tuple[int, float]]], repeats: int, root: Path
) -> dict[str, tuple[int, float]]:
    """The fastest of ``repeats`` runs of each variant, run in turn."""
    best: dict[str, tuple[int, float]] = {}
    for repeat in range(repeats):
        for n, (name, run) in enumerate(variants.items()):
            tokens, seconds = run(root / f"run-{repeat}-{n}")
            if name not in best or tokens / seconds > best[name][0] / best[name][1]:
                best[name] = (tokens, seconds)
    return best


def print_table(best: dict[str, tuple[int, float]]) -> None:
    """Tokens per second of each variant against the first (the plain baseline)."""
    base_name = next(iter(best))
    base_rate = best[base_name][0] / best[base_name][1]
    print(f"\n{'variant':<36} {'tokens':>8} {'seconds':>8} {'tok/s':>8} {'vs plain':>8}")
    for name, (tokens, seconds) in best.items():
        rate = tokens / seconds
        print(f"{name:<36} {tokens:>8} {seconds:>8.1f} {rate:>8.0f} {rate / base_rate:>7.2f}x")


if __name__ == "__main__":
    main()
