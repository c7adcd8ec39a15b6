"""Real tiny runs to share, built once per session: the bundled sample prepared, a tiny
Llama, a 2-step LoRA run and a 2-step full fine-tune, and a short real evaluation of the
LoRA run against its base."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from shared_runs import AUDIT, CONTAMINATION, Workspace, run_settings  # beside this file


@pytest.fixture(scope="session")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    from medtune.data import prepare
    from medtune.data.sample import sample_path
    from medtune.evaluation import evaluate
    from medtune.modeling.tiny import build_tiny_model
    from medtune.training import train

    root = tmp_path_factory.mktemp("sharing")
    data_dir = root / "data" / "processed"
    base = root / "models" / "tiny-llama"
    lora = run_settings(root, data_dir, base, "lora-run")
    prepare(lora, input_path=sample_path())
    build_tiny_model(base, vocab_size=512)
    train(lora)
    train(run_settings(root, data_dir, base, "full-run", use_lora=False))
    evaluated = evaluate(lora)
    return Workspace(
        root,
        data_dir,
        base,
        root / "outputs" / "lora-run",
        root / "outputs" / "full-run",
        evaluated.output_dir,
        lora,
    )


@pytest.fixture
def audited_card(workspace: Workspace, tmp_path: Path) -> Path:
    """The run's data card with the audit and contamination figures ``data prepare`` adds."""
    card = json.loads((workspace.data_dir / "data_card.json").read_text())
    path = tmp_path / "data_card.json"
    path.write_text(json.dumps({**card, "audit": AUDIT, "contamination": CONTAMINATION}))
    return path


@pytest.fixture
def benchmark_dir(workspace: Workspace, tmp_path: Path) -> Path:
    """A benchmark.json for the LoRA run in ``medtune benchmark``'s layout."""
    folder = tmp_path / "benchmark"
    folder.mkdir()
    tasks = {
        "pubmedqa": {
            "fine-tuned": {"accuracy": 0.62, "low": 0.57, "high": 0.66, "n": 500},
            "base": {"accuracy": 0.55, "low": 0.51, "high": 0.6, "n": 500},
        },
        "mmlu_anatomy": {
            "fine-tuned": {"accuracy": 0.4, "low": 0.32, "high": 0.48, "n": 135},
            "base": {"accuracy": 0.44, "low": 0.36, "high": 0.52, "n": 135},
        },
    }
    comparisons = {
        "fine-tuned vs base": {
            "pubmedqa": {"delta": 0.07, "low": 0.03, "high": 0.11, "p_value": 0.002, "n": 500},
            "mmlu_anatomy": {"delta": -0.04, "low": -0.1, "high": 0.02, "p_value": 0.3, "n": 135},
        }
    }
    payload = {"model_path": str(workspace.lora_run / "final"), "tasks": tasks, "comparisons": comparisons}
    (folder / "benchmark.json").write_text(json.dumps(payload))
    return folder
