"""Benchmark: `medtune data prepare` at HealthCareMagic-100K scale (112,165 rows).

SYNTHETIC data: rows come from tools/synthetic.py (the bundled sample's generator, same
noise rates). Assumed length spread of the real data: questions median ~90 words, answers
median ~100 words, with a long tail; to get it, every answer gets one or two more sentences
from another row and 5% of questions are two patients' messages joined (tail ~300 words).

    python bench/data_prep.py [--rows 112165] [--format parquet|jsonl] [--repeat 1]

Prints the input's length percentiles and the wall time of each CLI run (a subprocess, so
interpreter start-up and imports are included): ``data prepare`` (audit included) and
``data audit`` alone. Targets on a 2-core machine: prepare <= 45 s, audit <= 60 s.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 112_165
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))  # synthetic.py


def build(rows: int, seed: int = 7) -> list[dict]:
    """``rows`` synthetic raw rows with the assumed length spread."""
    from synthetic import compose  # tools/, put on the path below

    from medtune.text import sentences

    data = compose(rows, seed=seed)
    rng = random.Random(seed)
    for row in data:
        donor = data[rng.randrange(len(data))]
        extra = sentences(donor["output"])
        if len(extra) > 2:
            picks = rng.sample(range(1, len(extra) - 1), min(len(extra) - 2, 1 + (rng.random() < 0.5)))
            row["output"] = " ".join([row["output"], *(extra[i] for i in picks)])
        if rng.random() < 0.05:
            row["input"] = f"{row['input']} {data[rng.randrange(len(data))]['input']}"
    return data


def write(data: list[dict], folder: Path, fmt: str) -> Path:
    path = folder / f"raw.{fmt}"
    if fmt == "parquet":
        import pyarrow as pa
        import pyarrow.parquet as pq

        pq.write_table(pa.Table.from_pylist(data), path)
    else:
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in data), encoding="utf-8")
    return path


def percentiles(values: list[int]) -> str:
    q = statistics.quantiles(values, n=100)
    return f"p50 {q[49]:.0f}, p90 {q[89]:.0f}, p99 {q[98]:.0f}"


def timed(cmd: list[str], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of ``repeat`` runs of ``cmd`` (a subprocess each)."""
    times, cpu = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return times, cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=ROWS)
    parser.add_argument("--format", choices=("parquet", "jsonl"), default="parquet")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    medtune = shutil.which("medtune") or str(Path(sys.executable).with_name("medtune"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data = build(args.rows)
        print(f"questions (words): {percentiles([len(r['input'].split()) for r in data])}")
        print(f"answers   (words): {percentiles([len(r['output'].split()) for r in data])}")
        raw = write(data, folder, args.format)
        commands = {
            "data prepare": ["data", "prepare", "--input", str(raw), "--output-dir", str(folder / "out")],
            "data audit": ["data", "audit", "--input", str(raw), "--output-dir", str(folder / "audit")],
        }
        timings = {name: timed([medtune, *cmd], args.repeat) for name, cmd in commands.items()}
        card = json.loads((folder / "out" / "data_card.json").read_text())
        print(f"counts: {card['counts']}")
        print(f"split groups: {card['split_groups']}")
        print(f"audit: {card['audit']}")
        for name, (times, cpu) in timings.items():
            print(f"medtune {name} on {args.rows:,} rows ({args.format}), {os.cpu_count()} cores:")
            print(
                f"  wall {', '.join(f'{t:.1f}' for t in times)} s (median {statistics.median(times):.1f} s)"
            )
            print(f"  cpu  {', '.join(f'{t:.1f}' for t in cpu)} s (user + system; the load-independent part)")
        print(f"  1-minute load average after the runs: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
