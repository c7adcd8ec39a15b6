"""Rich progress front ends for the library's callbacks."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from typing import Any

from medtune.cli.console import err_console, note


class RichProgress:
    """A Rich progress bar with loss, learning rate, tokens/s and ETA (on stderr)."""

    progress: Any = None

    def note(self, message: str) -> None:
        note(message)

    def start(self, total_steps: int, first_step: int) -> None:
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        stats = TextColumn("loss {task.fields[loss]}  lr {task.fields[lr]}  {task.fields[tps]} tok/s")
        columns = (TextColumn("training"), BarColumn(), MofNCompleteColumn(), stats, TimeRemainingColumn())
        self.progress = Progress(*columns, console=err_console())
        self.progress.start()
        self.task = self.progress.add_task(
            "train", total=total_steps, completed=first_step, loss="-", lr="-", tps="-"
        )

    def update(self, step: int, metrics: Mapping[str, float]) -> None:
        loss, lr = metrics.get("loss"), metrics.get("learning_rate")
        self.progress.update(
            self.task,
            completed=step,
            loss="-" if loss is None else f"{loss:.4f}",
            lr="-" if lr is None else f"{lr:.2e}",
            tps=f"{metrics.get('tokens_per_second', 0):,.0f}",
        )

    def finish(self) -> None:
        if self.progress is not None:
            self.progress.stop()


@contextlib.contextmanager
def stage_bars() -> Iterator[Callable[[str, int, int], None]]:
    """A ``progress(stage, done, total)`` callback (the data, eval and analysis libraries'
    shape) drawing one transient bar per stage on stderr; silent when stderr is no terminal."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    columns = (TextColumn("{task.description:<11}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    console = err_console()
    with Progress(*columns, console=console, transient=True, disable=not console.is_terminal) as bars:
        tasks: dict[str, Any] = {}

        def progress(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bars.add_task(stage, total=total)
            bars.update(tasks[stage], completed=done, total=total)

        yield progress
