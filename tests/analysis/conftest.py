"""Fixtures: a crafted evaluation and one analysis of it, shared by a test module."""

from __future__ import annotations

from pathlib import Path

import pytest
from crafted_predictions import write_predictions

from medtune.analysis import AnalysisResult, analyze


@pytest.fixture(scope="module")
def predictions_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_predictions(tmp_path_factory.mktemp("evaluation") / "predictions.jsonl")


@pytest.fixture(scope="module")
def analysis(predictions_file: Path, tmp_path_factory: pytest.TempPathFactory) -> AnalysisResult:
    return analyze(predictions_file, tmp_path_factory.mktemp("analysis"))
