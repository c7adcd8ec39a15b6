"""Benchmark: QLoRA training of a Llama-3.1-8B-shaped model on one GPU, medtune vs the seed.

    PYTHONPATH=. python bench/gpu_qlora.py [--seconds 60]   # one GPU, ~5 minutes in all
    PYTHONPATH=. python bench/gpu_qlora.py --tiny           # the same code path on a CPU

Random weights (no download): the model is built from Llama-3.1-8B's config directly on the
GPU in bf16 and its decoder linears are quantized in place to nf4 with double quantization
(bitsandbytes), which takes seconds instead of writing and reloading 16 GB. Then, as in
medtune's loader: k-bit preparation, LoRA r 16 / alpha 32 / dropout 0.05 on all seven
linear layers, gradient checkpointing (non-reentrant), bf16 autocast (the Trainer's
``bf16=True``), paged 8-bit AdamW, lr 2e-4.

Data: random token ids with HealthCareMagic-like lengths (prompt+answer median ~225
tokens, lognormal spread), loss on the answer (last ~60%) only. Variants, each on a fresh
adapter and optimizer, timed for ``--seconds`` after 2 warm-up optimizer steps:

- seed baseline: per-device batch 2, gradient accumulation 4, each batch padded to its
  longest example, SDPA: what a plain HF + peft + bitsandbytes script does;
- packed FA2 (medtune's ``packing = auto`` on a GPU with flash-attn): examples packed
  padding-free into rows of up to 2048 tokens, FlashAttention-2 varlen kernels,
  accumulation 4, frozen unquantized weights kept in bf16 (medtune's loader) and medtune's
  chunked cross-entropy (``medtune.training.loss``, imported from this checkout). Skipped
  when flash_attn is not installed;
- packed SDPA (medtune's ``packing = auto`` on a GPU without flash-attn): the same rows;
  transformers derives a block-diagonal mask from the restarting position ids, so examples
  never attend to each other, and attention is computed densely per row. Run twice: with
  transformers' loss (full logits) and with medtune's chunked loss.

Throughput is non-padding tokens per second; peak memory is torch's max allocated. The
table comes last.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import math
import time
from collections.abc import Callable, Iterator
from functools import partial
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


def build_quantized(config: dict[str, Any], device: str) -> Any:
    """A random-weight Llama with nf4 decoder linears, prepared for k-bit training."""
    import bitsandbytes as bnb
    import torch
    from peft import prepare_model_for_kbit_training
    from transformers import LlamaConfig, LlamaForCausalLM

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    cfg = LlamaConfig(**config, use_cache=False)
    torch.manual_seed(0)
    default = torch.get_default_dtype()
    torch.set_default_dtype(dtype)
    try:
        with torch.device(device):
            model = LlamaForCausalLM(cfg)
    finally:
        torch.set_default_dtype(default)
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
                if device == "cpu":  # bitsandbytes' CPU gradient trap (see loader.py)
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


def examples(count: int, vocab: int, seed: int = 0) -> list[tuple[list[int], list[int]]]:
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


def padded_batches(data: list[tuple[list[int], list[int]]]) -> Iterator[tuple[dict[str, Any], int]]:
    """Batches of BATCH examples in data order, padded to the longest: (batch, real tokens)."""
    import torch

    for start in range(0, len(data) - BATCH + 1, BATCH):
        chunk = data[start : start + BATCH]
        width = max(len(ids) for ids, _ in chunk)
        ids = torch.zeros(len(chunk), width, dtype=torch.long)
        labels = torch.full((len(chunk), width), IGNORE)
        mask = torch.zeros(len(chunk), width, dtype=torch.long)
        for row, (i, lab) in enumerate(chunk):
            ids[row, : len(i)], labels[row, : len(lab)], mask[row, : len(i)] = (
                torch.tensor(i), torch.tensor(lab), 1,
            )  # fmt: skip
        yield {"input_ids": ids, "labels": labels, "attention_mask": mask}, int(mask.sum())


def packed_batches(
    data: list[tuple[list[int], list[int]]], flash: bool
) -> Iterator[tuple[dict[str, Any], int]]:
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


def train_variant(
    model: Any,
    batches: Callable[[], Iterator[tuple[dict[str, Any], int]]],
    device: str,
    seconds: float,
    *,
    chunked: bool,
) -> tuple[float, float | None]:
    """Train a fresh LoRA adapter, with medtune's chunked loss or transformers' own;
    return (non-padding tokens/s, peak GiB or None on CPU)."""
    import torch
    from peft import LoraConfig, get_peft_model

    from medtune.training.loss import ChunkedLoss

    peft_model = get_peft_model(
        model,
        LoraConfig(r=16, lora_alpha=32, lora_dropout=0.05, target_modules=TARGETS, task_type="CAUSAL_LM"),
    )
    params = [p for p in peft_model.parameters() if p.requires_grad]
    if device == "cuda":
        import bitsandbytes as bnb

        optimizer = bnb.optim.PagedAdamW8bit(params, lr=2e-4)
        torch.cuda.reset_peak_memory_stats()
    else:
        optimizer = torch.optim.AdamW(params, lr=2e-4)
    peft_model.train()
    loss_function = ChunkedLoss(peft_model) if chunked else None
    try:
        with loss_function.attached() if loss_function else contextlib.nullcontext():
            rate = _timed_loop(peft_model, optimizer, _cycle(batches), device, seconds, loss_function)
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
    """Optimizer steps of ACCUM micro-batches; tokens/s over ``seconds`` after 2 warm-up steps."""
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
        if steps == 2:  # warm-up done: start the clock
            started, tokens = time.perf_counter(), 0
        elif steps > 2 and time.perf_counter() - started >= seconds:
            return tokens / (time.perf_counter() - started)


def _cycle(make: Callable[[], Iterator[Any]]) -> Iterator[Any]:
    while True:
        yield from make()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tiny", action="store_true", help="Small model on the CPU (tests the code path).")
    parser.add_argument("--seconds", type=float, default=60.0, help="Timed seconds per variant.")
    cli = parser.parse_args()

    import torch

    device = "cpu" if cli.tiny or not torch.cuda.is_available() else "cuda"
    config = TINY if cli.tiny else LLAMA31_8B
    card = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    flash = device == "cuda" and importlib.util.find_spec("flash_attn") is not None
    started = time.perf_counter()
    model = build_quantized(config, device)
    built = time.perf_counter() - started
    print(f"built + quantized in {built:.0f} s on {card}; flash_attn: {flash}", flush=True)
    data = examples(4000, config["vocab_size"])
    fp32, compute = torch.float32, torch.bfloat16 if device == "cuda" else torch.float32
    padded = partial(padded_batches, data)
    packed, flashed = partial(packed_batches, data, flash=False), partial(packed_batches, data, flash=True)
    variants: dict[str, tuple[str, Any, Callable[[], Iterator[Any]], bool]] = {
        "seed: padded b2 x acc4, sdpa": ("sdpa", fp32, padded, False),
        "packed 2048, sdpa, bf16, HF loss": ("sdpa", compute, packed, False),
        "packed 2048, flash-attn 2": ("flash_attention_2", compute, flashed, True),
        "packed 2048, sdpa block mask": ("sdpa", compute, packed, True),
    }
    if not flash:
        del variants["packed 2048, flash-attn 2"]
    results: dict[str, tuple[float, float | None]] = {}
    for name, (attn, dtype, batches, chunked) in variants.items():
        model.set_attn_implementation(attn)
        cast_unquantized(model, dtype)
        try:
            results[name] = train_variant(model, batches, device, cli.seconds, chunked=chunked)
        except Exception as exc:  # one failing variant must not hide the others' numbers
            print(f"{name}: failed: {type(exc).__name__}: {exc}", flush=True)
            continue
        print(f"{name}: {results[name][0]:,.0f} tok/s", flush=True)
    medtune = "packed 2048, flash-attn 2" if flash else "packed 2048, sdpa block mask"
    base = results.get("seed: padded b2 x acc4, sdpa", (float("nan"), None))[0]
    size = "tiny" if cli.tiny else "Llama-3.1-8B-shaped"
    optimizer = "paged AdamW 8-bit" if device == "cuda" else "AdamW"
    print(f"\n{card} | {size} QLoRA nf4, LoRA r16 all linears, grad checkpointing, {optimizer}")
    print(f"medtune packing=auto here = '{medtune}'")
    print(f"{'variant':<32} {'tok/s':>9} {'vs seed':>8} {'peak GiB':>9}")
    for name, (rate, peak) in results.items():
        gib = f"{peak:.2f}" if peak is not None else "-"
        print(f"{name:<32} {rate:>9,.0f} {rate / base:>7.2f}x {gib:>9}")
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
