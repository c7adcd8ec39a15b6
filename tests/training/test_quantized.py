"""4-bit on the CPU: LoRA gradients stay exact after an evaluation pass (bitsandbytes'
AVX512-BF16 trap, see medtune.modeling.loader), checked against an fp32 model with the
dequantized weights."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import bitsandbytes as bnb
import pytest
import torch
from transformers import AutoModelForCausalLM

from medtune.config import LoraSettings, ModelSettings
from medtune.modeling.device import detect
from medtune.modeling.loader import add_lora, load_model, load_tokenizer
from medtune.training.collate import PaddingCollator
from medtune.training.dataset import tokenize_records

LORA = LoraSettings(r=4, alpha=8, dropout=0.0)


@pytest.fixture(scope="module")
def batch(tiny_model: Path, make_records: Any) -> dict[str, torch.Tensor]:
    tokenizer = load_tokenizer(ModelSettings(model_name=str(tiny_model)))
    examples, _ = tokenize_records(tokenizer, make_records(2, seed=5), max_seq_length=128)
    return PaddingCollator(tokenizer.pad_token_id)(examples)


def lora_grads(model: Any, batch: dict[str, torch.Tensor]) -> dict[str, torch.Tensor]:
    """LoRA gradients of one training step, after an evaluation (no-grad) forward."""
    model.eval()
    with torch.no_grad():
        model(**batch)
    model.train()
    model.zero_grad()
    model(**batch).loss.backward()
    return {name: p.grad.clone() for name, p in model.named_parameters() if "lora_" in name}


def dequantized_reference(quantized: Any, tiny_model: Path) -> Any:
    """An fp32 model holding the 4-bit model's dequantized weights and its LoRA weights."""
    reference = AutoModelForCausalLM.from_pretrained(tiny_model, dtype=torch.float32)
    modules = dict(reference.named_modules())
    for name, module in quantized.named_modules():
        if isinstance(module, bnb.nn.Linear4bit):
            plain = name.removeprefix("base_model.model.").removesuffix(".base_layer")
            weight = bnb.functional.dequantize_4bit(module.weight.data, module.weight.quant_state)
            modules[plain].weight.data.copy_(weight.float())
    reference = add_lora(reference, LORA)
    lora_state = {k: v for k, v in quantized.state_dict().items() if "lora_" in k}
    missing = reference.load_state_dict(lora_state, strict=False)
    assert not missing.unexpected_keys
    return reference


def quantized_model(tiny_model: Path) -> Any:
    torch.manual_seed(0)
    return load_model(
        ModelSettings(model_name=str(tiny_model), bits=4), LORA, for_training=True, device="cpu"
    )


def test_4bit_lora_gradients_after_eval_match_dequantized_fp32(tiny_model: Path, batch: Any) -> None:
    model = quantized_model(tiny_model)
    layers = [m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    assert layers and not any(m.support_avx512bf16_for_cpu for m in layers)
    got = lora_grads(model, batch)
    want = lora_grads(dequantized_reference(model, tiny_model), batch)
    assert got.keys() == want.keys() and len(got) > 0
    for name in want:
        torch.testing.assert_close(got[name], want[name], rtol=1e-4, atol=1e-6, msg=name)


@pytest.mark.skipif(not detect().cpu_avx512_bf16, reason="the trap needs a CPU with AVX512-BF16")
def test_without_the_fix_gradients_are_wrong(tiny_model: Path, batch: Any) -> None:
    model = quantized_model(tiny_model)
    for module in model.modules():
        if isinstance(module, bnb.nn.Linear4bit):
            module.support_avx512bf16_for_cpu = True
    want = lora_grads(dequantized_reference(model, tiny_model), batch)
    got = lora_grads(model, batch)
    assert any(not torch.allclose(got[n], want[n], rtol=1e-2, atol=1e-4) for n in want)
