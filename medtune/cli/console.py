"""Rich consoles, created on first use, and the one place errors become messages."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from rich.console import Console

F = TypeVar("F", bound=Callable[..., Any])


@functools.cache
def console() -> Console:
    """Console for results (stdout)."""
    from rich.console import Console

    return Console()


@functools.cache
def err_console() -> Console:
    """Console for progress, notes and errors (stderr)."""
    from rich.console import Console

    return Console(stderr=True)


def note(message: str) -> None:
    """A dim one-line note on stderr (shown as written: brackets are not markup)."""
    from rich.markup import escape

    err_console().print(f"[dim]{escape(message)}[/dim]", highlight=False)


def fail(message: str, code: int = 1) -> None:
    """Print ``error: message`` on stderr and exit with ``code``."""
    import typer
    from rich.markup import escape

    err_console().print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def handle_errors(func: F) -> F:
    """Map library errors to one red line and their exit code (traceback if MEDTUNE_DEBUG)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from medtune.errors import MedtuneError

        try:
            return func(*args, **kwargs)
        except MedtuneError as exc:
            if os.environ.get("MEDTUNE_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            err_console().print("[yellow]interrupted[/yellow]")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
