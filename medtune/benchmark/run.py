"""``benchmark(settings)``: MultiMedQA accuracy of a fine-tuned model (and its base) through
lm-evaluation-harness, with confidence intervals and the paired comparison.

Files in the run folder (``benchmark.run_dir``, default ``benchmark.output_dir/<stamp>`` with
``benchmark.output_dir/latest`` pointing at the newest), all written at the end and swapped
in together, so a failed run leaves nothing:

- ``benchmark.json``: ``tasks.<task>.<system>.{accuracy, low, high, n}`` (systems
  ``fine-tuned`` and ``base``), ``comparisons.<task>`` (fine-tuned minus base: ``delta``,
  ``low``, ``high``, ``won``, ``lost``, ``tied``, ``n``, ``significant``, sign-flip
  ``p_value``, ``mcnemar_p``), ``aggregate`` (more than one task: all items pooled, the
  size-weighted mean), ``harness`` (lm-eval's own ``acc``/``acc_norm``), ``data`` (source
  and sha256 of each file read), ``settings``, ``regressions``;
- ``items.jsonl``: ``{task, doc_id, system, correct, chosen, gold}`` per task, item and system;
- ``benchmark_report.md``, ``manifest.json``.
"""

from __future__ import annotations

import gc
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.benchmark import harness
from medtune.benchmark.report import BENCHMARK, REPORT, write_outputs
from medtune.benchmark.results import regressions, summarize
from medtune.benchmark.sources import TaskData, resolve
from medtune.benchmark.tasks import select
from medtune.config import Settings, settings_dict
from medtune.errors import RegressionFound, UsageError
from medtune.evaluation.run import BASE, FINETUNED
from medtune.io import atomic_dir, check_replaceable
from medtune.modeling.device import pick_device
from medtune.modeling.hub import hub_reachable
from medtune.modeling.loader import base_model_of, load_for_inference, load_model
from medtune.runs import package_versions, point_latest, stamped_dir, write_manifest

#: ``progress(stage, done, total)`` over items; stages: "fine-tuned", "base".
ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    """Default progress callback."""


@dataclass
class BenchmarkResult:
    """What a benchmark produced: its folder, the benchmark.json content and the files."""

    output_dir: Path
    summary: dict[str, Any]
    files: list[Path]


def _data(tasks: list[TaskData], scored: dict[str, int]) -> dict[str, Any]:
    return {
        t.spec.name: {"source": t.source, "hub": t.spec.hub, "files": t.files, "n": scored[t.spec.name]}
        for t in tasks
    }


def benchmark(settings: Settings, *, progress: ProgressFn | None = None) -> BenchmarkResult:
    """Score ``benchmark.model_path`` (and with ``benchmark.baseline`` its base, on the same
    items) on the selected tasks and write the run folder.

    Inputs are checked before any model loads: unknown tasks, missing data, a missing model
    folder or an output folder holding other files raise a MedtuneError and nothing is
    written."""
    cfg = settings.benchmark
    names = select(cfg.tasks)
    if cfg.fail_on_regression and not cfg.baseline:
        raise UsageError("--fail-on-regression needs --baseline: the gate compares with the base model")
    if not cfg.model_path:
        raise UsageError("no model to benchmark: pass --model-path (an adapter or model folder)")
    model_path = Path(cfg.model_path)
    if cfg.run_dir:
        check_replaceable(Path(cfg.run_dir), (BENCHMARK,))
    tasks = resolve(names, cfg.data_dir, fewshot=cfg.num_fewshot > 0, hub_reachable=hub_reachable)
    base = (
        (cfg.base_model or base_model_of(model_path) or settings.model.model_name) if cfg.baseline else None
    )
    scores = _score(settings, model_path, tasks, base, progress or _noop)

    items = {system: s.items for system, s in scores.items()}
    stats = summarize(items, names, resamples=cfg.bootstrap_samples, seed=cfg.seed)
    summary: dict[str, Any] = {
        "model_path": str(model_path),
        "base_model": base,
        "lm_eval": package_versions().get("lm-eval", "?"),
        "settings": {
            "tasks": names,
            **{key: getattr(cfg, key) for key in ("limit", "num_fewshot", "batch_size")},
            "bits": settings.model.bits,
            "precision": settings.model.precision,
            "device": pick_device(settings.model.device),
        },
        "bootstrap": {"resamples": cfg.bootstrap_samples, "confidence": 0.95, "seed": cfg.seed},
        "data": _data(tasks, {name: len(items[FINETUNED][name]) for name in names}),
        **stats,
        "harness": {name: {system: s.harness[name] for system, s in scores.items()} for name in names},
        "regressions": regressions(stats),
    }
    run_dir, stamped = (Path(cfg.run_dir), False) if cfg.run_dir else (stamped_dir(cfg.output_dir), True)
    with atomic_dir(run_dir, replaces=(BENCHMARK,)) as folder:
        files = write_outputs(folder, summary, items)
        write_manifest(folder, command="benchmark", settings=settings_dict(settings))
    if stamped or run_dir.parent.resolve() == Path(cfg.output_dir).resolve():
        point_latest(run_dir)
    return BenchmarkResult(run_dir, summary, [run_dir / f.name for f in files])


def _score(
    settings: Settings, model_path: Path, tasks: list[TaskData], base: str | None, progress: ProgressFn
) -> dict[str, harness.Scores]:
    """Each system's scores. An adapter's base is scored
    by switching the adapter off (one model in memory); a full model's base is loaded after
    it is freed. Both use the fine-tuned model's tokenizer, so the token sequences match."""
    from peft import PeftModel

    cfg = settings.benchmark
    names = [t.spec.name for t in tasks]
    model, tokenizer = load_for_inference(model_path, cfg.base_model, settings.model)
    with tempfile.TemporaryDirectory(prefix="medtune-benchmark-") as tmp:
        harness.write_tasks(tasks, Path(tmp))

        def run(stage: str, lm: Any) -> harness.Scores:
            def report(done: int, total: int) -> None:
                progress(stage, done, total)

            return harness.score(
                lm, Path(tmp), names, limit=cfg.limit, num_fewshot=cfg.num_fewshot, progress=report
            )

        lm = harness.wrap(model, tokenizer, cfg.batch_size)
        scores = {FINETUNED: run(FINETUNED, lm)}
        if base is None:
            return scores
        if isinstance(model, PeftModel):
            with model.disable_adapter():
                scores[BASE] = run(BASE, lm)
            return scores
        del lm, model
        gc.collect()
        base_settings = settings.model.model_copy(update={"model_name": base})
        model = load_model(base_settings, for_training=False, device=pick_device(settings.model.device))
        scores[BASE] = run(BASE, harness.wrap(model, tokenizer, cfg.batch_size))
        return scores


def gate(result: BenchmarkResult) -> None:
    """The do-no-harm gate: RegressionFound (exit 3) when a task's delta CI lies wholly below zero."""
    if bad := result.summary["regressions"]:
        raise RegressionFound(
            f"do-no-harm gate: the fine-tuned model is worse than its base on {', '.join(bad)} "
            f"(delta CI wholly below zero); see {result.output_dir / REPORT}"
        )
