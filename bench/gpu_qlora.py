"""Benchmark: QLoRA training of a Llama-3.1-8B-shaped model on one GPU: medtune against the
seed, a padded baseline with packing's tokens per step, TRL's SFTTrainer and Liger's kernels.

    PYTHONPATH=. python bench/gpu_qlora.py [--seconds 20]   # one GPU, ~5 minutes in all
    PYTHONPATH=. python bench/gpu_qlora.py --tiny           # the same code paths on a CPU

Random weights (no download): the model is built from Llama-3.1-8B's config on the GPU in
bf16. When medtune imports (its dependencies: pydantic-settings and the rest of
pyproject's), the model is saved with a byte-level BPE tokenizer trained on the bundled
sample, for medtune to load as a user's model. Then its decoder linears are quantized in
place to nf4 with double quantization (bitsandbytes) for the other rows, which takes seconds
instead of reloading 16 GB per row. As in medtune's loader: k-bit preparation, LoRA r 16 /
alpha 32 / dropout 0.05 on all seven linear layers, gradient checkpointing (non-reentrant),
bf16 autocast, paged 8-bit AdamW, lr 2e-4.

Data: with medtune, the bundled sample's 360 questions and answers through medtune's
template and that tokenizer (loss on the answer), the same token ids in every row; without
it, random ids with HealthCareMagic-like lengths (lognormal, median ~225 tokens, last 60%
trained). Rows, each on a fresh adapter and optimizer, timed for ``--seconds`` after
WARMUP_STEPS optimizer steps:

- seed: per-device batch 2, accumulation 4, each batch padded to its longest example, SDPA,
  peft's fp32 upcast of the unquantized weights, transformers' loss: a plain HF + peft +
  bitsandbytes script;
- padded, packed tokens: the batch that holds as many real tokens as a packed row, with
  medtune's bf16 frozen weights and chunked loss: padding against packing at equal tokens
  per step (the gain over the seed mixes the larger batch with packing itself);
- packed 2048, sdpa, bf16, HF loss: medtune's packed rows before chunked cross-entropy;
- packed 2048, sdpa block mask (and flash-attn 2 when installed): the packed rows with
  medtune's chunked loss; run only without medtune (its mirror), and the SDPA one also
  when flash-attn makes medtune's row FlashAttention-2;
- TRL SFTTrainer: ``packing=True`` (best-fit-decreasing rows of 2048, padding-free),
  ``completion_only_loss``, bf16, batch 1 x accumulation 4, the same LoRA and optimizer,
  the attention medtune uses (needs trl and datasets);
- Liger: the packed rows with what ``use_liger_kernel`` applies (transformers'
  ``apply_liger_kernel``: RoPE, RMSNorm, SwiGLU and fused linear cross-entropy kernels) and
  the attention medtune uses; CUDA only (needs liger-kernel);
- medtune: ``medtune.training.train`` with ``examples/llama31-8b-qlora.toml`` (rows of 2048,
  batch 1 x accumulation 4, chunked cross-entropy, the attention ``auto`` picks), loading the
  saved model from disk; last, after the quantized copy is freed.

Throughput is non-padding tokens per second; peak memory is torch's max allocated while
training. A row that fails prints why and the others go on. The table comes last.
"""

from __future__ import annotations

import argparse
import gc
import importlib.util
import math
import tempfile
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path
from typing import Any

LLAMA31_8B = {
    "hidden_size": 4096,
    "intermediate_size": 14336,
    "num_hidden_layers": 32,
    "num_attention_heads": 32,
    "num_key_value_heads": 8,
    "vocab_size": 128256,
    "max_position_embeddings": 131072,
    "rope_theta": 500000.0,
    "rope_scaling": {
        "rope_type": "llama3",
        "factor": 8.0,
        "low_freq_factor": 1.0,
        "high_freq_factor": 4.0,
        "original_max_position_embeddings": 8192,
    },
    "rms_norm_eps": 1e-5,
    "tie_word_embeddings": False,
}
TINY = {**LLAMA31_8B, "hidden_size": 128, "intermediate_size": 384, "num_hidden_layers": 2,
        "num_attention_heads": 4, "num_key_value_heads": 2, "vocab_size": 2048}  # fmt: skip
TARGETS = ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"]
BATCH, ACCUM, ROW, IGNORE = 2, 4, 2048, -100
WARMUP_STEPS = 2
EXAMPLE_CONFIG = Path(__file__).resolve().parent.parent / "examples" / "llama31-8b-qlora.toml"
Example = tuple[list[int], list[int]]


def medtune_missing() -> str | None:
    """Why medtune's training path cannot run here (None when it can)."""
    try:
        import medtune.config
        import medtune.training.sft  # noqa: F401
    except ImportError as exc:
        return str(exc)
    return None


def build_model(config: dict[str, Any], device: str) -> Any:
    """A random-weight Llama in the compute dtype (bf16 on CUDA, fp32 on the CPU)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    cfg = LlamaConfig(**config, use_cache=False)
    torch.manual_seed(0)
    default = torch.get_default_dtype()
    torch.set_default_dtype(torch.bfloat16 if device == "cuda" else torch.float32)
    try:
        with torch.device(device):
            return LlamaForCausalLM(cfg)
    finally:
        torch.set_default_dtype(default)


def save_for_medtune(model: Any, folder: Path, data_dir: Path) -> list[Example]:
    """Save ``model`` with a tokenizer trained on the bundled sample, write the sample as
    ``data_dir/train.jsonl`` and return its examples as medtune tokenizes them."""
    from medtune.config import ModelSettings
    from medtune.data.sample import load_sample
    from medtune.io import write_jsonl
    from medtune.modeling.loader import load_tokenizer
    from medtune.modeling.tiny import record_texts, train_tokenizer
    from medtune.training.dataset import tokenize_records

    records = [{key: r[key] for key in ("instruction", "input", "output")} for r in load_sample()]
    tokenizer = train_tokenizer(list(record_texts(records)), vocab_size=2048)
    for config in (model.config, model.generation_config):
        config.bos_token_id, config.eos_token_id = tokenizer.bos_token_id, tokenizer.eos_token_id
        config.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    write_jsonl(data_dir / "train.jsonl", records)
    tokenizer = load_tokenizer(ModelSettings(model_name=str(folder)))
    examples, _ = tokenize_records(tokenizer, records, max_seq_length=ROW)
    return [(ex["input_ids"], ex["labels"]) for ex in examples]


def quantize(model: Any, device: str) -> Any:
    """``model`` with nf4 decoder linears (in place), prepared for k-bit training."""
    import bitsandbytes as bnb
    import torch
    from peft import prepare_model_for_kbit_training

    dtype = next(model.parameters()).dtype
    for layer in model.model.layers:
        for parent in (layer.self_attn, layer.mlp):
            for name, linear in list(parent.named_children()):
                if not isinstance(linear, torch.nn.Linear):
                    continue
                quantized = bnb.nn.Linear4bit(
                    linear.in_features, linear.out_features, bias=False, compute_dtype=dtype,
                    compress_statistics=True, quant_type="nf4", device="meta",
                )  # fmt: skip
                quantized.weight = bnb.nn.Params4bit(
                    linear.weight.data, requires_grad=False, compress_statistics=True, quant_type="nf4"
                ).to(device)
                if device == "cpu":  # bitsandbytes' CPU gradient trap (medtune.modeling.loader)
                    quantized.support_avx512bf16_for_cpu = False
                setattr(parent, name, quantized)
        if device == "cuda":
            torch.cuda.empty_cache()
    model.is_loaded_in_4bit = True  # what from_pretrained(quantization_config=...) marks,
    model.config._pre_quantization_dtype = dtype  # and the dtype flash-attn casts fp32 inputs to
    return prepare_model_for_kbit_training(
        model, use_gradient_checkpointing=True, gradient_checkpointing_kwargs={"use_reentrant": False}
    )


def cast_unquantized(model: Any, dtype: Any) -> None:
    """Cast the weights bitsandbytes left unquantized (embeddings, lm_head, norms).

    peft's k-bit preparation upcasts them to fp32 (the seed's path: +2 GiB for an 8B model's
    embeddings and head); medtune keeps them in the bf16 compute dtype."""
    import bitsandbytes as bnb

    for param in model.parameters():
        if not isinstance(param, bnb.nn.Params4bit) and param.is_floating_point():
            param.data = param.data.to(dtype)


def random_examples(count: int, vocab: int, seed: int = 0) -> list[Example]:
    """(input_ids, labels) with lognormal lengths (median ~225), prompt tokens masked."""
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(count):
        length = min(max(int(rng.lognormvariate(math.log(225), 0.5)), 32), ROW)
        ids = [rng.randrange(3, vocab) for _ in range(length)]
        prompt = int(length * 0.4)
        out.append((ids, [IGNORE] * prompt + ids[prompt:]))
    return out


def padded_batches(data: list[Example], batch: int) -> Iterator[tuple[dict[str, Any], int]]:
    """Batches of ``batch`` examples in data order, padded to the longest: (batch, real tokens)."""
    import torch

    for start in range(0, len(data) - batch + 1, batch):
        chunk = data[start : start + batch]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        labels = torch.full((len(chunk), width), IGNORE)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        for row, (i, lab) in enumerate(chunk):
            ids[row, : len(i)], labels[row, : len(lab)], mask[row, : len(i)] = (
                torch.tensor(i), torch.tensor(lab), 1,
            )  # fmt: skip
        yield {"input_ids": ids, "labels": labels, "attention_mask": mask}, int(mask.sum())


def packed_batches(data: list[Example], flash: bool) -> Iterator[tuple[dict[str, Any], int]]:
    """Rows of up to ROW tokens, examples in data order, padding-free (transformers'
    DataCollatorWithFlattening, as medtune's collator): (batch, tokens)."""
    from transformers import DataCollatorWithFlattening

    collate = DataCollatorWithFlattening(
        return_position_ids=True, separator_id=IGNORE, return_flash_attn_kwargs=flash
    )
    row: list[dict[str, list[int]]] = []
    used = 0
    for ids, labels in data:
        if used + len(ids) > ROW and row:
            yield collate(row), used
            row, used = [], 0
        row.append({"input_ids": ids, "labels": labels})
        used += len(ids)


def packed_tokens_batch(data: list[Example]) -> int:
    """The padded batch size that holds about the real tokens of one packed row."""
    rows = [tokens for _, tokens in packed_batches(data, flash=False)]
    mean_row = sum(rows) / len(rows)
    mean_example = sum(len(ids) for ids, _ in data) / len(data)
    return max(BATCH, round(mean_row / mean_example))


def lora_config() -> Any:
    from peft import LoraConfig

    return LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=TARGETS, task_type="CAUSAL_LM")


def train_variant(
    model: Any,
    batches: Callable[[], Iterator[tuple[dict[str, Any], int]]],
    device: str,
    seconds: float,
    *,
    chunked: bool,
) -> tuple[float, float | None]:
    """Train a fresh LoRA adapter, with medtune's chunked loss or the model's own;
    return (non-padding tokens/s, peak GiB or None on CPU)."""
    import torch
    from peft import get_peft_model

    peft_model = get_peft_model(model, lora_config())
    params = [p for p in peft_model.parameters() if p.requires_grad]
    if device == "cuda":
        import bitsandbytes as bnb

        optimizer = bnb.optim.PagedAdamW8bit(params, lr=2e-4)
        torch.cuda.reset_peak_memory_stats()
    else:
        optimizer = torch.optim.AdamW(params, lr=2e-4)
    peft_model.train()
    try:
        if chunked:
            from medtune.training.loss import ChunkedLoss

            loss_function = ChunkedLoss(peft_model)
            with loss_function.attached():
                rate = _timed_loop(peft_model, optimizer, _cycle(batches), device, seconds, loss_function)
        else:
            rate = _timed_loop(peft_model, optimizer, _cycle(batches), device, seconds, None)
    finally:  # the next variant gets the bare base model back, also after a failure
        peft_model.unload()
        del optimizer, params
        gc.collect()
        if device == "cuda":
            torch.cuda.empty_cache()
    return rate, torch.cuda.max_memory_allocated() / 2**30 if device == "cuda" else None


def _timed_loop(
    model: Any, optimizer: Any, stream: Iterator[Any], device: str, seconds: float, loss_function: Any
) -> float:
    """Optimizer steps of ACCUM micro-batches; tokens/s over ``seconds`` after the warm-up steps."""
    import torch

    steps, tokens, started = 0, 0, 0.0
    while True:
        for _ in range(ACCUM):
            batch, real = next(stream)
            batch = {k: v.to(device) if hasattr(v, "to") else v for k, v in batch.items()}
            with torch.autocast(device, dtype=torch.bfloat16, enabled=device == "cuda"):  # bf16=True
                if loss_function is None:
                    loss = model(**batch).loss
                else:
                    labels = batch.pop("labels")
                    loss = loss_function(model(**batch), labels)
            (loss / ACCUM).backward()
            tokens += real
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        steps += 1
        if device == "cuda":
            torch.cuda.synchronize()
        if steps == WARMUP_STEPS:  # warm-up done: start the clock
            started, tokens = time.perf_counter(), 0
        elif steps > WARMUP_STEPS and time.perf_counter() - started >= seconds:
            return tokens / (time.perf_counter() - started)


def _cycle(make: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    while True:
        yield from make()


def run_liger(
    model: Any, batches: Callable[[], Iterator[Any]], device: str, seconds: float
) -> tuple[float, float | None]:
    """:func:`train_variant` with what ``use_liger_kernel`` applies to ``model``
    (transformers' ``apply_liger_kernel``: Liger's RoPE, RMSNorm, SwiGLU and fused linear
    cross-entropy kernels). Liger also patches transformers' Llama module; that is undone
    afterwards, so models built later (medtune's row) run without it. ``model`` stays
    patched: the last row on it."""
    from transformers.integrations.liger import apply_liger_kernel
    from transformers.models.llama import modeling_llama

    saved = dict(vars(modeling_llama))
    try:
        apply_liger_kernel(model, None)
        return train_variant(model, batches, device, seconds, chunked=False)
    finally:
        for name, value in saved.items():
            setattr(modeling_llama, name, value)


def run_trl(
    model: Any, data: list[Example], tokenizer: Any, device: str, seconds: float
) -> tuple[float, Any]:
    """TRL's SFTTrainer on ``model`` (a LoRA adapter of its own, removed afterwards) and the
    same token ids, packed: (non-padding tokens/s, peak GiB or None)."""
    from datasets import Dataset
    from step_clock import StepClock
    from trl import SFTConfig, SFTTrainer

    cuda = device == "cuda"
    rows = [{"input_ids": ids, "completion_mask": [int(x != IGNORE) for x in labels]} for ids, labels in data]
    clock = StepClock(WARMUP_STEPS, seconds)
    with tempfile.TemporaryDirectory(prefix="trl-") as out:
        args = SFTConfig(
            output_dir=out,
            per_device_train_batch_size=1,
            gradient_accumulation_steps=ACCUM,
            max_steps=100_000,  # the clock stops it
            learning_rate=2e-4,
            activation_checkpointing=True,
            activation_checkpointing_kwargs={"use_reentrant": False},
            bf16=cuda,
            use_cpu=not cuda,
            optim="paged_adamw_8bit" if cuda else "adamw_torch",
            save_strategy="no",
            logging_steps=100_000,
            report_to="none",
            include_num_input_tokens_seen="non_padding",
            disable_tqdm=True,
            completion_only_loss=True,
            packing=True,
            max_length=ROW,
        )
        trainer = SFTTrainer(
            model=model,
            args=args,
            train_dataset=Dataset.from_list(rows),
            processing_class=tokenizer,
            peft_config=lora_config(),
            callbacks=[clock],
        )
        try:
            trainer.train()
        finally:  # the base model back for the next row: adapter and TRL's fused head removed
            trainer.model.unload()
            vars(model).pop("forward", None)
            del trainer
            gc.collect()
    tokens, elapsed = clock.steady()
    return tokens / elapsed, clock.peak_gib


def run_medtune(model_dir: Path, data_dir: Path, device: str, seconds: float) -> tuple[float, Any]:
    """``medtune.training.train`` with the example QLoRA config on the saved model:
    (non-padding tokens/s, peak GiB or None)."""
    import transformers.trainer
    from step_clock import StepClock

    from medtune.config import load_settings
    from medtune.training import train

    clock = StepClock(WARMUP_STEPS, seconds)
    with tempfile.TemporaryDirectory(prefix="medtune-") as out:
        settings = load_settings(
            EXAMPLE_CONFIG,
            {
                "model": {"model_name": str(model_dir), "device": device},
                "data": {"data_dir": str(data_dir)},
                "train": {
                    "output_dir": out,
                    "max_steps": 100_000,  # the clock stops it
                    "packing": "true",  # what auto does on CUDA; --tiny packs on the CPU too
                    "save_steps": 100_000,
                    "logging_steps": 100_000,
                    "report_to": ["none"],
                },
            },
        )
        transformers.trainer.DEFAULT_CALLBACKS.append(clock)  # medtune's Trainer gets it
        try:
            train(settings)
        finally:
            transformers.trainer.DEFAULT_CALLBACKS.remove(clock)
    tokens, elapsed = clock.steady()
    return tokens / elapsed, clock.peak_gib


def versions() -> str:
    """Versions of the libraries the rows use (absent ones named as such)."""
    from importlib.metadata import PackageNotFoundError, version

    found = []
    for name in ("torch", "transformers", "peft", "bitsandbytes", "trl", "liger-kernel", "flash-attn"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} absent")
    return ", ".join(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="Small model on the CPU (tests the code paths).")
    parser.add_argument("--seconds", type=float, default=20.0, help="Timed seconds per row.")
    cli = parser.parse_args()

    import torch

    device = "cpu" if cli.tiny or not torch.cuda.is_available() else "cuda"
    config = TINY if cli.tiny else LLAMA31_8B
    card = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    flash = device == "cuda" and importlib.util.find_spec("flash_attn") is not None
    attn = "flash_attention_2" if flash else "sdpa"  # what medtune's auto picks here
    missing = medtune_missing()
    started = time.perf_counter()

    def say(line: str) -> None:
        print(f"[{time.perf_counter() - started:5.0f} s] {line}", flush=True)

    say(f"{card}; {versions()}; medtune: {'yes' if missing is None else f'no ({missing})'}")
    results: dict[str, tuple[float, float | None]] = {}

    def measure(name: str, run: Callable[[], tuple[float, float | None]]) -> None:
        try:
            results[name] = run()
        except Exception as exc:  # one failing row must not hide the others' numbers
            say(f"{name}: failed: {type(exc).__name__}: {exc}")
            return
        say(f"{name}: {results[name][0]:,.0f} tok/s")

    with tempfile.TemporaryDirectory(prefix="gpu-qlora-") as tmp:
        model_dir, data_dir = Path(tmp) / "model", Path(tmp) / "data"
        model = build_model(config, device)
        tokenizer = None
        if missing is None:
            data = save_for_medtune(model, model_dir, data_dir)
            from medtune.config import ModelSettings
            from medtune.modeling.loader import load_tokenizer

            tokenizer = load_tokenizer(ModelSettings(model_name=str(model_dir)))
            say(f"saved for medtune; data: the bundled sample, {len(data)} examples")
        else:
            data = random_examples(4000, config["vocab_size"])
        model = quantize(model, device)
        say("quantized")
        compute = torch.bfloat16 if device == "cuda" else torch.float32
        padded, packed = partial(padded_batches, data), partial(packed_batches, data)
        wide = packed_tokens_batch(data)
        mirror: dict[str, tuple[str, Any, Callable[[], Iterator[Any]], bool]] = {
            "seed: padded b2 x acc4, sdpa": ("sdpa", torch.float32, partial(padded, BATCH), False),
            f"padded b{wide} x acc4 (packed tokens), sdpa": ("sdpa", compute, partial(padded, wide), True),
            "packed 2048, sdpa, bf16, HF loss": ("sdpa", compute, partial(packed, False), False),
        }
        if missing is not None or flash:
            mirror["packed 2048, sdpa block mask"] = ("sdpa", compute, partial(packed, False), True)
        if missing is not None and flash:
            mirror["packed 2048, flash-attn 2"] = ("flash_attention_2", compute, partial(packed, True), True)
        for name, (kernel, dtype, batches, chunked) in mirror.items():
            model.set_attn_implementation(kernel)
            cast_unquantized(model, dtype)
            measure(name, partial(train_variant, model, batches, device, cli.seconds, chunked=chunked))
        model.set_attn_implementation(attn)
        cast_unquantized(model, compute)
        if tokenizer is None:
            say("TRL SFTTrainer: skipped (needs medtune's tokenizer and data)")
        else:
            measure(
                f"TRL SFTTrainer, packing 2048, {attn}",
                partial(run_trl, model, data, tokenizer, device, cli.seconds),
            )
        if device != "cuda" or importlib.util.find_spec("liger_kernel") is None:
            say(f"Liger: skipped ({'not installed' if device == 'cuda' else 'its Triton kernels need CUDA'})")
        else:
            measure(
                f"Liger, packed 2048, {attn}",
                partial(run_liger, model, partial(packed, flash), device, cli.seconds),
            )
        del model  # medtune's row loads its own model: free this one for its peak memory
        gc.collect()
        if device == "cuda":
            torch.cuda.empty_cache()
            say(f"left allocated before medtune's row: {torch.cuda.memory_allocated() / 2**30:.2f} GiB")
        if missing is None:
            run = partial(run_medtune, model_dir, data_dir, device, cli.seconds)
            measure(f"medtune, examples/llama31-8b-qlora.toml, {attn}", run)

    base = results.get("seed: padded b2 x acc4, sdpa", (float("nan"), None))[0]
    size = "tiny" if cli.tiny else "Llama-3.1-8B-shaped"
    optimizer = "paged AdamW 8-bit" if device == "cuda" else "AdamW"
    print(f"\n{card} | {size} QLoRA nf4, LoRA r16 all linears, grad checkpointing, {optimizer}")
    print(f"{'variant':<46} {'tok/s':>9} {'vs seed':>8} {'peak GiB':>9}")
    for name, (rate, peak) in results.items():
        gib = f"{peak:.2f}" if peak is not None else "-"
        print(f"{name:<46} {rate:>9,.0f} {rate / base:>7.2f}x {gib:>9}")
    say("done")


if __name__ == "__main__":
    main()
