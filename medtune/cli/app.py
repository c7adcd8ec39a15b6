"""The ``medtune`` command registry. Commands live in their own modules; this file only
wires them together, so start-up and tab completion import nothing heavy."""

from __future__ import annotations

from typing import Annotated

import typer

from medtune import __version__
from medtune.cli import (
    analyze,
    chat,
    config,
    data,
    doctor,
    evaluate,
    merge,
    model,
    quickstart,
    sagemaker,
    train,
)

app = typer.Typer(
    name="medtune",
    help="From raw medical Q&A data to a fine-tuned, evaluated, analysed LLM.",
    no_args_is_help=True,
    rich_markup_mode="rich",
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)

app.add_typer(data.app, name="data")
app.add_typer(model.app, name="model")
model.app.command("merge")(merge.merge)
app.add_typer(config.app, name="config")
app.add_typer(sagemaker.app, name="sagemaker")
app.command("train")(train.train)
app.command("eval")(evaluate.evaluate)
app.command("analyze")(analyze.analyze)
app.command("chat")(chat.chat)
app.command("generate")(chat.generate)
app.command("quickstart")(quickstart.quickstart)
app.command("doctor")(doctor.doctor)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"medtune {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", "-V", callback=_version, is_eager=True, help="Show version.")
    ] = False,
) -> None:
    """From raw medical Q&A data to a fine-tuned, evaluated, analysed LLM.

    Example: [bold]medtune quickstart[/bold]
    """


#: Warnings our dependencies raise about each other's APIs: nothing a user can act on.
DEPENDENCY_NOISE = (
    r"`is_gradient_checkpointing` is deprecated",  # peft 0.21 calling transformers 5
    r"`gradient_checkpointing_(enable|disable)` is deprecated",  # TRL 1.16 calling transformers 5
)


def main() -> None:
    """Console-script entry point."""
    import warnings

    for message in DEPENDENCY_NOISE:
        warnings.filterwarnings("ignore", message=message, category=FutureWarning)
    app(prog_name="medtune")


if __name__ == "__main__":
    main()
