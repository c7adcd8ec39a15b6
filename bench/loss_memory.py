"""Benchmark: memory of the output layer + loss for one packed Llama-3.1-8B row.

    python bench/loss_memory.py                  # CUDA in bf16 if present, else the CPU in fp32
    python bench/loss_memory.py --hidden 1024    # 4x faster on a CPU; logits memory is the same

The part of an 8B QLoRA step that chunked cross-entropy changes: the last hidden states of
one 2048-token packed row through the frozen lm_head (128,256 x 4,096) into the loss, 60%
of the positions answer tokens, forward and backward (gradient for the hidden states, as
under LoRA). Variants: transformers' path (full logits into ``ForCausalLMLoss``) and
medtune's ``causal_lm_loss`` (:mod:`medtune.training.loss`). Each runs in a fresh process;
memory is its peak above what the inputs hold: ``torch.cuda.max_memory_allocated`` on a
GPU, the peak resident set (``ru_maxrss``) on a CPU. Both losses are printed: they agree.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

VARIANTS = ("transformers", "medtune")


def measure(variant: str, tokens: int, hidden_size: int, vocab: int, device: str) -> dict[str, Any]:
    """Forward + backward of one variant; peak bytes above the inputs, loss, seconds."""
    import torch
    from transformers.loss.loss_utils import ForCausalLMLoss

    from medtune.training.loss import causal_lm_loss

    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    generator = torch.Generator(device).manual_seed(0)
    hidden = torch.randn(1, tokens, hidden_size, dtype=dtype, device=device, generator=generator)
    hidden.requires_grad_(True)
    weight = torch.randn(vocab, hidden_size, dtype=dtype, device=device, generator=generator).mul_(0.02)
    labels = torch.randint(0, vocab, (1, tokens), device=device, generator=generator)
    labels[:, : int(tokens * 0.4)] = -100  # the prompt
    before = _current(device)
    started = time.perf_counter()
    if variant == "transformers":
        loss = ForCausalLMLoss(torch.nn.functional.linear(hidden, weight), labels, vocab_size=vocab)
    else:
        loss = causal_lm_loss(hidden, weight, labels)
    loss.backward()
    if device == "cuda":
        torch.cuda.synchronize()
    return {
        "variant": variant,
        "loss": loss.item(),
        "seconds": time.perf_counter() - started,
        "peak_bytes": _peak(device) - before,
    }


def _current(device: str) -> int:
    import torch

    if device == "cuda":
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        return torch.cuda.memory_allocated()
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize()


def _peak(device: str) -> int:
    import torch

    if device == "cuda":
        return torch.cuda.max_memory_allocated()
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=2048, help="Positions in the packed row.")
    parser.add_argument("--hidden", type=int, default=4096, help="Hidden size (Llama 3.1 8B: 4096).")
    parser.add_argument("--vocab", type=int, default=128256, help="Vocabulary (Llama 3: 128,256).")
    parser.add_argument("--variant", choices=VARIANTS, help=argparse.SUPPRESS)  # one child run
    cli = parser.parse_args()

    import torch

    device = "cuda" if torch.cuda.is_available() else "cpu"
    shape = (cli.tokens, cli.hidden, cli.vocab, device)
    if cli.variant:
        print(json.dumps(measure(cli.variant, *shape)))
        return
    rows = []
    for variant in VARIANTS:
        argv = ["--tokens", str(cli.tokens), "--hidden", str(cli.hidden), "--vocab", str(cli.vocab)]
        child = subprocess.run(
            [sys.executable, __file__, *argv, "--variant", variant],
            capture_output=True,
            text=True,
            check=True,
        )
        rows.append(json.loads(child.stdout.strip().splitlines()[-1]))
        print(f"{variant}: done", flush=True)
    card = torch.cuda.get_device_name(0) if device == "cuda" else "CPU"
    dtype = "bf16" if device == "cuda" else "fp32"
    base = rows[0]["peak_bytes"]
    print(f"\n{card}, {dtype} | {cli.tokens} tokens x hidden {cli.hidden} -> vocab {cli.vocab:,}")
    print(f"{'loss path':<14} {'peak above inputs':>18} {'vs transformers':>16} {'seconds':>8} {'loss':>9}")
    for row in rows:
        gib, share = row["peak_bytes"] / 2**30, row["peak_bytes"] / base
        seconds, loss = row["seconds"], row["loss"]
        print(f"{row['variant']:<14} {gib:>14.2f} GiB {share:>15.2f}x {seconds:>8.1f} {loss:>9.4f}")


if __name__ == "__main__":
    main()
