"""The tiny offline Llama: loads with the Auto classes, runs, learns, renders the template."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from medtune.data.template import DEFAULT_INSTRUCTION, render_completion, render_prompt
from medtune.errors import UsageError
from medtune.modeling.tiny import build_tiny_model, record_texts

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")

RECORD = {
    "instruction": DEFAULT_INSTRUCTION,
    "input": "I have had a dry cough and a mild fever (38.2 °C) for three days. Should I worry?",
    "output": "Hello. This sounds like a viral infection. Rest, drink fluids and take 500 mg paracetamol.",
}
#: A small corpus for the tests that build several models (the bundled sample is bigger).
CORPUS = [
    f"Patient {i}: {word} pain for {i % 9 + 1} days with fever, cough and nausea; dose {i * 5} µg."
    for i, word in enumerate(["chest", "back", "knee", "head", "ear", "tooth", "stomach", "neck"] * 12)
]


@pytest.fixture(scope="module")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The default build: tokenizer trained on the bundled sample."""
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "tiny-llama")


@pytest.fixture(scope="module")
def model(tiny_dir: Path):
    return transformers.AutoModelForCausalLM.from_pretrained(tiny_dir)


@pytest.fixture(scope="module")
def tokenizer(tiny_dir: Path):
    return transformers.AutoTokenizer.from_pretrained(tiny_dir)


def test_auto_classes_load_a_llama_of_about_a_million_parameters(model, tokenizer) -> None:
    assert type(model).__name__ == "LlamaForCausalLM"
    n_params = sum(p.numel() for p in model.parameters())
    assert 0.5e6 < n_params < 1.5e6
    cfg = model.config
    assert cfg.num_key_value_heads < cfg.num_attention_heads  # grouped-query attention, as in Llama 3
    assert not cfg.tie_word_embeddings
    assert cfg.vocab_size == len(tokenizer)
    assert len(tokenizer) > 1000  # the bundled sample is big enough to learn a real vocabulary


def test_special_tokens_are_distinct_and_agree_with_the_model(model, tokenizer) -> None:
    ids = [tokenizer.bos_token_id, tokenizer.eos_token_id, tokenizer.pad_token_id, tokenizer.unk_token_id]
    assert None not in ids and len(set(ids)) == 4
    for config in (model.config, model.generation_config):
        assert (config.bos_token_id, config.eos_token_id, config.pad_token_id) == tuple(ids[:3])
    assert tokenizer("fever").input_ids[0] == tokenizer.bos_token_id
    assert tokenizer.model_max_length == model.config.max_position_embeddings


def test_byte_level_bpe_round_trips_any_text(tokenizer) -> None:
    text = "Dose: 250 µg — naïve patient, 38.5 °C 🤒\n\tnew line"
    ids = tokenizer(text, add_special_tokens=False).input_ids
    assert tokenizer.unk_token_id not in ids
    assert tokenizer.decode(ids) == text


def test_forward_padding_and_generate(model, tokenizer) -> None:
    batch = tokenizer(
        ["short question", "a much longer question about chest pain"], padding=True, return_tensors="pt"
    )
    assert batch.input_ids[0, -1].item() == tokenizer.pad_token_id
    with torch.no_grad():
        out = model(**batch, labels=batch.input_ids)
    assert out.logits.shape == (*batch.input_ids.shape, len(tokenizer))
    assert torch.isfinite(out.loss)
    prompt = tokenizer(render_prompt(tokenizer, RECORD), add_special_tokens=False, return_tensors="pt")
    generated = model.generate(**prompt, max_new_tokens=8, do_sample=False)
    assert generated.shape[1] > prompt.input_ids.shape[1]


def test_chat_template_renders_the_project_prompt(tokenizer) -> None:
    prompt = render_prompt(tokenizer, RECORD)
    assert prompt.startswith(tokenizer.bos_token)
    assert RECORD["input"] in prompt and prompt.endswith("### Response:\n")
    ids = tokenizer(prompt + render_completion(tokenizer, RECORD), add_special_tokens=False).input_ids
    assert ids.count(tokenizer.bos_token_id) == 1 and ids[0] == tokenizer.bos_token_id
    assert ids[-1] == tokenizer.eos_token_id


def test_it_learns(tiny_dir: Path, tokenizer) -> None:
    model = transformers.AutoModelForCausalLM.from_pretrained(tiny_dir)
    batch = tokenizer([RECORD["output"]], return_tensors="pt")
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3)
    losses = []
    for _ in range(15):
        loss = model(**batch, labels=batch.input_ids).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    assert losses[-1] < 0.5 * losses[0]


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def test_same_seed_and_text_give_identical_bytes(tmp_path: Path) -> None:
    first = _files(build_tiny_model(tmp_path / "a", CORPUS, vocab_size=400, seed=3))
    second = _files(build_tiny_model(tmp_path / "b", CORPUS, vocab_size=400, seed=3))
    other_seed = _files(build_tiny_model(tmp_path / "c", CORPUS, vocab_size=400, seed=4))
    assert {"config.json", "model.safetensors", "tokenizer.json", "generation_config.json"} <= set(first)
    assert first == second
    assert other_seed["model.safetensors"] != first["model.safetensors"]
    assert other_seed["tokenizer.json"] == first["tokenizer.json"]


def test_rebuild_replaces_an_earlier_model_but_never_a_foreign_folder(tmp_path: Path) -> None:
    target = tmp_path / "tiny"
    build_tiny_model(target, CORPUS, vocab_size=300)
    (target / "stale.bin").write_text("old")
    build_tiny_model(target, CORPUS, vocab_size=300)
    assert not (target / "stale.bin").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["tiny"]  # no temporary folder left behind
    foreign = tmp_path / "models"
    (foreign / "llama").mkdir(parents=True)
    with pytest.raises(UsageError, match="holds other files"):
        build_tiny_model(foreign, CORPUS, vocab_size=300)
    assert (foreign / "llama").is_dir()


def test_record_texts_reads_raw_processed_and_icliniq_schemas() -> None:
    records = [RECORD, {"input": "q?", "answer_icliniq": "a.", "answer_chatgpt": ""}, {"id": 3}]
    assert list(record_texts(records)) == [*RECORD.values(), "q?", "a."]


@pytest.mark.slow
def test_cli_builds_from_a_data_file_in_a_subprocess(tmp_path: Path) -> None:
    data = tmp_path / "train.jsonl"
    data.write_text("".join(json.dumps({"input": t, "output": t[::-1]}) + "\n" for t in CORPUS))
    out = tmp_path / "models" / "tiny"
    medtune = Path(sys.executable).with_name("medtune")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "COLUMNS": "500"}
    result = subprocess.run(
        [str(medtune), "model", "tiny", "--output-dir", str(out), "--data", str(data), "--vocab-size", "300"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert str(out) in " ".join(result.stdout.split())
    config = json.loads((out / "config.json").read_text())
    assert config["architectures"] == ["LlamaForCausalLM"]
    assert config["vocab_size"] <= 300

    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"input": "fine"}\nnot json\n')
    result = subprocess.run(
        [str(medtune), "model", "tiny", "--output-dir", str(tmp_path / "x"), "--data", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode != 0
    assert f"{bad}:2" in " ".join(result.stderr.split())
    assert not (tmp_path / "x").exists()
