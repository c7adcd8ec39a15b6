"""Shared fixtures. Every test runs offline: the hub is never contacted."""

from __future__ import annotations

import builtins
import errno
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("WANDB_DISABLED", "true")
os.environ.setdefault("SAGEMAKER_TELEMETRY_OPT_OUT", "true")

import pytest


@pytest.fixture(autouse=True)
def _isolated_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's MEDTUNE_* variables or ./medtune.toml."""
    for name in list(os.environ):
        if name.startswith("MEDTUNE_"):
            monkeypatch.delenv(name)


@pytest.fixture(autouse=True)
def _fresh_hub_state(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts with the hub not yet probed and offline as configured above (a probe
    that fails switches the process offline: that must not leak into the next test)."""
    from huggingface_hub import constants

    from medtune.modeling import hub

    for name in ("HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE", "TRANSFORMERS_OFFLINE"):
        monkeypatch.setenv(name, os.environ.get(name, "1"))
    monkeypatch.setattr(constants, "HF_HUB_OFFLINE", constants.HF_HUB_OFFLINE)
    monkeypatch.setattr(hub, "_went_offline", False)
    hub.hub_reachable.cache_clear()


class FullDisk:
    """Files opened for writing under ``folder`` share ``free`` bytes (characters of text);
    a write past them stores what fits, as a real disk does, and raises ENOSPC."""

    def __init__(self, folder: Path, free: int) -> None:
        self.folder = folder.resolve()
        self.free = free

    def holds(self, file: object, mode: str) -> bool:
        if not isinstance(file, (str, os.PathLike)) or not set(mode) & set("wax+"):
            return False
        return Path(file).resolve().is_relative_to(self.folder)

    def write(self, fh: Any, data: Any) -> int:
        if len(data) > self.free:
            fh.write(data[: self.free])
            self.free = 0
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.free -= len(data)
        return fh.write(data)


class _FullFile:
    """A file object whose writes go through a :class:`FullDisk`."""

    def __init__(self, fh: Any, disk: FullDisk) -> None:
        self._fh, self._disk = fh, disk

    def write(self, data: Any) -> int:
        return self._disk.write(self._fh, data)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._fh, name)

    def __enter__(self) -> _FullFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Callable[..., FullDisk]:
    """``full_disk(folder, free=0)``: from now on Python's writes under ``folder`` fail with
    ENOSPC after ``free`` more bytes (set ``.free`` to make room again). A full disk without
    root; writers in C or Rust (torch, safetensors) are not covered."""
    real_open = io.open

    def fill(folder: Path, free: int = 0) -> FullDisk:
        disk = FullDisk(folder, free)

        def open_(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            fh = real_open(file, mode, *args, **kwargs)
            return _FullFile(fh, disk) if disk.holds(file, mode) else fh

        monkeypatch.setattr(io, "open", open_)
        monkeypatch.setattr(builtins, "open", open_)
        return disk

    return fill
