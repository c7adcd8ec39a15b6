"""Every shipped example validates, and the CI workflows run real medtune commands."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtune.config import load_settings, read_toml

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CONFIGS = sorted(EXAMPLES.rglob("*.toml"))


def test_there_are_examples() -> None:
    names = {path.name for path in CONFIGS}
    assert {"tiny-cpu.toml", "llama31-8b-qlora.toml", "llama31-8b-zero3-8gpu.toml"} <= names


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.name)
def test_example_validates_and_says_how_to_run_it(path: Path) -> None:
    settings = load_settings(path)  # unknown keys and bad values raise ConfigError
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#") and f"--config examples/{path.name}" in text
    sections = read_toml(path)
    assert sections, "an example sets something"
    if settings.train.deepspeed:  # the named DeepSpeed config resolves
        from medtune.training.launch import deepspeed_config

        assert deepspeed_config(settings, "cuda") is not None


def test_ci_workflow_smoke_tests_a_shipped_config() -> None:
    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((EXAMPLES / "ci" / "medtune-smoke.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = "\n".join(step.get("run", "") for step in steps)
    assert "pip install" in commands
    assert "medtune train --config" in commands and "--smoke" in commands


def test_release_check_runs_both_gates_with_real_options() -> None:
    import re
    import shlex

    import typer

    from medtune.cli.app import app

    yaml = pytest.importorskip("yaml")
    workflow = yaml.safe_load((EXAMPLES / "ci" / "medtune-release-check.yml").read_text(encoding="utf-8"))
    steps = [step for job in workflow["jobs"].values() for step in job["steps"]]
    commands = [" ".join(step.get("run", "").replace("\\\n", " ").split()) for step in steps]
    benchmark = next(c for c in commands if c.startswith("medtune benchmark"))
    assert "--baseline" in benchmark and "--fail-on-regression" in benchmark
    assert any(c.startswith("medtune eval") and "--fail-on-regression" in c for c in commands)
    assert any("--contamination" in c for c in commands)
    command = typer.main.get_command(app).commands["benchmark"]
    known = {opt for param in command.params for opt in param.opts}
    used = {word for word in shlex.split(re.sub(r"\$\{\{.*?\}\}", "", benchmark)) if word.startswith("--")}
    assert {"--data-dir", "--fail-on-regression"} <= used <= known, used - known
