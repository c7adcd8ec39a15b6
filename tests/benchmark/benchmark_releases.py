"""Tiny benchmark releases in each original format, written for these tests (no real items).

Layout as ``--data-dir`` expects: ``pubmedqa/ori_pqal.json`` + ``test_ground_truth.json``,
``medqa/phrases_no_exclude_{test,train}.jsonl``, ``medmcqa/{dev,train}.json`` (JSON lines,
``cop`` numbered 1-4), ``mmlu/<subject>_{test,dev}.csv`` (no header). To try ``medtune
benchmark`` offline on them:

    python tests/benchmark/benchmark_releases.py DIR [--items 60]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from pathlib import Path

from medtune.benchmark.tasks import MMLU_SUBJECTS

DRUGS = ["zorbatin", "quelamide", "fennoprol", "ostavir", "lumicet", "drexolan", "pavimine", "tecrolas"]
ORGANS = ["liver", "kidney", "retina", "thyroid", "spleen", "cochlea", "pancreas", "tendon"]
LABELS = ["yes", "no", "maybe"]


def pubmedqa_items(n: int, seed: int = 0) -> dict[str, dict]:
    """``n`` PubMedQA-shaped items keyed by a made-up PMID; the drug decides the label (a
    pattern a tiny model can learn)."""
    rng = random.Random(seed)
    items = {}
    for i in range(n):
        drug, organ = DRUGS[i % len(DRUGS)], ORGANS[(i // len(DRUGS)) % len(ORGANS)]
        items[str(900000 + i)] = {
            "QUESTION": f"Does {drug} protect the {organ} in trial {i}?",
            "CONTEXTS": [f"We gave {drug} to {rng.randint(20, 90)} patients.", f"The {organ} was scanned."],
            "LABELS": ["METHODS", "RESULTS"],
            "MESHES": [organ],
            "YEAR": "2020",
            "reasoning_required_pred": "yes",
            "reasoning_free_pred": "yes",
            "final_decision": LABELS[i % len(DRUGS) % len(LABELS)],
            "LONG_ANSWER": "Made up.",
        }
    return items


def write_pubmedqa(root: Path, n: int = 12, test: int | None = 6) -> dict[str, dict]:
    """``ori_pqal.json`` with ``n`` items and, unless ``test`` is None, a ground truth for
    the first ``test`` of them in reverse order."""
    items = pubmedqa_items(n)
    folder = root / "pubmedqa"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ori_pqal.json").write_text(json.dumps(items), encoding="utf-8")
    if test is not None:
        truth = {pmid: items[pmid]["final_decision"] for pmid in list(items)[:test][::-1]}
        (folder / "test_ground_truth.json").write_text(json.dumps(truth), encoding="utf-8")
    return items


def _jsonl(path: Path, rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def medqa_rows(n: int, offset: int = 0) -> list[dict]:
    """MedQA US 4-option rows."""
    return [
        {
            "question": f"A {30 + i}-year-old took {DRUGS[i % 8]} and has {ORGANS[i % 8]} pain. Next step?",
            "answer": "Ultrasound",
            "options": {"A": "Rest", "B": "Ultrasound", "C": "Biopsy", "D": "Reassure"},
            "meta_info": "step1",
            "answer_idx": "ABCD"[(i + offset) % 4],
            "metamap_phrases": ["pain"],
        }
        for i in range(n)
    ]


def medmcqa_rows(n: int) -> list[dict]:
    """MedMCQA rows with ``cop`` numbered 1-4 as in the original release."""
    return [
        {
            "id": f"q{i}",
            "question": f"Which enzyme does {DRUGS[i % 8]} block in the {ORGANS[i % 8]}?",
            "opa": "Kinase",
            "opb": "Lipase",
            "opc": "Protease",
            "opd": "Amylase",
            "cop": 1 + i % 4,
            "choice_type": "single",
            "exp": None,
            "subject_name": "Pharmacology",
            "topic_name": None,
        }
        for i in range(n)
    ]


def mmlu_rows(subject: str, n: int) -> list[list[str]]:
    """MMLU CSV rows: question, A, B, C, D, answer letter."""
    return [
        [
            f"In {subject}, what does the {ORGANS[i % 8]} make?",
            "Bile",
            "Urine",
            "Tears",
            "Sweat",
            "ABCD"[i % 4],
        ]
        for i in range(n)
    ]


def write_releases(root: Path, n: int = 5) -> Path:
    """All four families under ``root`` (test and few-shot files), ``n`` test items each
    (PubMedQA: 2n items, n held out by the ground truth)."""
    write_pubmedqa(root, 2 * n, n)
    _jsonl(root / "medqa" / "phrases_no_exclude_test.jsonl", medqa_rows(n))
    _jsonl(root / "medqa" / "phrases_no_exclude_train.jsonl", medqa_rows(n, offset=1))
    _jsonl(root / "medmcqa" / "dev.json", medmcqa_rows(n))
    _jsonl(root / "medmcqa" / "train.json", medmcqa_rows(n))
    for subject in MMLU_SUBJECTS:
        for split in ("test", "dev"):
            path = root / "mmlu" / f"{subject}_{split}.csv"
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("w", encoding="utf-8", newline="") as fh:
                csv.writer(fh).writerows(mmlu_rows(subject, n))
    return root


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write made-up benchmark releases (no real items).")
    parser.add_argument("folder", type=Path)
    parser.add_argument("--items", type=int, default=60, help="Test items per task.")
    args = parser.parse_args()
    print(write_releases(args.folder, args.items))
