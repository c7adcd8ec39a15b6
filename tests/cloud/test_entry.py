"""The job's code folder and its in-container entry script, run here with a stand-in trainer."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sm_helpers import STAND_IN, load_entry


@pytest.mark.usefixtures("no_aws")
def test_staged_package_is_the_one_that_runs(staged: Path, tmp_path: Path) -> None:
    assert not list(staged.rglob("__pycache__"))
    assert {p.name for p in staged.iterdir()} >= {
        "medtune",
        "medtune_entry.py",
        "medtune.toml",
        "requirements.txt",
    }
    code = "import medtune, medtune.cli.app, medtune.cloud.entry; print(medtune.__file__)"
    out = subprocess.run(
        [sys.executable, "-c", code],
        env={"PYTHONPATH": str(staged), "PATH": "/usr/bin:/bin"},
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(out.stdout.strip()).is_relative_to(staged)


@pytest.mark.usefixtures("no_aws")
@pytest.mark.parametrize(
    ("rank", "exit_code", "exported"), [("0", 0, True), ("1", 0, False), ("0", 3, False)]
)
def test_entry_trains_then_rank0_exports(staged: Path, tmp_path: Path, rank, exit_code, exported) -> None:
    (staged / "medtune" / "__main__.py").write_text(STAND_IN)
    record, model, checkpoints = tmp_path / "record.json", tmp_path / "model", tmp_path / "checkpoints"
    environ = {"RECORD": str(record), "EXIT": str(exit_code), "RANK": rank, "SM_MODEL_DIR": str(model)}
    environ |= {"SM_CHANNEL_DATA": "/opt/ml/input/data/data", "PATH": "/usr/bin:/bin"}

    code = load_entry(staged).main(["--deepspeed", "zero3"], environ, checkpoints=checkpoints)

    seen = json.loads(record.read_text())
    assert code == exit_code
    assert Path(seen["file"]).is_relative_to(staged)
    assert seen["pythonpath"].split(":")[0] == str(staged)
    assert seen["argv"] == [
        "train",
        "--config",
        str(staged / "medtune.toml"),
        "--data-dir",
        "/opt/ml/input/data/data",
        "--output-dir",
        str(checkpoints),
        "--resume-from-checkpoint",
        "auto",
        "--deepspeed",
        "zero3",
    ]
    assert (model / "adapter_model.safetensors").is_file() == exported


SAVES_ON_SIGTERM = """
import os, signal, sys
from pathlib import Path
def save_and_stop(signum, frame):
    Path(os.environ["RECORD"]).write_text(f"checkpoint saved after signal {signum}")
    sys.exit(130)
signal.signal(signal.SIGTERM, save_and_stop)
Path(os.environ["READY"]).touch()
while True:
    signal.pause()
"""


@pytest.mark.usefixtures("no_aws")
def test_entry_passes_a_spot_sigterm_on_to_training(staged: Path, tmp_path: Path) -> None:
    """torchrun signals only the entry process; training must get the signal to save."""
    (staged / "medtune" / "__main__.py").write_text(SAVES_ON_SIGTERM)
    record, ready = tmp_path / "record.txt", tmp_path / "ready"
    environ = {"RECORD": str(record), "READY": str(ready), "PATH": "/usr/bin:/bin"}
    entry = subprocess.Popen(
        [sys.executable, str(staged / "medtune_entry.py")], env=environ, start_new_session=True
    )
    try:  # the stand-in's marker, not a time, says when it can take the signal
        deadline = time.monotonic() + 300
        while not ready.exists():
            assert entry.poll() is None, "the entry script ended before training started"
            assert time.monotonic() < deadline, "training never started"
            time.sleep(0.05)
        entry.send_signal(signal.SIGTERM)
        assert entry.wait(timeout=300) == 130
    finally:
        if entry.poll() is None:
            os.killpg(entry.pid, signal.SIGKILL)
            entry.wait()
    assert record.read_text() == f"checkpoint saved after signal {int(signal.SIGTERM)}"
