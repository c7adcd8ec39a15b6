"""Fixtures for the data tests: small raw tables in every supported format."""

from __future__ import annotations

from pathlib import Path

import pytest
from raw_rows import lavita_rows, write_jsonl  # beside this file


@pytest.fixture
def rows() -> list[dict]:
    return lavita_rows()


@pytest.fixture
def raw_jsonl(tmp_path: Path, rows: list[dict]) -> Path:
    return write_jsonl(tmp_path / "raw.jsonl", rows)
