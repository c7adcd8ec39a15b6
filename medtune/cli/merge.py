"""``medtune model merge``: fold a LoRA adapter into its 16-bit base."""

from __future__ import annotations

from medtune.cli.options import not_landed


def merge() -> None:
    """Merge a LoRA adapter into its 16-bit base and save safetensors.

    Example: medtune model merge --adapter outputs/run/final --output-dir models/merged
    """
    not_landed("model merge", "issue #3")
