"""Fixtures for the SageMaker tests: a processed data folder, an AWS-free environment, and
moto's in-process AWS with a bucket and an execution role."""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sm_helpers import create_bucket_and_role, fake_aws, isolate_aws, job_settings, write_processed

from medtune.cloud import plan_job
from medtune.cloud.package import stage_source
from medtune.config import Settings


@pytest.fixture
def processed(tmp_path: Path) -> Path:
    return write_processed(tmp_path / "processed")


@pytest.fixture
def no_aws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    isolate_aws(monkeypatch, tmp_path)


@pytest.fixture(scope="session")
def sdk() -> None:
    """Import the SageMaker SDK once (it takes seconds), without its own deprecation notice."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import sagemaker.train.model_trainer  # noqa: F401


@pytest.fixture
def aws(sdk: None, no_aws: None, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """moto's AWS with a bucket and a role; yields the role ARN."""
    from moto import mock_aws

    fake_aws(monkeypatch)
    with mock_aws():
        yield create_bucket_and_role()


@pytest.fixture
def make_settings(
    processed: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Settings]:
    """``job_settings`` on ``processed``, run from an empty folder (no ./medtune.toml)."""
    monkeypatch.chdir(tmp_path)
    return lambda **sections: job_settings(processed, **sections)


@pytest.fixture
def staged(make_settings: Callable[..., Settings], tmp_path: Path) -> Path:
    """The job's code folder, staged as submission stages it."""
    return stage_source(plan_job(make_settings(train={"deepspeed": "zero3"})), tmp_path / "code")
