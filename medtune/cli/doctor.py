"""``medtune doctor``: what this machine can run (GPU, 4-bit, DeepSpeed, hub access)."""

from __future__ import annotations

import json

import typer

from medtune.cli.console import console, handle_errors
from medtune.cli.options import JsonOpt

STYLES = {"ok": "[green]✓ ok[/green]", "warn": "[yellow]! warn[/yellow]", "missing": "[red]✗ missing[/red]"}


@handle_errors
def doctor(as_json: JsonOpt = False) -> None:
    """Check the environment and say what will and will not work here.

    Example: medtune doctor --json
    """
    from dataclasses import asdict

    from medtune.modeling.device import detect, environment_checks

    info = detect()
    checks = environment_checks(info)
    if as_json:
        payload = {"device": info.to_dict(), "checks": [asdict(check) for check in checks]}
        typer.echo(json.dumps(payload, indent=2))
        return
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"medtune doctor — training runs on: {info.device}", title_justify="left")
    for column in ("check", "status", "detail"):
        table.add_column(column)
    for check in checks:
        table.add_row(escape(check.name), STYLES[check.status], escape(check.detail))
    console().print(table)
