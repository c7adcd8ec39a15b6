"""Preference data: answers ranked against each other, for DPO, ORPO and KTO.

Processed records (``train/validation/test.jsonl`` of a preference folder) carry the
prompt as SFT records do (``instruction`` and the patient's ``input``, rendered by the one
template) and, instead of ``output``:

- paired (DPO, ORPO; KTO splits each pair into a desirable and an undesirable answer):
  ``chosen`` and ``rejected``, two different non-empty answers;
- unpaired (KTO): ``completion`` and ``label`` (true = desirable).

They also keep ``id``, ``source`` and ``flags`` as SFT records do.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from functools import partial
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from medtune.data import clean
from medtune.data.folder import card_header, keep_sample, record, row_sources, write_folder
from medtune.data.ids import record_ids
from medtune.errors import DataError

if TYPE_CHECKING:
    from medtune.config import DataSettings
    from medtune.data.sources import RawData, Schema
    from medtune.progress import ProgressFn

Kind = Literal["sft", "paired", "unpaired"]
#: The answer fields of each kind of processed record, in the order kinds are recognised.
FIELDS: dict[Kind, tuple[str, ...]] = {
    "paired": ("chosen", "rejected"),
    "unpaired": ("completion", "label"),
    "sft": ("output",),
}


def record_kind(record: Mapping[str, Any]) -> Kind | None:
    """Which kind of processed record this is (None: none of them)."""
    for kind, fields in FIELDS.items():
        if all(name in record for name in fields):
            return kind
    return None


def taught_answer(record: Mapping[str, Any]) -> str:
    """The answer a record teaches: SFT's output, a pair's chosen answer, a KTO completion."""
    return str(record.get("output", record.get("chosen", record.get("completion", ""))))


def read_rows(
    columns: Mapping[str, list[Any]], schema: Schema, locate: Callable[[int], str]
) -> tuple[list[str], list[str | None], dict[str, list[Any]]]:
    """The questions, instructions (the system turn of a conversation prompt, else None)
    and answers (by processed field name) of a raw preference table, checked row by row.

    Prompts and answers are text or conversations (lists of ``{"role", "content"}``): a
    prompt holds at most a system turn and one user turn; an answer is its last turn, an
    assistant's. A bad row is a DataError naming its line and column: an empty prompt or
    answer, two equal answers, a label that is not true or false."""
    prompt_column, *answer_columns = schema.columns
    fields = FIELDS[schema.kind]
    questions: list[str] = []
    instructions: list[str | None] = []
    responses: dict[str, list[Any]] = {name: [] for name in fields}
    for row, prompt in enumerate(columns[prompt_column]):
        instruction, question = _prompt(prompt, partial(_where, locate, row, prompt_column))
        values: list[Any] = []
        for name, column in zip(fields, answer_columns, strict=True):
            where = partial(_where, locate, row, column)
            value = columns[column][row]
            values.append(_label(value, where) if name == "label" else _answer(value, where))
        if schema.kind == "paired" and values[0].strip() == values[1].strip():
            first, second = answer_columns
            raise DataError(
                f"{locate(row)}: columns '{first}' and '{second}' hold the same answer; a pair needs two "
                "different answers"
            )
        questions.append(question)
        instructions.append(instruction)
        for name, value in zip(fields, values, strict=True):
            responses[name].append(value)
    return questions, instructions, responses


Where = Callable[[], str]


def _where(locate: Callable[[int], str], row: int, column: str) -> str:
    """``file:LINE: column 'name'`` (computed only for an error: locating re-reads the file)."""
    return f"{locate(row)}: column '{column}'"


def _prompt(value: Any, where: Where) -> tuple[str | None, str]:
    """(system turn or None, question) of a text or conversation prompt."""
    if not isinstance(value, list):
        return None, _nonempty(value, where)
    turns = [_turn(turn, where) for turn in value]
    system = [content for role, content in turns if role == "system"]
    users = [content for role, content in turns if role == "user"]
    if len(users) != 1 or len(system) > 1 or len(system) + len(users) != len(turns):
        raise DataError(
            f"{where()}: a conversation prompt needs one user turn (and at most a system turn); medtune "
            "trains single-turn questions"
        )
    return (_nonempty(system[0], where) if system else None), _nonempty(users[0], where)


def _answer(value: Any, where: Where) -> str:
    """The text of an answer: a string, or the last (assistant) turn of a conversation."""
    if isinstance(value, list):
        turns = [_turn(turn, where) for turn in value]
        if not turns or turns[-1][0] != "assistant":
            raise DataError(f"{where()}: a conversation answer must end with an assistant turn")
        value = turns[-1][1]
    return _nonempty(value, where)


def _turn(turn: Any, where: Where) -> tuple[str, Any]:
    if not isinstance(turn, Mapping) or "role" not in turn or "content" not in turn:
        raise DataError(f"{where()}: conversation turns need 'role' and 'content'")
    return str(turn["role"]), turn["content"]


def _nonempty(value: Any, where: Where) -> str:
    text = "" if value is None or value != value else str(value)  # None/NaN -> ""
    if not text.strip():
        raise DataError(f"{where()}: empty; every row needs a prompt and its answers")
    return text


def _label(value: Any, where: Where) -> bool:
    """A KTO label: a boolean (or, from CSV, the text true/false)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise DataError(f"{where()}: must be true or false (is the answer desirable?), got {value!r}")


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
    from medtune.data.split import assign

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
    from medtune.data.audit import judge_all

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
