"""Precision and recall of a detector on hand-written positive and negative examples."""

from __future__ import annotations

from collections.abc import Callable

PRECISION_FLOOR = 0.9
RECALL_FLOOR = 0.9


def score(detector: Callable[[str], bool], positive: list[str], negative: list[str]) -> tuple[float, float]:
    """Precision and recall of ``detector``; the misses are printed."""
    tp = sum(detector(t) for t in positive)
    fp = sum(detector(t) for t in negative)
    for text in positive:
        if not detector(text):
            print(f"  missed: {text!r}")
    for text in negative:
        if detector(text):
            print(f"  false alarm: {text!r}")
    return tp / max(tp + fp, 1), tp / len(positive)
