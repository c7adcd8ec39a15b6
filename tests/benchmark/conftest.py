"""Fixtures for the benchmark tests: tiny releases in each original format, one tiny model
and a random LoRA adapter on it (built once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest
from benchmark_releases import write_releases  # beside this file


@pytest.fixture(scope="session")
def releases(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """All four families, five test items per task."""
    return write_releases(tmp_path_factory.mktemp("releases"))


@pytest.fixture(scope="session")
def tiny_adapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Llama and a LoRA adapter with random (non-zero) weights on it."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medtune.modeling.tiny import build_tiny_model

    base = build_tiny_model(tmp_path_factory.mktemp("bench") / "tiny", vocab_size=512)
    torch.manual_seed(1)
    config = LoraConfig(r=8, lora_alpha=64, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    out = tmp_path_factory.mktemp("bench") / "adapter"
    get_peft_model(AutoModelForCausalLM.from_pretrained(base), config).save_pretrained(out)
    AutoTokenizer.from_pretrained(base).save_pretrained(out)
    return out
