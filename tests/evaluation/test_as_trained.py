"""The training run is the source of truth: eval loads a model as its run trained it, takes
the base of a full fine-tune and the test split from the run's manifest, and fails before
generating anything when the base cannot be found."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from medtune.config import ModelSettings, load_settings
from medtune.errors import ModelError, UsageError
from medtune.evaluation import evaluate
from medtune.modeling.loader import as_trained


def _run(tmp_path: Path, tiny_model: Path, test_split: Path, **model: object) -> Path:
    """A full fine-tune's run folder: final/ (the tiny model) and the manifest train writes."""
    run = tmp_path / "run"
    shutil.copytree(tiny_model, run / "final")
    data_dir = tmp_path / "processed"
    data_dir.mkdir()
    shutil.copy(test_split, data_dir / "test.jsonl")
    trained = {"model_name": str(tiny_model), "precision": "fp32", "bits": 16, **model}
    manifest = {"command": "train", "settings": {"model": trained, "data": {"data_dir": str(data_dir)}}}
    (run / "manifest.json").write_text(json.dumps(manifest))
    return run


def _settings(run: Path, out: Path, **eval_: object):
    eval_ |= {"model_path": str(run / "final"), "run_dir": str(out), "baseline": True, "num_samples": 3}
    eval_ |= {"max_new_tokens": 4, "metrics": ["rouge"], "bootstrap_samples": 100}
    return load_settings(overrides={"eval": eval_, "model": {"device": "cpu"}})


def test_weights_follow_the_run_unless_the_user_sets_them(
    tmp_path: Path, tiny_model: Path, test_split: Path
) -> None:
    run = _run(tmp_path, tiny_model, test_split, precision="fp32", bits=8)
    defaults = ModelSettings()
    assert (defaults.precision, defaults.bits) == ("bf16", 4)
    taken, keys = as_trained(run / "final", defaults)
    assert (taken.precision, taken.bits, keys) == ("fp32", 8, ["precision", "bits"])
    mine, keys = as_trained(run / "final", ModelSettings(bits=16))
    assert (mine.precision, mine.bits, keys) == ("fp32", 16, ["precision"])
    elsewhere, keys = as_trained(tiny_model, defaults)  # no manifest: the settings as they are
    assert (elsewhere.bits, keys) == (4, [])


def test_eval_of_a_full_fine_tune_needs_no_flags_beyond_the_model(
    tmp_path: Path, tiny_model: Path, test_split: Path
) -> None:
    run = _run(tmp_path, tiny_model, test_split)
    result = evaluate(_settings(run, tmp_path / "ev"))
    metrics = result.metrics
    assert metrics["base_model"] == str(tiny_model)  # from the manifest, not the 8B default
    assert metrics["data"]["path"] == str(tmp_path / "processed" / "test.jsonl")
    assert metrics["weights"] == {"precision": "fp32", "bits": 16, "from_run": ["precision", "bits"]}
    report = (result.output_dir / "evaluation_report.md").read_text()
    assert "- **Weights**: fp32, 16-bit (as the run trained)" in report
    assert set(metrics["systems"]) == {"fine-tuned", "base"}


def test_a_missing_base_fails_before_generating(tmp_path: Path, tiny_model: Path, test_split: Path) -> None:
    run = _run(tmp_path, tiny_model, test_split, model_name=str(tmp_path / "gone" / "tiny"))
    with pytest.raises(ModelError, match=r"gone/tiny: not a model folder"):
        evaluate(_settings(run, tmp_path / "ev"))
    assert not (tmp_path / "ev").exists()  # nothing generated, nothing written

    (run / "manifest.json").unlink()  # a model from elsewhere, no --base-model
    with pytest.raises(UsageError, match="pass --base-model"):
        evaluate(_settings(run, tmp_path / "ev", data_path=str(test_split)))
    assert not (tmp_path / "ev").exists()
