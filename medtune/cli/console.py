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
#: Exit code of a failed read or write (a full disk, a read-only or forbidden folder):
#: sysexits' EX_IOERR, so a scheduler can tell "free space and retry" from a bad input.
OS_ERROR_EXIT = 74


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
    """A dim one-line note on stderr."""
    err_console().print(f"[dim]{message}[/dim]", highlight=False)


def fail(message: str, code: int = 1) -> None:
    """Print ``error: message`` on stderr and exit with ``code``."""
    import typer
    from rich.markup import escape

    err_console().print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def os_error_message(exc: OSError) -> str:
    """``<path>: <cause>``, e.g. ``data/processed: no space left on device``."""
    cause = exc.strerror or str(exc) or type(exc).__name__
    cause = cause[:1].lower() + cause[1:]
    return f"{exc.filename}: {cause}" if exc.filename is not None else cause


def handle_errors(func: F) -> F:
    """Map library errors, and OS errors (a full disk, a read-only folder: exit
    :data:`OS_ERROR_EXIT`), to one red line and an exit code (traceback if MEDTUNE_DEBUG)."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from medtune.errors import MedtuneError

        try:
            return func(*args, **kwargs)
        except MedtuneError as exc:
            if os.environ.get("MEDTUNE_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)
        except OSError as exc:
            if os.environ.get("MEDTUNE_DEBUG"):
                raise
            fail(os_error_message(exc), OS_ERROR_EXIT)
        except KeyboardInterrupt:
            err_console().print("[yellow]interrupted[/yellow]")
            sys.exit(130)

    return wrapper  # type: ignore[return-value]
