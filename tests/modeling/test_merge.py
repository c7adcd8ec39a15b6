"""Merging a LoRA adapter: the merged model computes what base + adapter computed."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.data.template import render_prompt
from medtune.errors import ModelError
from medtune.modeling.merge import merge_adapter

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
peft = pytest.importorskip("peft")

CORPUS = [
    f"Patient {i}: {word} pain for {i % 9 + 1} days with fever and cough; please advise."
    for i, word in enumerate(["chest", "back", "knee", "head", "ear", "stomach"] * 10)
]
RECORD = {"input": "I have chest pain and fever for three days.", "output": ""}


@pytest.fixture(scope="module")
def adapter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny Llama's LoRA adapter with random (non-zero) A and B, saved with its tokenizer."""
    from medtune.modeling.tiny import build_tiny_model

    root = tmp_path_factory.mktemp("merge")
    base = build_tiny_model(root / "base", texts=CORPUS, vocab_size=300)
    model = transformers.AutoModelForCausalLM.from_pretrained(base)
    config = peft.LoraConfig(
        r=4, lora_alpha=8, target_modules=["q_proj", "v_proj", "down_proj"], init_lora_weights=False
    )
    torch.manual_seed(0)
    peft_model = peft.get_peft_model(model, config)
    peft_model.save_pretrained(root / "adapter")
    transformers.AutoTokenizer.from_pretrained(base).save_pretrained(root / "adapter")
    return root / "adapter"


def _logits(model: torch.nn.Module, tokenizer) -> torch.Tensor:
    ids = tokenizer(render_prompt(tokenizer, RECORD), add_special_tokens=False, return_tensors="pt")
    with torch.no_grad():
        return model(**ids).logits


def test_merged_model_equals_base_plus_adapter(adapter: Path, tmp_path: Path) -> None:
    out = merge_adapter(adapter, tmp_path / "merged")

    tokenizer = transformers.AutoTokenizer.from_pretrained(out)
    merged = transformers.AutoModelForCausalLM.from_pretrained(out).eval()
    base = transformers.AutoModelForCausalLM.from_pretrained(
        peft.PeftConfig.from_pretrained(adapter).base_model_name_or_path
    )
    base_logits = _logits(base, tokenizer)
    with_adapter = peft.PeftModel.from_pretrained(base, adapter).eval()

    assert merged.dtype == torch.float32  # merged in 16/32-bit, never into 4-bit
    assert not any("lora" in name for name, _ in merged.named_parameters())
    assert (out / "model.safetensors").is_file() and (out / "generation_config.json").is_file()
    assert tokenizer.chat_template == transformers.AutoTokenizer.from_pretrained(adapter).chat_template
    expected = _logits(with_adapter, tokenizer)
    assert not torch.allclose(expected, base_logits, atol=1e-3)  # the adapter changes the outputs
    torch.testing.assert_close(_logits(merged, tokenizer), expected, atol=1e-5, rtol=1e-5)


def test_cli_merges_and_rejects_a_non_adapter(adapter: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(
        app, ["model", "merge", "--adapter", str(adapter), "-o", str(tmp_path / "m"), "--device", "cpu"]
    )
    assert ok.exit_code == 0, ok.output
    assert (tmp_path / "m" / "model.safetensors").is_file()

    # --model-path, as every other command names a trained model, is the same option
    bad = runner.invoke(app, ["model", "merge", "--model-path", str(tmp_path), "-o", str(tmp_path / "x")])
    assert bad.exit_code == ModelError.exit_code
    assert "adapter_config.json" in bad.output
    assert not (tmp_path / "x").exists()
