"""``medtune sagemaker``: run ``medtune train`` as a managed SageMaker job."""

from __future__ import annotations

import typer

from medtune.cli.options import not_landed

app = typer.Typer(help="Train on Amazon SageMaker.", no_args_is_help=True)


@app.command()
def submit() -> None:
    """Submit a training job built from your settings.

    Example: medtune sagemaker submit --config examples/sagemaker.toml --dry-run
    """
    not_landed("sagemaker submit", "issue #6")


@app.command()
def status() -> None:
    """Show a job's status and times.

    Example: medtune sagemaker status medtune-20261127-101500
    """
    not_landed("sagemaker status", "issue #6")


@app.command()
def logs() -> None:
    """Print a job's CloudWatch logs.

    Example: medtune sagemaker logs medtune-20261127-101500
    """
    not_landed("sagemaker logs", "issue #6")
