"""``medtune config``: write a commented default file, show resolved settings."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, handle_errors
from medtune.cli.options import ConfigOpt, JsonOpt
from medtune.errors import UsageError

app = typer.Typer(help="Create and inspect settings files.", no_args_is_help=True)


@app.command()
@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help="File to write.")] = Path("medtune.toml"),
    force: Annotated[bool, typer.Option("--force", "-f", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a commented TOML file with every setting at its default.

    Example: medtune config init my-run.toml
    """
    from medtune.config import to_toml
    from medtune.io import write_text

    if path.exists() and not force:
        raise UsageError(f"{path} exists; pass --force to overwrite it")
    write_text(path, to_toml())
    console().print(f"wrote {path}", markup=False)


@app.command()
@handle_errors
def show(config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Print the resolved settings and where each value came from (no secrets).

    Example: MEDTUNE_TRAIN__LEARNING_RATE=1e-4 medtune config show --config my-run.toml
    """
    from medtune.config import resolve, settings_dict, to_toml

    settings, origin = resolve(config)
    if as_json:
        typer.echo(json.dumps({"settings": settings_dict(settings), "origin": origin}, indent=2))
    elif not sys.stdout.isatty():  # `config show > my.toml`: the TOML as it is, no wrapping
        typer.echo(to_toml(settings, origin), nl=False)
    else:
        from rich.syntax import Syntax

        console().print(Syntax(to_toml(settings, origin), "toml", theme="ansi_dark", word_wrap=True))
