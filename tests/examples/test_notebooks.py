"""Both example notebooks execute headless, cell by cell, against a run on the bundled sample.

The data comes from ``medtune.data.prepare`` on the bundled sample. The evaluation folder is
built here from the test split in the evaluation's schema (``predictions.jsonl`` +
``metrics.json``), with ROUGE-L from rouge-score: a stand-in for a quickstart run until
``quickstart`` produces one (point ``run_dirs`` at it then). Any cell error fails the test.
"""

from __future__ import annotations

import random
from pathlib import Path

import nbformat
import numpy as np
import pytest
from nbclient import NotebookClient

from medtune.config import load_settings
from medtune.data import prepare
from medtune.data.sample import sample_path
from medtune.io import read_jsonl, write_json, write_jsonl

NOTEBOOKS = Path(__file__).resolve().parents[2] / "examples" / "notebooks"
CELL_TIMEOUT = 180


def _bootstrap(values: list[float], rng: np.random.Generator) -> dict[str, float]:
    array = np.asarray(values)
    means = rng.choice(array, size=(500, array.size)).mean(axis=1)
    low, high = np.percentile(means, [2.5, 97.5])
    return {"mean": float(array.mean()), "low": float(low), "high": float(high), "n": int(array.size)}


def write_evaluation(test_split: Path, out: Path) -> Path:
    """A fine-tuned model that answers mostly like the reference (sometimes cut short), and a
    base model that gives generic or looping answers, scored with rouge-score."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rougeL"], use_stemmer=True)

    def scores(reference: str, text: str) -> dict[str, float]:
        rouge = scorer.score(reference, text)["rougeL"].fmeasure
        return {"rougeL": rouge, "words": float(len(text.split()))}

    rng = random.Random(0)
    rows = []
    for record in read_jsonl(test_split):
        reference = record["output"]
        words = reference.split()
        cut = rng.random() < 0.3
        prediction = " ".join(words[: max(3, len(words) // 3)]) if cut else reference.replace(".", ",", 1)
        base = rng.choice(["Please consult a doctor for this.", "I am not sure about this. " * 6])

        rows.append(
            {
                "id": record["id"],
                "question": record["input"],
                "reference": reference,
                "prediction": prediction,
                "finished": not cut,
                "num_new_tokens": len(prediction.split()),
                "scores": scores(reference, prediction),
                "baseline_prediction": base,
                "baseline_finished": "not sure" not in base,
                "baseline_num_new_tokens": len(base.split()),
                "baseline_scores": scores(reference, base),
            }
        )
    np_rng = np.random.default_rng(0)
    systems = {
        name: {m: _bootstrap([r[key][m] for r in rows], np_rng) for m in ("rougeL", "words")}
        for name, key in (("fine-tuned", "scores"), ("base", "baseline_scores"))
    }
    comparisons = {}
    for m in ("rougeL", "words"):
        diffs = [r["scores"][m] - r["baseline_scores"][m] for r in rows]
        ci = _bootstrap(diffs, np_rng)
        comparisons[m] = {
            "delta": ci["mean"], "low": ci["low"], "high": ci["high"], "p_value": 0.01,
            "won": sum(d > 0 for d in diffs), "lost": sum(d < 0 for d in diffs),
            "tied": sum(d == 0 for d in diffs), "n": len(diffs),
            "significant": ci["low"] > 0 or ci["high"] < 0,
        }  # fmt: skip
    write_jsonl(out / "predictions.jsonl", rows)
    write_json(
        out / "metrics.json",
        {
            "data": {"path": str(test_split), "num_examples": len(rows)},
            "metrics": ["rougeL", "words"],
            "systems": systems,
            "comparisons": {"fine-tuned vs base": comparisons},
        },
    )
    return out


@pytest.fixture(scope="module")
def run_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for the notebooks: NB_DATA_DIR, NB_EVAL_DIR, NB_ANALYSIS_DIR."""
    root = tmp_path_factory.mktemp("quickstart")
    data = root / "data" / "processed"
    prepare(load_settings(environ={}), input_path=sample_path(), output_dir=data)
    evaluation = write_evaluation(data / "test.jsonl", root / "outputs" / "evaluation" / "run")
    return {
        "NB_DATA_DIR": str(data),
        "NB_EVAL_DIR": str(evaluation),
        "NB_ANALYSIS_DIR": str(root / "outputs" / "error_analysis"),
    }


@pytest.mark.parametrize("name", ["data_exploration", "results_analysis"])
def test_notebook_executes(
    name: str, run_dirs: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = NOTEBOOKS / f"{name}.ipynb"
    book = nbformat.read(path, as_version=4)
    assert all(
        not c.get("outputs") and c.get("execution_count") is None for c in book.cells if c.cell_type == "code"
    )
    for key, value in run_dirs.items():
        monkeypatch.setenv(key, value)
    client = NotebookClient(
        book, timeout=CELL_TIMEOUT, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()  # raises CellExecutionError on the first failing cell
    outputs = [o for c in book.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    images = [o for o in outputs if "image/png" in o.get("data", {})]
    text = "".join(o.get("text", "") for o in outputs)
    if name == "data_exploration":
        assert len(images) >= 3  # lengths, specialties, hygiene
        assert "agreement with the source's labels" in text
    else:
        assert len(images) >= 4  # metric means + the analysis plots
        assert "report:" in text
        assert list(Path(run_dirs["NB_ANALYSIS_DIR"]).glob("*/report.html"))
