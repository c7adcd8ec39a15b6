"""Committed completion scripts are current, and completion itself answers."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

COMPLETIONS = Path(__file__).resolve().parents[2] / "completions"


def load_generator():
    spec = importlib.util.spec_from_file_location("generate", COMPLETIONS / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_committed_scripts_are_not_stale() -> None:
    for name, text in load_generator().scripts().items():
        committed = (COMPLETIONS / name).read_text(encoding="utf-8")
        assert committed == text, f"completions/{name} is stale: run python completions/generate.py"


def test_bash_completion_suggests_subcommands() -> None:
    env = {
        **os.environ,
        "_MEDTUNE_COMPLETE": "complete_bash",
        "COMP_WORDS": "medtune data pr",
        "COMP_CWORD": "2",
    }
    code = "from medtune.cli.app import main; main()"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.stdout.split() == ["prepare"]
