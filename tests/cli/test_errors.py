"""The CLI's one place for errors: library errors and OS errors become one line and an exit code."""

from __future__ import annotations

import errno
import os

import pytest
import typer
from typer.testing import CliRunner

from medtune.cli.console import OS_ERROR_EXIT, handle_errors
from medtune.errors import ConfigError


def _app(exc: BaseException) -> typer.Typer:
    app = typer.Typer()

    @app.command()
    @handle_errors
    def fails() -> None:
        raise exc

    return app


@pytest.mark.parametrize(
    ("code", "cause"),
    [
        (errno.ENOSPC, "no space left on device"),
        (errno.EACCES, "permission denied"),
        (errno.EROFS, "read-only file system"),
        (errno.EDQUOT, "disk quota exceeded"),
    ],
)
def test_an_os_error_is_one_line_naming_the_path(code: int, cause: str) -> None:
    result = CliRunner().invoke(_app(OSError(code, os.strerror(code), "outputs/run")), [])
    assert result.exit_code == OS_ERROR_EXIT
    assert result.output == f"error: outputs/run: {cause}\n"


def test_library_errors_keep_their_exit_code_and_debug_shows_the_traceback(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(_app(ConfigError("medtune.toml: train.x: bad")), [])
    assert (result.exit_code, result.output) == (2, "error: medtune.toml: train.x: bad\n")
    monkeypatch.setenv("MEDTUNE_DEBUG", "1")
    result = CliRunner().invoke(_app(OSError(errno.ENOSPC, "No space left on device")), [])
    assert isinstance(result.exception, OSError)


def test_an_error_quoting_a_secret_prints_it_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    key = "wandb0123456789abcdef0123456789abcdef01"  # no token shape: caught as the value set here
    monkeypatch.setenv("WANDB_API_KEY", key)
    message = f"AWS said: ValidationException: bad value {key} for https://u:hf_{'x' * 30}@hub.example"
    result = CliRunner().invoke(_app(ConfigError(message)), [])
    assert result.exit_code == 2
    assert (
        result.output == "error: AWS said: ValidationException: bad value *** for https://u:***@hub.example\n"
    )
