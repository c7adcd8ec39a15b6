"""TrainingArguments from settings: mixed precision follows the hardware (bf16 where
supported, else fp16 on a GPU, fp32 on a CPU); the optimizer and NEFTune as configured."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch

from medtune.config import Settings
from medtune.training.arguments import machine_choices, optimizer, training_arguments


@pytest.mark.parametrize(
    ("device", "bf16_supported", "expected", "note"),
    [
        ("cuda", True, {"bf16": True, "fp16": False}, None),
        ("cuda", False, {"bf16": False, "fp16": True}, "fp16 mixed precision instead"),
        ("cpu", True, {"bf16": False, "fp16": False}, "training in fp32"),
    ],
    ids=["ampere", "t4-or-v100", "cpu"],
)
def test_default_bf16_follows_the_hardware(
    device: str,
    bf16_supported: bool,
    expected: dict[str, bool],
    note: str | None,
    make_settings: Callable[..., Settings],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: bf16_supported)
    choices, notes = machine_choices(make_settings(), device)
    assert {key: choices[key] for key in expected} == expected
    assert (note is None and not notes) or (note is not None and note in notes[0])


def test_fp16_when_asked_for_on_a_gpu(make_settings: Callable[..., Settings]) -> None:
    choices, notes = machine_choices(make_settings(train={"fp16": True, "bf16": False}), "cuda")
    assert choices["fp16"] and not choices["bf16"] and not notes


@pytest.mark.parametrize(
    ("optim", "bits", "device", "expected"),
    [
        ("auto", 4, "cuda", "paged_adamw_8bit"),
        ("auto", 8, "cuda", "paged_adamw_8bit"),
        ("auto", 16, "cuda", "adamw_torch_fused"),
        ("auto", 4, "cpu", "adamw_torch_fused"),
        ("adafactor", 4, "cpu", "adafactor"),
        ("paged_adamw_8bit", 16, "cpu", "paged_adamw_8bit"),  # bitsandbytes runs it unpaged there
    ],
)
def test_optimizer_auto_and_by_name(
    optim: str, bits: int, device: str, expected: str, make_settings: Callable[..., Settings]
) -> None:
    assert optimizer(make_settings(model={"bits": bits}, train={"optim": optim}), device) == expected


def test_optimizer_neftune_and_compile_reach_the_trainer(make_settings: Callable[..., Settings]) -> None:
    settings = make_settings(
        train={"optim": "adamw_torch", "neftune_noise_alpha": 5.0, "torch_compile": True}
    )
    args = training_arguments(settings, "cpu", has_eval=False, pack=False)
    assert args.optim == "adamw_torch" and args.neftune_noise_alpha == 5.0 and args.torch_compile
