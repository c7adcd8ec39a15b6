"""Loading models for training and inference: quantization, LoRA targets, adapters."""

from __future__ import annotations

import json
from pathlib import Path

import bitsandbytes as bnb
import pytest
import torch
from transformers import AutoTokenizer

from medtune.config import LoraSettings, ModelSettings
from medtune.errors import ModelError, UsageError
from medtune.modeling import loader
from medtune.modeling.loader import (
    adapter_base,
    attention_implementation,
    base_model_of,
    load_for_inference,
    load_model,
    load_tokenizer,
)
from medtune.modeling.tiny import build_tiny_model

TEXTS = ["Hi doctor, I have a headache and fever.", "Hello. Please rest and drink fluids."] * 20


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", texts=TEXTS, vocab_size=300)


@pytest.fixture(scope="module")
def adapter(tiny: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A saved LoRA adapter (with its tokenizer) whose B matrices are non-zero."""
    torch.manual_seed(0)
    settings = ModelSettings(model_name=str(tiny), bits=16)
    model = load_model(settings, LoraSettings(r=4), for_training=True, device="cpu")
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_B" in name:
                param.normal_(0, 0.5)
    path = tmp_path_factory.mktemp("adapter") / "final"
    model.save_pretrained(path)
    load_tokenizer(settings).save_pretrained(path)
    return path


def test_tokenizer_gets_pad_token_and_template(tiny: Path, tmp_path: Path) -> None:
    tokenizer = AutoTokenizer.from_pretrained(tiny)
    tokenizer.pad_token = None
    tokenizer.chat_template = None
    tokenizer.save_pretrained(tmp_path)
    loaded = load_tokenizer(ModelSettings(model_name=str(tmp_path)))
    assert loaded.pad_token is not None and loaded.chat_template


def test_lora_uses_only_existing_targets(tiny: Path) -> None:
    lora = LoraSettings(target_modules=["q_proj", "v_proj", "c_attn"])
    model = load_model(ModelSettings(model_name=str(tiny), bits=16), lora, for_training=True, device="cpu")
    assert set(model.peft_config["default"].target_modules) == {"q_proj", "v_proj"}
    assert model.config.use_cache is False
    trainable = [n for n, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n for n in trainable)


def test_no_matching_target_lists_available_layers(tiny: Path) -> None:
    with pytest.raises(ModelError, match=r"available: \[.*'q_proj'"):
        load_model(
            ModelSettings(model_name=str(tiny), bits=16),
            LoraSettings(target_modules=["c_attn"]),
            for_training=True,
            device="cpu",
        )


def test_full_finetuning_of_quantized_weights_is_refused(tiny: Path) -> None:
    with pytest.raises(UsageError):
        load_model(
            ModelSettings(model_name=str(tiny), bits=8),
            LoraSettings(use_lora=False),
            for_training=True,
            device="cpu",
        )


def test_4bit_training_model_has_the_cpu_fix(tiny: Path) -> None:
    model = load_model(
        ModelSettings(model_name=str(tiny), bits=4), LoraSettings(r=4), for_training=True, device="cpu"
    )
    layers = [m for m in model.modules() if isinstance(m, bnb.nn.Linear4bit)]
    assert len(layers) == 14 and not any(m.support_avx512bf16_for_cpu for m in layers)
    assert layers[0].weight.quant_state.quant_type == "nf4" and layers[0].weight.quant_state.nested


def test_auto_attention_is_sdpa_on_cpu() -> None:
    assert attention_implementation(ModelSettings(), "cpu") == "sdpa"
    assert attention_implementation(ModelSettings(attn_implementation="eager"), "cuda") == "eager"


def test_missing_model_is_a_model_error(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="nobody/no-such-model"):
        load_tokenizer(ModelSettings(model_name="nobody/no-such-model"))


def test_adapter_loads_for_inference_with_its_base(tiny: Path, adapter: Path) -> None:
    model, tokenizer = load_for_inference(adapter)
    assert not model.training and tokenizer.chat_template
    ids = torch.tensor([tokenizer("Hi doctor, I have a headache.")["input_ids"]])
    base, _ = load_for_inference(tiny)
    with torch.no_grad():
        tuned, plain = model(input_ids=ids).logits, base(input_ids=ids).logits
        with model.disable_adapter():
            torch.testing.assert_close(model(input_ids=ids).logits, plain)
    assert not torch.allclose(tuned, plain)


def test_adapter_base_override_and_missing_base(tiny: Path, adapter: Path, tmp_path: Path) -> None:
    model, _ = load_for_inference(adapter, base_model=str(tiny))
    assert model.peft_config["default"].r == 4
    moved = tmp_path / "adapter"
    moved.mkdir()
    for path in adapter.iterdir():
        (moved / path.name).write_bytes(path.read_bytes())
    config = json.loads((moved / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp_path / "gone")
    (moved / "adapter_config.json").write_text(json.dumps(config))
    with pytest.raises(ModelError, match="gone"):
        load_for_inference(moved)


def test_base_model_of_reads_the_adapter_or_the_training_manifest(adapter: Path, tmp_path: Path) -> None:
    assert base_model_of(adapter) == adapter_base(adapter)
    final = tmp_path / "run" / "final"
    final.mkdir(parents=True)
    assert base_model_of(final) is None  # a bare full model says nothing
    manifest = {"command": "train", "settings": {"model": {"model_name": "models/tiny-llama"}}}
    (final.parent / "manifest.json").write_text(json.dumps(manifest))
    assert base_model_of(final) == "models/tiny-llama"
    downloaded = tmp_path / "job"  # sagemaker download: the manifest inside the model folder
    downloaded.mkdir()
    (downloaded / "manifest.json").write_text(json.dumps(manifest))
    assert base_model_of(downloaded) == "models/tiny-llama"
    (final.parent / "manifest.json").write_text(json.dumps({"command": "benchmark", "settings": {}}))
    assert base_model_of(final) is None
    (final.parent / "manifest.json").write_text("{")
    with pytest.raises(ModelError, match=r"manifest\.json: unreadable run manifest"):
        base_model_of(final)


def test_full_finetuning_under_fp16_keeps_fp32_weights(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """fp16 mixed precision (GPUs without bf16) cannot unscale fp16 weights' gradients."""
    monkeypatch.setattr(loader, "compute_dtype", lambda model, device: torch.float16)
    model = ModelSettings(model_name=str(tiny), bits=16)
    full = load_model(model, LoraSettings(use_lora=False), for_training=True, device="cpu")
    assert {p.dtype for p in full.parameters()} == {torch.float32}
    lora = load_model(model, LoraSettings(r=4), for_training=True, device="cpu")
    assert {p.dtype for p in lora.parameters() if not p.requires_grad} == {torch.float16}
