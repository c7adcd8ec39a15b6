"""``medtune quickstart``: the whole pipeline on the bundled sample and a tiny model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, err_console, handle_errors

WorkdirOpt = Annotated[Path, typer.Option("--workdir", "-w", help="Where data, models and outputs go.")]


@handle_errors
def quickstart(workdir: WorkdirOpt = Path("quickstart")) -> None:
    """Run prepare -> tiny model -> train -> eval --baseline -> analyze, offline on the CPU.

    Example: medtune quickstart --workdir /tmp/medtune-demo
    """
    from medtune.cli.analyze import render as render_analysis
    from medtune.cli.evaluate import render as render_evaluation
    from medtune.cli.progress import RichProgress
    from medtune.cli.train import show_result
    from medtune.quickstart import STEPS, run

    def on_step(index: int, name: str) -> None:
        err_console().rule(f"[bold]{index + 1}/{len(STEPS)} {name}")

    result = run(workdir, on_step=on_step, train_progress=RichProgress())
    show_result(result.train)
    render_evaluation(result.evaluation)
    render_analysis(result.analysis)
    out = console()
    out.rule("[bold green]quickstart finished")
    for label, path in (
        ("processed data", result.settings.data.data_dir),
        ("tiny base model", result.model_dir),
        ("fine-tuned model", result.train.final_dir),
        ("evaluation", result.evaluation.output_dir),
        ("error analysis", result.analysis.report_html),
    ):
        out.print(f"{label:>20}: {path}", markup=False)
