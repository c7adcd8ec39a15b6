"""``audit``: the medical detectors over a whole Q&A file, row by row, with a summary.

Reads raw files (any schema ``data prepare`` reads; cleaned the same way first, so the ids
are the ones ``prepare`` gives the rows it keeps) or a processed folder (train, then
validation, then test; the doctor's answer is ``original_output``). Writes into the output
folder, atomically:

- ``audit.jsonl``: one line per input row, in input order: ``index`` (0-based row of the
  input), ``id``, ``diagnosis_present``, ``treatment_present``, ``red_flag_question``,
  ``urgent_advice``, ``specialty`` and ``under_triage`` (a red-flag question whose answer
  does not advise urgent care);
- ``audit_summary.json``: counts, rates with their n, warning signs, specialties;
- ``audit_report.md``: the same for people, with under-triage by specialty and examples.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.data.clean import clean_pair, vocabulary
from medtune.data.ids import record_ids
from medtune.data.parallel import map_rows, workers
from medtune.data.sources import load_raw
from medtune.errors import DataError
from medtune.io import atomic_dir, iter_jsonl, sha256_file, write_json, write_jsonl, write_text
from medtune.medical.judge import Judgement, judge
from medtune.progress import ProgressFn, no_progress
from medtune.runs import point_latest, stamped_dir

if TYPE_CHECKING:
    from medtune.config import Settings

#: Without --output-dir, a stamped folder goes here (``latest`` points to the newest).
DEFAULT_PARENT = "outputs/audit"
OUTPUT_MARKER = ("audit_summary.json",)
SPLIT_FILES = ("train.jsonl", "validation.jsonl", "test.jsonl")
#: The yes/no properties, in report order, with what each means.
PROPERTIES = {
    "diagnosis_present": "answer names a likely diagnosis or cause",
    "treatment_present": "answer advises a concrete treatment step",
    "red_flag_question": "question describes emergency warning signs",
    "urgent_advice": "answer advises urgent or emergency care",
    "under_triage": "red-flag question without urgent advice",
}
#: Shares over fewer rows than this are marked as too few to judge.
MIN_N = 20
EXAMPLES = 5


@dataclass(frozen=True)
class Pair:
    """One question/answer pair to audit."""

    id: str
    question: str
    answer: str


@dataclass
class AuditResult:
    """What the audit wrote and found."""

    output_dir: Path
    summary: dict[str, Any]
    files: list[Path]


def row(index: int, pair: Pair, found: Judgement) -> dict[str, Any]:
    """The ``audit.jsonl`` line of one row."""
    return {
        "index": index,
        "id": pair.id,
        "diagnosis_present": found.diagnosis_present,
        "treatment_present": found.treatment_present,
        "red_flag_question": found.red_flag_question,
        "urgent_advice": found.urgent_advice,
        "specialty": found.specialty,
        "under_triage": found.under_triage,
    }


def judge_all(
    pairs: Sequence[tuple[str, str]], progress: ProgressFn = no_progress, pool: Any = None
) -> list[Judgement]:
    """:func:`medtune.medical.judge.judge` on every (question, answer), in order."""
    return list(map_rows(judge, list(pairs), "audit", progress, pool))


def counts(found: Sequence[Judgement]) -> dict[str, int]:
    """How many rows have each property (the data card's ``audit`` figures)."""
    return {name: sum(bool(getattr(j, name)) for j in found) for name in PROPERTIES}


def summarize(pairs: Sequence[Pair], found: Sequence[Judgement]) -> dict[str, Any]:
    """Counts, rates with their n, warning signs and per-specialty figures."""
    n = len(found)
    total = counts(found)
    red = total["red_flag_question"]
    rates = {name: _rate(total[name], n) for name in PROPERTIES}
    rates["under_triage"] = _rate(total["under_triage"], red)  # of the red-flag questions
    by_specialty: dict[str, dict[str, int]] = {}
    for j in found:
        entry = by_specialty.setdefault(j.specialty, dict.fromkeys(("rows", *PROPERTIES), 0))
        entry["rows"] += 1
        for name in PROPERTIES:
            entry[name] += bool(getattr(j, name))
    signs = Counter(sign for j in found for sign in j.red_flags)
    examples = [
        {"id": p.id, "signs": list(j.red_flags), "question": p.question}
        for p, j in zip(pairs, found, strict=True)
        if j.under_triage
    ][:EXAMPLES]
    return {
        "rows": n,
        "counts": total,
        "rates": rates,
        "red_flag_signs": dict(signs.most_common()),
        "by_specialty": dict(sorted(by_specialty.items(), key=lambda kv: (-kv[1]["under_triage"], kv[0]))),
        "examples": examples,
    }


def _rate(count: int, n: int) -> dict[str, Any]:
    return {"count": count, "n": n, "rate": count / n if n else None}


def read_raw(
    settings: Settings, input_path: str | Path | None, progress: ProgressFn = no_progress
) -> tuple[list[Pair], list[dict[str, Any]]]:
    """Raw rows, cleaned as ``data prepare`` cleans them, and the input files' provenance."""
    cfg = settings.data
    raw = load_raw(cfg, input_path, download=False)
    if not len(raw):
        raise DataError(f"{input_path or cfg.raw_dir}: the input has no rows")
    vocab = vocabulary([*raw.answers, *raw.questions]) if cfg.strip_chatdoctor else frozenset()
    clean = partial(clean_pair, strip=cfg.strip_chatdoctor, normalize_text=cfg.normalize_text, vocab=vocab)
    pairs = list(zip(raw.questions, raw.answers, strict=True))
    with workers(len(pairs)) as pool:
        cleaned = [row[:2] for row in map_rows(clean, pairs, "clean", progress, pool)]
    ids = record_ids(cleaned)
    return [Pair(i, q, a) for i, (q, a) in zip(ids, cleaned, strict=True)], raw.inputs


def read_processed(data_dir: str | Path) -> tuple[list[Pair], list[dict[str, Any]]]:
    """The rows of a processed folder: train, validation, then test."""
    folder = Path(data_dir)
    files = [folder / name for name in SPLIT_FILES if (folder / name).is_file()]
    if not files:
        raise DataError(
            f"{folder}: no {', '.join(SPLIT_FILES)} here; pass a folder made by 'medtune data prepare'"
            " or a raw file with --input"
        )
    pairs: list[Pair] = []
    for file in files:
        for number, record in enumerate(iter_jsonl(file), start=1):
            answer = record.get("original_output") or record.get("output")
            if not isinstance(record.get("input"), str) or not isinstance(answer, str):
                raise DataError(f"{file}: line {number}: needs 'input' and 'original_output' (or 'output')")
            pairs.append(Pair(str(record.get("id") or f"{file.stem}-{number}"), record["input"], answer))
    if not pairs:
        raise DataError(f"{folder}: the split files have no rows")
    return pairs, [{"path": str(f), "sha256": sha256_file(f)} for f in files]


def audit(
    settings: Settings,
    input_path: str | Path | None = None,
    data_dir: str | Path | None = None,
    output_dir: str | Path | None = None,
    progress: ProgressFn | None = None,
) -> AuditResult:
    """Audit raw files (``input_path``, else ``[data] raw_dir``) or a processed folder
    (``data_dir``) into ``output_dir`` (default: a stamped folder under ``outputs/audit``)."""
    progress = progress or no_progress
    progress("read", 0, 1)
    pairs, inputs = read_processed(data_dir) if data_dir else read_raw(settings, input_path, progress)
    progress("read", 1, 1)
    with workers(len(pairs)) as pool:
        found = judge_all([(p.question, p.answer) for p in pairs], progress, pool)
    summary = {"inputs": inputs, **summarize(pairs, found)}
    out = Path(output_dir) if output_dir else stamped_dir(DEFAULT_PARENT)
    with atomic_dir(out, replaces=OUTPUT_MARKER) as tmp:
        write_jsonl(
            tmp / "audit.jsonl", (row(i, p, j) for i, (p, j) in enumerate(zip(pairs, found, strict=True)))
        )
        write_json(tmp / "audit_summary.json", summary)
        write_text(tmp / "audit_report.md", report(summary))
    if output_dir is None:
        point_latest(out)
    return AuditResult(
        out, summary, [out / n for n in ("audit.jsonl", "audit_summary.json", "audit_report.md")]
    )


def share(rate: dict[str, Any]) -> str:
    """``12.5% (3 of 24)``, marked when n is too small to judge."""
    if not rate["n"]:
        return "- (n = 0)"
    text = f"{rate['rate']:.1%} ({rate['count']:,} of {rate['n']:,})"
    return text + (" — too few to judge" if rate["n"] < MIN_N else "")


def report(summary: dict[str, Any]) -> str:
    """``audit_report.md``: rates, under-triage by specialty, warning signs, examples."""
    n, inputs = summary["rows"], summary["inputs"]
    lines = [
        "# Data audit",
        "",
        *(
            f"- Input: `{i.get('path') or i.get('dataset')}` (sha256 `{i.get('sha256', '-')}`)"
            for i in inputs
        ),
        f"- Rows: {n:,}",
        "- Detectors: `medtune.medical` rules (their agreement with human labels is in the README).",
        "",
        "## Rates",
        "",
        "| property | share |",
        "|---|---|",
        *(f"| {PROPERTIES[k]} | {share(summary['rates'][k])} |" for k in PROPERTIES),
        "",
        "Under-triage is counted over the red-flag questions; every other share over all rows.",
        "",
        "## Under-triage by specialty",
        "",
        "| specialty | rows | red-flag questions | under-triaged | share of its red flags |",
        "|---|---|---|---|---|",
    ]
    for name, entry in summary["by_specialty"].items():
        rate = _rate(entry["under_triage"], entry["red_flag_question"])
        lines.append(
            f"| {name} | {entry['rows']:,} | {entry['red_flag_question']:,} | {entry['under_triage']:,} "
            f"| {share(rate)} |"
        )
    lines += ["", "## Warning signs in the questions", ""]
    lines += [f"- {sign}: {count:,}" for sign, count in summary["red_flag_signs"].items()] or ["- none"]
    lines += ["", f"## Under-triaged examples (first {EXAMPLES})", ""]
    for example in summary["examples"]:
        question = " ".join(example["question"].split())
        excerpt = question[:300] + ("…" if len(question) > 300 else "")
        lines.append(f"- `{example['id']}` — {', '.join(example['signs'])}: {excerpt}")
    if not summary["examples"]:
        lines.append("- none")
    return "\n".join(lines) + "\n"
