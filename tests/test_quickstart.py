"""The README's first command: ``medtune quickstart`` runs the whole pipeline offline, the
fine-tuned tiny model beats its untrained base, and both notebooks execute on its outputs;
with ``--with-dpo`` it goes on to safety pairs, DPO and the DPO-vs-SFT evaluation.

One quickstart run (a real ``medtune quickstart --with-dpo`` subprocess) serves every test
in this module; run the suite with ``--dist loadfile`` so xdist keeps them on one worker.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[1] / "examples" / "notebooks"


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    work = tmp_path_factory.mktemp("quickstart")
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDTUNE_")}
    done = subprocess.run(
        [sys.executable, "-m", "medtune", "quickstart", "--workdir", str(work), "--with-dpo"],
        env={**env, "COLUMNS": "200"}, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return work, done.stdout


def test_every_step_leaves_its_outputs(workdir: tuple[Path, str]) -> None:
    work, stdout = workdir
    data = work / "data" / "processed"
    splits = {"train.jsonl", "validation.jsonl", "test.jsonl", "data_card.json"}
    assert {p.name for p in data.iterdir()} == splits
    assert (work / "models" / "tiny-llama" / "config.json").is_file()
    run = work / "outputs" / "tiny-run"
    assert (run / "final").is_dir() and (run / "manifest.json").is_file()
    evaluation = (work / "outputs" / "evaluation" / "latest").resolve()
    names = {p.name for p in evaluation.iterdir()}
    assert {"predictions.jsonl", "metrics.json", "evaluation_report.md", "model_comparison.md"} <= names
    analysis = (work / "outputs" / "error_analysis" / "latest").resolve()
    assert (analysis / "report.html").is_file() and list(analysis.glob("*.png"))
    assert "quickstart finished" in stdout and str(analysis / "report.html") in stdout


def test_training_loss_goes_down(workdir: tuple[Path, str]) -> None:
    manifest = json.loads((workdir[0] / "outputs" / "tiny-run" / "manifest.json").read_text())
    history = manifest["result"]["loss_history"]
    assert history[-1][1] < 0.6 * history[0][1]


def test_fine_tuned_beats_base_on_rouge_l_with_ci_excluding_zero(workdir: tuple[Path, str]) -> None:
    evaluation = (workdir[0] / "outputs" / "evaluation" / "latest").resolve()
    comparison = json.loads((evaluation / "metrics.json").read_text())["comparisons"]["fine-tuned vs base"]
    rouge_l = comparison["rougeL"]
    assert rouge_l["delta"] > 0 and rouge_l["low"] > 0, rouge_l


def test_the_run_can_be_pushed_and_exported_offline(workdir: tuple[Path, str]) -> None:
    """The README's "Share and deploy" commands, from the quickstart folder."""
    work = workdir[0]
    env = {k: v for k, v in os.environ.items() if not k.startswith("MEDTUNE_")}
    for args in (
        ["push", "--model-path", "outputs/tiny-run", "--repo-id", "me/tiny-medical", "--dry-run"],
        ["export", "--model-path", "outputs/tiny-run", "--format", "ollama", "--output-dir", "ollama"],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "medtune", *args], cwd=work, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr[-3000:]
    card = (work / "outputs" / "push" / "tiny-medical" / "README.md").read_text()
    assert "## Evaluation" in card and "## Training data" in card  # found the run's eval and data card
    assert (work / "ollama" / "Modelfile").is_file() and (
        work / "ollama" / "model" / "model.safetensors"
    ).is_file()


def test_with_dpo_tunes_the_fine_tuned_model_on_safety_pairs(workdir: tuple[Path, str]) -> None:
    work, stdout = workdir
    pairs = json.loads((work / "data" / "pairs" / "data_card.json").read_text())
    assert (
        pairs["pairs_by_source"] == {"safety:audit": pairs["counts"]["kept"]}
        and pairs["counts"]["train"] >= 1
    )
    run = work / "outputs" / "tiny-dpo"
    manifest = json.loads((run / "manifest.json").read_text())
    assert (
        manifest["settings"]["train"]["method"] == "dpo" and (run / "final" / "adapter_config.json").is_file()
    )
    assert [step.get("method") for step in manifest["lineage"]] == [None, "sft", "dpo"]  # base -> SFT -> DPO
    assert manifest["result"]["figures"]["rewards/margins"] > 0
    evaluation = (work / "outputs" / "evaluation-dpo" / "latest").resolve()
    metrics = json.loads((evaluation / "metrics.json").read_text())
    assert metrics["base_model"] == str(work / "outputs" / "tiny-run" / "final")  # DPO vs the SFT model
    assert {"red_flag_safety"} <= metrics["systems"]["fine-tuned"].keys() & metrics["systems"]["base"].keys()
    assert "DPO vs fine-tuned" in stdout and "reward margin" in stdout
    assert "DPO minus SFT" in stdout  # the DPO table names its systems, not "fine-tuned minus base"


@pytest.mark.parametrize("name", ["data_exploration", "results_analysis"])
def test_notebook_executes_on_the_quickstart_run(
    name: str, workdir: tuple[Path, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work = workdir[0]
    book = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    code_cells = [c for c in book.cells if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in code_cells)
    monkeypatch.setenv("NB_DATA_DIR", str(work / "data" / "processed"))
    monkeypatch.setenv("NB_EVAL_DIR", str(work / "outputs" / "evaluation" / "latest"))
    monkeypatch.setenv("NB_ANALYSIS_DIR", str(tmp_path / "error_analysis"))
    client = NotebookClient(
        book, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in code_cells for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs)
    if name == "data_exploration":
        assert len(images) >= 3  # lengths, specialties, hygiene
        assert "agreement with the source's labels" in text
    else:
        assert len(images) >= 4  # metric means + the analysis plots
        assert list((tmp_path / "error_analysis").glob("*/report.html"))
