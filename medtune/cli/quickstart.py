"""``medtune quickstart``: the whole pipeline on the bundled sample and a tiny model."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, err_console, handle_errors

WorkdirOpt = Annotated[Path, typer.Option("--workdir", "-w", help="Where data, models and outputs go.")]


@handle_errors
def quickstart(
    workdir: WorkdirOpt = Path("quickstart"),
    with_dpo: Annotated[
        bool,
        typer.Option("--with-dpo", help="Then: safety pairs -> DPO -> eval of DPO vs the fine-tuned model."),
    ] = False,
) -> None:
    """Run prepare -> tiny model -> train -> eval --baseline -> analyze, offline on the CPU.

    Example: medtune quickstart --workdir /tmp/medtune-demo --with-dpo
    """
    from medtune.cli.analyze import render as render_analysis
    from medtune.cli.evaluate import render as render_evaluation
    from medtune.cli.progress import RichProgress
    from medtune.cli.train import show_result
    from medtune.quickstart import DPO_STEPS, STEPS, run

    total = len(STEPS) + (len(DPO_STEPS) if with_dpo else 0)

    def on_step(index: int, name: str) -> None:
        err_console().rule(f"[bold]{index + 1}/{total} {name}")

    result = run(workdir, with_dpo=with_dpo, on_step=on_step, train_progress=RichProgress())
    show_result(result.train)
    render_evaluation(result.evaluation)
    render_analysis(result.analysis)
    places = [
        ("processed data", result.settings.data.data_dir),
        ("tiny base model", result.model_dir),
        ("fine-tuned model", result.train.final_dir),
        ("evaluation", result.evaluation.output_dir),
        ("error analysis", result.analysis.report_html),
    ]
    if result.dpo is not None:
        from medtune.cli.data import show_pairs

        show_pairs(result.dpo.pairs.card, result.dpo.pairs.output_dir)
        show_result(result.dpo.train)
        render_evaluation(result.dpo.evaluation)
        places += [
            ("safety pairs", result.dpo.pairs.output_dir),
            ("DPO adapter", result.dpo.train.final_dir),
            ("DPO vs fine-tuned", result.dpo.evaluation.output_dir),
        ]
    out = console()
    out.rule("[bold green]quickstart finished")
    for label, path in places:
        out.print(f"{label:>20}: {path}")
