"""``medtune model``: pull, build a tiny offline model, merge adapters."""

from __future__ import annotations

import typer

from medtune.cli.options import not_landed

app = typer.Typer(help="Download, build and merge models.", no_args_is_help=True)


@app.command()
def pull() -> None:
    """Download a model (weights, config, tokenizer) from the Hugging Face hub.

    Example: medtune model pull meta-llama/Llama-3.1-8B-Instruct --output-dir models/
    """
    not_landed("model pull", "issue #2")


@app.command()
def tiny() -> None:
    """Build a tiny random Llama + tokenizer offline (for CPU runs and tests).

    Example: medtune model tiny --output-dir models/tiny-llama
    """
    not_landed("model tiny", "issue #2")
