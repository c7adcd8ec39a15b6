"""Tokens for a job: stored in Secrets Manager here, read from it by the job's entry script."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest
from sm_helpers import HF_TOKEN, REGION, STAND_IN, WANDB_KEY, load_entry
from typer.testing import CliRunner

from medtune.cli.app import app


def secret_value(name: str) -> dict[str, str]:
    client = boto3.client("secretsmanager", region_name=REGION)
    return json.loads(client.get_secret_value(SecretId=name)["SecretString"])


@pytest.mark.usefixtures("aws")
def test_store_tokens_creates_then_updates_the_secret_and_prints_no_token(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)
    first = CliRunner().invoke(app, ["sagemaker", "store-tokens", "--region", REGION])
    assert first.exit_code == 0, first.output
    assert "arn:aws:secretsmanager" in first.output and HF_TOKEN not in first.output
    assert secret_value("medtune/tokens") == {"HF_TOKEN": HF_TOKEN}

    monkeypatch.setenv("WANDB_API_KEY", WANDB_KEY)
    again = CliRunner().invoke(app, ["sagemaker", "store-tokens", "--region", REGION])
    assert again.exit_code == 0, again.output
    assert secret_value("medtune/tokens") == {"HF_TOKEN": HF_TOKEN, "WANDB_API_KEY": WANDB_KEY}


@pytest.mark.usefixtures("aws")
def test_store_tokens_without_any_token_is_one_line() -> None:
    result = CliRunner().invoke(app, ["sagemaker", "store-tokens", "--region", REGION])
    assert result.exit_code == 2
    assert result.output.strip() == "error: neither HF_TOKEN nor WANDB_API_KEY is set: nothing to store"


@pytest.mark.usefixtures("aws")
def test_the_entry_script_reads_the_tokens_from_the_named_secret(staged: Path, tmp_path: Path) -> None:
    boto3.client("secretsmanager", region_name=REGION).create_secret(
        Name="medtune/tokens", SecretString=json.dumps({"HF_TOKEN": HF_TOKEN})
    )
    (staged / "medtune" / "__main__.py").write_text(STAND_IN)
    record = tmp_path / "record.json"
    environ = {"RECORD": str(record), "SM_MODEL_DIR": str(tmp_path / "model"), "PATH": "/usr/bin:/bin"}
    environ |= {"MEDTUNE_TOKEN_SECRET": "medtune/tokens", "AWS_DEFAULT_REGION": REGION}

    assert load_entry(staged).main([], environ, checkpoints=tmp_path / "checkpoints") == 0
    assert json.loads(record.read_text())["hf"] == HF_TOKEN


@pytest.mark.usefixtures("aws")
def test_an_unreadable_secret_stops_the_job_with_one_line(
    staged: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    environ = {
        "MEDTUNE_TOKEN_SECRET": "medtune/missing",
        "AWS_DEFAULT_REGION": REGION,
        "PATH": "/usr/bin:/bin",
    }
    assert load_entry(staged).main([], environ, checkpoints=tmp_path / "checkpoints") == 1
    err = capsys.readouterr().err
    assert err.startswith("medtune: cannot read the secret 'medtune/missing': ") and err.count("\n") == 1
