"""``medtune chat`` and ``medtune generate``: talk to a trained model."""

from __future__ import annotations

from medtune.cli.options import not_landed


def chat() -> None:
    """Interactive chat with a model, using the training template.

    Example: medtune chat --model outputs/run/final
    """
    not_landed("chat", "issue #3")


def generate() -> None:
    """Answer one question and exit.

    Example: medtune generate --model outputs/run/final "I have a headache..."
    """
    not_landed("generate", "issue #3")
