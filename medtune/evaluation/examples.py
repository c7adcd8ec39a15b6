"""Evaluation examples from a processed split, or any raw file ``data prepare`` reads.

Columns are recognised by the same schema table as ``data prepare``
(:data:`medtune.data.sources.SCHEMAS`, or ``[data] question_field`` / ``answer_field``):

- processed records (``medtune data prepare``) and lavita rows: ``input`` is the question,
  ``output`` the reference;
- lavita/ChatDoctor-iCliniq rows: ``input`` is the question, ``answer_icliniq`` the
  reference, and ``answer_chatgpt`` / ``answer_chatdoctor`` are scored as extra systems.

Files are JSONL, or ``.json`` in any shape :func:`medtune.io.read_json_rows` reads (a list,
``{"data": [...]}``, columns, JSON Lines). Records without an ``id`` get
``<file stem>-<row number>``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.data.sources import pick_schema
from medtune.errors import DataError
from medtune.io import iter_jsonl, read_json_rows

#: iCliniq columns scored as extra systems, by system name.
ICLINIQ_EXTRAS = {"chatgpt": "answer_chatgpt", "chatdoctor": "answer_chatdoctor"}


@dataclass(frozen=True)
class Example:
    """One question with its reference answer (and, for iCliniq, other systems' answers)."""

    id: str
    question: str
    reference: str
    instruction: str | None = None
    extra_references: dict[str, str] = field(default_factory=dict)

    @property
    def record(self) -> dict[str, Any]:
        """The record the prompt template renders."""
        return {"instruction": self.instruction, "input": self.question}


def _rows(path: Path) -> list[tuple[int, dict[str, Any]]]:
    rows = read_json_rows(path) if path.suffix == ".json" else iter_jsonl(path)
    return list(enumerate(rows, start=1))


def _text(row: dict[str, Any], key: str, path: Path, number: int) -> str:
    value = row.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DataError(
            f"{path}: record {number}: field {key!r} is missing or empty "
            f"(fields found: {', '.join(sorted(row))})"
        )
    return value.strip()


def load_examples(
    path: str | Path,
    num_samples: int | None = None,
    question_field: str | None = None,
    answer_field: str | None = None,
) -> list[Example]:
    """The first ``num_samples`` examples of ``path`` (all when None), their question and
    reference columns found as ``data prepare`` finds them.

    Raises DataError for a missing, empty or malformed file, unknown columns, a record
    without its question or reference, or a repeated id (resuming relies on ids)."""
    path = Path(path)
    if path.is_dir():
        raise DataError(f"{path}: is a folder; pass a JSONL file (e.g. data/processed/test.jsonl)")
    if not path.is_file():
        raise DataError(f"{path}: no such data file (run 'medtune data prepare' or pass --data-path)")
    examples: list[Example] = []
    seen: set[str] = set()
    rows = _rows(path)
    if not rows:
        raise DataError(f"{path}: no records to evaluate")
    schema, layout = pick_schema(list(rows[0][1]), str(path), question_field, answer_field)
    if layout.kind != "sft":
        raise DataError(f"{path}: {schema} data (preference pairs), not question/answer rows to evaluate")
    question_key, reference_key = layout.columns
    for number, row in rows:
        if num_samples is not None and len(examples) >= num_samples:
            break
        reference = _text(row, reference_key, path, number)
        extras = {
            name: str(row.get(key) or "").strip()
            for name, key in ICLINIQ_EXTRAS.items()
            if schema == "icliniq" and key in row
        }
        example = Example(
            id=str(row.get("id") or f"{path.stem}-{number}"),
            question=_text(row, question_key, path, number),
            reference=reference,
            instruction=row.get("instruction") or None,
            extra_references=extras,
        )
        if example.id in seen:
            raise DataError(f"{path}: record {number}: duplicate id {example.id!r}")
        seen.add(example.id)
        examples.append(example)
    if not examples:
        raise DataError(f"{path}: no records to evaluate")
    return examples
