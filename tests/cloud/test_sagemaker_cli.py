"""``medtune sagemaker``: dry runs offline, one-line errors, and an instant ``--help``."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sm_helpers import HF_TOKEN
from typer.testing import CliRunner

from medtune.cli.app import app

EXAMPLE = Path(__file__).parents[2] / "examples" / "sagemaker.toml"

pytestmark = pytest.mark.usefixtures("no_aws")


def run(*args: str):
    return CliRunner().invoke(app, ["sagemaker", *args])


@pytest.fixture
def with_token(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)
    monkeypatch.chdir(tmp_path)


@pytest.mark.usefixtures("with_token")
def test_dry_run_json_of_the_example_config(processed: Path) -> None:
    result = run("submit", "--config", str(EXAMPLE), "--data-dir", str(processed), "--dry-run", "--json")
    assert result.exit_code == 0, result.output
    assert HF_TOKEN not in result.output
    request = json.loads(result.stdout)
    assert (request["instance_type"], request["instance_count"], request["spot"]) == (
        "ml.p4d.24xlarge",
        2,
        True,
    )
    assert request["distribution"]["world_size"] == 16
    assert request["hyperparameters"] == {"deepspeed": "zero3"}
    assert request["environment"] == {}
    assert request["cost"]["on_demand_max_usd"] > request["cost"]["spot_max_usd"][1]


@pytest.mark.usefixtures("with_token")
def test_dry_run_panel_shows_the_request(processed: Path) -> None:
    flags = ("--instance-type", "ml.g5.12xlarge", "--no-spot", "--max-run-hours", "2")
    result = run("submit", "--config", str(EXAMPLE), "--data-dir", str(processed), *flags, "--dry-run")
    assert result.exit_code == 0, result.output
    out = " ".join(result.stdout.split())
    for text in (
        "dry run",
        "torchrun",
        "ml.g5.12xlarge",
        "HF_TOKEN set here but not sent",
        "/opt/ml/checkpoints",
        "prices of",
    ):
        assert text in out
    assert HF_TOKEN not in result.output


@pytest.mark.parametrize(
    ("flags", "code", "message"),
    [
        (("--bucket", ""), 2, "sagemaker.bucket: not set"),
        (("--region", "mars-north-1"), 2, "unknown region 'mars-north-1'"),
        (("--instance-type", "ml.g5.3xlarge"), 2, "did you mean"),
        (("--data-dir", "nowhere"), 1, "nowhere: no train.jsonl or validation.jsonl"),
    ],
)
@pytest.mark.usefixtures("with_token")
def test_bad_input_is_one_red_line(processed: Path, flags, code: int, message: str) -> None:
    result = run("submit", "--config", str(EXAMPLE), "--data-dir", str(processed), *flags, "--dry-run")
    assert result.exit_code == code
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1


@pytest.mark.usefixtures("with_token")
def test_submit_without_credentials_fails_before_anything_is_sent(processed: Path) -> None:
    result = run("submit", "--config", str(EXAMPLE), "--data-dir", str(processed), "--json")
    assert result.exit_code == 1
    assert "no AWS credentials" in result.stderr


def test_help_imports_no_aws_sdk() -> None:
    code = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from medtune.cli.app import app\n"
        "for args in (['--help'], ['sagemaker', '--help'], ['sagemaker', 'submit', '--help']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0, args\n"
        "heavy = {m.split('.')[0] for m in sys.modules} & {'sagemaker', 'boto3', 'botocore', 'moto'}\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)


def test_console_script_dry_run_offline(processed: Path, tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k.startswith(("AWS_", "PATH", "HOME", "HF_HUB"))}
    env["HF_TOKEN"] = HF_TOKEN
    medtune = Path(sys.executable).parent / "medtune"
    args = ["sagemaker", "submit", "-c", str(EXAMPLE), "--data-dir", str(processed), "--dry-run"]
    out = subprocess.run([medtune, *args], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=180)
    assert out.returncode == 0, out.stderr
    assert "nothing sent" in out.stdout and HF_TOKEN not in out.stdout + out.stderr
