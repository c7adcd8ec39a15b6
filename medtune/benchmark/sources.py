"""Benchmark data from the original releases, in the schema the official lm-eval tasks read.

Each family's release is converted to the rows its hub dataset holds, so the official
prompts, choices and scoring apply unchanged:

- ``pubmedqa/ori_pqal.json`` ({PMID: {QUESTION, CONTEXTS, final_decision, ...}}) -> the
  bigbio source schema. ``test_ground_truth.json`` ({PMID: label}), when present, picks
  the 500-item test split (in its order; the other 500 are few-shot examples); without it
  all 1,000 items are the test split.
- ``medqa/phrases_no_exclude_{test,train}.jsonl`` ({question, options {A..D}, answer_idx})
  -> GBaker/MedQA-USMLE-4-options-hf ({sent1, ending0..3, label}).
- ``medmcqa/{dev,train}.json`` (JSON lines: question, opa..opd, cop numbered 1-4) ->
  openlifescienceai/medmcqa (cop numbered 0-3).
- ``mmlu/<subject>_{test,dev}.csv`` (no header: question, A, B, C, D, answer letter) ->
  cais/mmlu ({question, subject, choices, answer index}).
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.benchmark.tasks import TASKS, TaskSpec
from medtune.errors import DataError
from medtune.io import read_json, read_json_rows, read_jsonl, sha256_file

LETTERS = "ABCD"
PUBMEDQA_LABELS = ("yes", "no", "maybe")
PUBMEDQA_TEST = "test_ground_truth.json"
#: The field holding each family's question, in the converted rows.
QUESTION_FIELD = {"pubmedqa": "QUESTION", "medqa": "sent1", "medmcqa": "question", "mmlu": "question"}

Rows = list[dict[str, Any]]


@dataclass
class TaskData:
    """A task's data: converted rows by split name when read from ``--data-dir``, none when
    the official task reads the hub. ``files`` maps each original file read to its sha256."""

    spec: TaskSpec
    source: str
    splits: dict[str, Rows] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)

    @property
    def texts(self) -> list[str]:
        """Each test item's text as a training row would copy it (local data only): the
        question, after its abstract for PubMedQA."""
        key = QUESTION_FIELD[self.spec.family]
        rows = self.splits.get(self.spec.test_split, [])
        if self.spec.family == "pubmedqa":
            return [" ".join([*row["CONTEXTS"], row[key]]) for row in rows]
        return [row[key] for row in rows]


def _need(where: str, key: str, row: dict[str, Any], expected: type = str) -> Any:
    """``row[key]`` if it is an ``expected``; else a DataError naming ``where`` and the key."""
    value = row.get(key)
    if not isinstance(value, expected):
        raise DataError(f"{where}: {key} missing or not a {expected.__name__}")
    return value


# -- the four families -------------------------------------------------------------------------


def _pubmedqa(path: Path, fewshot: bool) -> tuple[dict[str, Rows], list[Path]]:
    items = read_json(path)
    if not isinstance(items, dict) or not all(isinstance(v, dict) for v in items.values()):
        raise DataError(f"{path}: expected {{PMID: {{QUESTION, CONTEXTS, final_decision}}}}")
    truth_path = path.with_name(PUBMEDQA_TEST)
    truth: dict[str, str] | None = None
    if truth_path.is_file():
        truth = read_json(truth_path)
        if not isinstance(truth, dict):
            raise DataError(f"{truth_path}: expected {{PMID: label}}")
        unknown = [pmid for pmid in truth if pmid not in items]
        if unknown:
            raise DataError(f"{truth_path}: PMID {unknown[0]} is not in {path.name}")
    elif fewshot:
        raise DataError(
            f"pubmedqa: --num-fewshot needs {truth_path} to hold out the test split "
            f"({TASKS['pubmedqa'].origin})"
        )

    def row(pmid: str) -> dict[str, Any]:
        item = items[pmid]
        where = f"{path}: {pmid}"
        label = (truth or {}).get(pmid) or item.get("final_decision")
        if label not in PUBMEDQA_LABELS:
            raise DataError(f"{where}: final_decision must be one of {', '.join(PUBMEDQA_LABELS)}")
        contexts = _need(where, "CONTEXTS", item, list)
        return {
            "pubid": pmid,
            "QUESTION": _need(where, "QUESTION", item),
            "CONTEXTS": contexts,
            "final_decision": label,
        }

    test_ids = list(truth) if truth is not None else list(items)
    splits = {"test": [row(pmid) for pmid in test_ids]}
    if fewshot:
        held_out = set(test_ids)
        splits["train"] = [row(pmid) for pmid in items if pmid not in held_out]
    return splits, [path, truth_path] if truth is not None else [path]


def _medqa_rows(path: Path) -> Rows:
    rows = []
    for n, item in enumerate(read_jsonl(path), start=1):
        where = f"{path}:{n}"
        options = _need(where, "options", item, dict)
        if sorted(options) != list(LETTERS):
            raise DataError(
                f"{where}: options {', '.join(sorted(options))}; "
                "medqa_4options needs the 4_options release (A-D)"
            )
        answer = _need(where, "answer_idx", item)
        if answer not in LETTERS:
            raise DataError(f"{where}: answer_idx must be one of A, B, C, D (got {answer!r})")
        endings = {f"ending{i}": options[letter] for i, letter in enumerate(LETTERS)}
        question = _need(where, "question", item)
        rows.append(
            {"id": str(n - 1), "sent1": question, "sent2": "", **endings, "label": LETTERS.index(answer)}
        )
    return rows


def _medmcqa_rows(path: Path) -> Rows:
    rows = []
    for n, item in enumerate(read_json_rows(path), start=1):
        where = f"{path}:{n}"
        cop = item.get("cop")
        if cop not in (1, 2, 3, 4) or isinstance(cop, bool):
            raise DataError(f"{where}: cop must be 1-4 (the original release numbers the options from 1)")
        options = {key: _need(where, key, item) for key in ("opa", "opb", "opc", "opd")}
        question = _need(where, "question", item)
        rows.append({"id": str(item.get("id", n - 1)), "question": question, **options, "cop": cop - 1})
    return rows


def _mmlu_rows(path: Path, subject: str) -> Rows:
    rows = []
    with path.open(encoding="utf-8", newline="") as fh:
        for n, cells in enumerate(csv.reader(fh), start=1):
            if len(cells) != 6:
                raise DataError(
                    f"{path}:{n}: expected 6 columns (question, A, B, C, D, answer), got {len(cells)}"
                )
            answer = cells[5].strip()
            if answer not in LETTERS:
                raise DataError(f"{path}:{n}: answer must be one of A, B, C, D (got {answer!r})")
            rows.append(
                {
                    "question": cells[0],
                    "subject": subject,
                    "choices": cells[1:5],
                    "answer": LETTERS.index(answer),
                }
            )
    return rows


def _read_pair(
    spec: TaskSpec, root: Path, fewshot: bool, read: Callable[[Path], Rows]
) -> tuple[dict[str, Rows], list[Path]]:
    """A family whose test and few-shot examples are two files."""
    test, shots = root / spec.test_file, root / spec.fewshot_file
    splits = {spec.test_split: read(test)}
    if not fewshot:
        return splits, [test]
    if not shots.is_file():
        raise DataError(f"{spec.name}: --num-fewshot needs {shots} ({spec.origin})")
    splits[spec.fewshot_split] = read(shots)
    return splits, [test, shots]


def read_local(spec: TaskSpec, data_dir: str | Path, *, fewshot: bool = False) -> TaskData | None:
    """The task's data from its original release under ``data_dir`` (None when its test file
    is absent). ``fewshot`` also reads the solved examples; a malformed file is a DataError."""
    root = Path(data_dir)
    if not (root / spec.test_file).is_file():
        return None
    if spec.family == "pubmedqa":
        splits, paths = _pubmedqa(root / spec.test_file, fewshot)
    elif spec.family == "medqa":
        splits, paths = _read_pair(spec, root, fewshot, _medqa_rows)
    elif spec.family == "medmcqa":
        splits, paths = _read_pair(spec, root, fewshot, _medmcqa_rows)
    else:
        subject = spec.subject or ""
        splits, paths = _read_pair(spec, root, fewshot, lambda path: _mmlu_rows(path, subject))
    if not splits[spec.test_split]:
        raise DataError(f"{root / spec.test_file}: no items")
    return TaskData(spec, "local", splits, {str(path): sha256_file(path) for path in paths})


def missing_line(spec: TaskSpec, data_dir: str | Path) -> str:
    """What a task without data needs: the file, and where it comes from."""
    return f"{spec.name}: no data: expected {Path(data_dir) / spec.test_file} ({spec.origin})"


def resolve(
    names: Sequence[str], data_dir: str | Path, *, fewshot: bool, hub_reachable: Callable[[], bool]
) -> list[TaskData]:
    """Each task's data: its original release under ``data_dir`` when there, else its hub
    dataset when ``hub_reachable()`` (asked once, only if needed), else a DataError with one
    :func:`missing_line` per task without data."""
    found = {name: read_local(TASKS[name], data_dir, fewshot=fewshot) for name in names}
    missing = [name for name, data in found.items() if data is None]
    if missing and not hub_reachable():
        lines = "; ".join(missing_line(TASKS[name], data_dir) for name in missing)
        raise DataError(f"{lines}; the Hugging Face hub is not reachable")
    return [found[name] or TaskData(TASKS[name], "hub") for name in names]
