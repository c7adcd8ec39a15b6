"""The model card: written from a real tiny run, its evaluation and a benchmark, each part
present only when its source is; the Hub metadata parses and its numbers are metrics.json's."""

from __future__ import annotations

import dataclasses
import json
import shutil
from pathlib import Path

import pytest
from huggingface_hub import ModelCard
from shared_runs import Workspace  # beside this file

from medtune.errors import DataError
from medtune.sharing.card import gather_sources, model_card
from medtune.sharing.model import locate

NOWHERE = Path("no/such/folder")


def card_for(model_path: Path, **sources) -> tuple[ModelCard, list[str]]:
    sources.setdefault("default_eval_dir", NOWHERE)
    sources.setdefault("default_benchmark_dir", NOWHERE)
    found, notes = gather_sources(locate(model_path), **sources)
    card = model_card(found, "my-org/tiny-medical")
    return ModelCard(str(card)), notes  # parse the text back, as the Hub does


def test_full_card_from_run_eval_benchmark_and_audited_data(
    workspace: Workspace, audited_card: Path, benchmark_dir: Path
) -> None:
    card, notes = card_for(
        workspace.lora_run,
        eval_dir=workspace.eval_dir,
        benchmark_dir=benchmark_dir,
        data_card=audited_card,
        license="apache-2.0",
    )
    assert notes == []
    meta = card.data.to_dict()
    assert meta["library_name"] == "peft" and meta["license"] == "apache-2.0"
    assert {"medical", "medtune", "lora", "peft", "sft"} <= set(meta["tags"]) and "qlora" not in meta["tags"]
    assert "base_model" not in meta  # a local folder is not a Hub id

    metrics = json.loads((workspace.eval_dir / "metrics.json").read_text())
    fine_tuned = metrics["systems"]["fine-tuned"]
    benchmark = json.loads((benchmark_dir / "benchmark.json").read_text())["tasks"]
    values = {
        (r.task_type, r.dataset_name if r.task_type == "multiple-choice" else r.metric_type): r.metric_value
        for r in card.data.eval_results
    }
    expected = {("text-generation", m): v["mean"] for m, v in fine_tuned.items()}
    expected |= {("multiple-choice", t): s["fine-tuned"]["accuracy"] for t, s in benchmark.items()}
    assert values == expected
    anatomy = next(r for r in card.data.eval_results if r.dataset_name == "mmlu_anatomy")
    assert (anatomy.dataset_type, anatomy.dataset_config) == ("cais/mmlu", "anatomy")

    text = card.text
    assert "Not medical advice" in text
    assert "(**under-triage**) for 12 (30.0% of them)" in text  # 12 of 40 red-flag questions
    assert "3 training questions matched a benchmark item (action: drop)" in text
    assert "`multimedqa`" in text and "/data/benchmarks" not in text  # folder name only
    for section in ("## Training data", "## Training", "## Evaluation", "## Medical benchmarks",
                    "## Intended use", "## Out-of-scope use", "## Limitations", "## How to use"):  # fmt: skip
        assert section in text
    seen = json.loads((workspace.lora_run / "manifest.json").read_text())["result"]["tokens_seen"]
    assert f"- **Tokens seen**: {seen:,}" in text
    assert "| rougeL | " in text and "| pubmedqa | 0.6200 [0.5700, 0.6600] |" in text
    assert "AutoPeftModelForCausalLM" in text and "ollama create tiny-medical" in text
    assert str(workspace.root) not in text  # no local paths


def test_partial_card_without_evaluation_or_benchmark(workspace: Workspace) -> None:
    card, notes = card_for(workspace.full_run)
    assert card.data.eval_results is None and "model-index" not in str(card)
    assert card.data.library_name == "transformers"
    assert "## Evaluation" not in card.text and "## Medical benchmarks" not in card.text
    assert "## Training data" in card.text and "full fine-tuning" in card.text
    assert "Safety audit" in card.text  # data prepare audits every row
    assert any("no evaluation" in n for n in notes) and any("no benchmark" in n for n in notes)


def test_default_results_of_another_model_are_left_out(workspace: Workspace, tmp_path: Path) -> None:
    card, notes = card_for(workspace.full_run, default_eval_dir=workspace.eval_dir)
    assert "## Evaluation" not in card.text
    assert any("not this model: left out" in n for n in notes)
    with pytest.raises(DataError, match=r"metrics\.json: no such file"):
        card_for(workspace.full_run, eval_dir=tmp_path)


def test_a_bare_adapter_folder_gets_what_its_config_says(workspace: Workspace, tmp_path: Path) -> None:
    bare = shutil.copytree(workspace.lora_run / "final", tmp_path / "adapter")
    card, notes = card_for(bare)
    assert "r = 4, alpha = 8" in card.text
    assert "## Training\n" not in card.text and "## Training data" not in card.text
    assert any("no data card" in n for n in notes)


def test_qlora_run_on_a_hub_base(workspace: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    model = locate(workspace.lora_run)
    settings = {**model.settings, "model": {**model.settings["model"], "bits": 4}}
    base = "meta-llama/Llama-3.1-8B-Instruct"
    secret = "hf_" + "Secret1234567890abcdefghij"
    monkeypatch.setenv("HF_TOKEN", secret)
    source = {"dataset": "lavita/ChatDoctor-HealthCareMagic-100k", "rows": 112165, "schema": "lavita"}
    card_data = {**model.manifest["data_card"], "inputs": [source]}
    hub_model = dataclasses.replace(
        model,
        manifest={**model.manifest, "settings": settings, "data_card": card_data, "git_commit": secret},
        adapter_config={**model.adapter_config, "base_model_name_or_path": base},
    )
    sources, _ = gather_sources(hub_model, default_eval_dir=NOWHERE, default_benchmark_dir=NOWHERE)
    card = ModelCard(str(model_card(sources, "my-org/llama31-medical")))
    assert card.data.base_model == base and card.data.base_model_relation == "adapter"
    assert "qlora" in card.data.tags and "QLoRA: LoRA on a 4-bit NF4 base" in card.text
    assert card.data.datasets == ["lavita/ChatDoctor-HealthCareMagic-100k"]
    assert secret not in str(card) and "- **medtune commit**: `***`" in card.text


def test_a_preference_run_describes_its_pairs_not_the_sft_splits_they_came_from(
    workspace: Workspace, tmp_path: Path
) -> None:
    pairs_card = tmp_path / "data_card.json"
    inputs = [
        {"path": f"/data/processed/{s}.jsonl", "sha256": "0" * 64} for s in ("train", "validation", "test")
    ]
    pairs_card.write_text(
        json.dumps(
            {
                "kind": "paired",
                "inputs": inputs,
                "pairs_by_source": {"safety:audit": 5},
                "counts": {"kept": 5, "train": 4, "validation": 1, "test": 0},
            }
        )
    )
    card, _ = card_for(workspace.lora_run, data_card=pairs_card)
    assert "on 5 preference pairs to answer" in card.text
    assert "- **Preference pairs**: 5 (5 safety:audit); train 4 / validation 1 / test 0" in card.text
    assert "on train.jsonl" not in card.text and "? rows" not in card.text
