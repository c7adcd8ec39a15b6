"""Rich consoles, created on first use, and the one place errors become messages."""

from __future__ import annotations

import functools
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

from typer import TyperException
from typer.core import TyperGroup

from medtune.errors import MedtuneError

if TYPE_CHECKING:
    from rich.console import Console

P = ParamSpec("P")
R = TypeVar("R")
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
    from rich.markup import escape

    err_console().print(f"[dim]{escape(message)}[/dim]", highlight=False)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print ``error: message`` on stderr (secrets redacted: an AWS or hub error may quote
    one) and exit with ``code``."""
    import typer
    from rich.markup import escape

    from medtune.config import redact  # pydantic: not needed for --help

    message = redact(message)

    err_console().print(f"[bold red]error:[/bold red] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


#: Optional packages and the extra that installs them (pyproject's optional-dependencies).
EXTRAS = {"sagemaker": "sagemaker", "boto3": "sagemaker", "botocore": "sagemaker", "deepspeed": "deepspeed"}


def missing_package(module: str) -> str:
    """What to install for a missing import: the extra that provides it, else the package."""
    top = module.split(".")[0]
    if top in EXTRAS:
        return f"this needs {top}, an optional dependency: pip install 'medtune[{EXTRAS[top]}]'"
    return f"{top} is not installed; reinstall medtune (pip install medtune) or pip install {top}"


def os_error_message(exc: OSError) -> str:
    """``<path>: <cause>``, e.g. ``data/processed: no space left on device``."""
    cause = exc.strerror or str(exc) or type(exc).__name__
    cause = cause[:1].lower() + cause[1:]
    return f"{exc.filename}: {cause}" if exc.filename is not None else cause


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Map library errors, and OS errors (a full disk, a read-only folder: exit
    :data:`OS_ERROR_EXIT`), to one red line and an exit code (traceback if MEDTUNE_DEBUG)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except MedtuneError as exc:
            if os.environ.get("MEDTUNE_DEBUG"):
                raise
            fail(str(exc), exc.exit_code)
        except ModuleNotFoundError as exc:
            if os.environ.get("MEDTUNE_DEBUG") or not exc.name:
                raise
            fail(missing_package(exc.name))
        except OSError as exc:
            if os.environ.get("MEDTUNE_DEBUG"):
                raise
            fail(os_error_message(exc), OS_ERROR_EXIT)
        except KeyboardInterrupt:
            err_console().print("[yellow]interrupted[/yellow]")
            sys.exit(130)

    return wrapper


def setting_hint(option: str) -> str | None:
    """Where the setting an unknown ``--option`` names lives (TOML key and variable), if any."""
    from medtune.config import all_keys, closest, env_name

    name = option.lstrip("-").replace("-", "_")
    keys = all_keys()
    found = [k for k in keys if k.split(".", 1)[1] == name] or [
        k for k in keys if (near := closest(name, [k.split(".", 1)[1]])) and near
    ][:1]
    if not found:
        return None
    key = found[0]
    section, field = key.split(".", 1)
    return (
        f"It is the setting {key}: set it in the TOML file ([{section}] {field} = ...) or as {env_name(key)}."
    )


class Group(TyperGroup):
    """The root command group: an unknown option's error also says which setting it names."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except TyperException as exc:  # click's NoSuchOption carries option_name and possibilities
            option = getattr(exc, "option_name", None)
            if hasattr(exc, "possibilities") and option and (hint := setting_hint(option)):
                exc.message = f"{exc.message}. {hint}"
            raise


#: Warnings our dependencies raise about each other's APIs: nothing a user can act on.
DEPENDENCY_NOISE = (
    r"`is_gradient_checkpointing` is deprecated",  # peft 0.21 calling transformers 5
    r"`gradient_checkpointing_(enable|disable)` is deprecated",  # TRL 1.16 calling transformers 5
)


def quiet_libraries() -> None:
    """Keep the libraries' own chatter out of the terminal (medtune reports progress itself):
    transformers', the hub's and lm-eval's progress bars ("Loading weights", "Writing model
    shards"),
    and third-party log warnings that reach Python's last-resort handler, such as
    bitsandbytes' "Failed to load CPU gemm_4bit_forward from kernels-community" (that
    faster kernel is fetched from the hub by the ``kernels`` package; without it the CPU
    path is the built-in one). Training runs still write these warnings to their log file
    (:func:`medtune.training.outputs.run_log`)."""
    import warnings

    for message in DEPENDENCY_NOISE:
        warnings.filterwarnings("ignore", message=message, category=FutureWarning)
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TQDM_DISABLE", "1")  # lm-eval's and others' own tqdm bars
    logging.getLogger().addHandler(logging.NullHandler())
    logging.getLogger("medtune").addHandler(_NoteHandler(logging.WARNING))


class _NoteHandler(logging.Handler):
    """medtune's own warnings (e.g. "working offline"), as one-line notes on stderr."""

    def emit(self, record: logging.LogRecord) -> None:
        note(self.format(record))
