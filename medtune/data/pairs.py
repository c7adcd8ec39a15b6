"""``data pairs``: safety preference pairs, to unteach under-triage with DPO.

Two sources, each optional:

- ``safety``: the audit of a processed SFT folder. For each red-flag question whose answer
  (the ``output`` SFT trains on) does not advise urgent care, ``chosen`` is that answer
  plus the one documented urgent-care sentence naming the warning signs found
  (:func:`medtune.medical.urgency.urgent_care_sentence`, the sentence ``data prepare
  --safety augment`` appends) and ``rejected`` is the answer as it was.
- ``predictions``: an eval predictions file with a baseline (``medtune eval --baseline``).
  On a red-flag question where the detectors find urgent-care advice in one system's
  answer and not in the other's, the advising answer is ``chosen``.

Every pair keeps the split of its question in the SFT folder (a question from the test
split stays in test, so DPO never trains on what eval scores); a question the folder does
not hold takes the split of a near-duplicate there (the grouping of
:mod:`medtune.data.split`), else goes to train. The output is a preference folder
(:mod:`medtune.data.preference`) with a data card that counts the pairs by source.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.data.clean import question_key
from medtune.data.folder import FILES, card_header, write_folder
from medtune.data.ids import record_ids
from medtune.data.split import SPLITS, group
from medtune.data.template import DEFAULT_INSTRUCTION
from medtune.errors import DataError, UsageError
from medtune.evaluation.predictions import read_predictions
from medtune.io import iter_jsonl, sha256_file
from medtune.medical.judge import judge
from medtune.medical.urgency import urgent_care_sentence

#: What a pair's ``source`` says: which builder made it, and whose answer won.
AUDIT = "safety:audit"
PREDICTION, BASELINE = "safety:predictions:fine-tuned", "safety:predictions:baseline"


@dataclass
class PairsResult:
    """What ``data pairs`` wrote and why it skipped what it skipped."""

    output_dir: Path
    card: dict[str, Any]

    @property
    def by_source(self) -> dict[str, int]:
        """Pairs built, by source."""
        return self.card["pairs_by_source"]


def build_pairs(
    data_dir: str | Path,
    output_dir: str | Path,
    *,
    safety: bool = False,
    predictions: Sequence[str | Path] = (),
) -> PairsResult:
    """Build safety pairs (see module doc) from the processed SFT folder ``data_dir`` and/or
    eval ``predictions`` files into the preference folder ``output_dir``."""
    if not safety and not predictions:
        raise UsageError(
            "nothing to build: pass --safety (pairs from the data's audit) and/or --from-predictions"
        )
    split_files, inputs = _read_folder(Path(data_dir))
    skipped: Counter = Counter()
    pairs = _audit_pairs(split_files) if safety else []
    for path in predictions:
        found, missed = _prediction_pairs(Path(path))
        pairs += found
        skipped.update(missed)
        inputs.append({"path": str(path), "sha256": sha256_file(path)})
    if not pairs:
        raise DataError(
            f"no pair: no red-flag question in {data_dir}{' or the predictions' if predictions else ''} has "
            "one answer advising urgent care and another not"
        )
    splits = _assign(pairs, split_files)
    ids = record_ids((p["input"], f"{p['chosen']}\0{p['rejected']}") for p in pairs)
    records = [{"id": rid, **pair} for rid, pair in zip(ids, pairs, strict=True)]
    card = {
        **card_header(inputs),
        "kind": "paired",
        "counts": {"kept": len(records), **{name: len(splits[name]) for name in SPLITS}},
        "pairs_by_source": dict(sorted(Counter(p["source"] for p in pairs).items())),
        "skipped_predictions": dict(sorted(skipped.items())),
    }
    return PairsResult(Path(output_dir), write_folder(Path(output_dir), records, splits, card))


def _read_folder(folder: Path) -> tuple[dict[str, list[dict[str, Any]]], list[dict[str, Any]]]:
    """The records of each split of a processed SFT folder, and the files' provenance."""
    if not (folder / "train.jsonl").is_file():
        raise DataError(f"{folder}: no train.jsonl; pass --data-dir a folder made by 'medtune data prepare'")
    splits, inputs = {}, []
    for name, file in zip(SPLITS, FILES, strict=True):
        path = folder / file
        splits[name] = list(iter_jsonl(path)) if path.is_file() else []
        for line, record in enumerate(splits[name], start=1):
            if not isinstance(record.get("input"), str) or not isinstance(record.get("output"), str):
                raise DataError(f"{path}: line {line}: needs 'input' and 'output' (an SFT record)")
        if path.is_file():
            inputs.append({"path": str(path), "sha256": sha256_file(path)})
    return splits, inputs


def _audit_pairs(splits: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """A pair for each under-triaged answer of the folder (see module doc)."""
    pairs = []
    for records in splits.values():
        for record in records:
            found = judge((record["input"], record["output"]))
            if found.under_triage:
                chosen = f"{record['output']} {urgent_care_sentence(found.red_flags)}"
                pairs.append(_pair(record, chosen, record["output"], AUDIT, found.red_flags))
    return pairs


def _prediction_pairs(path: Path) -> tuple[list[dict[str, Any]], Counter]:
    """Pairs from a predictions file, and how many lines gave none, by reason."""
    pairs: list[dict[str, Any]] = []
    skipped: Counter = Counter()
    for p in read_predictions(path):
        if p.baseline_prediction is None:
            skipped["no_baseline_prediction"] += 1
            continue
        mine, theirs = judge((p.question, p.prediction)), judge((p.question, p.baseline_prediction))
        if not mine.red_flag_question:
            skipped["no_red_flag"] += 1
        elif mine.urgent_advice == theirs.urgent_advice:
            skipped["both_advise_urgent_care" if mine.urgent_advice else "neither_advises_urgent_care"] += 1
        elif mine.urgent_advice:
            pairs.append(
                _pair({"input": p.question}, p.prediction, p.baseline_prediction, PREDICTION, mine.red_flags)
            )
        else:
            pairs.append(
                _pair({"input": p.question}, p.baseline_prediction, p.prediction, BASELINE, mine.red_flags)
            )
    return pairs, skipped


def _pair(
    record: dict[str, Any], chosen: str, rejected: str, source: str, signs: Sequence[str]
) -> dict[str, Any]:
    return {
        "instruction": record.get("instruction") or DEFAULT_INSTRUCTION,
        "input": record["input"],
        "chosen": chosen,
        "rejected": rejected,
        "source": source,
        "red_flags": list(signs),
        "flags": [],
    }


def _assign(pairs: list[dict[str, Any]], splits: dict[str, list[dict[str, Any]]]) -> dict[str, list[int]]:
    """Indices of the pairs in each split: their question's split in the SFT folder, or
    that of a near-duplicate question there, else train."""
    known = [(record["input"], name) for name in SPLITS for record in splits[name]]
    questions = [q for q, _ in known] + [p["input"] for p in pairs]
    groups = group(questions, [question_key(q) for q in questions])
    split_of_group = {groups[i]: name for i, (_, name) in enumerate(known)}
    out: dict[str, list[int]] = {name: [] for name in SPLITS}
    for n in range(len(pairs)):
        out[split_of_group.get(groups[len(known) + n], "train")].append(n)
    return out
