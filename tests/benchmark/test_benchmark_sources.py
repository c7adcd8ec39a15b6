"""Task selection and the readers of the original releases: the official schemas, the test
splits, one-line errors for missing or malformed data, and the hub fallback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from benchmark_releases import medmcqa_rows, medqa_rows, write_pubmedqa  # beside this file

from medtune.benchmark.sources import read_local, resolve
from medtune.benchmark.tasks import MULTIMEDQA, TASKS, select
from medtune.errors import ConfigError, DataError


def _never() -> bool:
    raise AssertionError("the hub must not be probed when every task has local data")


def test_select_expands_the_group_dedupes_and_keeps_multimedqa_order() -> None:
    assert select(["multimedqa"]) == list(MULTIMEDQA) and len(MULTIMEDQA) == 9
    assert select(["mmlu_anatomy,pubmedqa", "pubmedqa"]) == ["pubmedqa", "mmlu_anatomy"]
    with pytest.raises(ConfigError, match=r"unknown task 'mmlu_law'.*multimedqa, medqa_4options"):
        select(["pubmedqa,mmlu_law"])


def test_every_family_converts_to_the_schema_its_official_task_reads(releases: Path) -> None:
    data = {d.spec.name: d for d in resolve(MULTIMEDQA, releases, fewshot=True, hub_reachable=_never)}
    assert {d.source for d in data.values()} == {"local"}
    medqa = data["medqa_4options"].splits
    assert medqa["test"][1]["sent1"].startswith("A 31-year-old") and medqa["test"][1]["label"] == 1
    assert [medqa["test"][0][f"ending{i}"] for i in range(4)] == ["Rest", "Ultrasound", "Biopsy", "Reassure"]
    assert medqa["train"][0]["label"] == 1  # the few-shot file
    medmcqa = data["medmcqa"].splits
    assert list(medmcqa) == ["validation", "train"]  # the official task tests on "validation"
    assert [row["cop"] for row in medmcqa["validation"]] == [0, 1, 2, 3, 0]  # release's 1-4 -> 0-3
    mmlu = data["mmlu_anatomy"].splits
    assert mmlu["test"][2] == {
        "question": "In anatomy, what does the retina make?",
        "subject": "anatomy",
        "choices": ["Bile", "Urine", "Tears", "Sweat"],
        "answer": 2,
    }
    assert len(mmlu["dev"]) == 5
    assert data["mmlu_anatomy"].texts[0] == "In anatomy, what does the liver make?"
    pubmedqa = data["pubmedqa"].splits["test"][0]
    assert data["pubmedqa"].texts[0] == " ".join([*pubmedqa["CONTEXTS"], pubmedqa["QUESTION"]])
    assert all(len(digest) == 64 for d in data.values() for digest in d.files.values())


def test_pubmedqa_test_split_is_the_ground_truth_ids_in_their_order(tmp_path: Path) -> None:
    items = write_pubmedqa(tmp_path, n=8, test=4)
    data = read_local(TASKS["pubmedqa"], tmp_path, fewshot=True)
    assert data is not None
    held_out = list(items)[:4][::-1]
    assert [row["pubid"] for row in data.splits["test"]] == held_out
    assert [row["pubid"] for row in data.splits["train"]] == list(items)[4:]
    first = data.splits["test"][0]
    assert (
        first["QUESTION"] == items[held_out[0]]["QUESTION"]
        and first["CONTEXTS"] == items[held_out[0]]["CONTEXTS"]
    )
    assert len(data.files) == 2  # ori_pqal.json and test_ground_truth.json, both hashed


def test_pubmedqa_without_ground_truth_tests_all_items_and_cannot_give_fewshot(tmp_path: Path) -> None:
    write_pubmedqa(tmp_path, n=7, test=None)
    data = read_local(TASKS["pubmedqa"], tmp_path)
    assert data is not None and len(data.splits["test"]) == 7 and "train" not in data.splits
    with pytest.raises(DataError, match=r"--num-fewshot needs .*test_ground_truth\.json"):
        read_local(TASKS["pubmedqa"], tmp_path, fewshot=True)


def test_missing_data_is_one_line_per_task_naming_file_and_origin(tmp_path: Path) -> None:
    with pytest.raises(DataError) as err:
        resolve(["medqa_4options", "mmlu_anatomy"], tmp_path, fewshot=False, hub_reachable=lambda: False)
    message = str(err.value)
    assert "\n" not in message
    assert f"medqa_4options: no data: expected {tmp_path}/medqa/phrases_no_exclude_test.jsonl" in message
    assert "https://github.com/jind11/MedQA" in message
    assert f"mmlu_anatomy: no data: expected {tmp_path}/mmlu/anatomy_test.csv" in message
    assert "hendrycks" in message and "hub is not reachable" in message


def test_the_hub_serves_tasks_without_local_data_when_reachable(tmp_path: Path) -> None:
    write_pubmedqa(tmp_path)
    probes: list[int] = []
    data = resolve(
        ["pubmedqa", "medmcqa"], tmp_path, fewshot=False, hub_reachable=lambda: not probes.append(1)
    )
    assert [(d.spec.name, d.source) for d in data] == [("pubmedqa", "local"), ("medmcqa", "hub")]
    assert probes == [1] and data[1].splits == {}


def test_fewshot_without_its_file_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "medqa" / "phrases_no_exclude_test.jsonl"
    path.parent.mkdir()
    path.write_text("".join(json.dumps(r) + "\n" for r in medqa_rows(2)))
    assert read_local(TASKS["medqa_4options"], tmp_path) is not None
    with pytest.raises(
        DataError, match=r"medqa_4options: --num-fewshot needs .*phrases_no_exclude_train.jsonl"
    ):
        read_local(TASKS["medqa_4options"], tmp_path, fewshot=True)


@pytest.mark.parametrize(
    ("task", "file", "text", "error"),
    [
        (
            "medmcqa",
            "medmcqa/dev.json",
            json.dumps({**medmcqa_rows(1)[0], "cop": 0}),
            r"dev.json:1: cop must be 1-4",
        ),
        (
            "medqa_4options",
            "medqa/phrases_no_exclude_test.jsonl",
            json.dumps({**medqa_rows(1)[0], "options": dict(zip("ABCDE", "vwxyz", strict=True))}),
            r"test.jsonl:1: options A, B, C, D, E; medqa_4options needs the 4_options release",
        ),
        ("mmlu_anatomy", "mmlu/anatomy_test.csv", "q,a,b,c,d\n", r"anatomy_test.csv:1: expected 6 columns"),
        (
            "mmlu_anatomy",
            "mmlu/anatomy_test.csv",
            "q,a,b,c,d,E\n",
            r"anatomy_test.csv:1: answer must be one of",
        ),
        (
            "pubmedqa",
            "pubmedqa/ori_pqal.json",
            '{"1": {"QUESTION": "q?", "CONTEXTS": []}}',
            r"1: final_decision",
        ),
    ],
)
def test_malformed_release_is_a_data_error_naming_file_and_line(
    tmp_path: Path, task: str, file: str, text: str, error: str
) -> None:
    path = tmp_path / file
    path.parent.mkdir(parents=True)
    path.write_text(text + "\n")
    with pytest.raises(DataError, match=error):
        read_local(TASKS[task], tmp_path)


def test_pubmedqa_ground_truth_must_parse_and_name_known_items(tmp_path: Path) -> None:
    write_pubmedqa(tmp_path, n=3, test=None)
    truth = tmp_path / "pubmedqa" / "test_ground_truth.json"
    truth.write_text('{"123": "yes"}')
    with pytest.raises(DataError, match=r"test_ground_truth\.json: PMID 123 is not in ori_pqal\.json"):
        read_local(TASKS["pubmedqa"], tmp_path)
    truth.write_text('{"900000": "yes",\n')
    with pytest.raises(DataError, match=r"test_ground_truth\.json:2: malformed JSON"):
        read_local(TASKS["pubmedqa"], tmp_path)
