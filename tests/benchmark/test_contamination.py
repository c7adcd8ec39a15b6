"""``data prepare --contamination DIR``: training rows that copy or nearly copy a benchmark
item are counted in the data card and flagged, or dropped with ``--contamination-action drop``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmark_releases import write_pubmedqa  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.config import load_settings
from medtune.data import prepare
from medtune.data.split import SPLITS
from medtune.errors import DataError

ANSWER = "Hi, this could be due to a viral infection. Take paracetamol 500 mg and consult a doctor."
STEMS = [
    "A 54-year-old man comes to the clinic with three weeks of progressive swelling of both ankles, "
    "shortness of breath when lying flat, and waking at night gasping for air; his jugular venous "
    "pressure is raised and there are crackles at both lung bases. Which drug improves survival?",
    "A 23-year-old woman has had episodes of palpitations, sweating and a tremor for two months, "
    "with weight loss despite a good appetite; her thyroid is diffusely enlarged and there is a "
    "bruit over it, and her eyes protrude. What is the most likely cause of her symptoms?",
]


@pytest.fixture
def benchmark_dir(tmp_path: Path) -> Path:
    """MedQA test items with long stems, and a PubMedQA release."""
    root = tmp_path / "benchmarks"
    medqa = root / "medqa" / "phrases_no_exclude_test.jsonl"
    medqa.parent.mkdir(parents=True)
    options = {"A": "Rest", "B": "Diuretic", "C": "Beta blocker", "D": "Surgery"}
    medqa.write_text(
        "".join(json.dumps({"question": q, "options": options, "answer_idx": "C"}) + "\n" for q in STEMS)
    )
    write_pubmedqa(root, n=4, test=None)
    return root


@pytest.fixture
def raw(tmp_path: Path, benchmark_dir: Path) -> Path:
    """Twelve clean patient questions plus an exact copy of a MedQA stem, a near copy (one word
    changed) of the other, and a PubMedQA item (abstract then question)."""
    pubmedqa = json.loads((benchmark_dir / "pubmedqa" / "ori_pqal.json").read_text())
    item = next(iter(pubmedqa.values()))
    parts = ["knee", "back", "throat", "ear", "eye", "toe", "wrist", "hip", "jaw", "neck", "elbow", "heel"]
    questions = [
        *(
            f"Patient {i}: I have had a sore {part} for {i + 2} days, case {i * 7}, what is it?"
            for i, part in enumerate(parts)
        ),
        STEMS[0],
        STEMS[1].replace("two months", "three months"),
        " ".join([*item["CONTEXTS"], item["QUESTION"]]),
    ]
    path = tmp_path / "raw.jsonl"
    path.write_text(
        "".join(json.dumps({"instruction": "", "input": q, "output": ANSWER}) + "\n" for q in questions)
    )
    return path


def _rows(folder: Path) -> list[dict]:
    return [json.loads(line) for split in SPLITS for line in (folder / f"{split}.jsonl").open()]


def test_hits_are_counted_in_the_card_and_flagged(tmp_path: Path, raw: Path, benchmark_dir: Path) -> None:
    out = tmp_path / "processed"
    card = prepare(load_settings(overrides={"data": {"contamination_dir": str(benchmark_dir)}}), raw, out)
    entry = card["contamination"]
    assert entry["items"] == 6 and entry["items_by_task"] == {"medqa_4options": 2, "pubmedqa": 4}
    assert entry["hits"] == 3 and entry["by_task"] == {"medqa_4options": 2, "pubmedqa": 1}
    assert entry["action"] == "flag" and entry["dropped"] == 0
    assert card["counts"]["kept"] == 15 and card["filters"]["contaminated"] == 3
    flagged = {
        r["input"][:20]: r["flags"]
        for r in _rows(out)
        if any(f.startswith("contaminated:") for f in r["flags"])
    }
    assert sorted(f for flags in flagged.values() for f in flags if f.startswith("contaminated")) == [
        "contaminated:medqa_4options",
        "contaminated:medqa_4options",
        "contaminated:pubmedqa",
    ]
    assert json.loads((out / "data_card.json").read_text())["contamination"] == entry


def test_drop_removes_them_before_the_split(tmp_path: Path, raw: Path, benchmark_dir: Path) -> None:
    out = tmp_path / "processed"
    args = ["--input", str(raw), "-o", str(out), "--contamination", str(benchmark_dir)]
    result = CliRunner().invoke(app, ["data", "prepare", *args, "--contamination-action", "drop"])
    assert result.exit_code == 0, result.output
    card = json.loads((out / "data_card.json").read_text())
    assert card["contamination"]["dropped"] == 3 and card["filters"]["dropped_contaminated"] == 3
    assert card["counts"]["kept"] == 12 == len(_rows(out))
    assert not any(r["input"].startswith("A 54-year-old") for r in _rows(out))
    assert "contaminated" in result.stdout


def test_without_the_check_there_is_no_contamination_entry(tmp_path: Path, raw: Path) -> None:
    card = prepare(load_settings(), raw, tmp_path / "processed")
    assert "contamination" not in card and "contaminated" not in card["filters"]


def test_a_folder_without_any_release_is_one_line_naming_what_it_needs(tmp_path: Path, raw: Path) -> None:
    settings = load_settings(overrides={"data": {"contamination_dir": str(tmp_path / "empty")}})
    with pytest.raises(
        DataError, match=r"--contamination .*empty: no benchmark release found .*ori_pqal\.json"
    ):
        prepare(settings, raw, tmp_path / "processed")
    assert not (tmp_path / "processed").exists()


def test_an_unknown_action_is_a_config_error(tmp_path: Path, raw: Path, benchmark_dir: Path) -> None:
    args = ["--input", str(raw), "-o", str(tmp_path / "p"), "--contamination", str(benchmark_dir)]
    result = CliRunner().invoke(app, ["data", "prepare", *args, "--contamination-action", "delete"])
    assert result.exit_code == 2 and "data.contamination_action" in result.stderr
