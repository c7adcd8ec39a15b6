"""``medtune data``: prepare, inspect and show the processed dataset."""

from __future__ import annotations

import typer

from medtune.cli.options import not_landed

app = typer.Typer(help="Prepare and inspect medical Q&A data.", no_args_is_help=True)


@app.command()
def prepare() -> None:
    """Clean, format and split raw Q&A data into train/validation/test JSONL.

    Example: medtune data prepare --input data/raw --output-dir data/processed
    """
    not_landed("data prepare", "issue #2")


@app.command()
def stats() -> None:
    """Counts and length percentiles per split.

    Example: medtune data stats data/processed
    """
    not_landed("data stats", "issue #2")


@app.command()
def show() -> None:
    """Pretty-print processed records.

    Example: medtune data show --split test -n 3
    """
    not_landed("data show", "issue #2")
