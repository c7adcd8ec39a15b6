"""``medtune push``: upload an adapter or merged model with a generated medical model card."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, settings

ModelPathOpt = Annotated[
    Path, typer.Option("--model-path", help="Training run folder, its final/, or a saved adapter/model.")
]


@handle_errors
def push(
    model_path: ModelPathOpt,
    repo_id: Annotated[str, typer.Option("--repo-id", help="Hub repo, owner/name (created if missing).")],
    private: Annotated[bool, typer.Option("--private", help="Create the repo private.")] = False,
    merged: Annotated[
        bool, typer.Option("--merged", help="Upload the adapter merged into its 16-bit base.")
    ] = False,
    revision: Annotated[
        str | None, typer.Option(help="Branch to upload to (created if missing; default: main).")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Write and list the upload folder; upload nothing (offline).")
    ] = False,
    output_dir: Annotated[
        Path | None,
        typer.Option("--output-dir", "-o", help="Upload folder, kept (default: outputs/push/<name>)."),
    ] = None,
    eval_dir: Annotated[
        Path | None, typer.Option(help="medtune eval folder (default: <eval.output_dir>/latest).")
    ] = None,
    benchmark_dir: Annotated[
        Path | None, typer.Option(help="medtune benchmark folder (default: outputs/benchmark/latest).")
    ] = None,
    data_card: Annotated[
        Path | None,
        typer.Option(help="data_card.json (default: the one the run trained on).", dir_okay=False),
    ] = None,
    license: Annotated[
        str | None, typer.Option(help="Licence id for the card (default: the local base model's).")
    ] = None,
    base_model: Annotated[
        str | None, typer.Option(help="The adapter's base for --merged (default: the one it names).")
    ] = None,
    device: Annotated[str | None, typer.Option(help="auto, cpu or cuda (for --merged).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Upload a model to the Hugging Face Hub with a generated model card (HF_TOKEN from the environment).

    The card covers base model, method, data hygiene and safety audit, training, evaluation
    with confidence intervals, benchmarks, intended use and limitations.

    Example: medtune push --model-path outputs/run --repo-id my-org/llama31-8b-medical --dry-run
    """
    from medtune.sharing.card import gather_sources
    from medtune.sharing.model import locate
    from medtune.sharing.push import stage, upload

    s = settings(config, model={"device": device})
    model = locate(model_path)
    sources, notes = gather_sources(
        model,
        eval_dir=eval_dir,
        benchmark_dir=benchmark_dir,
        data_card=data_card,
        license=license,
        default_eval_dir=Path(s.eval.output_dir) / "latest",
    )
    for line in notes:
        note(line)
    folder = output_dir or Path("outputs") / "push" / repo_id.rsplit("/", 1)[-1]
    if merged and model.is_adapter:
        note(f"merging {model.path} into its base (16-bit)")
    staged = stage(sources, repo_id, folder, merged=merged, base_model=base_model, model_settings=s.model)
    out = console()
    for name, size in staged.files:
        out.print(f"{size:>14,}  {name}", highlight=False)
    if dry_run:
        out.print(
            f"dry run: nothing uploaded; this folder is what a push would send: [bold]{staged.folder}[/bold]"
        )
        return
    pushed = upload(staged, repo_id, private=private, revision=revision)
    out.print(f"[green]✓[/green] pushed to {pushed.url}", highlight=False)
