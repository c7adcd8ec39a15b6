"""The command tree: every command documents itself, start-up stays light, errors are one line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from medtune import __version__
from medtune.cli.app import app

runner = CliRunner()
EXPECTED = {
    ("data", "prepare"), ("data", "stats"), ("data", "show"),
    ("model", "pull"), ("model", "tiny"), ("model", "merge"),
    ("train",), ("eval",), ("benchmark",), ("analyze",), ("chat",), ("generate",),
    ("sagemaker", "submit"), ("sagemaker", "status"), ("sagemaker", "logs"),
    ("config", "init"), ("config", "show"), ("quickstart",), ("doctor",),
}  # fmt: skip


def leaf_commands() -> list[tuple[str, ...]]:
    def walk(cmd, path: tuple[str, ...]) -> list[tuple[str, ...]]:
        if hasattr(cmd, "commands"):  # a group (Typer vendors its own Click)
            return [p for name, sub in cmd.commands.items() for p in walk(sub, (*path, name))]
        return [path]

    return walk(typer.main.get_command(app), ())


def test_command_tree_is_complete() -> None:
    assert set(leaf_commands()) >= EXPECTED


@pytest.mark.parametrize("path", sorted(leaf_commands()), ids=" ".join)
def test_every_command_has_help_with_summary_and_example(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example:" in result.output
    assert "Usage:" in result.output


def test_version() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"medtune {__version__}"


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys\n"
        "from medtune.cli.app import app\n"
        "import typer\n"
        "cmd = typer.main.get_command(app)\n"
        "for args in (['--help'], ['train', '--help'], ['data', 'prepare', '--help'],"
        " ['sagemaker', 'submit', '--help'], ['eval', '--help'], ['benchmark', '--help']):\n"
        "    try:\n"
        "        cmd.main(args, prog_name='medtune', standalone_mode=False)\n"
        "    except SystemExit:\n"
        "        pass\n"
        "heavy = ['torch', 'transformers', 'datasets', 'peft', 'trl', 'sagemaker', 'deepspeed',"
        " 'bert_score', 'matplotlib', 'boto3', 'pandas', 'lm_eval']\n"
        "print([m for m in heavy if m in sys.modules])\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def run_cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("MEDTUNE_")}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "medtune", *args], cwd=cwd, env=full_env, capture_output=True, text=True
    )


def test_config_init_then_show_with_env_override(tmp_path: Path) -> None:
    assert run_cli("config", "init", "run.toml", cwd=tmp_path).returncode == 0
    again = run_cli("config", "init", "run.toml", cwd=tmp_path)
    assert again.returncode == 2 and "--force" in again.stderr
    shown = run_cli(
        "config", "show", "--config", "run.toml", "--json", cwd=tmp_path,
        env={"MEDTUNE_TRAIN__MAX_STEPS": "5", "HF_TOKEN": "hf_shouldnotappear1234567890"},
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    payload = json.loads(shown.stdout)
    assert payload["settings"]["train"]["max_steps"] == 5
    assert payload["origin"]["train.max_steps"] == "env MEDTUNE_TRAIN__MAX_STEPS"
    assert payload["origin"]["train.learning_rate"] == "run.toml"
    assert "hf_should" not in shown.stdout + shown.stderr


@pytest.mark.parametrize(
    ("toml", "env"),
    [('[train]\nlearning_rate = "x"\n', {}), ("[bogus]\n", {}), ("", {"MEDTUNE_LORA__R": "-1"})],
)
def test_bad_settings_are_one_line_exit_2(tmp_path: Path, toml: str, env: dict[str, str]) -> None:
    (tmp_path / "medtune.toml").write_text(toml)
    result = run_cli("config", "show", cwd=tmp_path, env=env)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert len(result.stderr.strip().splitlines()) == 1
