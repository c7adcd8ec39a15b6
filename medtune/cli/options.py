"""Options shared by several commands, declared once, and the settings loader they feed."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from medtune.config import Settings

ConfigOpt = Annotated[
    Path | None,
    typer.Option(
        "--config",
        "-c",
        help="TOML settings file (default: $MEDTUNE_CONFIG or ./medtune.toml).",
        dir_okay=False,
    ),
]
OutputDirOpt = Annotated[Path | None, typer.Option("--output-dir", "-o", help="Where outputs go.")]
SeedOpt = Annotated[int | None, typer.Option(help="Random seed.")]
TokenOpt = Annotated[
    str | None,
    typer.Option(help="Hugging Face token (default: $HF_TOKEN). Never logged.", show_default=False),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Show the plan; do nothing.")]


def settings(config: Path | None, **sections: dict[str, Any]) -> Settings:
    """Resolve settings with CLI flags (``None`` = not given) as the top layer."""
    from medtune.config import load_settings

    return load_settings(config, sections)
