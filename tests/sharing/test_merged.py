"""``export --format merged`` is ``model merge``: the same files, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from shared_runs import Workspace  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.errors import UsageError


def test_export_merged_equals_model_merge(workspace: Workspace, tmp_path: Path) -> None:
    runner = CliRunner()
    adapter = str(workspace.lora_run / "final")
    merged = runner.invoke(
        app, ["model", "merge", "--adapter", adapter, "-o", str(tmp_path / "a"), "--device", "cpu"]
    )
    exported = runner.invoke(
        app,
        [
            "export",
            "--model-path",
            adapter,
            "--format",
            "merged",
            "-o",
            str(tmp_path / "b"),
            "--device",
            "cpu",
        ],
    )
    assert merged.exit_code == 0 and exported.exit_code == 0, merged.output + exported.output
    names = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "b").iterdir()) and "model.safetensors" in names
    for name in names:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


@pytest.mark.parametrize("fmt", ["merged", "onnx"])
def test_what_cannot_be_exported_is_one_line(fmt: str, workspace: Workspace, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["export", "--model-path", str(workspace.full_run), "--format", fmt, "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == UsageError.exit_code
    assert len(result.output.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
