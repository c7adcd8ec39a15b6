"""Shared fixtures. Every test runs offline: the hub is never contacted."""

from __future__ import annotations

import os

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
