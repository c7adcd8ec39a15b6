"""The honest end-to-end check of the do-no-harm gate: fine-tune the tiny model on a fixture
PubMedQA's answers until it learns them; the benchmark then puts the fine-tuned model above
its base with a CI that excludes zero and the gate passes (exit 0). With the two models
swapped the base is better beyond chance and the gate fails (exit 3)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmark_releases import write_pubmedqa  # beside this file
from lm_eval.tasks.pubmedqa.preprocess_pubmedqa import doc_to_text  # the official prompt
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.config import load_settings
from medtune.modeling.tiny import build_tiny_model
from medtune.training import train

#: Renders a record as its user turn followed by its answer: training then sees exactly the
#: text lm-eval scores ("...Answer:" then " yes").
RAW_TEMPLATE = (
    "{% for m in messages %}{% if m['role'] == 'user' %}{{ m['content'] }}"
    "{% elif m['role'] == 'assistant' %}{{ m['content'] }}{{ eos_token }}{% endif %}{% endfor %}"
)
CPU = {"bits": 16, "precision": "fp32", "device": "cpu"}


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    """(releases, base model, fine-tuned final/) after 60 full fine-tuning steps on 30 items."""
    root = tmp_path_factory.mktemp("gate")
    items = write_pubmedqa(root / "releases", n=30, test=None)
    records = [
        {"id": pmid, "instruction": "", "input": doc_to_text(item), "output": " " + item["final_decision"]}
        for pmid, item in items.items()
    ]
    data = root / "data"
    data.mkdir()
    for split in ("train", "validation"):
        (data / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    base = build_tiny_model(root / "tiny", [r["input"] + r["output"] for r in records], vocab_size=512)
    (base / "chat_template.jinja").write_text(RAW_TEMPLATE)
    settings = load_settings(
        overrides={
            "model": {"model_name": str(base), **CPU},
            "lora": {"use_lora": False},
            "data": {"data_dir": str(data), "max_seq_length": 512, "per_device_train_batch_size": 8},
            "train": {
                "output_dir": str(root / "run"),
                "learning_rate": 3e-3,
                "max_steps": 60,
                "warmup_ratio": 0.0,
                "gradient_accumulation_steps": 1,
                "gradient_checkpointing": False,
                "eval_steps": 1000,
                "save_steps": 1000,
                "bf16": False,
                "report_to": ["none"],
            },
        }
    )
    return root / "releases", base, train(settings).output_dir / "final"


def _benchmark(tmp: Path, releases: Path, *args: str) -> tuple[object, dict]:
    config = tmp / "medtune.toml"
    config.write_text('[model]\nbits = 16\nprecision = "fp32"\ndevice = "cpu"\n')
    out = tmp / "out"
    common = ["--tasks", "pubmedqa", "--data-dir", str(releases), "--baseline", "--fail-on-regression"]
    result = CliRunner().invoke(app, ["benchmark", *args, *common, "-o", str(out), "--config", str(config)])
    return result, json.loads((out / "benchmark.json").read_text())


def test_fine_tuned_on_the_answers_beats_its_base_and_passes_the_gate(
    trained: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    releases, base, final = trained
    result, summary = _benchmark(tmp_path, releases, "--model-path", str(final))  # base from the manifest
    assert result.exit_code == 0, result.output
    assert summary["base_model"] == str(base)
    task = summary["tasks"]["pubmedqa"]
    assert task["fine-tuned"]["n"] == task["base"]["n"] == 30
    assert task["fine-tuned"]["accuracy"] > 0.9 > 0.5 > task["base"]["accuracy"]
    comparison = summary["comparisons"]["pubmedqa"]
    assert comparison["low"] > 0 and comparison["mcnemar_p"] < 0.001 and summary["regressions"] == []


def test_swapped_the_gate_fails_with_exit_3(trained: tuple[Path, Path, Path], tmp_path: Path) -> None:
    releases, base, final = trained
    result, summary = _benchmark(tmp_path, releases, "--model-path", str(base), "--base-model", str(final))
    assert result.exit_code == 3
    assert "do-no-harm gate" in result.stderr and "pubmedqa" in result.stderr
    assert summary["comparisons"]["pubmedqa"]["high"] < 0 and summary["regressions"] == ["pubmedqa"]
