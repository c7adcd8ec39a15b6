"""``medtune model merge``: fold a LoRA adapter into its 16-bit base."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, settings


@handle_errors
def merge(
    adapter: Annotated[
        Path, typer.Option("--adapter", "--model-path", help="LoRA adapter folder (e.g. outputs/run/final).")
    ],
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Where the merged model goes.")],
    base_model: Annotated[
        str | None, typer.Option(help="Base model id or folder; default: the adapter's.", show_default=False)
    ] = None,
    device: Annotated[str | None, typer.Option(help="auto, cpu or cuda.", show_default=False)] = None,
    config: ConfigOpt = None,
) -> None:
    """Merge a LoRA adapter into its 16-bit base and save safetensors + tokenizer.

    Example: medtune model merge --adapter outputs/run/final --output-dir models/merged
    """
    from medtune.modeling.merge import merge_adapter

    s = settings(config, model={"device": device})
    note(f"merging {adapter} into its base (16-bit)")
    out = merge_adapter(adapter, output_dir, base_model=base_model, model_settings=s.model)
    console().print(f"merged model saved to {out}", markup=False)
