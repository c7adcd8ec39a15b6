"""`medtune data audit` and the audit step of `data prepare` (safety = flag | drop | augment).

The rows are written for this test (synthetic, not medical advice): two red-flag questions
whose answers do not send the patient to urgent care (under-triage), one red-flag question
that is answered with urgent advice, and ordinary questions.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from raw_rows import lavita_rows, write_jsonl  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.config import load_settings
from medtune.data import prepare
from medtune.data.audit import audit, read_processed
from medtune.errors import ConfigError, DataError
from medtune.medical.urgency import advises_urgent_care

AUDIT_KEYS = [
    "index",
    "id",
    "diagnosis_present",
    "treatment_present",
    "red_flag_question",
    "urgent_advice",
    "specialty",
    "under_triage",
]
UNDER_TRIAGED = [
    {
        "input": "I have crushing chest pain going to my left arm and I am sweating a lot since an hour.",
        "output": "Hi, this looks like acidity. Take an antacid after meals and avoid spicy food.",
    },
    {
        "input": "My father suddenly cannot move his right arm and his speech is slurred since this morning.",
        "output": "Hello, this may be due to a pinched nerve in the neck. Do gentle neck exercises daily.",
    },
]
TRIAGED = {
    "input": "I am vomiting blood since this morning and feel very weak and dizzy, what to do?",
    "output": "Vomiting blood can be a bleeding ulcer. Please go to the emergency room immediately.",
}


def _rows() -> list[dict]:
    rows = lavita_rows(20)
    rows[3:3] = UNDER_TRIAGED
    rows.insert(10, TRIAGED)
    return rows


def _settings(**data: object):
    return load_settings(
        overrides={"data": {"val_ratio": 0.2, "test_ratio": 0.2, "train_ratio": 0.6, **data}}
    )


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_audit_writes_one_line_per_input_row_in_order(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    result = audit(_settings(), input_path=raw, output_dir=tmp_path / "audit")
    lines = _read(tmp_path / "audit" / "audit.jsonl")
    assert [list(line) for line in lines] == [AUDIT_KEYS] * len(_rows())
    assert [line["index"] for line in lines] == list(range(len(_rows())))
    assert [line["under_triage"] for line in lines].count(True) == 2
    assert lines[3]["under_triage"] and lines[4]["under_triage"] and not lines[10]["under_triage"]
    assert lines[10]["red_flag_question"] and lines[10]["urgent_advice"]
    assert lines[3]["specialty"] == "cardiology"
    rates = result.summary["rates"]
    assert rates["red_flag_question"] == {"count": 3, "n": len(_rows()), "rate": 3 / len(_rows())}
    assert rates["under_triage"] == {"count": 2, "n": 3, "rate": 2 / 3}  # of the red-flag questions
    report = (tmp_path / "audit" / "audit_report.md").read_text()
    assert "66.7% (2 of 3) — too few to judge" in report
    summary = json.loads((tmp_path / "audit" / "audit_summary.json").read_text())
    assert summary["counts"]["under_triage"] == 2 and len(summary["examples"]) == 2


def test_audit_ids_are_the_ids_prepare_gives(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    audit(_settings(), input_path=raw, output_dir=tmp_path / "audit")
    prepare(_settings(), input_path=raw, output_dir=tmp_path / "processed")
    processed = {
        r["id"]
        for name in ("train", "validation", "test")
        for r in _read(tmp_path / "processed" / f"{name}.jsonl")
    }
    assert processed == {line["id"] for line in _read(tmp_path / "audit" / "audit.jsonl")}


def test_audit_of_a_processed_folder_reads_the_doctors_answers(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    prepare(_settings(safety="augment"), input_path=raw, output_dir=tmp_path / "processed")
    pairs, _ = read_processed(tmp_path / "processed")
    records = [
        r for name in ("train", "validation", "test") for r in _read(tmp_path / "processed" / f"{name}.jsonl")
    ]
    assert [p.id for p in pairs] == [r["id"] for r in records]  # train, validation, test
    assert [p.answer for p in pairs] == [r["original_output"] for r in records]
    result = audit(_settings(), data_dir=tmp_path / "processed", output_dir=tmp_path / "audit")
    assert result.summary["counts"]["under_triage"] == 2  # the augmented outputs are not audited


def test_prepare_flags_under_triage_and_counts_the_audit(tmp_path: Path) -> None:
    card = prepare(
        _settings(), input_path=write_jsonl(tmp_path / "raw.jsonl", _rows()), output_dir=tmp_path / "p"
    )
    assert card["audit"]["under_triage"] == 2 and card["audit"]["red_flag_question"] == 3
    assert card["audit"]["rows"] == card["counts"]["kept"] and card["audit"]["safety"] == "flag"
    records = [r for name in ("train", "validation", "test") for r in _read(tmp_path / "p" / f"{name}.jsonl")]
    flagged = [r for r in records if "under_triage" in r["flags"]]
    assert {r["input"] for r in flagged} == {row["input"] for row in UNDER_TRIAGED}
    assert all(r["original_output"] in {row["output"] for row in UNDER_TRIAGED} for r in flagged)


def test_prepare_drop_keeps_under_triage_out_of_training_only(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    # with split seed 4 one under-triaged row falls in train and one in validation
    flagged = prepare(_settings(split_seed=4), input_path=raw, output_dir=tmp_path / "flag")
    card = prepare(_settings(safety="drop", split_seed=4), input_path=raw, output_dir=tmp_path / "drop")
    train = _read(tmp_path / "drop" / "train.jsonl")
    assert not any("under_triage" in r["flags"] for r in train)
    in_train = sum("under_triage" in r["flags"] for r in _read(tmp_path / "flag" / "train.jsonl"))
    assert in_train == 1 and card["filters"]["dropped_under_triage"] == in_train
    assert card["counts"]["train"] == flagged["counts"]["train"] - in_train
    for name in ("validation", "test"):  # evaluation keeps them
        assert _read(tmp_path / "drop" / f"{name}.jsonl") == _read(tmp_path / "flag" / f"{name}.jsonl")


def test_prepare_augment_names_the_warning_sign_and_flags_the_row(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    card = prepare(
        _settings(safety="augment", structure_answers=False), input_path=raw, output_dir=tmp_path / "p"
    )
    records = [r for name in ("train", "validation", "test") for r in _read(tmp_path / "p" / f"{name}.jsonl")]
    augmented = [r for r in records if "safety_augmented" in r["flags"]]
    assert card["filters"]["safety_augmented"] == len(augmented) == 2
    for record in augmented:
        assert record["output"].startswith(record["original_output"] + " ")
        added = record["output"][len(record["original_output"]) + 1 :]
        assert advises_urgent_care(added) and not advises_urgent_care(record["original_output"])
    chest = next(r for r in augmented if "chest" in r["input"])
    assert "chest pain" in chest["output"][len(chest["original_output"]) :]
    untouched = [r for r in records if "safety_augmented" not in r["flags"]]
    assert all(r["output"] == r["original_output"] for r in untouched)


def test_augment_survives_structuring_of_an_answer_that_ends_with_a_sign_off(tmp_path: Path) -> None:
    rows = _rows()
    for row in rows:
        if row in UNDER_TRIAGED:
            row["output"] += " Regards, Dr. Iyer"  # no full stop: the next sentence would join it
    raw = write_jsonl(tmp_path / "raw.jsonl", rows)
    prepare(_settings(safety="augment"), input_path=raw, output_dir=tmp_path / "p")
    records = [r for name in ("train", "validation", "test") for r in _read(tmp_path / "p" / f"{name}.jsonl")]
    augmented = [r for r in records if "safety_augmented" in r["flags"]]
    assert len(augmented) == 2 and all(advises_urgent_care(r["output"]) for r in augmented)


def test_unknown_safety_value_is_one_line_naming_the_key() -> None:
    with pytest.raises(ConfigError, match=r"data\.safety"):
        _settings(safety="warn")


def test_a_folder_without_splits_is_one_line_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(DataError, match=r"no train\.jsonl, validation\.jsonl, test\.jsonl here"):
        audit(_settings(), data_dir=tmp_path / "empty", output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_empty_and_malformed_inputs_name_the_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(DataError, match=r"empty\.jsonl"):
        audit(_settings(), input_path=empty, output_dir=tmp_path / "out")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(_rows()[0]) + "\n{not json\n")
    with pytest.raises(DataError, match=r"bad\.jsonl:2: malformed JSON"):
        audit(_settings(), input_path=bad, output_dir=tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_cli_audit_prints_the_rates_and_refuses_two_inputs(tmp_path: Path) -> None:
    raw = write_jsonl(tmp_path / "raw.jsonl", _rows())
    runner = CliRunner()
    result = runner.invoke(app, ["data", "audit", "--input", str(raw), "--output-dir", str(tmp_path / "a")])
    assert result.exit_code == 0, result.output
    assert "red-flag question without urgent advice" in result.output and "2 of 3" in result.output
    both = runner.invoke(app, ["data", "audit", "--input", str(raw), "--data-dir", str(tmp_path)])
    assert both.exit_code == 2 and "not both" in both.output
