"""``medtune quickstart``: the whole pipeline on the bundled sample and a tiny model."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any

import typer

from medtune.cli.analyze import render as render_analysis
from medtune.cli.console import console, err_console, handle_errors
from medtune.cli.data import _summary as render_data
from medtune.cli.data import show_pairs
from medtune.cli.evaluate import render as render_evaluation
from medtune.cli.progress import RichProgress, stage_bars
from medtune.cli.train import show_result

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

    A second run into the same workdir reuses the steps that finished (and says so);
    delete the folder, or pass another --workdir, to start over.

    Example: medtune quickstart --workdir /tmp/medtune-demo --with-dpo
    """
    from medtune.quickstart import DPO_STEPS, STEPS, run

    total = len(STEPS) + (len(DPO_STEPS) if with_dpo else 0)

    def on_step(index: int, name: str, reused: bool) -> None:
        err_console().rule(f"[bold]{index + 1}/{total} {name}" + (" (reused)" if reused else ""))

    renders: dict[int, Callable[[Any], None]] = {
        0: lambda card: render_data(card, Path(workdir) / "data" / "processed"),
        1: lambda path: console().print(f"tiny Llama: {path}", markup=False),
        2: show_result,
        3: render_evaluation,
        4: render_analysis,
        5: lambda pairs: show_pairs(pairs.card, pairs.output_dir),
        6: show_result,
        7: lambda evaluated: render_evaluation(evaluated, names={"fine-tuned": "DPO", "base": "SFT"}),
    }

    def on_result(index: int, value: Any) -> None:
        renders[index](value)

    with stage_bars() as progress:
        result = run(
            workdir,
            with_dpo=with_dpo,
            on_step=on_step,
            on_result=on_result,
            train_progress=RichProgress(),
            progress=progress,
        )
    places = [
        ("processed data", result.settings.data.data_dir),
        ("tiny base model", result.model_dir),
        ("fine-tuned model", result.train.final_dir),
        ("evaluation", result.evaluation.output_dir),
        ("error analysis", result.analysis.report_html),
    ]
    if result.dpo is not None:
        places += [
            ("safety pairs", result.dpo.pairs.output_dir),
            ("DPO adapter", result.dpo.train.final_dir),
            ("DPO vs fine-tuned", result.dpo.evaluation.output_dir),
        ]
    out = console()
    out.rule("[bold green]quickstart finished")
    for label, path in places:
        out.print(f"{label:>20}: {path}", markup=False)
