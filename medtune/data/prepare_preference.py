"""``data prepare`` for preference data (prompt/chosen/rejected, prompt/completion/label):
the SFT steps that apply to it (see :func:`prepare_preference`); the record format is
:mod:`medtune.data.preference`'s."""

from __future__ import annotations

from collections import Counter
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.data import clean
from medtune.data.audit import judge_all
from medtune.data.folder import card_header, keep_sample, record, row_sources, write_folder
from medtune.data.ids import record_ids
from medtune.data.preference import FIELDS
from medtune.data.split import assign
from medtune.errors import DataError

if TYPE_CHECKING:
    from medtune.config import DataSettings
    from medtune.data.sources import RawData
    from medtune.progress import ProgressFn


def prepare_preference(raw: RawData, cfg: DataSettings, out: Path, progress: ProgressFn) -> dict[str, Any]:
    """``data prepare`` for preference data (``raw.kind`` paired or unpaired): the SFT
    steps that apply, written as a processed folder; returns the data card.

    - Text hygiene as for SFT on the prompt and every answer ("ChatDoctor", normalisation).
    - Too short: prompts under ``min_question_words``; the answer being taught (the chosen
      one, or a desirable completion) under ``min_answer_words``. A rejected answer may be
      short. The taught answer is flagged ``truncated`` when cut off (dropped with
      ``drop_truncated``). Pairs whose answers became equal in cleaning are dropped.
    - Duplicates: exact repeats (same prompt key and answers) are dropped; different pairs
      for one prompt are kept, and the split keeps them (and near-duplicate prompts)
      together, so no prompt straddles two splits.
    - The audit runs the detectors on every answer and counts what it finds (e.g. chosen
      answers that under-triage a red-flag question, flagged ``under_triage``), but
      acts on nothing: ``[data] safety`` and ``structure_answers`` rewrite answers, which
      in a pair would make the rewrite, not the content, the difference between them. The
      card says so under ``not_applied``.
    """
    rows, counts = _clean_rows(raw, cfg)
    rows = keep_sample(rows, cfg, counts)
    if not rows:
        raise DataError(
            f"no rows left after filtering {len(raw)} input rows; check the input and [data] settings"
        )
    audit = _audit(rows, raw.kind, progress)
    ids = record_ids((r["input"], "\0".join(str(r[k]) for k in FIELDS[raw.kind])) for r in rows)
    sources = row_sources(raw)
    records = [
        record(rid, row, raw, sources, {name: row[name] for name in FIELDS[raw.kind]})
        for row, rid in zip(rows, ids, strict=True)
    ]
    progress("split", 0, 1)
    ratios = (cfg.train_ratio, cfg.val_ratio, cfg.test_ratio)
    splits, groups = assign([r["input"] for r in records], ratios, cfg.split_seed)
    progress("split", 1, 1)
    card = {
        **card_header(raw.inputs, cfg),
        "kind": raw.kind,
        "counts": {"input": len(raw), "kept": len(records), **{k: len(v) for k, v in splits.items()}},
        "filters": dict(sorted(counts.items())),
        "audit": audit,
        "not_applied": NOT_APPLIED,
        "split_groups": groups,
    }
    return write_folder(out, records, splits, card, progress)


#: Why ``data prepare`` leaves two SFT steps out for preference data (in the data card).
NOT_APPLIED = {
    "structure_answers": "answers are kept as written: restructuring each answer of a pair on its own "
    "could make the format, not the content, the difference between them",
    "safety": "the audit only counts: appending urgent-care advice is what 'medtune data pairs --safety' "
    "builds pairs from",
}


def _clean_rows(raw: RawData, cfg: DataSettings) -> tuple[list[dict[str, Any]], Counter]:
    """Cleaned rows (``input``, the answer fields, ``flags``, ``row``) and filter counts."""
    texts = [name for name in FIELDS[raw.kind] if name != "label"]
    sources = [raw.questions, *(raw.responses[name] for name in texts)]
    vocab = clean.vocabulary(chain(*sources)) if cfg.strip_chatdoctor else frozenset()
    counts: Counter = Counter()
    seen: set[tuple[Any, ...]] = set()
    rows = []
    for i, question in enumerate(raw.questions):
        row: dict[str, Any] = {"input": _clean(question, cfg, vocab, counts), "flags": [], "row": i}
        row.update({name: _clean(raw.responses[name][i], cfg, vocab, counts) for name in texts})
        if "label" in raw.responses:
            row["label"] = raw.responses["label"][i]
        taught = row["chosen"] if raw.kind == "paired" else row["completion"] if row["label"] else None
        if clean.word_count(row["input"]) < max(cfg.min_question_words, 1):
            counts["dropped_short_question"] += 1
            continue
        if taught is not None and clean.word_count(taught) < max(cfg.min_answer_words, 1):
            counts["dropped_short_answer"] += 1
            continue
        if raw.kind == "paired" and row["chosen"] == row["rejected"]:
            counts["dropped_same_answers"] += 1
            continue
        if taught is not None and clean.is_truncated(taught):
            counts["truncated"] += 1
            if cfg.drop_truncated:
                counts["dropped_truncated"] += 1
                continue
            row["flags"].append("truncated")
        key = (clean.question_key(row["input"]), *(row[name] for name in FIELDS[raw.kind]))
        if cfg.dedupe:
            if key in seen:
                counts["dropped_exact_duplicate"] += 1
                continue
            seen.add(key)
        rows.append(row)
    return rows, +counts


def _clean(text: str, cfg: DataSettings, vocab: frozenset[str], counts: Counter) -> str:
    """One text as ``data prepare`` cleans it, counting what changed."""
    if cfg.strip_chatdoctor:
        text, hits, unrepaired = clean.strip_chatdoctor(text, vocab)
        counts["chatdoctor_tokens"] += hits
        counts["chatdoctor_unrepaired"] += unrepaired
    if cfg.normalize_text:
        fixed = clean.normalize(text)
        counts["text_normalized"] += fixed != text
        text = fixed
    return text


def _audit(rows: list[dict[str, Any]], kind: str, progress: ProgressFn) -> dict[str, Any]:
    """The detectors on every answer: how many questions have red flags, and how many
    answers of each role under-triage them (no urgent-care advice). A row whose taught
    answer (chosen, or desirable) under-triages is flagged ``under_triage``."""
    roles = ("chosen", "rejected") if kind == "paired" else ("desirable", "undesirable")
    answers: list[tuple[int, str, str]] = []  # (row, role, answer)
    for n, row in enumerate(rows):
        if kind == "paired":
            answers += [(n, "chosen", row["chosen"]), (n, "rejected", row["rejected"])]
        else:
            answers.append((n, roles[not row["label"]], row["completion"]))
    found = judge_all([(rows[n]["input"], answer) for n, _, answer in answers], progress)
    counts = Counter(dict.fromkeys((f"{role}_under_triage" for role in roles), 0))
    red_flags = set()
    for (n, role, _), judgement in zip(answers, found, strict=True):
        if judgement.red_flag_question:
            red_flags.add(n)
        if judgement.under_triage:
            counts[f"{role}_under_triage"] += 1
            if role == roles[0]:
                rows[n]["flags"].append("under_triage")
    return {"rows": len(rows), "red_flag_question": len(red_flags), **counts}
