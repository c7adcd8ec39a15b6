"""``medtune eval``: generate on the test split and score against references."""

from __future__ import annotations

from medtune.cli.options import not_landed


def evaluate() -> None:
    """Evaluate a fine-tuned model (optionally against its base) with CIs.

    Example: medtune eval --model-path outputs/run/final --baseline
    """
    not_landed("eval", "issue #4")
