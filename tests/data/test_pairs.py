"""``data pairs``: safety pairs from the audit of an SFT folder and from eval predictions,
built right, counted by source, kept in their question's split."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.data.pairs import AUDIT, BASELINE, PREDICTION, build_pairs
from medtune.errors import DataError, UsageError
from medtune.medical.red_flags import red_flags
from medtune.medical.urgency import urgent_care_sentence

CHEST = "I have crushing chest pain spreading to my left arm and sweating for an hour."
STROKE = "My father suddenly has slurred speech and his face droops on one side."
BLEED = "I vomited blood this morning and feel dizzy, what is happening to me?"
RASH = "I have a mild itchy rash on my arm for two days, no fever."
CALM = "Diagnosis: This may be acid reflux.\nTreatment: Take an antacid and rest."
URGENT = "Diagnosis: This may be a heart attack.\nTreatment: Go to the emergency room now."


def record(question: str, output: str, n: int) -> dict:
    return {
        "id": f"r{n}",
        "instruction": "Answer as a doctor.",
        "input": question,
        "output": output,
        "flags": [],
    }


@pytest.fixture
def sft_dir(tmp_path: Path) -> Path:
    """train: an under-triaged chest pain, a well-triaged stroke, a rash; test: an under-triaged bleed."""
    folder = tmp_path / "processed"
    folder.mkdir()
    splits = {
        "train": [record(CHEST, CALM, 1), record(STROKE, URGENT, 2), record(RASH, CALM, 3)],
        "validation": [],
        "test": [record(BLEED, CALM, 4)],
    }
    for name, records in splits.items():
        (folder / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records))
    return folder


def _read(folder: Path, split: str) -> list[dict]:
    return [json.loads(line) for line in (folder / f"{split}.jsonl").read_text().splitlines()]


def test_audit_pairs_add_the_urgent_care_sentence_naming_the_sign(sft_dir: Path, tmp_path: Path) -> None:
    result = build_pairs(sft_dir, tmp_path / "pairs", safety=True)
    (chest,) = _read(tmp_path / "pairs", "train")
    (bleed,) = _read(tmp_path / "pairs", "test")  # a test question stays in test: eval never trains on it
    assert chest["input"] == CHEST and chest["instruction"] == "Answer as a doctor."
    assert chest["rejected"] == CALM
    signs = red_flags(CHEST)
    assert signs and chest["red_flags"] == signs
    assert chest["chosen"] == f"{CALM} {urgent_care_sentence(signs)}" and signs[0] in chest["chosen"]
    assert chest["source"] == AUDIT and bleed["chosen"].endswith(urgent_care_sentence(red_flags(BLEED)))
    assert result.by_source == {AUDIT: 2}
    card = json.loads((tmp_path / "pairs" / "data_card.json").read_text())
    assert card["kind"] == "paired" and card["counts"] == {"kept": 2, "train": 1, "validation": 0, "test": 1}
    assert len(card["inputs"]) == 3 and all(len(i["sha256"]) == 64 for i in card["inputs"])


def test_predictions_pairs_prefer_the_answer_advising_urgent_care(sft_dir: Path, tmp_path: Path) -> None:
    lines = [
        {
            "question": CHEST,
            "reference": "r",
            "prediction": "Go to the emergency room now.",
            "baseline_prediction": "Rest.",
        },
        {
            "question": STROKE + " Help.",
            "reference": "r",
            "prediction": "Sleep it off.",
            "baseline_prediction": "Call an ambulance now.",
        },
        {"question": BLEED, "reference": "r", "prediction": "Drink water.", "baseline_prediction": "Rest."},
        {
            "question": RASH,
            "reference": "r",
            "prediction": "Go to the emergency room.",
            "baseline_prediction": "Cream.",
        },
        {"question": CHEST, "reference": "r", "prediction": "Rest."},
    ]
    predictions = tmp_path / "predictions.jsonl"
    predictions.write_text("".join(json.dumps(line) + "\n" for line in lines))
    result = build_pairs(sft_dir, tmp_path / "pairs", safety=False, predictions=[predictions])
    train = _read(tmp_path / "pairs", "train")
    assert [(p["source"], p["chosen"], p["rejected"]) for p in train] == [
        (PREDICTION, "Go to the emergency room now.", "Rest."),
        (BASELINE, "Call an ambulance now.", "Sleep it off."),  # a near-duplicate of a train question
    ]
    assert result.by_source == {BASELINE: 1, PREDICTION: 1}
    assert result.card["skipped_predictions"] == {
        "neither_advises_urgent_care": 1,
        "no_red_flag": 1,
        "no_baseline_prediction": 1,
    }


def test_cli_reports_pairs_by_source_and_refuses_nothing_to_do(sft_dir: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    out = tmp_path / "pairs"
    result = runner.invoke(
        app, ["data", "pairs", "--safety", "--data-dir", str(sft_dir), "--output-dir", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "from audit" in result.output and (out / "train.jsonl").is_file()
    with pytest.raises(UsageError, match="nothing to build"):
        build_pairs(sft_dir, tmp_path / "other")
    calm = tmp_path / "calm"
    calm.mkdir()
    (calm / "train.jsonl").write_text(json.dumps(record(RASH, CALM, 1)) + "\n")
    with pytest.raises(DataError, match="no pair"):
        build_pairs(calm, tmp_path / "none", safety=True)
    assert not (tmp_path / "none").exists()
