"""Benchmark: CPU training throughput of medtune's default vs a plain Trainer + peft run and
TRL's ``SFTTrainer``, and of medtune's DPO vs a plain TRL DPOTrainer script.

    python bench/train_throughput.py [--steps 30] [--repeats 1] [--only sft|dpo] [--threads N]

Throughput = non-padding tokens per second, two ways: of ``trainer.train()`` wall time (what
a run of ``--steps`` pays, set-up, compilation and an end-of-run checkpoint included), and
steady (tokens and seconds from the end of optimizer step WARMUP_STEPS to the end of the
last step: what every further step of a long run costs). Tokens are counted by the Trainer
(``num_input_tokens_seen``: attention-mask sums, or every token of a padding-free row) for
every row alike. All runs use the same tiny Llama (built offline), the same data (the
bundled sample through ``medtune data prepare``: its real length spread, printed first),
tokenized once by medtune (the TRL rows get those ids, with a completion mask), the same
LoRA (r 16, alpha 32, dropout 0.05, all linear layers), fp32, gradient checkpointing as
medtune's default, and the seed's batch settings: per-device batch 2, gradient accumulation
4, one process. Side by side, in one process, interleaved, best of ``--repeats``:

- baseline: transformers Trainer + peft, each batch padded to its longest example
  (DataCollatorForSeq2Seq), answer-only labels: what the seed's script does;
- TRL ``SFTTrainer`` + ``peft_config``, ``completion_only_loss``, in its best CPU set-up:
  ``bf16`` and TRL's own gradient-checkpointing default off (both fight a CPU; the
  checkpointing follows medtune's setting instead), three ways: padded batches
  (``padding_free`` off); ``padding_free`` (each batch of 2 flattened into one row); and
  ``packing`` (best-fit-decreasing rows of PACKED_ROW tokens, padding-free, batch 1);
- medtune default: ``medtune.training.train`` with ``packing = "auto"`` (padded on the CPU);
- medtune default with ``torch_compile = true``, compiling into a fresh inductor cache: its
  first run pays a user's first compilation, later repeats a warm cache's;
- medtune packed: ``packing = "true"``: padding-free rows of PACKED_ROW tokens, one per
  micro-step (about the real tokens of a padded batch of 2), SDPA block mask.

DPO, on pairs made from the same training split for throughput's sake (chosen = the answer
+ the urgent-care sentence, rejected = the answer), with the same LoRA, batch settings,
gradient checkpointing, beta and sigmoid loss, the reference being the base model with the
adapter disabled in both:

- plain TRL: ``trl.DPOTrainer`` with ``peft_config``, given the prompts as text (the
  rendered template without its BOS, which TRL's tokenizer call adds) and the answers;
- medtune DPO: ``medtune.training.train`` with ``method = "dpo"``.

Both count the non-padding tokens of the chosen and rejected rows, and both save the
checkpoint transformers writes at the end of ``train()`` (the SFT baselines save none, so
medtune's SFT rows pay for one they do not; the steady figure leaves it out).

Ratios are reported as measured, with the load average before each kept run. Numbers move
with machine load (on a loaded 2-core machine, 2 torch threads can run 20x slower than 1):
rerun on an idle machine.
"""

from __future__ import annotations

import argparse
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from step_clock import StepClock

BATCH, ACCUM = 2, 4
PACKED_ROW = 512
#: Optimizer steps before the steady clock starts (set-up and compilation happen in them).
WARMUP_STEPS = 2


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


def settings_for(
    model_dir: Path, data_dir: Path, out: Path, steps: int, packing: str, *, compile: bool = False
) -> Any:
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
                "torch_compile": compile,
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


def common_args(settings: Any, out: Path) -> dict[str, Any]:
    """The Trainer arguments every baseline row shares with medtune's run: optimizer
    schedule, checkpointing, one CPU process, fp32, tokens counted without padding."""
    t = settings.train
    return {
        "output_dir": str(out),
        "gradient_accumulation_steps": ACCUM,
        "max_steps": t.max_steps,
        "learning_rate": t.learning_rate,
        "warmup_steps": t.warmup_ratio,
        "lr_scheduler_type": t.lr_scheduler_type,
        # TRL defaults to on: every row follows medtune's setting
        "activation_checkpointing": t.gradient_checkpointing,
        "activation_checkpointing_kwargs": {"use_reentrant": False},
        "bf16": False,  # TRL defaults to bf16 autocast, slower on most CPUs; medtune trains in fp32 there
        "use_cpu": True,
        "seed": t.seed,
        "logging_steps": 10_000,
        "report_to": "none",
        "include_num_input_tokens_seen": "non_padding",
        "disable_tqdm": True,
    }


def run_baseline(settings: Any, out: Path) -> tuple[int, float]:
    """(non-padding tokens, seconds) of a plain Trainer + peft run padding each batch."""
    from peft import get_peft_model
    from transformers import DataCollatorForSeq2Seq, Trainer, TrainingArguments

    tokenizer, examples = tokenized(settings)
    model = get_peft_model(base_model(settings), lora_config(settings))
    args = TrainingArguments(
        **common_args(settings, out), per_device_train_batch_size=BATCH, save_strategy="no"
    )
    collator = DataCollatorForSeq2Seq(tokenizer, padding=True, label_pad_token_id=-100)
    return timed_train(Trainer(model=model, args=args, train_dataset=examples, data_collator=collator))


def run_trl_sft(settings: Any, out: Path, mode: str) -> tuple[int, float]:
    """(non-padding tokens, seconds) of TRL's SFTTrainer on medtune's token ids, with
    ``mode`` = padded, padding_free or packed (see module doc)."""
    from trl import SFTConfig, SFTTrainer

    from medtune.training.dataset import IGNORE_INDEX

    tokenizer, examples = tokenized(settings)
    rows = [
        {"input_ids": ex["input_ids"], "completion_mask": [int(x != IGNORE_INDEX) for x in ex["labels"]]}
        for ex in examples
    ]
    packed = mode == "packed"
    args = SFTConfig(
        **common_args(settings, out),
        per_device_train_batch_size=1 if packed else BATCH,
        save_strategy="no",
        completion_only_loss=True,
        padding_free=mode == "padding_free",
        packing=packed,
        # padding-free without packing wants no max_length: the ids are cut to max_seq_length already
        max_length=PACKED_ROW if packed else None if mode == "padding_free" else settings.data.max_seq_length,
    )
    return run_trl(SFTTrainer, settings, args, rows, tokenizer)


def run_trl(
    trainer_class: Any, settings: Any, args: Any, rows: list[dict[str, Any]], tokenizer: Any
) -> tuple[int, float]:
    """(non-padding tokens, seconds) of a TRL trainer on ``rows``, with peft's LoRA as medtune's."""
    from datasets import Dataset

    trainer = trainer_class(
        model=base_model(settings),
        args=args,
        train_dataset=Dataset.from_list(rows),
        processing_class=tokenizer,
        peft_config=lora_config(settings),
    )
    return timed_train(trainer)


def tokenized(settings: Any) -> tuple[Any, list[dict[str, list[int]]]]:
    """The tokenizer and the training examples as medtune tokenizes them (answer-only labels)."""
    from medtune.io import read_jsonl
    from medtune.modeling.loader import load_tokenizer
    from medtune.training.dataset import tokenize_records

    tokenizer = load_tokenizer(settings.model)
    records = read_jsonl(Path(settings.data.data_dir) / "train.jsonl")
    examples, _ = tokenize_records(tokenizer, records, max_seq_length=settings.data.max_seq_length)
    return tokenizer, examples


def base_model(settings: Any) -> Any:
    """The tiny model in fp32, without a KV cache (training)."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(settings.model.model_name, dtype=torch.float32)
    model.config.use_cache = False
    return model


def lora_config(settings: Any) -> Any:
    """peft's LoraConfig for ``settings.lora``."""
    from peft import LoraConfig

    lora = settings.lora
    return LoraConfig(
        r=lora.r,
        lora_alpha=lora.alpha,
        lora_dropout=lora.dropout,
        target_modules=lora.target_modules,
        task_type="CAUSAL_LM",
    )


def timed_train(trainer: Any) -> tuple[int, float]:
    """(tokens seen, seconds) of ``trainer.train()``."""
    started = time.perf_counter()
    trainer.train()
    return int(trainer.state.num_input_tokens_seen), time.perf_counter() - started


def prepare_pairs(root: Path, data_dir: Path) -> Path:
    """Preference pairs on the training split (see module doc), alone in their folder."""
    from medtune.io import read_jsonl, write_jsonl
    from medtune.medical.red_flags import RED_FLAGS
    from medtune.medical.urgency import urgent_care_sentence

    pairs = root / "pairs"
    records = read_jsonl(data_dir / "train.jsonl")
    sentence = urgent_care_sentence([next(iter(RED_FLAGS))])  # it names at least one sign
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
    args = DPOConfig(
        **common_args(settings, out),
        per_device_train_batch_size=BATCH,
        # as medtune: no checkpoint during the run, one at its end (inside train())
        save_steps=settings.train.save_steps,
        max_length=settings.data.max_seq_length,
        beta=settings.preference.beta,
    )
    return run_trl(DPOTrainer, settings, args, rows, tokenizer)


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
    parser.add_argument("--threads", type=int, help="torch threads (default: torch's choice).")
    cli = parser.parse_args()
    if cli.steps <= WARMUP_STEPS:
        parser.error(f"--steps must exceed the {WARMUP_STEPS} warm-up steps")

    import torch
    import transformers.trainer

    from medtune.modeling.tiny import build_tiny_model

    if cli.threads:
        torch.set_num_threads(cli.threads)
    transformers.trainer.DEFAULT_CALLBACKS.append(CLOCK)  # every Trainer below gets it
    with tempfile.TemporaryDirectory(prefix="medtune-bench-") as tmp:
        root = Path(tmp)
        # a fresh compile cache: the first torch_compile run pays what a user's first run pays,
        # later repeats what later runs pay (inductor keeps compiled graphs on disk)
        os.environ["TORCHINDUCTOR_CACHE_DIR"] = str(root / "inductor")
        data_dir = prepare_data(root)
        model_dir = build_tiny_model(root / "tiny", texts=None)
        print(f"data: bundled sample, {length_spread(model_dir, data_dir)}")
        print(
            f"torch {torch.__version__}, threads: {torch.get_num_threads()} of {os.cpu_count()} CPUs, "
            f"steps: {cli.steps} (steady after {WARMUP_STEPS}), batch {BATCH} x accum {ACCUM}, "
            f"repeats: {cli.repeats}",
            flush=True,
        )
        pairs_dir = prepare_pairs(root, data_dir)

        def medtune_sft(packing: str, compile: bool = False) -> Callable[[Path], tuple[int, float]]:
            return lambda out: run_medtune(
                settings_for(model_dir, data_dir, out, cli.steps, packing, compile=compile)
            )

        def trl_sft(mode: str) -> Callable[[Path], tuple[int, float]]:
            return lambda out: run_trl_sft(
                settings_for(model_dir, data_dir, out, cli.steps, "false"), out, mode
            )

        tables: dict[str, dict[str, Callable[[Path], tuple[int, float]]]] = {
            "sft": {
                "plain Trainer+peft, padded (seed)": lambda out: run_baseline(
                    settings_for(model_dir, data_dir, out, cli.steps, "false"), out
                ),
                "TRL SFTTrainer, padded": trl_sft("padded"),
                "TRL SFTTrainer, padding_free": trl_sft("padding_free"),
                f"TRL SFTTrainer, packing {PACKED_ROW}": trl_sft("packed"),
                "medtune default (auto: padded)": medtune_sft("auto"),
                "medtune default + torch_compile": medtune_sft("auto", compile=True),
                f"medtune packed {PACKED_ROW}": medtune_sft("true"),
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


@dataclass
class Measure:
    """One run of one variant."""

    tokens: int
    seconds: float
    #: Tokens and seconds from the end of optimizer step WARMUP_STEPS to the end of the last.
    steady_tokens: int
    steady_seconds: float
    #: 1-minute load average when the run started.
    load: float
    #: train() seconds of the variant's first run (a cold compile cache for torch_compile).
    first_seconds: float = 0.0

    @property
    def rate(self) -> float:
        return self.tokens / self.seconds

    @property
    def steady_rate(self) -> float:
        return self.steady_tokens / self.steady_seconds


CLOCK = StepClock(WARMUP_STEPS)


def best_of(
    variants: dict[str, Callable[[Path], tuple[int, float]]], repeats: int, root: Path
) -> dict[str, Measure]:
    """The fastest (steady) of ``repeats`` runs of each variant, the variants interleaved."""
    best: dict[str, Measure] = {}
    first: dict[str, float] = {}
    for repeat in range(repeats):
        for n, (name, run) in enumerate(variants.items()):
            load = os.getloadavg()[0]
            tokens, seconds = run(root / f"run-{repeat}-{n}")
            measure = Measure(tokens, seconds, *CLOCK.steady(), load)
            print(
                f"  {name}: {measure.rate:,.0f} tok/s, steady {measure.steady_rate:,.0f} (load {load:.1f})",
                flush=True,
            )
            first.setdefault(name, seconds)
            if name not in best or measure.steady_rate > best[name].steady_rate:
                best[name] = measure
    for name, measure in best.items():
        measure.first_seconds = first[name]
    return best


def print_table(best: dict[str, Measure]) -> None:
    """Both rates of each variant (its fastest run) against the first variant (the plain
    baseline) and, where there are TRL SFTTrainer rows, against the best of them; and the
    seconds of each variant's first run."""
    base = next(iter(best.values()))
    trl = [m for name, m in best.items() if name.startswith("TRL SFTTrainer")]
    top = max(trl, key=lambda m: m.steady_rate) if trl else None
    print(
        f"\n{'variant':<36} {'tokens':>7} {'seconds':>7} {'tok/s':>6} {'vs plain':>8} "
        f"{'steady tok/s':>12} {'vs plain':>8} {'vs TRL':>6} {'load':>5} {'1st run s':>9}"
    )
    for name, m in best.items():
        versus = f"{m.steady_rate / top.steady_rate:>5.2f}x" if top else f"{'-':>6}"
        print(
            f"{name:<36} {m.tokens:>7} {m.seconds:>7.1f} {m.rate:>6.0f} {m.rate / base.rate:>7.2f}x "
            f"{m.steady_rate:>12.0f} {m.steady_rate / base.steady_rate:>7.2f}x {versus} {m.load:>5.1f} "
            f"{m.first_seconds:>9.1f}"
        )
    print(f"load average now: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
