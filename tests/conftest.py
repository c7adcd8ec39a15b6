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
