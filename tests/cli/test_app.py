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
from medtune.config import load_settings

runner = CliRunner()
EXPECTED = {
    ("data", "prepare"), ("data", "stats"), ("data", "show"),
    ("model", "pull"), ("model", "tiny"), ("model", "merge"),
    ("train",), ("eval",), ("benchmark",), ("analyze",), ("chat",), ("generate",),
    ("sagemaker", "submit"), ("sagemaker", "status"), ("sagemaker", "logs"),
    ("config", "init"), ("config", "show"), ("quickstart",), ("doctor",), ("push",), ("export",),
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
        " ['sagemaker', 'submit', '--help'], ['eval', '--help'], ['push', '--help'], ['export', '--help'],"
        " ['benchmark', '--help']):\n"
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


@pytest.mark.parametrize("path", sorted(leaf_commands()), ids=" ".join)
def test_help_fits_80_columns_and_keeps_brackets(path: tuple[str, ...]) -> None:
    result = runner.invoke(app, [*path, "--help"], terminal_width=80, env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert max(map(len, result.output.splitlines())) <= 80
    assert "…" not in result.output  # no option name is cut
    command = typer.main.get_command(app)
    for name in path:
        command = command.commands[name]  # type: ignore[attr-defined]
    for param in command.params:
        help_text = " ".join((getattr(param, "help", None) or "").split())
        if "[" in help_text:  # e.g. "(default: [data] split_seed)": markup must not eat it
            assert help_text.split("[", 1)[1].split("]", 1)[0] in result.output


def test_top_level_help_has_examples_and_exit_codes() -> None:
    result = runner.invoke(app, ["--help"], terminal_width=80)
    assert "medtune quickstart" in result.output and "Exit codes:" in result.output


def test_doctor_keeps_brackets_in_install_hints(monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.modeling import device

    real = device.environment_checks
    extra = device.Check("sagemaker", "missing", "medtune sagemaker: pip install 'medtune[sagemaker]'")
    monkeypatch.setattr(device, "environment_checks", lambda info: [*real(info), extra])
    result = runner.invoke(app, ["doctor"])
    assert result.exit_code == 0, result.output
    flat = "".join(result.output.replace("│", " ").split())  # table cells wrap at the width
    assert "pipinstall'medtune[sagemaker]'" in flat


def test_config_init_uncommented_keys_are_valid_settings(tmp_path: Path) -> None:
    from medtune.config import load_settings, to_toml

    lines = to_toml().splitlines()
    commented = [i for i, line in enumerate(lines) if line.startswith("# ") and " = " in line]
    assert len(commented) >= 10
    assert not [
        lines[i] for i in commented if ' = ""' in lines[i]
    ]  # an empty path or name would only fail later
    for i in commented:
        text = "\n".join([*lines[:i], lines[i][2:], *lines[i + 1 :]])
        (tmp_path / "one.toml").write_text(text)
        load_settings(tmp_path / "one.toml")  # parses and validates


def test_config_show_after_init_marks_defaults_as_defaults(tmp_path: Path) -> None:
    assert run_cli("config", "init", "medtune.toml", cwd=tmp_path).returncode == 0
    text = (tmp_path / "medtune.toml").read_text().replace("max_steps = -1", "max_steps = 7")
    (tmp_path / "medtune.toml").write_text(text)
    shown = run_cli("config", "show", cwd=tmp_path, env={"COLUMNS": "200"})
    assert shown.returncode == 0, shown.stderr
    assert "[from medtune.toml]" in next(line for line in shown.stdout.splitlines() if "max_steps" in line)
    assert shown.stdout.count("[from medtune.toml]") == 1
    assert "[default]" in next(line for line in shown.stdout.splitlines() if "learning_rate" in line)


def test_config_show_into_a_file_is_valid_toml_that_loads_back(tmp_path: Path) -> None:
    env = {"COLUMNS": "40", "MEDTUNE_DATA__DATA_DIR": "a/long/" + "folder/" * 12 + "processed"}
    shown = run_cli("config", "show", cwd=tmp_path, env=env)  # stdout is a pipe: no wrapping
    assert shown.returncode == 0, shown.stderr
    (tmp_path / "shown.toml").write_text(shown.stdout)
    assert load_settings(tmp_path / "shown.toml", environ={}).data.data_dir == env["MEDTUNE_DATA__DATA_DIR"]


@pytest.mark.parametrize(
    ("toml", "env", "expected"),
    [
        ("[train]\nlearnig_rate = 1e-4\n", {}, "did you mean train.learning_rate?"),
        ("[trian]\nepochs = 1\n", {}, "did you mean train?"),
        ("", {"MEDTUNE_TRAIN__LEARNINGRATE": "1"}, "did you mean MEDTUNE_TRAIN__LEARNING_RATE?"),
    ],
)
def test_unknown_keys_suggest_the_nearest(
    tmp_path: Path, toml: str, env: dict[str, str], expected: str
) -> None:
    (tmp_path / "medtune.toml").write_text(toml)
    result = run_cli("config", "show", cwd=tmp_path, env=env)
    assert result.returncode == 2 and expected in result.stderr


def test_an_unknown_flag_names_the_setting_behind_it() -> None:
    result = runner.invoke(app, ["train", "--warmup-ratio", "0.2"], terminal_width=200)
    assert result.exit_code == 2
    assert "train.warmup_ratio" in result.output and "MEDTUNE_TRAIN__WARMUP_RATIO" in result.output


def test_train_flags_users_type_reach_the_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.cli import train as train_cli

    seen: dict = {}

    class Resolved(Exception):
        pass

    def capture(config: object, **sections: dict) -> None:
        seen.update(sections)
        raise Resolved

    monkeypatch.setattr(train_cli, "settings", capture)
    args = ["train", "--learning-rate", "1e-4", "--epochs", "2", "--lora-r", "8", "--lora-alpha", "16"]
    assert isinstance(runner.invoke(app, args).exception, Resolved)
    assert seen["train"]["learning_rate"] == 1e-4 and seen["train"]["num_train_epochs"] == 2
    assert seen["lora"]["r"] == 8 and seen["lora"]["alpha"] == 16


@pytest.mark.parametrize(
    ("module", "expected"),
    [("boto3", "pip install 'medtune[sagemaker]'"), ("deepspeed.ops", "pip install 'medtune[deepspeed]'")],
)
def test_a_missing_extra_is_one_line_naming_it(
    monkeypatch: pytest.MonkeyPatch, module: str, expected: str
) -> None:
    from medtune.cli import sagemaker as sagemaker_cli

    def missing(*args: object, **kwargs: object) -> None:
        raise ModuleNotFoundError(f"No module named '{module}'", name=module)

    monkeypatch.setattr(sagemaker_cli, "settings", missing)
    result = runner.invoke(app, ["sagemaker", "submit", "--dry-run"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        f"error: this needs {module.split('.')[0]}, an optional dependency: {expected}"
    ]
