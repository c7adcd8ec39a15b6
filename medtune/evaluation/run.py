"""``evaluate(settings)``: generate on the test split, score, compare, report.

Files in the run folder (``eval.run_dir``, default ``eval.output_dir/<stamp>``, with
``eval.output_dir/latest`` pointing at the newest):

- ``predictions.jsonl``: APPEND-ONLY while generating, one line per answer as it is made,
  so an interrupted evaluation restarted with the same folder skips the ids already there
  (a torn last line is dropped). When all answers exist it is replaced atomically by the
  full records with scores (schema below). ``baseline_predictions.jsonl`` streams the base
  model's answers the same way and is folded into ``predictions.jsonl`` at the end.
- ``metrics.json``, ``evaluation_report.md``, ``model_comparison.md``: written atomically
  once everything is scored; ``manifest.json`` at the start (settings, versions) guards
  resuming with different decoding settings.

``predictions.jsonl`` record: ``id``, ``question``, ``reference``, ``prediction``,
``finished`` (EOS before ``max_new_tokens``), ``num_new_tokens``, ``scores`` ({metric:
float}); with a baseline ``baseline_prediction``, ``baseline_finished``,
``baseline_num_new_tokens``, ``baseline_scores``; for iCliniq ``extra_references``
({system: answer}) and ``extra_scores`` ({system: {metric: float}}).
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune import medical
from medtune.config import ModelSettings, Settings, settings_dict
from medtune.data.sample import sample_path
from medtune.data.template import render_prompt
from medtune.errors import DataError, ModelError, UsageError
from medtune.evaluation import metrics as M
from medtune.evaluation.examples import Example, load_examples
from medtune.evaluation.generate import generate
from medtune.evaluation.predictions import read_predictions
from medtune.evaluation.report import fmt_delta, verdict, write_reports
from medtune.evaluation.specs import GATED, GROUPS
from medtune.evaluation.stats import Comparison, Interval, bootstrap_ci, paired_comparison
from medtune.io import append_jsonl, mend_jsonl_tail, read_jsonl, sha256_file
from medtune.modeling.device import pick_device
from medtune.modeling.hub import resolve_model
from medtune.modeling.loader import as_trained, base_model_of, load_for_inference, load_model
from medtune.modeling.tiny import build_tiny_model
from medtune.progress import ProgressFn, no_progress
from medtune.runs import package_versions, point_latest, stamped_dir, trained_settings, write_manifest

#: Systems, and the stages ``progress(stage, done, total)`` reports (with "scoring").
FINETUNED, BASE = "fine-tuned", "base"
PREDICTIONS, BASELINE_STREAM = "predictions.jsonl", "baseline_predictions.jsonl"
#: Settings that must match (with the data file's sha256) for a run folder to be resumed.
RESUME_KEYS = ("model_path", "base_model", "temperature", "top_p", "max_new_tokens", "seed")


@dataclass(frozen=True)
class Row:
    """One metric: each system's mean with CI, and fine-tuned minus base when compared."""

    metric: str
    systems: dict[str, Interval]
    comparison: Comparison | None = None


@dataclass
class EvalResult:
    """What an evaluation produced: its folder, the metrics.json content and table rows."""

    output_dir: Path
    metrics: dict[str, Any]
    rows: list[Row]
    files: list[Path] = field(default_factory=list)
    bertscore: M.BertScoreBackend | None = None
    #: One-line remarks for the user (a run folder resumed, or found finished).
    notes: list[str] = field(default_factory=list)


# -- streaming predictions -----------------------------------------------------------------------


def read_stream(path: Path) -> dict[str, dict[str, Any]]:
    """Records already streamed to ``path`` by id. A torn last line (a crash mid-write) is
    cut off the file, a whole one missing its newline gets it; any other bad line is a
    DataError."""
    if not path.is_file():
        return {}
    mend_jsonl_tail(path)
    return {r["id"]: r for r in read_jsonl(path)}


def _generate_stream(
    model: Any,
    tokenizer: Any,
    examples: Sequence[Example],
    done: dict[str, dict[str, Any]],
    path: Path,
    settings: Settings,
    stage: str,
    progress: ProgressFn,
) -> dict[str, dict[str, Any]]:
    """Generate answers for the examples not in ``done``, appending each batch to ``path``."""

    cfg = settings.eval
    todo = [e for e in examples if e.id not in done]
    total, finished = len(examples), len(examples) - len(todo)
    progress(stage, finished, total)
    prompts = [render_prompt(tokenizer, e.record) for e in todo]
    for batch in generate(
        model,
        tokenizer,
        prompts,
        max_new_tokens=cfg.max_new_tokens,
        temperature=cfg.temperature,
        top_p=cfg.top_p,
        batch_size=cfg.batch_size,
        seed=cfg.seed,
    ):
        records: list[dict[str, Any]] = [
            {
                "id": todo[i].id,
                "question": todo[i].question,
                "reference": todo[i].reference,
                "prediction": g.prediction,
                "finished": g.finished,
                "num_new_tokens": g.num_new_tokens,
            }
            for i, g in batch
        ]
        append_jsonl(path, records)
        done.update((r["id"], r) for r in records)
        finished += len(records)
        progress(stage, finished, total)
    return done


# -- run folder ----------------------------------------------------------------------------------


def _run_dir(settings: Settings) -> tuple[Path, bool]:
    """The run folder, created, and whether it is the default stamped one (then ``latest``
    follows it)."""
    if settings.eval.run_dir:
        path = Path(settings.eval.run_dir)
        path.mkdir(parents=True, exist_ok=True)
        return path, False
    return stamped_dir(settings.eval.output_dir), True


def _made_before(run_dir: Path | None, key: dict[str, Any], baseline: bool) -> dict[str, dict[str, Any]]:
    """Answers an earlier evaluation left in ``run_dir`` (a given folder), by system then id.
    Raises UsageError for a folder that is a file or holds other generation settings."""
    made: dict[str, dict[str, Any]] = {FINETUNED: {}, **({BASE: {}} if baseline else {})}
    if run_dir is None or not run_dir.exists():
        return made
    if not run_dir.is_dir():
        raise UsageError(f"{run_dir}: --output-dir is a file; pass a folder")
    _check_resume(run_dir, key)
    previous = read_stream(run_dir / PREDICTIONS)
    made[FINETUNED] = previous
    if baseline:
        made[BASE] = _baseline_done(previous, run_dir)
    return made


def _missing(examples: Sequence[Example], made: dict[str, dict[str, Any]]) -> int:
    return sum(e.id not in made for e in examples)


def _resume_note(run_dir: Path, examples: int, missing: dict[str, int]) -> str:
    """What an earlier evaluation left in ``run_dir``, and what this one does about it."""
    total = examples * len(missing)
    if not any(missing.values()):
        return f"{run_dir}: all {total} answers are there already: nothing generated, reports written again"
    return f"{run_dir}: {total - sum(missing.values())} of {total} answers there already: resuming"


def _check_resume(run_dir: Path, key: dict[str, Any]) -> None:
    manifest = run_dir / "manifest.json"
    if not manifest.is_file():
        return
    before = json.loads(manifest.read_text(encoding="utf-8")).get("generation", {})
    changed = [k for k in key if k in before and before[k] != key[k]]
    if changed:
        raise UsageError(
            f"{run_dir}: holds an evaluation with different {', '.join(changed)}; "
            "pass a new --output-dir or the same settings to resume"
        )


# -- models --------------------------------------------------------------------------------------


def _check_model_path(path: str | None) -> Path:
    if not path:
        raise UsageError("no model to evaluate: pass --model-path (an adapter or model folder)")
    folder = Path(path)
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder (expected an adapter or a saved model)")
    return folder


def base_name(settings: Settings, model_path: Path) -> str:
    """The base of the model under evaluation: ``--base-model``, else the adapter's or the
    training run's (:func:`medtune.modeling.loader.base_model_of`), else ``[model]
    model_name`` when the user set it. Nothing to go on is a one-line UsageError (before any
    work)."""
    if base := settings.eval.base_model or base_model_of(model_path):
        return base
    if "model_name" in settings.model.model_fields_set:
        return settings.model.model_name
    raise UsageError(
        f"{model_path}: cannot tell which base model to compare with (no adapter config, no run "
        "manifest); pass --base-model"
    )


def _load_base(base: str, model: ModelSettings, device: str) -> Any:
    """The base model loaded on its own, with the fine-tuned model's precision and bits."""
    return load_model(model.model_copy(update={"model_name": base}), for_training=False, device=device)


def _data_path(settings: Settings, model_path: Path) -> Path:
    """The test file: ``--data-path``, else ``test.jsonl`` of the data folder the run
    trained on (unless ``[data] data_dir`` is set), else of ``[data] data_dir``."""
    if settings.eval.data_path:
        return Path(settings.eval.data_path)
    data_dir = settings.data.data_dir
    if "data_dir" not in settings.data.model_fields_set:
        data_dir = trained_settings(model_path, "data").get("data_dir") or data_dir
    return Path(data_dir) / "test.jsonl"


def _release() -> None:
    """Return freed model memory (CPU and GPU) before the next model loads."""
    import torch

    gc.collect()
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def _baseline_done(previous: dict[str, dict[str, Any]], run_dir: Path) -> dict[str, dict[str, Any]]:
    """Base answers already made: streamed, or folded into a finished predictions.jsonl."""
    done = {
        i: {
            "id": i,
            "prediction": r["baseline_prediction"],
            "finished": r["baseline_finished"],
            "num_new_tokens": r["baseline_num_new_tokens"],
        }
        for i, r in previous.items()
        if "baseline_prediction" in r
    }
    return done | read_stream(run_dir / BASELINE_STREAM)


# -- scoring -------------------------------------------------------------------------------------


def _intervals(scores: M.SystemScores, resamples: int, seed: int) -> dict[str, Interval]:
    out = {}
    for metric, values in scores.per_example.items():
        defined = [v for v in values if v is not None]
        if defined:
            out[metric] = bootstrap_ci(defined, resamples=resamples, seed=seed)
    return out


def _compare(a: M.SystemScores, b: M.SystemScores, resamples: int, seed: int) -> dict[str, Comparison]:
    out = {}
    for metric, values in a.per_example.items():
        pairs = [
            (x, y)
            for x, y in zip(values, b.per_example.get(metric, []), strict=False)
            if x is not None and y is not None
        ]
        if pairs:
            xs, ys = zip(*pairs, strict=True)
            out[metric] = paired_comparison(xs, ys, resamples=resamples, seed=seed)
    return out


def _generation_stats(by_id: dict[str, dict[str, Any]], examples: Sequence[Example]) -> dict[str, float]:
    """EOS rate and mean length over this run's examples (a resumed folder may hold more)."""
    rows = [by_id[e.id] for e in examples]
    return {
        "finished_rate": sum(r["finished"] for r in rows) / len(rows),
        "mean_new_tokens": sum(r["num_new_tokens"] for r in rows) / len(rows),
    }


def evaluate(settings: Settings, *, progress: ProgressFn | None = None) -> EvalResult:
    """Generate answers with the fine-tuned model (and the base with ``eval.baseline``), or
    read them from ``eval.predictions_file``, then score them, compute bootstrap CIs and
    paired comparisons, and write the run folder.

    Every input is checked before anything is written: a missing model folder, an
    adapter whose base cannot be loaded, a missing/empty/malformed data or predictions
    file or an unknown metric raise a MedtuneError and leave no file behind."""
    progress = progress or no_progress
    cfg = settings.eval
    metrics = M.select_metrics(cfg.metrics)
    backend = M.resolve_bertscore(cfg.bertscore_model) if set(metrics) & set(GROUPS["bertscore"]) else None
    if cfg.predictions_file:
        source, examples, generated, run_dir, stamped, notes = _read_answers(settings)
    else:
        source, examples, generated, run_dir, stamped, notes = _generate_answers(settings, progress)
    summary, rows, records = _score(settings, metrics, backend, examples, generated, progress)
    summary = {**source, **summary}
    files = write_reports(run_dir, summary, rows, records)
    (run_dir / BASELINE_STREAM).unlink(missing_ok=True)
    if stamped or run_dir.parent.resolve() == Path(cfg.output_dir).resolve():
        point_latest(run_dir)
    return EvalResult(run_dir, summary, rows, files, backend, notes)


Generated = dict[str, dict[str, dict[str, Any]]]


def _generate_answers(
    settings: Settings, progress: ProgressFn
) -> tuple[dict[str, Any], list[Example], Generated, Path, bool, list[str]]:
    """Load the model(s) and generate, resuming a given run folder (a finished one loads
    nothing): what was evaluated, the examples, each system's answers by id, the run folder,
    whether it is stamped, and notes for the user."""
    cfg = settings.eval
    model_path = _check_model_path(cfg.model_path)
    data_path = _data_path(settings, model_path)
    examples = load_examples(
        data_path, cfg.num_samples, settings.data.question_field, settings.data.answer_field
    )
    weights, from_run = as_trained(model_path, settings.model)
    base = base_name(settings, model_path) if cfg.baseline else None
    if base is not None:
        resolve_model(base, weights.cache_dir, weights.revision)  # fails now, not after generating
    key = {k: getattr(cfg, k) for k in RESUME_KEYS} | {"data_sha256": sha256_file(data_path)}
    given = Path(cfg.run_dir) if cfg.run_dir else None
    generated = _made_before(given, key, base is not None)
    missing = {name: _missing(examples, made) for name, made in generated.items()}
    notes = [_resume_note(given, len(examples), missing)] if given and any(generated.values()) else []
    model: Any = None
    tokenizer: Any = None
    if any(missing.values()):  # a finished folder run again loads no model
        model, tokenizer = load_for_inference(model_path, cfg.base_model, weights)

    run_dir, stamped = _run_dir(settings)
    write_manifest(run_dir, settings=settings_dict(settings), generation=key)
    if missing[FINETUNED]:
        generated[FINETUNED] = _generate_stream(
            model,
            tokenizer,
            examples,
            generated[FINETUNED],
            run_dir / PREDICTIONS,
            settings,
            FINETUNED,
            progress,
        )
    if base is not None and missing.get(BASE):
        # An adapter compared with its own base switches the adapter off (no second load);
        # otherwise the fine-tuned model is freed first. Both use the fine-tuned model's
        # tokenizer, so the prompts are identical.
        stream = run_dir / BASELINE_STREAM
        if hasattr(model, "disable_adapter"):
            with model.disable_adapter():
                generated[BASE] = _generate_stream(
                    model, tokenizer, examples, generated[BASE], stream, settings, BASE, progress
                )
        else:
            del model
            _release()
            model = _load_base(base, weights, pick_device(weights.device))
            generated[BASE] = _generate_stream(
                model, tokenizer, examples, generated[BASE], stream, settings, BASE, progress
            )
    del model
    _release()
    source = {
        "model_path": str(model_path),
        "base_model": base,
        "weights": {"precision": weights.precision, "bits": weights.bits, "from_run": from_run},
        "data": {"path": str(data_path), "sha256": key["data_sha256"], "num_examples": len(examples)},
        "decoding": {
            k: getattr(cfg, k) for k in ("temperature", "top_p", "max_new_tokens", "batch_size", "seed")
        },
        "generation": {name: _generation_stats(by_id, examples) for name, by_id in generated.items()},
    }
    return source, examples, generated, run_dir, stamped, notes


def _read_answers(
    settings: Settings,
) -> tuple[dict[str, Any], list[Example], Generated, Path, bool, list[str]]:
    """Answers made elsewhere, from ``eval.predictions_file`` (no model is loaded)."""
    cfg = settings.eval
    path = Path(cfg.predictions_file or "")
    rows = read_predictions(path)[: cfg.num_samples]
    seen: set[str] = set()
    for row in rows:
        if row.id in seen:
            raise DataError(f"{path}:{row.line}: duplicate id {row.id!r}")
        seen.add(row.id)
    with_base = [row.baseline_prediction is not None for row in rows]
    if any(with_base) and not all(with_base):
        line = rows[with_base.index(False)].line
        raise DataError(f"{path}:{line}: 'baseline_prediction' is missing (other lines have one)")
    examples = [Example(row.id, row.question, row.reference) for row in rows]
    generated: Generated = {FINETUNED: {r.id: {"id": r.id, "prediction": r.prediction} for r in rows}}
    if all(with_base):
        generated[BASE] = {r.id: {"id": r.id, "prediction": r.baseline_prediction} for r in rows}
    run_dir, stamped = _run_dir(settings)
    sha = sha256_file(path)
    write_manifest(run_dir, settings=settings_dict(settings), predictions={"path": str(path), "sha256": sha})
    source = {
        "model_path": None,
        "base_model": None,
        "data": {"path": str(path), "sha256": sha, "num_examples": len(examples)},
        "decoding": None,
        "generation": {},
    }
    return source, examples, generated, run_dir, stamped, []


def _score(
    settings: Settings,
    metrics: list[str],
    backend: M.BertScoreBackend | None,
    examples: Sequence[Example],
    generated: Generated,
    progress: ProgressFn,
) -> tuple[dict[str, Any], list[Row], list[dict[str, Any]]]:
    """Score every system; the metrics.json content (less its source), rows and records."""
    cfg = settings.eval
    questions = [e.question for e in examples]
    references = [e.reference for e in examples]
    answers = {name: [by_id[e.id]["prediction"] for e in examples] for name, by_id in generated.items()}
    for name in examples[0].extra_references:
        if all(e.extra_references.get(name) for e in examples):
            answers[name] = [e.extra_references[name] for e in examples]
    bertscorer = M.BertScorer(backend) if backend is not None and backend.model else None
    scores: dict[str, M.SystemScores] = {}
    for done, (name, texts) in enumerate(answers.items()):
        progress("scoring", done, len(answers))
        scores[name] = M.score_system(texts, references, questions, metrics, bertscorer)
    progress("scoring", len(answers), len(answers))

    resamples, seed = cfg.bootstrap_samples, cfg.seed
    intervals = {name: _intervals(s, resamples, seed) for name, s in scores.items()}
    comparisons = {
        f"{FINETUNED} vs {other}": _compare(scores[FINETUNED], scores[other], resamples, seed)
        for other in scores
        if other != FINETUNED
    }
    vs_base = comparisons.get(f"{FINETUNED} vs {BASE}", {})
    rows = [
        Row(metric, {name: iv[metric] for name, iv in intervals.items() if metric in iv}, vs_base.get(metric))
        for metric in metrics
        if metric in intervals[FINETUNED]
    ]
    summary = {
        "metrics": metrics,
        "backends": _backends(backend),
        "bootstrap": {
            "resamples": resamples,
            "confidence": 0.95,
            "seed": seed,
            "p_value": "two-sided sign-flip permutation",
        },
        "systems": {name: {m: iv.to_dict() for m, iv in ivs.items()} for name, ivs in intervals.items()},
        "corpus": {name: s.corpus for name, s in scores.items() if s.corpus},
        "comparisons": {label: {m: c.to_dict() for m, c in cs.items()} for label, cs in comparisons.items()},
        "reference_rates": _reference_rates(references, questions),
    }
    return summary, rows, _records(examples, generated, scores)


def regressions(summary: dict[str, Any]) -> list[str]:
    """The gated metrics (:data:`medtune.evaluation.specs.GATED`) on which the fine-tuned
    model is worse than its base: the delta's 95% CI lies wholly below zero, on enough
    answers to judge. One ``metric: delta [CI] (n = N)`` line each."""

    compared = summary["comparisons"].get(f"{FINETUNED} vs {BASE}", {})
    return [
        f"{metric}: {fmt_delta(metric, c)} (n = {c['n']})"
        for metric, c in compared.items()
        if metric in GATED and verdict(metric, c) == "worse"
    ]


def _backends(backend: M.BertScoreBackend | None) -> dict[str, Any]:

    versions = package_versions()
    out: dict[str, Any] = {
        "rouge": f"rouge-score {versions.get('rouge-score', '?')} (stemming, F-measure)",
        "bleu": f"sacrebleu {versions.get('sacrebleu', '?')} (sentence BLEU, effective order; corpus BLEU)",
        "chrf": f"sacrebleu {versions.get('sacrebleu', '?')} chrF",
        "medical": "medtune.medical rules + lexicons",
    }
    if backend is not None:
        out["bertscore"] = backend.to_dict()
    return out


def _reference_rates(references: Sequence[str], questions: Sequence[str]) -> dict[str, float | int]:
    """How often the doctors' own answers have each property (context for the model's)."""

    n = len(references)
    return {
        "diagnosis": sum(map(medical.has_diagnosis, references)) / n,
        "treatment": sum(map(medical.has_treatment, references)) / n,
        "structure": sum(map(medical.has_structure, references)) / n,
        "urgent_care": sum(map(medical.advises_urgent_care, references)) / n,
        "red_flag_questions": sum(map(medical.is_red_flag_question, questions)),
    }


def _records(
    examples: Sequence[Example],
    generated: dict[str, dict[str, dict[str, Any]]],
    scores: dict[str, M.SystemScores],
) -> list[dict[str, Any]]:
    records = []
    for index, example in enumerate(examples):
        made = generated[FINETUNED][example.id]
        record: dict[str, Any] = {
            "id": example.id,
            "question": example.question,
            "reference": example.reference,
        }
        record |= {k: made[k] for k in ("prediction", "finished", "num_new_tokens") if k in made}
        record["scores"] = scores[FINETUNED].example(index)
        if BASE in generated:
            base = generated[BASE][example.id]
            record |= {
                f"baseline_{k}": base[k] for k in ("prediction", "finished", "num_new_tokens") if k in base
            }
            record["baseline_scores"] = scores[BASE].example(index)
        extras = {name: s.example(index) for name, s in scores.items() if name not in (FINETUNED, BASE)}
        if example.extra_references:
            record["extra_references"] = example.extra_references
            record["extra_scores"] = extras
        records.append(record)
    return records


def smoke_settings(settings: Settings, workdir: Path) -> Settings:
    """Settings for a quick check of a config: 4 examples, 16 new tokens, unquantized fp32.
    A model path that does not exist is replaced by a fresh tiny model built in
    ``workdir``; a missing data file by the bundled sample; outputs go to a stamped folder
    in ``workdir`` unless a run folder was given."""

    cfg = settings.eval
    updates: dict[str, Any] = {
        "num_samples": min(cfg.num_samples or 4, 4),
        "max_new_tokens": min(cfg.max_new_tokens, 16),
        "batch_size": min(cfg.batch_size, 4),
        "bootstrap_samples": min(cfg.bootstrap_samples, 200),
    }
    if not cfg.model_path or not Path(cfg.model_path).is_dir():
        updates["model_path"] = str(build_tiny_model(workdir / "tiny-model"))
    data_path = Path(cfg.data_path or Path(settings.data.data_dir) / "test.jsonl")
    if not data_path.is_file():
        updates["data_path"] = str(sample_path())
    if not cfg.run_dir:
        updates["run_dir"] = str(stamped_dir(workdir))
    model = settings.model.model_copy(update={"bits": 16, "precision": "fp32"})
    return settings.model_copy(update={"eval": cfg.model_copy(update=updates), "model": model})
