"""Benchmark: batched vs one-by-one greedy generation on the CPU with the tiny model.

The same prompts (the bundled sample's questions through the project template) are
answered one at a time and in batches (left padding, prompts sorted by length); both use
medtune.evaluation.generate.generate, greedy, the same max_new_tokens.

    python bench/eval_generation.py [--examples 32] [--max-new-tokens 64] [--batch-sizes 8 16 32]
        [--threads 1]

Prints wall time, answers/s and new tokens/s for each batch size, the speed-up over
batch size 1, and how many answers differ from the one-by-one ones. Target: >= 4x.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=32)
    parser.add_argument("--max-new-tokens", type=int, default=64)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[8, 16, 32])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medtune.data.sample import load_sample
    from medtune.data.template import render_prompt
    from medtune.evaluation.generate import generate
    from medtune.modeling.tiny import build_tiny_model

    torch.set_num_threads(args.threads)
    with tempfile.TemporaryDirectory() as work:
        path = build_tiny_model(Path(work) / "tiny")
        model = AutoModelForCausalLM.from_pretrained(path).eval()
        tokenizer = AutoTokenizer.from_pretrained(path)
    records = load_sample()[: args.examples]
    prompts = [render_prompt(tokenizer, r) for r in records]
    lengths = [len(tokenizer(p, add_special_tokens=False).input_ids) for p in prompts]
    print(
        f"tiny model {sum(p.numel() for p in model.parameters()) / 1e6:.2f}M params, {len(prompts)} prompts "
        f"({min(lengths)}-{max(lengths)} tokens), max_new_tokens {args.max_new_tokens}, greedy, "
        f"{torch.get_num_threads()} threads"
    )

    def run(batch_size: int) -> tuple[float, dict]:
        start = time.perf_counter()
        out = {
            i: g
            for batch in generate(
                model, tokenizer, prompts, max_new_tokens=args.max_new_tokens, batch_size=batch_size
            )
            for i, g in batch
        }
        return time.perf_counter() - start, out

    run(4)  # warm-up
    base_time, base = run(1)
    tokens = sum(g.num_new_tokens for g in base.values())
    print(f"{'batch':>5} {'seconds':>8} {'answers/s':>10} {'tokens/s':>9} {'speed-up':>8} {'differ':>6}")
    print(
        f"{1:>5} {base_time:>8.2f} {len(prompts) / base_time:>10.2f} "
        f"{tokens / base_time:>9.0f} {1.0:>7.2f}x {0:>6}"
    )
    for size in args.batch_sizes:
        seconds, out = run(size)
        differ = sum(out[i].token_ids != base[i].token_ids for i in base)
        print(
            f"{size:>5} {seconds:>8.2f} {len(prompts) / seconds:>10.2f} {tokens / seconds:>9.0f} "
            f"{base_time / seconds:>7.2f}x {differ:>6}"
        )


if __name__ == "__main__":
    main()
