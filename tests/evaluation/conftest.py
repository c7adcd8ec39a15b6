"""Fixtures for the evaluation tests: one tiny model, one random-LoRA adapter on it, and a
processed test split taken from the bundled sample (built once per session)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from medtune.modeling.tiny import build_tiny_model

    return build_tiny_model(tmp_path_factory.mktemp("eval") / "tiny")


@pytest.fixture(scope="session")
def tiny_adapter(tiny_model: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A LoRA adapter with random (non-zero) weights, so it answers unlike its base."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    torch.manual_seed(1)
    base = AutoModelForCausalLM.from_pretrained(tiny_model)
    config = LoraConfig(r=8, lora_alpha=64, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    out = tmp_path_factory.mktemp("eval") / "adapter"
    get_peft_model(base, config).save_pretrained(out)
    AutoTokenizer.from_pretrained(tiny_model).save_pretrained(out)
    return out


@pytest.fixture(scope="session")
def test_split(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight processed records (id, instruction, input, output) from the bundled sample."""
    from medtune.data.sample import load_sample

    path = tmp_path_factory.mktemp("eval") / "test.jsonl"
    rows = load_sample()[:8]
    path.write_text(
        "".join(
            json.dumps(
                {"id": f"t{i}", "instruction": r["instruction"], "input": r["input"], "output": r["output"]}
            )
            + "\n"
            for i, r in enumerate(rows)
        ),
        encoding="utf-8",
    )
    return path
