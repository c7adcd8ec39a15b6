"""End-to-end runs on the CPU: every quantization / adapter mode trains and writes its
outputs; resume after an interruption reproduces an uninterrupted run."""

from __future__ import annotations

import json
import math
import os
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
    want = load_file(straight.final_dir / "adapter_model.safetensors")
    got = load_file(resumed.final_dir / "adapter_model.safetensors")
    assert want.keys() == got.keys()
    for name in want:
        torch.testing.assert_close(got[name], want[name], atol=1e-5, rtol=0)


def test_dry_run_shows_masked_examples_and_trains_nothing(
    make_settings: Callable[..., Settings], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    settings = make_settings(data={"max_seq_length": 512}, train={"report_to": ["wandb"]})
    plan = train(settings, dry_run=True)
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
