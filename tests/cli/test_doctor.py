"""``medtune doctor``: the table and --json agree with detection; secrets never show."""

from __future__ import annotations

import json

import pytest
from huggingface_hub import constants
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.modeling import hub
from medtune.modeling.device import detect

TOKEN = "hf_" + "d" * 34


def test_doctor_json_matches_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_TOKEN", TOKEN)
    result = CliRunner().invoke(app, ["doctor", "--json"])
    assert result.exit_code == 0, result.output
    assert TOKEN not in result.output
    report = json.loads(result.stdout)
    info = detect()
    assert report["device"]["cuda"] == info.cuda and report["device"]["device"] == info.device
    checks = {c["name"]: c for c in report["checks"]}
    assert {"python", "torch", "gpus", "bf16", "flash-attn", "bitsandbytes", "deepspeed", "sagemaker"} <= set(
        checks
    )
    assert {c["status"] for c in report["checks"]} <= {"ok", "warn", "missing"}
    assert checks["hub"]["status"] == "warn" and "HF_HUB_OFFLINE=1" in checks["hub"]["detail"]
    assert "HF_TOKEN set" in checks["hub"]["detail"]


def test_doctor_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    monkeypatch.setattr(hub, "hub_reachable", lambda: True)
    monkeypatch.delenv("HF_TOKEN", raising=False)
    result = CliRunner().invoke(app, ["doctor"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "training runs on" in result.output and "bitsandbytes" in result.output
    assert "reachable; no HF_TOKEN" in result.output


def test_doctor_probes_the_hub(monkeypatch: pytest.MonkeyPatch) -> None:
    """Online mode with the hub out of reach (no network in tests): a warning, not a tick."""
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", False)
    result = CliRunner().invoke(app, ["doctor", "--json"])
    checks = {c["name"]: c for c in json.loads(result.stdout)["checks"]}
    assert checks["hub"]["status"] == "warn" and "unreachable" in checks["hub"]["detail"]
