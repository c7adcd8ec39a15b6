"""``medtune train``: supervised fine-tuning (QLoRA, LoRA or full)."""

from __future__ import annotations

from medtune.cli.options import not_landed


def train() -> None:
    """Fine-tune the base model on the processed training split.

    Example: medtune train --config examples/tiny-cpu.toml
    """
    not_landed("train", "issue #3")
