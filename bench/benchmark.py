"""Benchmark: ``medtune benchmark`` against lm-evaluation-harness's own CLI on the same items.

Both score the same synthetic PubMedQA-format items (abstracts of about 200 words, like the
real ones) through the same task config (the one medtune writes over the local release),
with the same batch size, on the CPU, with the tiny model and a random LoRA adapter on it:

- one system: ``medtune benchmark --model-path ADAPTER`` vs
  ``lm_eval run --model hf --model_args pretrained=BASE,peft=ADAPTER``;
- paired: ``medtune benchmark --baseline`` (one process; the base is the adapter switched
  off) vs the two lm_eval runs that give the same numbers (with and without ``peft=``).

Each command runs as a subprocess, start-up, model loading and scoring included; best of
``--repeats``, the two tools interleaved, ``--threads`` torch threads each (1 by default: on
a shared machine more threads mostly measure the contention). Items/s = items scored (times
systems) / wall seconds. The script also checks that both tools report the same accuracy.
Target: medtune >= 1.0x.

    python bench/benchmark.py [--items 100] [--batch-size 8] [--repeats 2] [--threads 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def write_release(folder: Path, items: int, seed: int = 0) -> None:
    """``pubmedqa/ori_pqal.json`` with ``items`` made-up items, words drawn from the bundled sample."""
    from medtune.data.sample import load_sample

    words = " ".join(r["input"] + " " + r["output"] for r in load_sample()).split()
    rng = random.Random(seed)

    def sentence(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n)).capitalize() + "."

    release = {
        str(100000 + i): {
            "QUESTION": sentence(14)[:-1] + "?",
            "CONTEXTS": [sentence(rng.randint(50, 80)) for _ in range(3)],
            "final_decision": rng.choice(["yes", "no", "maybe"]),
        }
        for i in range(items)
    }
    (folder / "pubmedqa").mkdir(parents=True)
    (folder / "pubmedqa" / "ori_pqal.json").write_text(json.dumps(release), encoding="utf-8")


def build_models(work: Path) -> tuple[Path, Path]:
    """The tiny model and a LoRA adapter on it with random (non-zero) weights."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medtune.modeling.tiny import build_tiny_model

    base = build_tiny_model(work / "tiny")
    torch.manual_seed(0)
    config = LoraConfig(r=16, lora_alpha=32, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    adapter = work / "adapter"
    get_peft_model(AutoModelForCausalLM.from_pretrained(base), config).save_pretrained(adapter)
    AutoTokenizer.from_pretrained(base).save_pretrained(adapter)
    return base, adapter


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd[:4])} ... failed:\n{done.stderr[-3000:]}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=100)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()

    from medtune.benchmark.harness import write_tasks
    from medtune.benchmark.sources import resolve

    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("MEDTUNE_")},
        "PYTHONPATH": str(ROOT),
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "TOKENIZERS_PARALLELISM": "false",
        "OMP_NUM_THREADS": str(args.threads),
    }
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base, adapter = build_models(work)
        write_release(work / "data", args.items)
        tasks = resolve(["pubmedqa"], work / "data", fewshot=False, hub_reachable=lambda: False)
        write_tasks(tasks, work / "tasks")
        config = work / "medtune.toml"
        config.write_text('[model]\nbits = 16\nprecision = "fp32"\ndevice = "cpu"\n')
        limit, batch = str(args.items), str(args.batch_size)
        data, tasks_dir = str(work / "data"), str(work / "tasks")
        medtune = [
            sys.executable, "-m", "medtune", "benchmark", "--config", str(config), "--tasks", "pubmedqa",
            "--data-dir", data, "--model-path", str(adapter), "--limit", limit, "--batch-size", batch,
        ]  # fmt: skip
        lm_eval = [
            sys.executable, "-m", "lm_eval", "run", "--model", "hf", "--device", "cpu", "--tasks", "pubmedqa",
            "--include_path", tasks_dir, "--limit", limit, "--batch_size", batch,
        ]  # fmt: skip
        peft = f"pretrained={base},peft={adapter},dtype=float32"
        plain = f"pretrained={base},dtype=float32"

        def medtune_run(*extra: str) -> float:
            return timed([*medtune, "-o", str(work / "m"), *extra], env)

        def lm_eval_run(model_args: str, name: str) -> float:
            return timed([*lm_eval, "--model_args", model_args, "--output_path", str(work / name)], env)

        one: list[tuple[float, float]] = []
        paired: list[tuple[float, float]] = []
        for _ in range(args.repeats):  # interleaved, so load from other processes hits both tools alike
            one.append((medtune_run(), lm_eval_run(peft, "peft")))
            paired.append(
                (medtune_run("--baseline"), lm_eval_run(peft, "peft") + lm_eval_run(plain, "plain"))
            )
        rows = {
            "one system": (min(m for m, _ in one), min(r for _, r in one), 1),
            "paired (fine-tuned + base)": (min(m for m, _ in paired), min(r for _, r in paired), 2),
        }
        ours = json.loads((work / "m" / "benchmark.json").read_text())["tasks"]["pubmedqa"]
        theirs = {
            name: json.loads(next((work / name).rglob("results_*.json")).read_text())["results"]["pubmedqa"][
                "acc,none"
            ]
            for name in ("peft", "plain")
        }
    agree = ours["fine-tuned"]["accuracy"] == theirs["peft"] and ours["base"]["accuracy"] == theirs["plain"]
    print(
        f"{args.items} PubMedQA-format items, batch size {args.batch_size}, CPU ({args.threads} threads), "
        "tiny model + LoRA, "
        f"best of {args.repeats}; accuracy medtune {ours['fine-tuned']['accuracy']:.3f}/"
        f"{ours['base']['accuracy']:.3f} vs lm_eval {theirs['peft']:.3f}/{theirs['plain']:.3f} "
        f"(fine-tuned/base): {'same' if agree else 'DIFFERENT'}"
    )
    header = ("medtune s", "lm_eval s", "medtune it/s", "lm_eval it/s")
    print(f"{'run':<28} " + " ".join(f"{h:>13}" for h in header) + f" {'ratio':>7}")
    for name, (mine, reference, systems) in rows.items():
        items = args.items * systems
        print(
            f"{name:<28} {mine:>13.1f} {reference:>13.1f} {items / mine:>13.1f} {items / reference:>13.1f} "
            f"{reference / mine:>6.2f}x"
        )


if __name__ == "__main__":
    main()
