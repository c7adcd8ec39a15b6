"""``prepare``: raw Q&A -> cleaned, formatted, split JSONL plus a data card.

Steps, in order (each counted in ``data_card.json["filters"]``; see :mod:`.clean`,
:mod:`.structure` and :mod:`.split` for the rules):

1. read the source (hub dataset or local files);
2. remove the scraper's "ChatDoctor" and normalise text;
3. drop answers/questions under ``min_answer_words``/``min_question_words`` words;
4. flag answers cut off mid-sentence (``truncated``) and drop them if ``drop_truncated``;
5. drop exact duplicates, then repeats of a normalised question (first one kept);
6. keep ``max_samples`` rows, chosen by a seeded hash, if set;
7. restructure answers into Diagnosis/Treatment sections;
   (with ``contamination_dir``) flag or drop rows duplicating a benchmark item
   (:mod:`.contamination`; ``data_card.json["contamination"]``);
8. split 80/10/10 keeping near-duplicate questions together, and write
   ``{train,validation,test}.jsonl`` + ``data_card.json`` into a temporary folder that
   replaces the output folder only when everything is written.

A record: ``{"id", "instruction", "input", "output", "original_output", "source", "flags"}``
(+ ``"specialty"`` when the source has it). ``original_output`` is the cleaned answer before
restructuring; ``flags`` lists ``truncated``, ``chatdoctor_unrepaired`` and
``unstructured:<why>`` where they apply.

Inputs of :data:`PARALLEL_ROWS` rows or more run steps 2 and 7 on a pool of forked worker
processes (one per core); results come back in order, so the files are the same bytes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import multiprocessing
import os
from collections import Counter
from collections.abc import Callable, Iterator
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.data import clean
from medtune.data.sources import RawData, read_hub, read_local
from medtune.data.template import DEFAULT_INSTRUCTION
from medtune.errors import DataError
from medtune.io import atomic_dir, check_replaceable, sha256_file
from medtune.medical.structure import structure

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

    from medtune.config import DataSettings, Settings

#: ``progress(step, done, total)``: called as each step advances (the CLI draws Rich bars).
ProgressFn = Callable[[str, int, int], None]
CHUNK = 5_000
#: Inputs with at least this many rows are cleaned and structured by a pool of worker
#: processes (one per core, at most MAX_WORKERS); smaller ones in this process.
PARALLEL_ROWS = 20_000
MAX_WORKERS = 4
FILES = ("train.jsonl", "validation.jsonl", "test.jsonl")
OUTPUT_MARKER = ("data_card.json",)  # an existing output folder holding this is replaced


def _noop(step: str, done: int, total: int) -> None:
    return None


def load_raw(cfg: DataSettings, input_path: str | Path | None, download: bool) -> RawData:
    """Read the hub dataset (``download``) or local files (``input_path``, else ``raw_dir``)."""
    fields = (cfg.question_field, cfg.answer_field)
    if download:
        raw_dir = Path(input_path or cfg.raw_dir)
        if raw_dir.is_file():
            raise DataError(f"{raw_dir}: is a file; with --download, --input names the raw copy's folder")
        return read_hub(cfg.dataset, *fields, save_to=raw_dir)
    if input_path is None:
        if not Path(cfg.raw_dir).exists():
            raise DataError(
                f"no input: {cfg.raw_dir} does not exist; pass --input PATH, --download,"
                " or run 'medtune quickstart' for the bundled sample"
            )
        input_path = cfg.raw_dir
    return read_local(Path(input_path), *fields)


def clean_pair(
    pair: tuple[str, str], strip: bool, normalize: bool, vocab: frozenset[str]
) -> tuple[str, str, int, bool, bool]:
    """Step 2 for one row: (question, answer, ChatDoctor hits, unrepaired, text changed)."""
    question, answer = pair
    hits = 0
    unrepaired = changed = False
    if strip:
        question, hits_q, bad_q = clean.strip_chatdoctor(question, vocab)
        answer, hits_a, bad_a = clean.strip_chatdoctor(answer, vocab)
        hits, unrepaired = hits_q + hits_a, bad_q or bad_a
    if normalize:
        fixed_q, fixed_a = clean.normalize(question), clean.normalize(answer)
        changed = fixed_q != question or fixed_a != answer
        question, answer = fixed_q, fixed_a
    return question, answer, hits, unrepaired, changed


def clean_rows(
    raw: RawData, cfg: DataSettings, progress: ProgressFn = _noop, pool: Pool | None = None
) -> tuple[list[dict], Counter]:
    """Steps 2-5: cleaned ``{"input", "answer", "flags", "row"}`` dicts and filter counts."""
    counts: Counter = Counter()
    vocab = clean.vocabulary(chain(raw.answers, raw.questions)) if cfg.strip_chatdoctor else frozenset()
    seen_pairs: set[tuple[str, str]] = set()
    seen_keys: set[bytes] = set()
    kept: list[dict] = []
    # normalised text has single spaces, so counting them is enough (and much faster)
    words = clean.spaced_word_count if cfg.normalize_text else clean.word_count
    task = partial(clean_pair, strip=cfg.strip_chatdoctor, normalize=cfg.normalize_text, vocab=vocab)
    pairs = list(zip(raw.questions, raw.answers, strict=True))
    for i, (question, answer, hits, unrepaired, changed) in enumerate(
        _map(task, pairs, "clean", progress, pool)
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


def _map(func: Callable[[Any], Any], items: list[Any], step: str, progress: ProgressFn, pool: Pool | None):
    """``map(func, items)`` in order, on ``pool`` when given, reporting progress per chunk."""
    results = pool.imap(func, items, chunksize=CHUNK) if pool is not None else map(func, items)
    for i, result in enumerate(results):
        if i % CHUNK == 0:
            progress(step, i, len(items))
        yield result
    progress(step, len(items), len(items))


@contextlib.contextmanager
def _workers(rows: int) -> Iterator[Pool | None]:
    """A pool of one worker per core for big inputs on fork-capable systems, else None."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    forkable = (
        "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
    )
    if rows < PARALLEL_ROWS or cores < 2 or not forkable:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(min(cores, MAX_WORKERS)) as pool:
        yield pool


def _digest(*parts: str | int) -> str:
    return hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).hexdigest()


def _records(
    rows: list[dict],
    raw: RawData,
    cfg: DataSettings,
    counts: Counter,
    progress: ProgressFn,
    pool: Pool | None,
) -> list[dict]:
    """Step 7 + the record format."""
    sources = [(entry.get("dataset") or Path(entry["path"]).name, entry["rows"]) for entry in raw.inputs]
    source_of = [name for name, n in sources for _ in range(n)]
    instructions = raw.extras.get("instruction")
    specialties = raw.extras.get("specialty")
    ids: Counter = Counter()
    out: list[dict] = []
    answers = [row["answer"] for row in rows]
    structured = (
        list(_map(structure, answers, "structure", progress, pool)) if cfg.structure_answers else None
    )
    for n, row in enumerate(rows):
        answer, flags = row["answer"], row["flags"]
        output = answer
        if structured is not None:
            output, reason = structured[n]
            counts[reason.replace(":", "_") if reason else "structured"] += 1
            if reason:
                flags.append(reason)
        rid = _digest(row["input"], answer)
        ids[rid] += 1
        record = {
            "id": rid if ids[rid] == 1 else f"{rid}-{ids[rid]}",
            "instruction": (instructions and instructions[row["row"]]) or DEFAULT_INSTRUCTION,
            "input": row["input"],
            "output": output,
            "original_output": answer,
            "source": source_of[row["row"]],
            "flags": flags,
        }
        if specialties is not None:
            record["specialty"] = specialties[row["row"]]
        out.append(record)
    return out


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
    from medtune import __version__
    from medtune.data.split import SPLITS, assign

    cfg = settings.data
    progress = progress or _noop
    out = Path(output_dir or cfg.data_dir)
    _check_output(out)
    progress("read", 0, 1)
    raw = load_raw(cfg, input_path, download)
    progress("read", 1, 1)
    if not len(raw):
        raise DataError(f"{input_path or cfg.dataset}: the input has no rows")
    with _workers(len(raw)) as pool:
        rows, counts = clean_rows(raw, cfg, progress, pool)
        if cfg.max_samples is not None and len(rows) > cfg.max_samples:
            keep = sorted(rows, key=lambda r: _digest(cfg.split_seed, r["input"]))[: cfg.max_samples]
            counts["dropped_max_samples"] = len(rows) - cfg.max_samples
            rows = sorted(keep, key=lambda r: r["row"])
        if not rows:
            raise DataError(
                f"no rows left after filtering {len(raw)} input rows ({_summary(counts)}); check the input"
                " and [data] min_answer_words/min_question_words/drop_truncated"
            )
        records = _records(rows, raw, cfg, counts, progress, pool)
    contamination = None
    if cfg.contamination_dir:
        from medtune.data.contamination import check

        records, contamination = check(records, cfg.contamination_dir, cfg.contamination_action, progress)
        counts["contaminated"] = contamination["hits"]
        if contamination["dropped"]:
            counts["dropped_contaminated"] = contamination["dropped"]
    progress("split", 0, 1)
    ratios = (cfg.train_ratio, cfg.val_ratio, cfg.test_ratio)
    splits, groups = assign([r["input"] for r in records], ratios, cfg.split_seed)
    progress("split", 1, 1)
    card: dict[str, Any] = {
        "medtune_version": __version__,
        "inputs": raw.inputs,
        "settings": cfg.model_dump(mode="json"),
        "counts": {"input": len(raw), "kept": len(records), **{k: len(v) for k, v in splits.items()}},
        "filters": dict(sorted(counts.items())),
        "split_groups": groups,
        "outputs": {},
    }
    if contamination is not None:
        card["contamination"] = contamination
    with atomic_dir(out, replaces=OUTPUT_MARKER) as tmp:
        for step, (name, file) in enumerate(zip(SPLITS, FILES, strict=True)):
            progress("write", step, len(FILES))
            with (tmp / file).open("w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(records[i], ensure_ascii=False) + "\n" for i in splits[name])
            card["outputs"][file] = sha256_file(tmp / file)
        (tmp / "data_card.json").write_text(
            json.dumps(card, indent=2, sort_keys=True, ensure_ascii=False) + "\n", encoding="utf-8"
        )
        progress("write", len(FILES), len(FILES))
    return card


def _summary(counts: Counter) -> str:
    return (
        ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k.startswith("dropped")) or "none dropped"
    )
