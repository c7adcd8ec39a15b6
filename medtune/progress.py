"""The one progress-callback shape the library reports through.

``progress(stage, done, total)`` is called as a stage advances; the CLI draws Rich bars from
it (:func:`medtune.cli.progress.stage_bars`), a notebook can pass ``print``, and the
default does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

ProgressFn = Callable[[str, int, int], None]


def no_progress(stage: str, done: int, total: int) -> None:
    """The default callback: report nothing."""
