"""End-to-end runs on the CPU: every quantization / adapter mode trains and writes its
outputs; resume after an interruption reproduces an uninterrupted run."""

from __future__ import annotations

import json
import math
import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch
from safetensors.torch import load_file

from medtune.config import Settings
from medtune.errors import UsageError
from medtune.training import TrainPlan, TrainResult, train
from medtune.training import plan as plan_run
from medtune.training.callbacks import InterruptCallback
from medtune.training.sft import preflight

FAKE_HF = "hf_" + "Fake1234567890abcdefghijkl"
FAKE_WANDB = "wandb-fake-key-0123456789abcdef"

MODES = {
    "qlora-4bit": ({"bits": 4}, {}),
    "lora-8bit": ({"bits": 8}, {}),
    "lora-16bit": ({"bits": 16}, {}),
    "full-16bit": ({"bits": 16}, {"use_lora": False}),
}


@pytest.mark.parametrize("mode", MODES)
def test_each_mode_trains_and_writes_final(
    mode: str, make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HF_TOKEN", FAKE_HF)
    monkeypatch.setenv("WANDB_API_KEY", FAKE_WANDB)
    model, lora = MODES[mode]
    settings = make_settings(model=model, lora=lora, train={"report_to": ["tensorboard"], "eval_steps": 2})
    result = train(settings)
    assert isinstance(result, TrainResult) and not result.interrupted
    assert result.global_step == 2 and result.tokens_seen > 0
    assert result.train_loss is not None and math.isfinite(result.train_loss)
    assert result.eval_loss is not None and math.isfinite(result.eval_loss)
    final = result.output_dir / "final"
    weights = "adapter_model.safetensors" if lora.get("use_lora", True) else "model.safetensors"
    assert (final / weights).is_file() and (final / "tokenizer.json").is_file()
    manifest = json.loads((result.output_dir / "manifest.json").read_text())
    assert manifest["settings"]["model"]["bits"] == model["bits"]
    assert manifest["result"]["tokens_seen"] == result.tokens_seen
    assert manifest["tokens"]["examples"] + manifest["tokens"]["dropped"] == 24
    assert manifest["result"]["truncated_examples"] == manifest["tokens"]["truncated"]
    assert "versions" in manifest and "hardware" in manifest
    history = [e["loss"] for e in _trainer_state(result.output_dir)["log_history"] if "loss" in e]
    assert len(history) == 2 and history[0] != history[1]
    assert list((result.output_dir / "logs").glob("training_*.log"))
    assert list((result.output_dir / "runs").rglob("events.out.tfevents.*"))
    for path in result.output_dir.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert FAKE_HF.encode() not in data and FAKE_WANDB.encode() not in data, path


def test_a_run_shorter_than_logging_steps_still_reports_its_loss(
    make_settings: Callable[..., Settings],
) -> None:
    result = train(make_settings(train={"logging_steps": 50}))  # 2 steps: no loss entry logged
    assert isinstance(result, TrainResult) and result.loss_history == []
    assert result.train_loss is not None and math.isfinite(result.train_loss)


def test_dora_and_rslora_adapters_train_and_say_so(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(model={"bits": 4}, lora={"use_dora": True, "use_rslora": True})
    result = train(settings)
    assert isinstance(result, TrainResult) and result.train_loss is not None
    adapter = json.loads((result.output_dir / "final" / "adapter_config.json").read_text())
    assert adapter["use_dora"] is True and adapter["use_rslora"] is True
    weights = load_file(result.output_dir / "final" / "adapter_model.safetensors")
    assert any("lora_magnitude_vector" in name for name in weights)  # DoRA's magnitudes were saved


def _trainer_state(output_dir: Path) -> dict[str, Any]:
    (checkpoint,) = output_dir.glob("checkpoint-*")
    return json.loads((checkpoint / "trainer_state.json").read_text())


def test_interrupted_then_resumed_equals_uninterrupted(
    make_settings: Callable[..., Settings], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    common = {"max_steps": 6, "save_steps": 6, "logging_steps": 1}
    straight = train(make_settings(train={**common, "output_dir": str(tmp_path / "straight")}))
    assert isinstance(straight, TrainResult)

    original = InterruptCallback.on_step_end

    def ctrl_c_at_step_3(self: InterruptCallback, args: Any, state: Any, control: Any, **kw: Any) -> None:
        if state.global_step == 3 and not self.interrupted:
            os.kill(os.getpid(), signal.SIGINT)  # the real handler runs
        original(self, args, state, control, **kw)

    monkeypatch.setattr(InterruptCallback, "on_step_end", ctrl_c_at_step_3)
    split = make_settings(train={**common, "output_dir": str(tmp_path / "split")})
    first = train(split)
    assert isinstance(first, TrainResult) and first.interrupted and first.global_step == 3
    assert first.final_dir is None and (tmp_path / "split" / "checkpoint-3").is_dir()
    monkeypatch.setattr(InterruptCallback, "on_step_end", original)

    resumed = train(
        split.model_copy(update={"train": split.train.model_copy(update={"resume_from_checkpoint": "auto"})})
    )
    assert isinstance(resumed, TrainResult) and resumed.global_step == 6
    assert resumed.resumed_from == tmp_path / "split" / "checkpoint-3"
    assert resumed.train_loss == pytest.approx(straight.train_loss, abs=1e-5)
    assert_same_weights(resumed.final_dir, straight.final_dir)
    # throughput counts the tokens of the part that ran, not those of the whole run
    assert resumed.tokens_seen == straight.tokens_seen
    assert resumed.tokens_trained == straight.tokens_seen - first.tokens_seen > 0
    assert resumed.tokens_per_second == resumed.tokens_trained / resumed.runtime_seconds


def assert_same_weights(got_dir: Path, want_dir: Path) -> None:
    want = load_file(want_dir / "adapter_model.safetensors")
    got = load_file(got_dir / "adapter_model.safetensors")
    assert want.keys() == got.keys()
    for name in want:
        torch.testing.assert_close(got[name], want[name], atol=1e-5, rtol=0)


def _auto(settings: Settings) -> Settings:
    return settings.model_copy(
        update={"train": settings.train.model_copy(update={"resume_from_checkpoint": "auto"})}
    )


def _finished_run(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> tuple[Settings, TrainResult, Path]:
    """A 4-step run with checkpoints at steps 2 and 4, and a copy of its final/."""
    settings = make_settings(train={"max_steps": 4, "save_steps": 2})
    straight = train(settings)
    assert isinstance(straight, TrainResult) and straight.final_dir is not None
    kept = shutil.copytree(straight.final_dir, tmp_path / "straight-final")
    return settings, straight, kept


def test_a_resume_at_the_last_step_trains_nothing_and_writes_final(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings, straight, kept = _finished_run(make_settings, tmp_path)
    run = straight.output_dir
    manifest = (run / "manifest.json").read_text()

    again = train(_auto(settings))  # the same command on a finished run: nothing to do
    assert isinstance(again, TrainResult) and again.global_step == 4 and again.tokens_trained == 0
    assert any("checkpoint-4 is at step 4 of 4: the run is finished" in n for n in again.notes)
    assert (run / "manifest.json").read_text() == manifest and not (run / "checkpoint-5").exists()
    assert again.eval_loss == straight.eval_loss

    shutil.rmtree(run / "final")  # killed after checkpoint-4 was saved, before final/ and the manifest
    (run / "manifest.json").unlink()
    finished = train(_auto(settings))
    assert isinstance(finished, TrainResult) and finished.global_step == 4
    assert not (run / "checkpoint-5").exists()  # the Trainer alone would train a 5th step
    assert any("writing final/ without training" in n for n in finished.notes)
    assert finished.tokens_trained == 0 and finished.tokens_per_second == 0
    assert finished.tokens_seen == straight.tokens_seen and finished.train_loss == straight.train_loss
    assert_same_weights(run / "final", kept)
    result = json.loads((run / "manifest.json").read_text())["result"]
    assert result["global_step"] == 4 and result["final_dir"] == str(run / "final")
    assert result["eval_loss"] == pytest.approx(straight.eval_loss)


def test_a_corrupt_newest_checkpoint_falls_back_to_the_one_before(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    settings, straight, kept = _finished_run(make_settings, tmp_path)
    run = straight.output_dir
    shutil.rmtree(run / "final")
    weights = run / "checkpoint-4" / "adapter_model.safetensors"
    os.truncate(weights, weights.stat().st_size // 2)  # a copy or sync cut off
    resumed = train(_auto(settings))
    assert isinstance(resumed, TrainResult) and resumed.resumed_from == run / "checkpoint-2"
    skipped = "skipping checkpoint-4: adapter_model.safetensors: truncated"
    assert any(note.startswith(skipped) for note in resumed.notes)
    assert resumed.global_step == 4 and resumed.train_loss == pytest.approx(straight.train_loss, abs=1e-5)
    assert_same_weights(run / "final", kept)


def test_dry_run_shows_masked_examples_and_trains_nothing(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    settings = make_settings(data={"max_seq_length": 512}, train={"report_to": ["wandb"]})
    plan = plan_run(settings)
    assert isinstance(plan, TrainPlan)
    assert len(plan.examples) == 3
    for spans in plan.examples:
        assert [trained for _, trained in spans] == [False, True]
        assert "### Response:" in spans[0][0] and spans[1][0].endswith("<|end_of_text|>")
    assert 0 < plan.trainable_parameters < plan.parameters
    assert plan.train_tokens["examples"] + plan.train_tokens["dropped"] == 24
    assert plan.eval_tokens["examples"] + plan.eval_tokens["dropped"] == 4
    assert plan.steps == 2 and plan.estimated_seconds > 0
    assert any("wandb dropped" in n for n in plan.notes)
    assert not Path(settings.train.output_dir).exists()


def test_4bit_full_finetuning_is_refused(make_settings: Callable[..., Settings]) -> None:
    with pytest.raises(UsageError, match="full fine-tuning"):
        train(make_settings(model={"bits": 4}, lora={"use_lora": False}))


def test_4bit_with_zero3_warns_with_the_alternative(make_settings: Callable[..., Settings]) -> None:
    _, notes = preflight(make_settings(model={"bits": 4}, train={"deepspeed": "zero3"}))
    assert any("zero2" in n and "--bits 16" in n for n in notes)
