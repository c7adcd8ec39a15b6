"""``medtune generate`` and ``medtune chat`` on a tiny model: streamed, templated, greedy-exact."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.data.template import render_prompt
from medtune.modeling.generate import Sampling, stream_answer

torch = pytest.importorskip("torch")
transformers = pytest.importorskip("transformers")
peft = pytest.importorskip("peft")

QUESTION = "I have had a cough and fever for three days. What should I do?"
CORPUS = [
    f"Patient {i}: {word} pain for {i % 9 + 1} days with fever and cough; rest and drink fluids."
    for i, word in enumerate(["chest", "back", "knee", "head", "ear", "stomach"] * 10)
]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tiny Llama, its output layer steered to word tokens so answers print as text
    (random weights otherwise emit stray bytes, which a streamer holds back until complete)."""
    from medtune.modeling.tiny import build_tiny_model

    path = build_tiny_model(tmp_path_factory.mktemp("chat") / "model", texts=CORPUS, vocab_size=300)
    tokenizer = transformers.AutoTokenizer.from_pretrained(path)
    model = transformers.AutoModelForCausalLM.from_pretrained(path)
    with torch.no_grad():
        for token_id in range(len(tokenizer)):
            text = tokenizer.decode([token_id], skip_special_tokens=True)
            printable = text.strip().isascii() and text.strip().isalpha()
            model.lm_head.weight[token_id] *= 10.0 if printable else 0.0
    model.save_pretrained(path)
    return path


@pytest.fixture(scope="module")
def adapter(tiny: Path) -> Path:
    """A LoRA adapter with random non-zero weights on the tiny model, with its tokenizer."""
    config = peft.LoraConfig(r=4, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
    torch.manual_seed(1)
    model = peft.get_peft_model(transformers.AutoModelForCausalLM.from_pretrained(tiny), config)
    model.save_pretrained(tiny.parent / "adapter")
    transformers.AutoTokenizer.from_pretrained(tiny).save_pretrained(tiny.parent / "adapter")
    return tiny.parent / "adapter"


def _greedy(model: torch.nn.Module, tokenizer, tokens: int) -> str:
    """What plain, non-streamed greedy generation answers, with the training template."""
    ids = tokenizer(
        render_prompt(tokenizer, {"input": QUESTION}), add_special_tokens=False, return_tensors="pt"
    )
    with torch.no_grad():
        out = model.generate(
            **ids, do_sample=False, max_new_tokens=tokens, pad_token_id=tokenizer.pad_token_id
        )
    return tokenizer.decode(out[0, ids["input_ids"].shape[1] :], skip_special_tokens=True)


def test_stream_equals_plain_greedy_generation(tiny: Path) -> None:
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny)
    model = transformers.AutoModelForCausalLM.from_pretrained(tiny).eval()
    pieces = list(stream_answer(model, tokenizer, QUESTION, Sampling(temperature=0, max_new_tokens=12)))
    assert len(pieces) > 1  # streamed in pieces, not one block
    assert "".join(pieces) == _greedy(model, tokenizer, 12)


def test_sampling_is_seeded(tiny: Path) -> None:
    tokenizer = transformers.AutoTokenizer.from_pretrained(tiny)
    model = transformers.AutoModelForCausalLM.from_pretrained(tiny).eval()
    runs = [
        "".join(stream_answer(model, tokenizer, QUESTION, Sampling(1.0, 0.95, 12, seed=s))) for s in (3, 3, 4)
    ]
    assert runs[0] == runs[1] != runs[2]


def test_generate_with_an_adapter_prints_the_adapted_answer(adapter: Path, tiny: Path) -> None:
    result = CliRunner().invoke(
        app,
        [
            "generate",
            "--model",
            str(adapter),
            "--temperature",
            "0",
            "--max-new-tokens",
            "10",
            "--device",
            "cpu",
            "--bits",
            "16",  # the settings default is 4-bit (QLoRA); compare with the unquantized model
            QUESTION,
        ],
    )
    assert result.exit_code == 0, result.output
    tokenizer = transformers.AutoTokenizer.from_pretrained(adapter)
    with_adapter = peft.PeftModel.from_pretrained(
        transformers.AutoModelForCausalLM.from_pretrained(tiny), adapter
    )
    expected = _greedy(with_adapter.eval(), tokenizer, 10)
    assert expected.strip() and expected.strip() in result.stdout


def test_chat_answers_each_line_until_exit_or_eof(tiny: Path) -> None:
    runner = CliRunner()
    args = ["chat", "--model", str(tiny), "--temperature", "0", "--max-new-tokens", "6", "--device", "cpu"]
    until_exit = runner.invoke(app, args, input=f"{QUESTION}\n\n/exit\nnever asked\n")
    assert until_exit.exit_code == 0, until_exit.output
    assert until_exit.stdout.count("model>") == 1  # the blank line is skipped, /exit stops
    at_eof = runner.invoke(app, args, input=f"{QUESTION}\nsecond question\n")
    assert at_eof.exit_code == 0, at_eof.output
    assert at_eof.stdout.count("model>") == 2


def test_generate_subprocess_and_missing_model(tiny: Path, tmp_path: Path) -> None:
    medtune = [sys.executable, "-m", "medtune"]
    ok = subprocess.run(
        [
            *medtune,
            "generate",
            "-m",
            str(tiny),
            "--temperature",
            "0",
            "--max-new-tokens",
            "5",
            "--device",
            "cpu",
            QUESTION,
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip()
    missing = subprocess.run(
        [*medtune, "generate", "-m", str(tmp_path / "nope"), "hi"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert missing.returncode == 1
    assert "no such model folder" in missing.stderr
