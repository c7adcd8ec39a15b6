"""The ``medtune`` command registry. Commands live in their own modules; this file only
wires them together, so start-up and tab completion import nothing heavy."""

from __future__ import annotations

from typing import Annotated

import typer

from medtune import __version__
from medtune.cli import (
    analyze,
    benchmark,
    chat,
    config,
    data,
    doctor,
    evaluate,
    export,
    merge,
    model,
    push,
    quickstart,
    sagemaker,
    train,
)
from medtune.cli.console import Group, quiet_libraries

app = typer.Typer(
    name="medtune",
    cls=Group,
    no_args_is_help=True,
    rich_markup_mode=None,
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
app.command("benchmark")(benchmark.benchmark)
app.command("analyze")(analyze.analyze)
app.command("chat", help=chat.CHAT_HELP)(chat.talk)
app.command("generate", help=chat.GENERATE_HELP)(chat.talk)
app.command("push")(push.push)
app.command("export")(export.export)
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

    \b
    Examples:
      medtune quickstart                 # the whole pipeline, offline, ~30 s
      medtune data prepare --input data/raw
      medtune train --config examples/tiny-cpu.toml
      medtune eval --model-path outputs/run/final --baseline

    Exit codes: 0 done; 1 a file, folder, model or data problem; 2 a bad setting,
    option or combination; 3 a release gate found a regression; 130 interrupted.
    """


def main() -> None:
    """Console-script entry point."""
    quiet_libraries()
    app(prog_name="medtune")


if __name__ == "__main__":
    main()
