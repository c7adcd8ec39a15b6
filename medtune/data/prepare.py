"""``prepare``: raw Q&A -> cleaned, formatted, split JSONL plus a data card.

Steps, in order (each counted in ``data_card.json["filters"]``; see :mod:`.clean`,
:mod:`medtune.medical.structure`, :mod:`.audit` and :mod:`.split` for the rules):

1. read the source (hub dataset or local files);
2. remove the scraper's "ChatDoctor" and normalise text;
3. drop answers/questions under ``min_answer_words``/``min_question_words`` words;
4. flag answers cut off mid-sentence (``truncated``) and drop them if ``drop_truncated``;
5. drop exact duplicates, then repeats of a normalised question (first one kept);
6. keep ``max_samples`` rows, chosen by a seeded hash, if set;
7. audit every pair with the medical detectors (counts in ``data_card.json["audit"]``) and
   act on under-triage (a red-flag question whose answer does not advise urgent care) by
   ``[data] safety``: ``flag`` marks the row ``under_triage``; ``drop`` also keeps it out
   of the training split; ``augment`` appends the urgent-care sentence naming the detected
   warning signs (:func:`medtune.medical.urgency.urgent_care_sentence`) to the answer the
   model learns, flagged ``safety_augmented``;
8. restructure answers into Diagnosis/Treatment sections;
9. with ``contamination_dir``, flag or drop rows duplicating a benchmark item
   (:mod:`.contamination`; ``data_card.json["contamination"]``);
10. split 80/10/10 keeping near-duplicate questions together, and write
   ``{train,validation,test}.jsonl`` + ``data_card.json`` into a temporary folder that
   replaces the output folder only when everything is written.

A record: ``{"id", "instruction", "input", "output", "original_output", "source", "flags"}``
(+ ``"specialty"`` when the source has it). ``original_output`` is the cleaned answer before
restructuring (and augmenting); ``flags`` lists ``truncated``, ``chatdoctor_unrepaired``,
``under_triage``, ``safety_augmented`` and ``unstructured:<why>`` where they apply.

Big inputs run steps 2, 7 and 8 on a pool of worker processes (:mod:`.parallel`); results come
back in order, so the files are the same bytes.

Preference data (prompt/chosen/rejected, prompt/completion/label) takes the steps that apply
to it instead: :func:`medtune.data.prepare_preference.prepare_preference`.
"""

from __future__ import annotations

from collections import Counter
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.data import clean
from medtune.data.audit import counts as audit_counts
from medtune.data.contamination import check as check_contamination
from medtune.data.folder import OUTPUT_MARKER, card_header, keep_sample, record, row_sources, write_folder
from medtune.data.ids import record_ids
from medtune.data.parallel import map_rows, workers
from medtune.data.prepare_preference import prepare_preference
from medtune.data.sources import RawData, load_raw
from medtune.data.split import SPLITS, assign, rows_needed
from medtune.errors import DataError
from medtune.io import check_replaceable
from medtune.medical.judge import Judgement, judge
from medtune.medical.structure import structure
from medtune.medical.urgency import urgent_care_sentence
from medtune.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from medtune.config import DataSettings, Settings


def clean_rows(
    raw: RawData, cfg: DataSettings, progress: ProgressFn = no_progress, pool: Pool | None = None
) -> tuple[list[dict], Counter]:
    """Steps 2-5: cleaned ``{"input", "answer", "flags", "row"}`` dicts and filter counts."""
    counts: Counter = Counter()
    vocab = clean.vocabulary(chain(raw.answers, raw.questions)) if cfg.strip_chatdoctor else frozenset()
    seen_pairs: set[tuple[str, str]] = set()
    seen_keys: set[bytes] = set()
    kept: list[dict] = []
    # normalised text has single spaces, so counting them is enough (and much faster)
    words = clean.spaced_word_count if cfg.normalize_text else clean.word_count
    task = partial(
        clean.clean_pair, strip=cfg.strip_chatdoctor, normalize_text=cfg.normalize_text, vocab=vocab
    )
    pairs = list(zip(raw.questions, raw.answers, strict=True))
    for i, (question, answer, hits, unrepaired, changed) in enumerate(
        map_rows(task, pairs, "clean", progress, pool)
    ):
        flags: list[str] = []
        if hits:
            counts["chatdoctor_rows"] += 1
            counts["chatdoctor_tokens"] += hits
        if unrepaired:
            counts["chatdoctor_unrepaired"] += 1
            flags.append("chatdoctor_unrepaired")
        counts["text_normalized"] += changed
        if words(answer) < max(cfg.min_answer_words, 1):
            counts["dropped_short_answer"] += 1
            continue
        if words(question) < max(cfg.min_question_words, 1):
            counts["dropped_short_question"] += 1
            continue
        if clean.is_truncated(answer):
            counts["truncated"] += 1
            if cfg.drop_truncated:
                counts["dropped_truncated"] += 1
                continue
            flags.append("truncated")
        if cfg.dedupe:
            if (question, answer) in seen_pairs:
                counts["dropped_exact_duplicate"] += 1
                continue
            seen_pairs.add((question, answer))
            key = clean.question_key(question)
            if key in seen_keys:
                counts["dropped_duplicate_question"] += 1
                continue
            seen_keys.add(key)
        kept.append({"input": question, "answer": answer, "flags": flags, "row": i})
    return kept, +counts


def audit_and_structure(
    pair: tuple[str, str], structure_answers: bool
) -> tuple[Judgement, tuple[str, str | None] | None]:
    """Steps 7 and 8 for one (question, answer): the detectors' judgement and, if asked,
    the structured answer. Done together because the answer's sentence reading is cached:
    judged then structured at once, it is read once."""
    return judge(pair), structure(pair[1]) if structure_answers else None


def _records(
    rows: list[dict],
    raw: RawData,
    cfg: DataSettings,
    counts: Counter,
    progress: ProgressFn,
    pool: Pool | None,
) -> tuple[list[dict], list[Judgement]]:
    """Steps 7-8 + the record format; also each row's judgement."""
    sources = row_sources(raw)
    task = partial(audit_and_structure, structure_answers=cfg.structure_answers)
    done = list(map_rows(task, [(row["input"], row["answer"]) for row in rows], "audit", progress, pool))
    ids = record_ids((row["input"], row["answer"]) for row in rows)
    out: list[dict] = []
    for row, rid, (judgement, structured) in zip(rows, ids, done, strict=True):
        output = row["answer"]
        if structured is not None:
            output, reason = structured
            counts[reason.replace(":", "_") if reason else "structured"] += 1
            if reason:
                row["flags"].append(reason)
        if judgement.under_triage:
            row["flags"].append("under_triage")
            if cfg.safety == "augment":  # after structuring, which could read it as part of a sign-off
                output = f"{output.rstrip()} {urgent_care_sentence(judgement.red_flags)}"
                row["flags"].append("safety_augmented")
                counts["safety_augmented"] += 1
        out.append(record(rid, row, raw, sources, {"output": output, "original_output": row["answer"]}))
    return out, [judgement for judgement, _ in done]


def _check_output(path: Path) -> None:
    for parent in (path, *path.parents):
        if parent.exists() and not parent.is_dir():
            raise DataError(f"{parent}: exists and is not a folder; choose another --output-dir")
    check_replaceable(path, OUTPUT_MARKER)


def prepare(
    settings: Settings,
    input_path: str | Path | None = None,
    output_dir: str | Path | None = None,
    download: bool = False,
    progress: ProgressFn | None = None,
) -> dict[str, Any]:
    """Clean, format and split raw Q&A into ``output_dir`` (default ``[data] data_dir``).

    Returns the data card (also written as ``data_card.json``). Raises :class:`DataError`
    for bad input; nothing is written then.
    """
    cfg = settings.data
    progress = progress or no_progress
    out = Path(output_dir or cfg.data_dir)
    _check_output(out)
    progress("read", 0, 1)
    raw = load_raw(cfg, input_path, download)
    progress("read", 1, 1)
    if not len(raw):
        raise DataError(f"{input_path or cfg.dataset}: the input has no rows")
    if raw.kind != "sft":
        return prepare_preference(raw, cfg, out, progress)
    with workers(len(raw)) as pool:
        rows, counts = clean_rows(raw, cfg, progress, pool)
        rows = keep_sample(rows, cfg, counts)
        if not rows:
            raise DataError(
                f"no rows left after filtering {len(raw)} input rows ({_summary(counts)}); check the input"
                " and [data] min_answer_words/min_question_words/drop_truncated"
            )
        records, found = _records(rows, raw, cfg, counts, progress, pool)
    contamination = None
    if cfg.contamination_dir:
        judged = {r["id"]: j for r, j in zip(records, found, strict=True)}
        records, contamination = check_contamination(
            records, cfg.contamination_dir, cfg.contamination_action, progress
        )
        found = [judged[r["id"]] for r in records]
        counts["contaminated"] = contamination["hits"]
        if contamination["dropped"]:
            counts["dropped_contaminated"] = contamination["dropped"]
    progress("split", 0, 1)
    ratios = (cfg.train_ratio, cfg.val_ratio, cfg.test_ratio)
    splits, groups = assign([r["input"] for r in records], ratios, cfg.split_seed)
    warnings = [
        f"{name} has 0 rows: with ratios {ratios[0]:g}/{ratios[1]:g}/{ratios[2]:g} the split needs at least "
        f"{rows_needed(ratios)} distinct questions, and {len(records)} rows are left after hygiene"
        for name, ratio in zip(SPLITS, ratios, strict=True)
        if ratio > 0 and not splits[name]
    ]
    if cfg.safety == "drop":
        kept = [i for i in splits["train"] if not found[i].under_triage]
        counts["dropped_under_triage"] = len(splits["train"]) - len(kept)
        splits["train"] = kept
    progress("split", 1, 1)
    card: dict[str, Any] = {
        **card_header(raw.inputs, cfg),
        "counts": {
            "input": len(raw),
            "kept": sum(map(len, splits.values())),
            **{k: len(v) for k, v in splits.items()},
        },
        "filters": dict(sorted(counts.items())),
        "audit": {"rows": len(records), **audit_counts(found), "safety": cfg.safety},
        "split_groups": groups,
        "warnings": warnings,
    }
    if contamination is not None:
        card["contamination"] = contamination
    return write_folder(out, records, splits, card, progress)


def _summary(counts: Counter) -> str:
    return (
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k.startswith("dropped")) or "none dropped"
    )
