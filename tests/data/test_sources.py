"""Reading raw data: formats, schemas, and the one-line errors for bad input."""

from __future__ import annotations

from pathlib import Path

import pytest
from raw_rows import write_rows  # beside this file

from medtune.data.sources import read_hub, read_local
from medtune.errors import DataError


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".parquet"])
def test_reads_every_format(tmp_path: Path, rows: list[dict], suffix: str) -> None:
    data = read_local(write_rows(tmp_path / f"raw{suffix}", rows))
    assert data.questions == [r["input"] for r in rows]
    assert data.answers == [r["output"] for r in rows]
    assert data.inputs[0]["schema"] == "lavita" and len(data.inputs[0]["sha256"]) == 64


def test_reads_a_folder_in_name_order(tmp_path: Path, rows: list[dict]) -> None:
    write_rows(tmp_path / "b.parquet", rows[6:])
    write_rows(tmp_path / "a.jsonl", rows[:6])
    (tmp_path / "notes.txt").write_text("ignored")
    data = read_local(tmp_path)
    assert data.questions == [r["input"] for r in rows]
    assert [Path(i["path"]).name for i in data.inputs] == ["a.jsonl", "b.parquet"]


def test_icliniq_schema_uses_the_icliniq_answer(tmp_path: Path) -> None:
    rows = [{"input": "q?", "answer_icliniq": "doc", "answer_chatgpt": "gpt", "answer_chatdoctor": "cd"}]
    data = read_local(write_rows(tmp_path / "icliniq.jsonl", rows))
    assert (data.questions, data.answers, data.inputs[0]["schema"]) == (["q?"], ["doc"], "icliniq")


def test_custom_fields(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "custom.csv", [{"patient": "q?", "doctor": "a.", "x": "1"}])
    data = read_local(path, question_field="patient", answer_field="doctor")
    assert (data.questions, data.answers, data.inputs[0]["schema"]) == (["q?"], ["a."], "custom")


def test_missing_fields_name_the_roles_the_columns_found_and_the_flags(tmp_path: Path) -> None:
    path = write_rows(tmp_path / "odd.jsonl", [{"question": "q", "reply": "a"}])
    with pytest.raises(
        DataError,
        match=r"no question column 'input', no answer column 'output' \(columns found: question, reply\); "
        r"name them with --question-field and --answer-field",
    ):
        read_local(path)
    with pytest.raises(DataError, match=r"no answer column 'answer' \(columns found"):
        read_local(path, question_field="question", answer_field="answer")


def test_malformed_jsonl_names_file_and_line(tmp_path: Path, rows: list[dict]) -> None:
    path = write_rows(tmp_path / "bad.jsonl", rows[:3])
    path.write_text(path.read_text() + '{"input": "broken\n')
    with pytest.raises(DataError, match=r"bad\.jsonl:4: malformed JSON"):
        read_local(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.jsonl", None, "no such file or folder"),
        ("raw.txt", "x", "unsupported file type"),
        ("bad.parquet", "not parquet", "cannot read"),
        ("bad.json", "[1, 2]", "expected a JSON list of objects"),
    ],
)
def test_unreadable_input(tmp_path: Path, name: str, content: str | None, message: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content)
    with pytest.raises(DataError, match=message):
        read_local(path)


def test_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"no \.jsonl"):
        read_local(tmp_path)


def test_hub_offline_is_one_line_suggesting_input(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(DataError, match=r"hub is offline.*--input") as err:
        read_hub("lavita/ChatDoctor-HealthCareMagic-100k")
    assert "\n" not in str(err.value)


def test_hub_path_accepts_a_local_dataset_and_keeps_a_raw_copy(tmp_path: Path, rows: list[dict]) -> None:
    hub = tmp_path / "hub-dataset"
    hub.mkdir()
    write_rows(hub / "train.jsonl", rows)
    data = read_hub(str(hub), save_to=tmp_path / "raw")
    assert data.questions == [r["input"] for r in rows] and data.extras["instruction"][0]
    copy = read_local(tmp_path / "raw")
    assert copy.answers == data.answers and data.inputs[0]["sha256"] == copy.inputs[0]["sha256"]


def test_json_lines_saved_as_json_and_csv_with_bom(tmp_path: Path, rows: list[dict]) -> None:
    lines = write_rows(tmp_path / "lines.jsonl", rows).rename(tmp_path / "lines.json")
    assert read_local(lines).questions == [r["input"] for r in rows]
    bom = tmp_path / "bom.csv"
    bom.write_text("\ufeffinput,output\nq?,a.\n", encoding="utf-8")
    assert read_local(bom).answers == ["a."]
