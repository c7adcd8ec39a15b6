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
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.config import Settings, settings_dict
from medtune.errors import ModelError, UsageError
from medtune.evaluation import metrics as M
from medtune.evaluation.examples import Example, load_examples
from medtune.evaluation.stats import Comparison, Interval, bootstrap_ci, paired_comparison
from medtune.io import read_jsonl, sha256_file

#: ``progress(stage, done, total)``; stages: "fine-tuned", "base", "scoring".
ProgressFn = Callable[[str, int, int], None]
FINETUNED, BASE = "fine-tuned", "base"
PREDICTIONS, BASELINE_STREAM = "predictions.jsonl", "baseline_predictions.jsonl"
#: Settings that must match (with the data file's sha256) for a run folder to be resumed.
RESUME_KEYS = ("model_path", "base_model", "temperature", "top_p", "max_new_tokens", "seed")


def _noop(stage: str, done: int, total: int) -> None:
    """Default progress callback."""


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


# -- streaming predictions -----------------------------------------------------------------------


def read_stream(path: Path) -> dict[str, dict[str, Any]]:
    """Records already streamed to ``path`` by id. A torn last line (a crash mid-write) is
    cut off the file, a whole one missing its newline gets it; any other bad line is a
    DataError."""
    if not path.is_file():
        return {}
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        try:
            json.loads(lines[-1])
            lines[-1] += "\n"
        except json.JSONDecodeError:
            lines.pop()
        path.write_text("".join(lines), encoding="utf-8")
    return {r["id"]: r for r in read_jsonl(path)}


def _append(path: Path, records: Sequence[dict[str, Any]]) -> None:
    with path.open("a", encoding="utf-8") as fh:
        fh.writelines(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        fh.flush()


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
    from medtune.data.template import render_prompt
    from medtune.evaluation.generate import generate

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
        records = [
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
        _append(path, records)
        done.update((r["id"], r) for r in records)
        finished += len(records)
        progress(stage, finished, total)
    return done


# -- run folder ----------------------------------------------------------------------------------


def _run_dir(settings: Settings) -> tuple[Path, bool]:
    """The run folder and whether it is the default stamped one (then ``latest`` follows it)."""
    from medtune.runs import stamped_dir

    if settings.eval.run_dir:
        path = Path(settings.eval.run_dir)
        if path.exists() and not path.is_dir():
            raise UsageError(f"{path}: --output-dir is a file; pass a folder")
        path.mkdir(parents=True, exist_ok=True)
        return path, False
    return stamped_dir(settings.eval.output_dir), True


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


def _base_name(settings: Settings, model_path: Path) -> str:
    """The base model: --base-model, else the adapter's or training run's, else model.model_name."""
    from medtune.modeling.loader import base_model_of

    return settings.eval.base_model or base_model_of(model_path) or settings.model.model_name


def _load_base(settings: Settings, model_path: Path) -> Any:
    """The base model loaded on its own (with the settings' quantization and device)."""
    from medtune.modeling.device import pick_device
    from medtune.modeling.loader import load_model

    model_settings = settings.model.model_copy(update={"model_name": _base_name(settings, model_path)})
    return load_model(model_settings, for_training=False, device=pick_device(settings.model.device))


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
    """Generate answers with the fine-tuned model (and the base with ``eval.baseline``),
    score them, compute bootstrap CIs and paired comparisons, and write the run folder.

    Every input is checked before anything is written: a missing model folder, an
    adapter whose base cannot be loaded, a missing/empty/malformed data file or an
    unknown metric raise a MedtuneError and leave no file behind."""
    from medtune.evaluation.report import write_reports
    from medtune.modeling.loader import load_for_inference
    from medtune.runs import point_latest, write_manifest

    progress = progress or _noop
    cfg = settings.eval
    metrics = M.select_metrics(cfg.metrics)
    data_path = Path(cfg.data_path or Path(settings.data.data_dir) / "test.jsonl")
    examples = load_examples(data_path, cfg.num_samples)
    model_path = _check_model_path(cfg.model_path)
    backend = M.resolve_bertscore(cfg.bertscore_model) if set(metrics) & set(M.GROUPS["bertscore"]) else None
    model, tokenizer = load_for_inference(model_path, cfg.base_model, settings.model)

    run_dir, stamped = _run_dir(settings)
    key = {k: getattr(cfg, k) for k in RESUME_KEYS} | {"data_sha256": sha256_file(data_path)}
    _check_resume(run_dir, key)
    write_manifest(run_dir, settings=settings_dict(settings), generation=key)

    previous = read_stream(run_dir / PREDICTIONS)
    generated = {
        FINETUNED: _generate_stream(
            model, tokenizer, examples, dict(previous), run_dir / PREDICTIONS, settings, FINETUNED, progress
        )
    }
    if cfg.baseline:
        # An adapter compared with its own base switches the adapter off (no second load);
        # otherwise the fine-tuned model is freed first. Both use the fine-tuned model's
        # tokenizer, so the prompts are identical.
        done, stream = _baseline_done(previous, run_dir), run_dir / BASELINE_STREAM
        if hasattr(model, "disable_adapter"):
            with model.disable_adapter():
                generated[BASE] = _generate_stream(
                    model, tokenizer, examples, done, stream, settings, BASE, progress
                )
        else:
            del model
            _release()
            model = _load_base(settings, model_path)
            generated[BASE] = _generate_stream(
                model, tokenizer, examples, done, stream, settings, BASE, progress
            )
    del model
    _release()

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
        "model_path": str(model_path),
        "base_model": _base_name(settings, model_path) if cfg.baseline else None,
        "data": {"path": str(data_path), "sha256": key["data_sha256"], "num_examples": len(examples)},
        "decoding": {
            k: getattr(cfg, k) for k in ("temperature", "top_p", "max_new_tokens", "batch_size", "seed")
        },
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
        "generation": {name: _generation_stats(by_id, examples) for name, by_id in generated.items()},
    }
    records = _records(examples, generated, scores)
    files = write_reports(run_dir, summary, rows, records)
    (run_dir / BASELINE_STREAM).unlink(missing_ok=True)
    if stamped or run_dir.parent.resolve() == Path(cfg.output_dir).resolve():
        point_latest(run_dir)
    return EvalResult(run_dir, summary, rows, files, backend)


def _backends(backend: M.BertScoreBackend | None) -> dict[str, Any]:
    from medtune.runs import package_versions

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
    from medtune import medical

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
        record = {
            k: made[k] for k in ("id", "question", "reference", "prediction", "finished", "num_new_tokens")
        }
        record["scores"] = scores[FINETUNED].example(index)
        if BASE in generated:
            base = generated[BASE][example.id]
            record["baseline_prediction"] = base["prediction"]
            record["baseline_finished"] = base["finished"]
            record["baseline_num_new_tokens"] = base["num_new_tokens"]
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
    from medtune.data.sample import sample_path
    from medtune.runs import stamped_dir

    cfg = settings.eval
    updates: dict[str, Any] = {
        "num_samples": min(cfg.num_samples or 4, 4),
        "max_new_tokens": min(cfg.max_new_tokens, 16),
        "batch_size": min(cfg.batch_size, 4),
        "bootstrap_samples": min(cfg.bootstrap_samples, 200),
    }
    if not cfg.model_path or not Path(cfg.model_path).is_dir():
        from medtune.modeling.tiny import build_tiny_model

        updates["model_path"] = str(build_tiny_model(workdir / "tiny-model"))
    data_path = Path(cfg.data_path or Path(settings.data.data_dir) / "test.jsonl")
    if not data_path.is_file():
        updates["data_path"] = str(sample_path())
    if not cfg.run_dir:
        updates["run_dir"] = str(stamped_dir(workdir))
    model = settings.model.model_copy(update={"bits": 16, "precision": "fp32"})
    return settings.model_copy(update={"eval": cfg.model_copy(update=updates), "model": model})
