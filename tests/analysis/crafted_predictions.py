"""A crafted evaluation: predictions.jsonl lines in the evaluation's schema."""

from __future__ import annotations

import json
from pathlib import Path

GOOD = "Your symptoms are suggestive of {dx}. Take {drug} 500 mg twice daily for a week and rest."
REFERENCE = "Hello. This is most likely {dx}. Take {drug} 500 mg twice daily for five days and rest well."
CASES = [  # (question, diagnosis, drug)
    (
        "I have burning urine and need to pee very often, my bladder hurts.",
        "a urinary infection",
        "nitrofurantoin",
    ),
    ("My knee is swollen and painful after a fall while running.", "a ligament sprain", "ibuprofen"),
    ("I have red itchy patches with silvery scales on my elbows.", "psoriasis", "methotrexate"),
    ("My throat is sore and my tonsils are swollen with white spots.", "tonsillitis", "amoxicillin"),
    ("I get a one-sided throbbing headache with nausea and light sensitivity.", "migraine", "naproxen"),
    ("My fasting blood sugar is 160 and my HbA1c is 7.9.", "type 2 diabetes", "metformin"),
]


def _row(i: int, question: str, dx: str, drug: str) -> dict:
    """One prediction line: fine-tuned answers vary in quality; the base is always poor."""
    reference = REFERENCE.format(dx=dx, drug=drug)
    good = GOOD.format(dx=dx, drug=drug)
    prediction, finished = [
        (good, True),
        (good.split(". ")[0], False),  # cut off, no treatment
        ("", False),
        (good + " Also take ciprofloxacin.", True),
    ][i % 4]
    base = "I am not sure. " * 6 if i % 2 else "Please consult a doctor about this."
    return {
        "id": f"case-{i}",
        "question": question,
        "reference": reference,
        "prediction": prediction,
        "finished": finished,
        "num_new_tokens": len(prediction.split()),
        "scores": {
            "rougeL": round(0.2 + 0.6 * (i % 4 == 0) + 0.01 * i, 4),
            "chrf": 10.0 + 3 * i,
            "flag": 1.0,
        },
        "baseline_prediction": base,
        "baseline_finished": i % 3 != 0,
        "baseline_scores": {"rougeL": round(0.05 + 0.01 * i, 4), "chrf": 5.0 + i, "flag": 0.0},
    }


def write_predictions(path: Path, *, baseline: bool = True, repeat: int = 4) -> Path:
    rows = [_row(i, *case) for i, case in enumerate(CASES * repeat)]
    if not baseline:
        rows = [{k: v for k, v in r.items() if not k.startswith("baseline")} for r in rows]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path
