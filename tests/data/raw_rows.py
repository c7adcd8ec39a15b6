"""Small raw lavita-schema tables the data tests build on."""

from __future__ import annotations

import json
from pathlib import Path

from medtune.data.template import DEFAULT_INSTRUCTION


def lavita_rows(n: int = 12) -> list[dict]:
    """Distinct, clean lavita rows (questions differ in many words, so none are near duplicates)."""
    topics = [
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
    rows = []
    for i in range(n):
        topic = topics[i % len(topics)]
        rows.append(
            {
                "instruction": DEFAULT_INSTRUCTION,
                "input": f"Patient {i}: I have had {topic} for {i + 2} days, case {i * 7}, what is it?",
                "output": f"Hi, thanks for query. This could be due to {topic} infection. "
                f"Take paracetamol 500 mg twice daily and consult a doctor. Take care.",
            }
        )
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
