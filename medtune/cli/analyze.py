"""``medtune analyze``: error analysis of an evaluation's predictions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from medtune.cli.console import console, handle_errors
from medtune.cli.options import ConfigOpt, settings
from medtune.cli.progress import stage_bars

if TYPE_CHECKING:
    from medtune.analysis import AnalysisResult

WEAKEST = 3
SNIPPET = 160


@handle_errors
def analyze(
    predictions_file: Annotated[
        Path | None,
        typer.Option(
            "--predictions-file",
            "-p",
            help="An evaluation's predictions.jsonl (default: the latest evaluation's).",
            dir_okay=False,
        ),
    ] = None,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-o", help="Run folder (default: outputs/error_analysis/<stamp>)."),
    ] = None,
    config: ConfigOpt = None,
) -> None:
    """Classify errors and specialties; write plots and a report.

    Example: medtune analyze --predictions-file outputs/evaluation/latest/predictions.jsonl
    --output-dir outputs/error_analysis/first-run
    """
    from medtune.analysis import analyze as run
    from medtune.analysis import default_predictions

    cfg = settings(
        config,
        analyze={
            "predictions_file": None if predictions_file is None else str(predictions_file),
            "run_dir": None if output_dir is None else str(output_dir),
        },
    )
    source = default_predictions(cfg)
    with stage_bars() as progress:
        a = cfg.analyze
        result = run(source, a.run_dir or a.output_dir, stamped=a.run_dir is None, progress=progress)
    render(result)


def render(result: AnalysisResult) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    from medtune.analysis import ERROR_TYPES
    from medtune.medical.specialty import DISPLAY_NAMES

    s = result.summary
    out = console()
    base = bool(s.n_baseline)
    titles = {t.name: t.title for t in ERROR_TYPES}
    errors = Table(title=f"Error types ({s.n_examples} examples)", title_justify="left")
    for column in ["error type", "fine-tuned", *(["base", "fixed", "introduced"] if base else [])]:
        errors.add_column(column, justify="left" if column == "error type" else "right")
    for name, count in s.top_errors:
        row = [titles[name], f"{count} ({100 * count / s.n_examples:.0f}%)"]
        if base:
            row += [
                str(s.baseline_error_counts[name]),
                f"[green]{s.fixed[name]}",
                f"[red]{s.introduced[name]}",
            ]
        errors.add_row(*row)
    out.print(errors if s.top_errors else "[green]No errors found.[/green]")

    metric = s.primary_metric or "errors"
    weakest = Table(title=f"Weakest specialties (by {metric})", title_justify="left")
    for column in ["specialty", "examples", metric, *(["base"] if base and s.primary_metric else [])]:
        weakest.add_column(column, justify="left" if column == "specialty" else "right")
    for st in s.weakest_specialties[:WEAKEST]:
        value = f"{st.score:.3f}" if st.score is not None else f"{100 * st.error_share:.0f}% with errors"
        extra = [f"{st.baseline_score:.3f}" if st.baseline_score is not None else "–"]
        weakest.add_row(
            DISPLAY_NAMES[st.specialty], str(st.count), value, *(extra if base and s.primary_metric else [])
        )
    out.print(weakest)

    for r in s.worst:
        score = (
            f"{s.primary_metric} {r.scores.get(s.primary_metric, float('nan')):.3f} · "
            if s.primary_metric
            else ""
        )
        body = (
            f"[bold]Q:[/bold] {escape(_clip(r.question))}\n[bold]A:[/bold] {escape(_clip(r.prediction))}\n"
            f"[dim]{score}errors: {', '.join(r.errors) or 'none'}[/dim]"
        )
        out.print(Panel(body, title=f"worst: {escape(r.id)} ({r.specialty})", title_align="left"))
    report = escape(str(result.report_html))
    out.print(f"Report: [bold]{report}[/bold] (and report.md, categories.jsonl, plots)", soft_wrap=True)


def _clip(text: str) -> str:
    text = " ".join(text.split()) or "(empty)"
    return text if len(text) <= SNIPPET else text[:SNIPPET] + " …"
