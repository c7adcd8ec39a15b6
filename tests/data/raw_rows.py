"""Small raw tables the data tests build on (lavita and preference schemas), and a writer
for every supported file format."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from medtune.data.template import DEFAULT_INSTRUCTION

TOPICS = [
    "headache",
    "rash",
    "cough",
    "fever",
    "knee pain",
    "tooth ache",
    "back pain",
    "acne",
    "insomnia",
    "heartburn",
    "dizziness",
    "ear pain",
    "sore throat",
    "anemia",
    "asthma",
    "gout",
]


def lavita_rows(n: int = 12) -> list[dict]:
    """Distinct, clean lavita rows (questions differ in many words, so none are near duplicates)."""
    rows = []
    for i in range(n):
        topic = TOPICS[i % len(TOPICS)]
        rows.append(
            {
                "instruction": DEFAULT_INSTRUCTION,
                "input": f"Patient {i}: I have had {topic} for {i + 2} days, case {i * 7}, what is it?",
                "output": f"Hi, thanks for query. This could be due to {topic} infection. "
                f"Take paracetamol 500 mg twice daily and consult a doctor. Take care.",
            }
        )
    return rows


def pref_rows(n: int = 10) -> list[dict]:
    """Distinct pairs; every prompt appears twice with different answers (two pairs)."""
    rows = []
    for i in range(n):
        topic = TOPICS[(i // 2) % len(TOPICS)]
        rows.append(
            {
                "prompt": f"Patient {i // 2}: I have had {topic} for {i // 2 + 2} days, what is it?",
                "chosen": f"This could be {topic} from an infection. Take paracetamol and rest for {i} days.",
                "rejected": f"Do not worry about it, case {i}.",
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def write_rows(path: Path, rows: list[dict]) -> Path:
    """``rows`` in the format ``path``'s suffix names: .jsonl, .json, .csv or .parquet."""
    if path.suffix == ".jsonl":
        return write_jsonl(path, rows)
    if path.suffix == ".json":
        path.write_text(json.dumps(rows), encoding="utf-8")
    elif path.suffix == ".csv":
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    else:
        pq.write_table(pa.Table.from_pylist(rows), path)
    return path
