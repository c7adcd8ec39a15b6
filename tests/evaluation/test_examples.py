"""Evaluation examples are read with data prepare's schema table: processed records, iCliniq
rows with their extra systems, and custom columns named by [data] question_field/answer_field."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from medtune.errors import DataError
from medtune.evaluation.examples import load_examples


def _write(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_processed_records_and_icliniq_rows(tmp_path: Path) -> None:
    processed = _write(tmp_path / "test.jsonl", [{"id": "a", "input": "Q?", "output": "A."}])
    assert [(e.id, e.question, e.reference) for e in load_examples(processed)] == [("a", "Q?", "A.")]
    icliniq = _write(
        tmp_path / "icliniq.jsonl",
        [{"input": "Q?", "answer_icliniq": "Doctor.", "answer_chatgpt": "GPT.", "answer_chatdoctor": "CD."}],
    )
    (example,) = load_examples(icliniq)
    assert example.reference == "Doctor." and example.extra_references == {
        "chatgpt": "GPT.",
        "chatdoctor": "CD.",
    }


def test_custom_columns_follow_the_data_settings(tmp_path: Path) -> None:
    path = _write(tmp_path / "qa.jsonl", [{"q": "My knee hurts after running.", "a": "Rest and ice it."}])
    (example,) = load_examples(path, question_field="q", answer_field="a")
    assert (example.question, example.reference, example.id) == (
        "My knee hurts after running.",
        "Rest and ice it.",
        "qa-1",
    )
    with pytest.raises(DataError, match=r"no question column 'input', no answer column 'output'"):
        load_examples(path)
