"""CLI start-up: wall time of ``medtune --help`` minus ``python -c pass``, median of N.

    python bench/cli_startup.py [--runs 10]

Target: <= 0.3 s. Heavy libraries are imported inside the commands that need them, so this
measures Python, Typer, Rich and the command registry only.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time


def median_seconds(cmd: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    medtune = shutil.which("medtune") or sys.exit("medtune is not on PATH: pip install -e .")
    median_seconds([medtune, "--help"], 2)  # warm the file cache
    cli = median_seconds([medtune, "--help"], args.runs)
    python = median_seconds([sys.executable, "-c", "pass"], args.runs)
    complete = median_seconds(
        ["env", "_MEDTUNE_COMPLETE=complete_bash", "COMP_WORDS=medtune da", "COMP_CWORD=1", medtune],
        args.runs,
    )
    print(f"| `medtune --help` | {cli:.3f} s |")
    print(f"| `python -c pass` | {python:.3f} s |")
    print(f"| **start-up overhead** | **{cli - python:.3f} s** (target <= 0.3 s) |")
    print(f"| tab completion (`medtune da<TAB>`) | {complete:.3f} s |")


if __name__ == "__main__":
    main()
