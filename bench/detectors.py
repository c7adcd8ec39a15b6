"""Medical judgement measured on real, human-labelled HealthCareMagic rows.

    python bench/detectors.py [LABELS_DIR]        # default: ../shared/medlabels, beside the checkout

LABELS_DIR holds two files (not shipped with medtune: third-party text):

- ``answers.jsonl``: one row per question/answer pair with the human labels
  ``diagnosis_present``, ``treatment_present``, ``red_flag_question``, ``urgent_advice``,
  ``specialty`` and ``subset`` ("random" rows keep the data's base rates, "enriched" rows add
  hard red-flag positives and negatives);
- ``sentences.jsonl``: answers split into sentences, each labelled diagnosis /
  investigation / treatment / referral / other.

Prints, for the random subset and for all rows, each yes/no detector's accuracy, precision,
recall, F1 and confusion counts, the specialty classifier's accuracy, the detectors' speed,
and where ``data prepare``'s Diagnosis/Treatment structuring puts each kind of labelled
sentence. Higher is better for every figure except the error counts (fp, fn).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path

from medtune import medical
from medtune.medical import structure

#: (label in answers.jsonl, detector, the row field it reads)
BINARY: tuple[tuple[str, Callable[[str], bool], str], ...] = (
    ("diagnosis_present", medical.has_diagnosis, "answer"),
    ("treatment_present", medical.has_treatment, "answer"),
    ("red_flag_question", medical.is_red_flag_question, "question"),
    ("urgent_advice", medical.advises_urgent_care, "answer"),
)
MEDICAL_LABELS = ("diagnosis", "investigation", "treatment", "referral")
LEFT_OUT = "left out"


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def confusion(predicted: Sequence[bool], gold: Sequence[bool]) -> dict[str, float]:
    tp = sum(p and g for p, g in zip(predicted, gold, strict=True))
    fp = sum(p and not g for p, g in zip(predicted, gold, strict=True))
    fn = sum(g and not p for p, g in zip(predicted, gold, strict=True))
    tn = len(gold) - tp - fp - fn
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(gold),
        "accuracy": (tp + tn) / len(gold),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
    }


def binary_table(rows: Sequence[dict], title: str) -> None:
    print(f"\n{title} (n = {len(rows)})")
    print(f"{'detector':<20} {'acc':>6} {'prec':>6} {'recall':>6} {'F1':>6}   tp  fp  fn  tn")
    for label, detector, field in BINARY:
        c = confusion([detector(r[field]) for r in rows], [bool(r[label]) for r in rows])
        print(
            f"{label:<20} {c['accuracy']:>6.3f} {c['precision']:>6.3f} {c['recall']:>6.3f} {c['f1']:>6.3f}"
            f" {c['tp']:>4}{c['fp']:>4}{c['fn']:>4}{c['tn']:>4}"
        )
    predicted = [medical.classify_specialty(r["question"], r["answer"]) for r in rows]
    right = sum(p == r["specialty"] for p, r in zip(predicted, rows, strict=True))
    print(f"{'specialty':<20} {right / len(rows):>6.3f}   ({right} of {len(rows)} right, 18 labels)")


def specialty_errors(rows: Sequence[dict]) -> None:
    """Which true specialties are missed most, and what they are taken for."""
    errors: dict[str, Counter] = defaultdict(Counter)
    totals: Counter = Counter(r["specialty"] for r in rows)
    for r in rows:
        predicted = medical.classify_specialty(r["question"], r["answer"])
        if predicted != r["specialty"]:
            errors[r["specialty"]][predicted] += 1
    print("\nspecialty recall by label (all rows; misses -> taken for)")
    for label, total in totals.most_common():
        missed = sum(errors[label].values())
        taken = ", ".join(f"{k} {v}" for k, v in errors[label].most_common(3))
        print(f"  {label:<22} {total - missed:>3}/{total:<3} {taken}")


def owners(answer: str, assigned: Sequence[tuple[str, str | None]]) -> list[str]:
    """For each character of ``answer``, the section structuring put it in (or LEFT_OUT)."""
    owner = [LEFT_OUT] * len(answer)
    pos = 0
    for sentence, section in assigned:
        start = answer.find(sentence, pos)
        if start < 0:
            start = answer.find(sentence)
        if start < 0:
            continue
        owner[start : start + len(sentence)] = [section or LEFT_OUT] * len(sentence)
        pos = start + len(sentence)
    return owner


def placement(text: str, answer: str, owner: Sequence[str], pos: int) -> tuple[str, int]:
    """The section holding most of labelled sentence ``text`` (found from ``pos`` on)."""
    start = answer.find(text, pos)
    if start < 0:
        start = answer.find(text)
    if start < 0:
        return LEFT_OUT, pos
    votes = Counter(owner[i] for i in range(start, start + len(text)) if not answer[i].isspace())
    return (votes.most_common(1)[0][0] if votes else LEFT_OUT), start + len(text)


def sentence_table(answers: Sequence[dict], all_rows: Sequence[dict]) -> None:
    counts: dict[str, Counter] = defaultdict(Counter)
    for row in answers:
        answer = row["answer"]
        owner = owners(answer, structure.assign(answer))
        pos = 0
        for sentence in row["sentences"]:
            where, pos = placement(sentence["text"], answer, owner, pos)
            counts[sentence["label"]][where] += 1
    n_sentences = sum(sum(c.values()) for c in counts.values())
    print(
        f"\nstructuring: where each labelled sentence goes ({len(answers)} answers, {n_sentences} sentences)"
    )
    print(f"{'label':<14} {'n':>4} {'Diagnosis':>10} {'Treatment':>10} {'left out':>9}")
    for label in (*MEDICAL_LABELS, "other"):
        c, n = counts[label], sum(counts[label].values())
        shares = [c[where] / n for where in ("diagnosis", "treatment", LEFT_OUT)]
        print(f"{label:<14} {n:>4} {shares[0]:>10.1%} {shares[1]:>10.1%} {shares[2]:>9.1%}")
    dx = counts["diagnosis"]
    tx = counts["treatment"] + counts["referral"]
    medical_counts = sum((counts[label] for label in MEDICAL_LABELS), Counter())
    n_medical = sum(medical_counts.values())
    print(
        f"diagnosis sentences under Diagnosis:            {dx['diagnosis'] / sum(dx.values()):.1%}  (>= 90%)"
    )
    print(
        f"treatment+referral sentences under Treatment:   {tx['treatment'] / sum(tx.values()):.1%}  (>= 90%)"
    )
    kept = 1 - medical_counts[LEFT_OUT] / n_medical
    print(f"medical sentences kept:                         {kept:.1%}  (>= 98%, n = {n_medical})")
    flags = Counter(structure.structure(r["answer"])[1] for r in all_rows)
    print(
        f"answers structured (answers.jsonl):             {flags[None] / len(all_rows):.1%}"
        f"  ({flags[None]} of {len(all_rows)}; left unstructured: "
        + ", ".join(f"{k} {v}" for k, v in flags.items() if k)
        + ")"
    )


def speed(rows: Sequence[dict]) -> None:
    start = time.perf_counter()
    for r in rows:
        for _, detector, field in BINARY:
            detector(r[field])
        medical.classify_specialty(r["question"], r["answer"])
        structure.structure(r["answer"])
    per_row = (time.perf_counter() - start) / len(rows)
    print(
        f"\nspeed: {per_row * 1e3:.2f} ms per row for all detectors + structuring, one core"
        f" (x 112,165 rows = {per_row * 112_165:.0f} s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "labels",
        nargs="?",
        default=Path(__file__).resolve().parents[2] / "shared" / "medlabels",
        type=Path,
        help="folder with answers.jsonl and sentences.jsonl",
    )
    args = parser.parse_args(argv)
    answers_file, sentences_file = args.labels / "answers.jsonl", args.labels / "sentences.jsonl"
    for path in (answers_file, sentences_file):
        if not path.is_file():
            print(f"error: {path}: not found (pass the labelled set's folder)", file=sys.stderr)
            return 1
    rows = read_jsonl(answers_file)
    random_rows = [r for r in rows if r["subset"] == "random"]
    binary_table(random_rows, "random subset (base rates as in the data)")
    binary_table(rows, "all rows (random + enriched)")
    specialty_errors(rows)
    sentence_table(read_jsonl(sentences_file), rows)
    speed(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
