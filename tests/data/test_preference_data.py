"""Preference data through ``data prepare``: schemas, formats, conversations, hygiene,
the prompt-grouped split, and one-line errors for bad rows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from raw_rows import pref_rows, write_rows  # beside this file
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.config import load_settings
from medtune.data import prepare
from medtune.errors import DataError


def _read(folder: Path) -> dict[str, list[dict]]:
    return {
        name: [json.loads(line) for line in (folder / f"{name}.jsonl").read_text().splitlines()]
        for name in ("train", "validation", "test")
    }


@pytest.mark.parametrize("suffix", [".jsonl", ".json", ".csv", ".parquet"])
def test_every_format_becomes_a_preference_folder(tmp_path: Path, suffix: str) -> None:
    rows = pref_rows()
    card = prepare(
        load_settings(None, {}),
        input_path=write_rows(tmp_path / f"raw{suffix}", rows),
        output_dir=tmp_path / "out",
    )
    splits = _read(tmp_path / "out")
    records = [r for split in splits.values() for r in split]
    assert card["kind"] == "paired" and card["inputs"][0]["schema"] == "preference"
    assert card["counts"] == {"input": 10, "kept": 10, **{k: len(v) for k, v in splits.items()}}
    assert {(r["input"], r["chosen"], r["rejected"]) for r in records} == {
        (r["prompt"], r["chosen"], r["rejected"]) for r in rows
    }
    assert all(r["instruction"] and r["source"] == f"raw{suffix}" and "output" not in r for r in records)
    for name, split in splits.items():  # both pairs of a prompt land in one split
        others = {r["input"] for other, s in splits.items() if other != name for r in s}
        assert not {r["input"] for r in split} & others
    assert set(card["not_applied"]) == {"structure_answers", "safety"}


def test_conversations_hygiene_and_duplicates(tmp_path: Path) -> None:
    system = "You are a careful doctor."
    rows = [
        {
            "prompt": [
                {"role": "system", "content": system},
                {"role": "user", "content": "My  Chat Doctor knee hurts after running, why?"},
            ],
            "chosen": [
                {"role": "assistant", "content": "It is likely a strain; rest, ice and take ibuprofen."}
            ],
            "rejected": [{"role": "assistant", "content": "Run more."}],
        },
        {
            "prompt": "I have a fever and a stiff neck since this morning.",
            "chosen": "Go to the emergency room now, this may be meningitis.",
            "rejected": "Take paracetamol and sleep.",
        },
        {
            "prompt": "I have a fever and a stiff neck since this morning.",
            "chosen": "Take paracetamol and sleep, it will pass.",
            "rejected": "Go to the emergency room now, this may be meningitis.",
        },
        {
            "prompt": "I have a fever and a stiff neck since this morning.",
            "chosen": "Take paracetamol and sleep, it will pass.",
            "rejected": "Go to the emergency room now, this may be meningitis.",
        },
        {"prompt": "Short?", "chosen": "A long enough answer for the filter.", "rejected": "No."},
    ]
    path = tmp_path / "raw.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    card = prepare(load_settings(None, {}), input_path=path, output_dir=tmp_path / "out")
    records = [r for split in _read(tmp_path / "out").values() for r in split]
    knee = next(r for r in records if "knee" in r["input"])
    assert knee["instruction"] == system and knee["input"] == "My knee hurts after running, why?"
    assert knee["rejected"] == "Run more."  # a rejected answer may be short
    assert card["filters"]["dropped_exact_duplicate"] == 1 and card["filters"]["dropped_short_question"] == 1
    assert card["audit"]["red_flag_question"] == 2  # two pairs for the stiff neck
    assert card["audit"]["chosen_under_triage"] == 1 and card["audit"]["rejected_under_triage"] == 1
    assert [r["flags"] for r in records if r["chosen"].startswith("Take")] == [["under_triage"]]


def test_kto_labels_from_jsonl_and_csv(tmp_path: Path) -> None:
    rows = [
        {
            "prompt": "I have had a dry cough for three weeks now.",
            "completion": "See a doctor for a chest X-ray.",
            "label": True,
        },
        {
            "prompt": "I have had a dry cough for three weeks now.",
            "completion": "Ignore it and it goes.",
            "label": False,
        },
    ]
    csv_rows = [{**r, "label": str(r["label"]).lower()} for r in rows]
    for path in (write_rows(tmp_path / "kto.jsonl", rows), write_rows(tmp_path / "kto.csv", csv_rows)):
        card = prepare(load_settings(None, {}), input_path=path, output_dir=tmp_path / path.stem)
        records = [r for split in _read(tmp_path / path.stem).values() for r in split]
        assert card["kind"] == "unpaired" and card["inputs"][0]["schema"] == "kto"
        assert sorted((r["completion"], r["label"]) for r in records) == sorted(
            (r["completion"], r["label"]) for r in rows
        )


def test_preference_and_sft_files_do_not_mix(tmp_path: Path) -> None:
    write_rows(tmp_path / "a.jsonl", pref_rows(2))
    sft = [{"input": "A question of some words?", "output": "An answer of words."}]
    write_rows(tmp_path / "b.jsonl", sft)
    with pytest.raises(DataError, match=r"b\.jsonl.*sft data, but .*a\.jsonl holds paired data"):
        prepare(load_settings(None, {}), input_path=tmp_path, output_dir=tmp_path / "out")


BAD = {
    "missing column": (
        [{"prompt": "q one two", "chosen": "a b c d e."}],
        r"raw.jsonl: missing field\(s\) rejected",
    ),
    "empty chosen": (
        [
            {"prompt": "q one two", "chosen": "a b c d e.", "rejected": "x."},
            {"prompt": "q one two", "chosen": " ", "rejected": "x."},
        ],
        r"raw.jsonl:2: column 'chosen': empty",
    ),
    "empty rejected": (
        [{"prompt": "q one two", "chosen": "a b c d e.", "rejected": None}],
        r"raw.jsonl:1: column 'rejected': empty",
    ),
    "same answers": (
        [{"prompt": "q one two", "chosen": "a b c d e.", "rejected": "a b c d e. "}],
        r"raw.jsonl:1: columns 'chosen' and 'rejected' hold the same answer",
    ),
    "kto label": (
        [
            {"prompt": "q one two", "completion": "a b c d e.", "label": True},
            {"prompt": "q one two", "completion": "a.", "label": 1},
        ],
        r"raw.jsonl:2: column 'label': must be true or false",
    ),
    "multi-turn prompt": (
        [
            {
                "prompt": [{"role": "user", "content": "q"}, {"role": "user", "content": "again"}],
                "chosen": "a.",
                "rejected": "b.",
            }
        ],
        r"raw.jsonl:1: column 'prompt': a conversation prompt needs one user turn",
    ),
}


@pytest.mark.parametrize("case", BAD)
def test_bad_rows_are_one_line_naming_line_and_column(tmp_path: Path, case: str) -> None:
    rows, message = BAD[case]
    path = tmp_path / "raw.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n")
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["data", "prepare", "--input", str(path), "--output-dir", str(out)])
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    assert __import__("re").search(message, lines[0]), lines[0]
    assert not out.exists()


def test_csv_rows_are_named_by_their_line(tmp_path: Path) -> None:
    path = tmp_path / "raw.csv"
    path.write_text('prompt,chosen,rejected\nq one two,"a b\nc d e.",x.\nq three four,a b c d e.,\n')
    with pytest.raises(DataError, match=r"raw.csv:4: column 'rejected': empty"):
        prepare(load_settings(None, {}), input_path=path, output_dir=tmp_path / "out")


def test_a_hub_dataset_folder_is_read_as_preference_data(tmp_path: Path) -> None:
    from medtune.data.sources import read_hub

    hub = tmp_path / "hub-dataset"
    hub.mkdir()
    rows = pref_rows(4)
    rows[1]["rejected"] = ""
    write_rows(hub / "train.jsonl", rows)
    with pytest.raises(DataError, match=r"hub-dataset: row 2: column 'rejected': empty"):
        read_hub(str(hub))
    rows[1]["rejected"] = "Something else entirely."
    write_rows(hub / "train.jsonl", rows)
    data = read_hub(str(hub))
    assert data.kind == "paired" and data.responses["chosen"] == [r["chosen"] for r in rows]
