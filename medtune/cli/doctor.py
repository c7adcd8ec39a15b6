"""``medtune doctor``: what this machine can run (GPU, 4-bit, DeepSpeed, hub access)."""

from __future__ import annotations

from medtune.cli.options import not_landed


def doctor() -> None:
    """Check the environment and say what will and will not work here.

    Example: medtune doctor
    """
    not_landed("doctor", "issue #2")
