"""``medtune benchmark``: MultiMedQA accuracy through lm-evaluation-harness, fine-tuned vs base."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medtune.benchmark import benchmark as run
from medtune.cli.console import console, handle_errors
from medtune.cli.options import ConfigOpt, settings
from medtune.cli.progress import stage_bars

if TYPE_CHECKING:
    from medtune.benchmark.run import BenchmarkResult
    from medtune.config import Settings


@handle_errors
def benchmark(
    model_path: Annotated[
        Path | None, typer.Option(help="Adapter folder (base read from it) or full model.")
    ] = None,
    baseline: Annotated[
        bool | None, typer.Option("--baseline/--no-baseline", help="Also score the base model, paired.")
    ] = None,
    base_model: Annotated[
        str | None, typer.Option(help="Base model name or folder (overrides the adapter's or the run's).")
    ] = None,
    tasks: Annotated[
        str | None,
        typer.Option(
            help="multimedqa, or lm-eval task names: medqa_4options,medmcqa,pubmedqa,mmlu_anatomy,..."
        ),
    ] = None,
    limit: Annotated[int | None, typer.Option(help="Score the first N items of each task.")] = None,
    num_fewshot: Annotated[int | None, typer.Option(help="Solved examples before each question.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Sequences per forward pass.")] = None,
    data_dir: Annotated[
        Path | None,
        typer.Option(
            help="Original releases: pubmedqa/, medqa/, medmcqa/, mmlu/ (default: benchmark.data_dir)."
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-o", help="Run folder (default: outputs/benchmark/<stamp>)."),
    ] = None,
    fail_on_regression: Annotated[
        bool | None,
        typer.Option("--fail-on-regression", help="Exit 3 when a task's delta CI lies wholly below zero."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Score a fine-tuned model (and its base) on MultiMedQA with lm-evaluation-harness.

    Example: medtune benchmark --model-path outputs/run/final --baseline --tasks pubmedqa --limit 50
    """
    from medtune.benchmark.run import gate

    flags = {
        "model_path": None if model_path is None else str(model_path),
        "baseline": baseline,
        "base_model": base_model,
        "tasks": None if tasks is None else [tasks],
        "limit": limit,
        "num_fewshot": num_fewshot,
        "batch_size": batch_size,
        "data_dir": None if data_dir is None else str(data_dir),
        "run_dir": None if output_dir is None else str(output_dir),
        "fail_on_regression": fail_on_regression,
    }
    cfg = settings(config, benchmark=flags)
    result = _run_with_progress(cfg)
    render(result)
    if cfg.benchmark.fail_on_regression:
        gate(result)


def _run_with_progress(cfg: Settings) -> BenchmarkResult:
    with stage_bars() as progress:
        return run(cfg, progress=progress)


def render(result: BenchmarkResult) -> None:
    """task | n | fine-tuned | base | delta [95% CI] | McNemar p (accuracy in %; the report has
    each system's CI), the delta green or red when its CI excludes zero, dim otherwise; then
    where the files are."""
    from rich.table import Table

    from medtune.benchmark.report import fmt_accuracy, fmt_delta, pct, rows
    from medtune.evaluation.run import BASE, FINETUNED

    summary = result.summary
    has_base = bool(summary["comparisons"])
    table = Table(title=f"Accuracy (%), lm-evaluation-harness {summary['lm_eval']}")
    columns = ("task", "n", *((FINETUNED, BASE, "delta [95% CI]", "McNemar p") if has_base else (FINETUNED,)))
    for column in columns:
        table.add_column(column, justify="left" if column == "task" else "right", no_wrap=column != "task")
    for label, systems, c in rows(summary):
        n = str(systems[FINETUNED]["n"])
        if not has_base or c is None:
            table.add_row(label, n, fmt_accuracy(systems[FINETUNED]))
            continue
        style = "dim" if not c["significant"] else "green" if c["delta"] > 0 else "red"
        accuracies = (pct(systems[s]["accuracy"]) for s in (FINETUNED, BASE))
        table.add_row(label, n, *accuracies, f"[{style}]{fmt_delta(c)}[/{style}]", f"{c['mcnemar_p']:.3g}")
    console().print(table)
    files = ", ".join(p.name for p in result.files)
    console().print(f"Wrote {result.output_dir}/ ({files})", markup=False, soft_wrap=True)
