"""``medtune train`` from the command line: refusals, dry run, smoke mode, Ctrl-C."""

from __future__ import annotations

import errno
import json
import os
import signal
import sys
import tempfile
from pathlib import Path

import pytest
import tomli_w
from interrupt_helpers import ENDLESS, stop_after_checkpoint  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.cli.console import OS_ERROR_EXIT
from medtune.config import Settings, load_settings
from medtune.training import TrainResult, train

MEDTUNE = Path(sys.executable).with_name("medtune")


@pytest.fixture
def config(tiny_model: Path, data_dir: Path, tmp_path: Path) -> Path:
    """A tiny CPU config file (LoRA, 16-bit, short sequences)."""
    settings = {
        "model": {"model_name": str(tiny_model), "bits": 16, "device": "cpu"},
        "lora": {"r": 4, "alpha": 8},
        "data": {"data_dir": str(data_dir), "max_seq_length": 96},
        "train": {
            "output_dir": str(tmp_path / "run"),
            "max_steps": 2,
            "gradient_accumulation_steps": 1,
            "gradient_checkpointing": False,
            "logging_steps": 1,
            "report_to": ["none"],
        },
    }
    path = tmp_path / "medtune.toml"
    path.write_text(tomli_w.dumps(settings), encoding="utf-8")
    return path


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["train", *args])
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--bits", "4", "--disable-lora"], "full fine-tuning (lora.use_lora = false) cannot update 4-bit"),
        (["--gpus", "8", "--device", "auto"], "--gpus 8"),
    ],
)
def test_impossible_combinations_exit_2_with_one_line(config: Path, flags: list[str], message: str) -> None:
    code, output = invoke("--config", str(config), *flags)
    assert code == 2, output
    (line,) = [ln for ln in output.splitlines() if ln.strip()]
    assert line.startswith("error:") and message in line


@pytest.mark.parametrize(
    ("method", "row", "message"),
    [
        ("sft", {"input": "Q?", "answer": "A."}, "no 'output' text; processed rows have it"),
        ("sft", {"input": "Q?", "chosen": "A.", "rejected": "B."}, "no 'output' text; preference data?"),
        (
            "dpo",
            {"prompt": "Q?", "chosen": "A.", "rejected": "B."},
            "no 'input' text; processed rows have it",
        ),
    ],
)
def test_a_row_without_its_texts_is_one_line_naming_its_line_even_in_a_dry_run(
    config: Path, tmp_path: Path, method: str, row: dict[str, str], message: str
) -> None:
    data = tmp_path / "bad-data"
    data.mkdir()
    good = (
        {"input": "Q?", "output": "A."}
        if method == "sft"
        else {"input": "Q?", "chosen": "A.", "rejected": "B."}
    )
    rows = [good, good, row, good]
    (data / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    code, output = invoke("--config", str(config), "--data-dir", str(data), "--method", method, "--dry-run")
    assert code != 0 and "Traceback" not in output, output
    assert output.startswith(f"error: {data / 'train.jsonl'}:3: {message}"), output


def test_lora_flag_turns_the_adapter_on_over_a_full_fine_tuning_config(config: Path) -> None:
    config.write_text(config.read_text().replace("[lora]", "[lora]\nuse_lora = false"))
    code, output = invoke("--config", str(config), "--bits", "8", "--dry-run")
    assert code == 2 and "full fine-tuning (lora.use_lora = false)" in output, output
    code, output = invoke("--config", str(config), "--bits", "8", "--lora", "--dry-run")
    assert code == 0, output


@pytest.mark.parametrize(
    ("train_keys", "message"),
    [
        ("fp16 = true\nbf16 = false", "fp16 needs a CUDA GPU"),
        ('optim = "adamw_nope"', "train.optim: unknown optimizer 'adamw_nope'"),
        ('lr_scheduler_type = "cosyne"', "train.lr_scheduler_type: unknown scheduler 'cosyne'"),
        ('report_to = ["tensorbored"]', "train.report_to: unknown 'tensorbored'"),  # replaces ["none"]
    ],
)
def test_impossible_settings_exit_2_even_in_a_dry_run(config: Path, train_keys: str, message: str) -> None:
    text = config.read_text().replace('report_to = [\n    "none",\n]\n', "")
    config.write_text(text.replace("[train]", f"[train]\n{train_keys}"))
    for extra in ([], ["--dry-run"]):
        code, output = invoke("--config", str(config), *extra)
        assert code == 2 and output.startswith("error:") and message in output, output


def test_dry_run_prints_plan_and_writes_nothing(config: Path, tmp_path: Path) -> None:
    code, output = invoke("--config", str(config), "--dry-run", "--max-steps", "7")
    assert code == 0, output
    assert "example 3" in output and "### Response:" in output
    assert "optimizer steps" in output and " 7 " in output
    assert not (tmp_path / "run").exists()


def test_smoke_with_unreachable_hub_model_uses_builtin_tiny(config: Path, tmp_path: Path) -> None:
    text = config.read_text().replace(
        f'model_name = "{load_settings(config).model.model_name}"',
        'model_name = "meta-llama/Llama-3.1-8B-Instruct"',
    )
    config.write_text(text.replace("bits = 16", "bits = 4"))
    code, output = invoke("--config", str(config), "--smoke", "--max-steps", "50")
    assert code == 0, output
    smoke = tmp_path / "run" / "smoke"
    assert (smoke / "final" / "adapter_model.safetensors").is_file()
    manifest = json.loads((smoke / "manifest.json").read_text())
    assert manifest["settings"]["model"]["bits"] == 4 and manifest["result"]["global_step"] == 3
    assert any("built-in tiny Llama" in note for note in manifest["result"]["notes"])


def test_smoke_scales_down_a_local_model(config: Path) -> None:
    settings: Settings = load_settings(config)
    result = train(settings, smoke=True)
    assert isinstance(result, TrainResult) and result.global_step == 3
    scaled = json.loads((result.output_dir / "model" / "config.json").read_text())
    original = json.loads((Path(settings.model.model_name) / "config.json").read_text())
    assert scaled["architectures"] == original["architectures"]
    assert scaled["hidden_size"] < original["hidden_size"] and scaled["vocab_size"] == original["vocab_size"]


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_or_sigterm_saves_a_checkpoint_and_exits_130(
    config: Path, tmp_path: Path, stop: signal.Signals
) -> None:
    env = {**os.environ, "MEDTUNE_TRAIN__SAVE_STEPS": "2"}
    command = [str(MEDTUNE), "train", "--config", str(config), "--max-steps", str(ENDLESS)]
    run = tmp_path / "run"
    code, output = stop_after_checkpoint(command, env, run, stop)
    assert code == 130, output
    newest = max(int(path.name.split("-")[1]) for path in run.glob("checkpoint-*"))
    assert 2 < newest < ENDLESS
    assert (run / f"checkpoint-{newest}" / "adapter_model.safetensors").is_file()
    assert not (run / "final").exists()
    assert "interrupted" in output
    assert "FutureWarning" not in output  # dependency noise is filtered (medtune.cli.app)


def test_a_full_disk_during_a_checkpoint_save_is_one_line_and_removes_the_partial_checkpoint(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from transformers import Trainer

    def disk_fills(self: Trainer, output_dir: str) -> None:
        """The weights are written; torch.save then meets a full disk and says only this."""
        full = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        monkeypatch.setattr(tempfile, "TemporaryFile", lambda *a, **k: (_ for _ in ()).throw(full))
        raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 576 vs 534")

    monkeypatch.setattr(Trainer, "_save_optimizer_and_scheduler", disk_fills)
    monkeypatch.setenv("MEDTUNE_TRAIN__SAVE_STEPS", "1")
    handlers = [signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)]
    code, output = invoke("--config", str(config))
    # a failed run leaves no Ctrl-C handler of its own behind in a long-lived process
    assert [signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)] == handlers
    run = tmp_path / "run"
    assert code == OS_ERROR_EXIT, output
    assert output.endswith(f"error: {run}: no space left on device\n") and "Traceback" not in output
    assert not list(run.glob("checkpoint-*")) and not (run / "final").exists()
    assert not list(run.glob(".final*"))
    log = next((run / "logs").glob("training_*.log")).read_text()
    assert "removed checkpoint-1: no trainer_state.json (cut off mid-save)" in log


def test_dry_run_reports_every_problem_at_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.modeling import device

    monkeypatch.setattr(device, "visible_gpus", lambda: 0)
    result = CliRunner().invoke(
        app,
        ["train", "--dry-run", "--gpus", "4", "--data-dir", str(tmp_path / "nowhere")],
        terminal_width=300,
    )
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert message.startswith("error: 2 problems:") and "no training split" in message
    assert "pass --device cpu" in message


def test_dry_run_shows_the_plan_and_settings_only_when_verbose(config: Path) -> None:
    code, output = invoke("--config", str(config), "--dry-run")
    assert code == 0, output
    assert "plan (dry run: nothing trained)" in output and '"learning_rate"' not in output
    assert "add --verbose" in output
    code, output = invoke("--config", str(config), "--dry-run", "--verbose")
    assert code == 0 and "resolved settings" in output and '"learning_rate"' in output


def test_smoke_without_data_uses_the_bundled_sample_and_says_what_it_ran(
    tiny_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # a fresh clone's root: no data/processed
    code, output = invoke("--smoke", "--output-dir", "run", "--report-to", "none")
    assert code == 0, output
    flat = " ".join(output.split())
    assert "no training split in data/processed; using the bundled sample" in flat
    assert "4-bit, LoRA r=16" in flat and "template" in flat
    manifest = json.loads((tmp_path / "run" / "smoke" / "manifest.json").read_text())
    assert manifest["result"]["truncated_examples"] == 0  # the smoke length fits the sample
