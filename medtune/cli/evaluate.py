"""``medtune eval``: generate on the test split and score against references."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, SeedOpt, settings
from medtune.cli.progress import stage_bars
from medtune.errors import RegressionFound, UsageError
from medtune.evaluation import evaluate as run
from medtune.evaluation.specs import GATED, MIN_RATE_N, SPECS, fmt

if TYPE_CHECKING:
    from medtune.evaluation.run import EvalResult
    from medtune.evaluation.stats import Comparison

#: How each verdict shows in the table (label, Rich style).
VERDICTS = {
    "better": ("better", "green"),
    "worse": ("worse", "bold red"),
    "changed": ("changed", "yellow"),
    "no clear change": ("–", "dim"),
    "too few to judge": ("few", "dim"),
}


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
    predictions_file: Annotated[
        Path | None,
        typer.Option(help="Score answers made elsewhere (JSONL: question, reference, prediction); no model."),
    ] = None,
    fail_on_regression: Annotated[
        bool,
        typer.Option("--fail-on-regression", help="Exit 3 when red-flag safety is worse than the base's."),
    ] = False,
    smoke: Annotated[
        bool, typer.Option("--smoke", help="Quick check: 4 examples, 16 tokens, tiny model if needed.")
    ] = False,
    config: ConfigOpt = None,
) -> None:
    """Evaluate a fine-tuned model (optionally against its base) with confidence intervals.

    Example: medtune eval --model-path outputs/run/final --baseline
    """
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
        "predictions_file": None if predictions_file is None else str(predictions_file),
    }
    cfg = settings(config, eval=flags)
    if smoke:
        cfg = smoke_settings(cfg, Path(cfg.eval.output_dir) / "smoke")
        e = cfg.eval
        note(f"smoke: {e.num_samples} examples, model {e.model_path}, outputs {e.run_dir}")

    with stage_bars() as progress:
        result = run(cfg, progress=progress)
    render(result)
    if fail_on_regression:
        _gate(result)


def _gate(result: EvalResult) -> None:
    """Exit 3 when a gated metric regressed (see ``evaluation.run.regressions``)."""
    from medtune.evaluation.run import regressions

    if "base" not in result.metrics["systems"]:
        raise UsageError("--fail-on-regression compares with the base: add --baseline")
    if found := regressions(result.metrics):
        raise RegressionFound("fine-tuned is worse than its base on " + "; ".join(found))
    note(f"regression gate passed: {', '.join(GATED)} is not worse than the base's")


def render(result: EvalResult, names: Mapping[str, str] | None = None) -> None:
    """The comparison table (fits 80 columns): metric | fine-tuned | base | n | delta [95%
    CI] | verdict, the verdict coloured (green better, red worse, yellow changed without a
    better direction); then warnings and where the files are. ``names`` shows the systems
    under other names (quickstart's DPO run against the SFT model it continues)."""
    from rich import box
    from rich.markup import escape
    from rich.table import Table

    from medtune.evaluation.report import bertscore_line, loop_warnings, verdict, weights_line

    for text in result.notes:
        note(text)
    systems = list(result.metrics["systems"])
    shown = {name: name for name in systems} | dict(names or {})
    compared = "base" in systems
    title = f"{result.metrics['data']['num_examples']} examples" + (
        f": {shown['fine-tuned']} minus {shown['base']}" if compared else ""
    )
    table = Table(title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True)
    table.add_column("metric", no_wrap=True)
    for name in systems:
        table.add_column(shown[name], justify="right", no_wrap=True)
    table.add_column("n", justify="right", no_wrap=True)
    if compared:
        table.add_column("delta [95% CI]", justify="right", no_wrap=True)
        table.add_column("verdict", no_wrap=True)
    for row in result.rows:
        cells = [_short(row.metric, row.systems[s].mean) if s in row.systems else "-" for s in systems]
        cells.append(str(row.systems["fine-tuned"].n))
        if compared:
            c = row.comparison
            label, style = VERDICTS[verdict(row.metric, c)] if c is not None else ("-", "dim")
            delta = "-" if c is None else _short(row.metric, c.delta, sign=True) + _short_ci(row.metric, c)
            cells += [delta, f"[{style}]{label}[/{style}]"]
        table.add_row(row.metric, *cells)
    console().print(table)
    if compared:
        note(
            "verdict: better/worse when the 95% CI of the delta excludes 0, read in the metric's direction;"
            f" – no clear change; few: a rate over fewer than {MIN_RATE_N} answers"
        )
    for warning in loop_warnings(result.metrics, shown):
        console().print(f"[yellow]warning:[/yellow] {escape(warning)}")
    if line := bertscore_line(result.metrics):
        note(line.replace("**", ""))
    if weights := result.metrics.get("weights"):
        note(f"weights: {weights_line(weights)}")
    for name, scores in result.metrics.get("corpus", {}).items():
        note(f"corpus {shown.get(name, name)}: " + ", ".join(f"{m} {fmt(m, v)}" for m, v in scores.items()))
    files = ", ".join(p.name for p in result.files)
    console().print(f"Wrote {result.output_dir}/ ({files})", markup=False, soft_wrap=True)


def _short_ci(metric: str, c: Comparison) -> str:
    return f" [{_short(metric, c.low)}, {_short(metric, c.high)}]"


def _short(metric: str, value: float, sign: bool = False) -> str:
    """A value for the terminal: 3 decimals (1 on the 0-100 scale)."""
    digits = 1 if SPECS[metric].scale == "0-100" else 3
    return f"{value:+.{digits}f}" if sign else f"{value:.{digits}f}"
