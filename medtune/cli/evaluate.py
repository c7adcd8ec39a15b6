"""``medtune eval``: generate on the test split and score against references."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, SeedOpt, settings

if TYPE_CHECKING:
    from medtune.evaluation.run import EvalResult
    from medtune.evaluation.stats import Comparison

#: Metrics where a higher value is not simply better (over-alarming, over-technical answers).
NO_DIRECTION = frozenset({"urgent_care", "term_ratio"})


@handle_errors
def evaluate(
    model_path: Annotated[
        Path | None, typer.Option(help="Adapter folder (base read from it) or full model.")
    ] = None,
    data_path: Annotated[
        Path | None,
        typer.Option(help="Processed JSONL or iCliniq-schema file (default: <data_dir>/test.jsonl)."),
    ] = None,
    baseline: Annotated[
        bool | None, typer.Option("--baseline/--no-baseline", help="Also evaluate the base model.")
    ] = None,
    base_model: Annotated[
        str | None, typer.Option(help="Base model name or folder (overrides the adapter's).")
    ] = None,
    num_samples: Annotated[int | None, typer.Option(help="Evaluate the first N examples.")] = None,
    temperature: Annotated[float | None, typer.Option(help="0 = greedy decoding.")] = None,
    top_p: Annotated[float | None, typer.Option(help="Nucleus sampling mass (temperature > 0).")] = None,
    max_new_tokens: Annotated[int | None, typer.Option(help="Generation length cap.")] = None,
    batch_size: Annotated[int | None, typer.Option(help="Prompts per generation batch.")] = None,
    seed: SeedOpt = None,
    output_dir: Annotated[
        Path | None,
        typer.Option(
            "--output-dir", "-o", help="Run folder (default: outputs/evaluation/<stamp>); reuse to resume."
        ),
    ] = None,
    bertscore_model: Annotated[str | None, typer.Option(help="BERTScore encoder (name or folder).")] = None,
    metrics: Annotated[
        str | None, typer.Option(help="Comma-separated: rouge,bleu,chrf,bertscore,medical or metric names.")
    ] = None,
    smoke: Annotated[
        bool, typer.Option("--smoke", help="Quick check: 4 examples, 16 tokens, tiny model if needed.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Evaluate a fine-tuned model (optionally against its base) with confidence intervals.

    Example: medtune eval --model-path outputs/run/final --baseline
    """
    from medtune.evaluation import evaluate as run
    from medtune.evaluation.run import smoke_settings

    flags = {
        "model_path": None if model_path is None else str(model_path),
        "data_path": None if data_path is None else str(data_path),
        "baseline": baseline,
        "base_model": base_model,
        "num_samples": num_samples,
        "temperature": temperature,
        "top_p": top_p,
        "max_new_tokens": max_new_tokens,
        "batch_size": batch_size,
        "seed": seed,
        "run_dir": None if output_dir is None else str(output_dir),
        "bertscore_model": bertscore_model,
        "metrics": None if metrics is None else [metrics],
    }
    cfg = settings(config, eval=flags)
    if smoke:
        cfg = smoke_settings(cfg, Path(cfg.eval.output_dir) / "smoke")
        e = cfg.eval
        note(f"smoke: {e.num_samples} examples, model {e.model_path}, outputs {e.run_dir}")
    render(_run_with_progress(run, cfg))


def _run_with_progress(run: object, cfg: object) -> EvalResult:
    from medtune.cli.progress import stage_bars

    with stage_bars() as progress:
        return run(cfg, progress=progress)  # type: ignore[operator]


def _style(metric: str, comparison: Comparison | None) -> str:
    if comparison is None or not comparison.significant:
        return "dim"
    if metric in NO_DIRECTION:
        return "yellow"
    return "green" if comparison.delta > 0 else "red"


def render(result: EvalResult) -> None:
    """The comparison table: metric | fine-tuned | base | delta [CI], coloured when the CI
    excludes zero (green better, red worse; yellow for metrics without a better direction),
    dim otherwise; then where the files are."""
    from rich.table import Table

    from medtune.evaluation.report import bertscore_line, fmt, fmt_delta

    for line in result.notes:
        note(line)
    systems = list(result.metrics["systems"])
    table = Table(title=f"{result.metrics['data']['num_examples']} examples: mean, fine-tuned minus base")
    table.add_column("metric")
    for name in systems:
        table.add_column(name, justify="right")
    if "base" in systems:
        table.add_column("delta [95% CI]", justify="right")
    for row in result.rows:
        cells = [fmt(row.metric, row.systems[s].mean) if s in row.systems else "-" for s in systems]
        if "base" in systems:
            c = row.comparison
            style = _style(row.metric, c)
            cells.append("-" if c is None else f"[{style}]{fmt_delta(row.metric, c)}[/{style}]")
        table.add_row(row.metric, *cells)
    console().print(table)
    if line := bertscore_line(result.metrics):
        note(line.replace("**", ""))
    corpus = result.metrics.get("corpus", {})
    for name, scores in corpus.items():
        note(f"corpus {name}: " + ", ".join(f"{m} {fmt(m, v)}" for m, v in scores.items()))
    files = ", ".join(p.name for p in result.files)
    console().print(f"Wrote {result.output_dir}/ ({files})")
