"""Library chatter stays out of the terminal: progress bars, bitsandbytes' kernel message,
DeepSpeed's accelerator guess (real subprocesses, output piped as in CI logs)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from medtune.data.sample import sample_path

NOISE = (
    "Loading weights",
    "Writing model shards",
    "gemm_4bit",
    "kernels-community",
    "Setting accelerator",
    "fatal: not a git repository",  # lm-eval's git describe
    "it/s]",  # any tqdm bar
)
RELEASES = Path(__file__).resolve().parents[1] / "benchmark" / "benchmark_releases.py"


def _medtune(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("MEDTUNE_", "HF_HUB_DISABLE", "DS_"))}
    return subprocess.run(
        [sys.executable, "-m", "medtune", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_train_eval_and_benchmark_print_no_library_noise(tmp_path: Path) -> None:
    assert (
        _medtune("data", "prepare", "--input", str(sample_path()), "-o", "data", cwd=tmp_path).returncode == 0
    )
    assert _medtune("model", "tiny", "--output-dir", "tiny", cwd=tmp_path).returncode == 0
    (tmp_path / "run.toml").write_text(
        '[model]\nmodel_name = "tiny"\nbits = 4\nprecision = "fp32"\ndevice = "cpu"\n'
        '[data]\ndata_dir = "data"\n'
        '[train]\noutput_dir = "run"\nmax_steps = 2\nbf16 = false\nreport_to = ["none"]\n'
    )
    subprocess.run([sys.executable, str(RELEASES), "releases", "--items", "12"], cwd=tmp_path, check=True)
    runs = [
        _medtune("train", "--config", "run.toml", cwd=tmp_path),
        _medtune("eval", "--smoke", "--model-path", "run/final", "--config", "run.toml", cwd=tmp_path),
        _medtune(
            "benchmark", "--model-path", "run/final", "--baseline", "--tasks", "pubmedqa",
            "--data-dir", "releases", "--limit", "6", "--config", "run.toml", cwd=tmp_path,
        ),
    ]  # fmt: skip
    for run in runs:
        assert run.returncode == 0, run.stderr
        for noise in NOISE:
            assert noise not in run.stdout + run.stderr, noise
    assert (
        "training finished" in runs[0].stdout and "Wrote" in runs[1].stdout and "pubmedqa" in runs[2].stdout
    )
