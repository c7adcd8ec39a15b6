"""Submission inputs: S3 data used as is, and bad input that stops with one line, uploading nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import boto3
import pytest
from sm_helpers import BUCKET, HF_TOKEN, REGION

from medtune import cloud
from medtune.errors import CloudError

pytestmark = pytest.mark.usefixtures("aws")


def objects(bucket: str = BUCKET) -> list[str]:
    s3 = boto3.client("s3", region_name=REGION)
    return [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]


def test_missing_bucket_uploads_nothing(make_settings, aws: str) -> None:
    plan = cloud.plan_job(make_settings(role=aws, sagemaker={"bucket": "no-such-medtune-bucket"}))
    with pytest.raises(CloudError, match="aws s3 mb s3://no-such-medtune-bucket"):
        cloud.submit(plan)
    assert objects() == []
    assert boto3.client("sagemaker", region_name=REGION).list_training_jobs()["TrainingJobSummaries"] == []


def test_s3_data_without_splits_uploads_nothing(make_settings, aws: str) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    s3.put_object(Bucket=BUCKET, Key="processed/train.jsonl", Body=b"{}\n")
    plan = cloud.plan_job(make_settings(role=aws, data={"data_dir": f"s3://{BUCKET}/processed"}))
    with pytest.raises(CloudError, match=r"no validation\.jsonl"):
        cloud.submit(plan)
    assert objects() == ["processed/train.jsonl"]


def test_existing_s3_data_and_fixed_locations_are_used_as_is(
    make_settings, aws: str, processed: Path
) -> None:
    s3 = boto3.client("s3", region_name=REGION)
    for split in ("train", "validation"):
        s3.upload_file(str(processed / f"{split}.jsonl"), BUCKET, f"processed/{split}.jsonl")
    # A fixed checkpoint prefix lets a new job resume where an earlier one stopped.
    locations = {"checkpoint_s3_uri": f"s3://{BUCKET}/runs/ckpt", "output_s3_uri": f"s3://{BUCKET}/models/"}
    settings = make_settings(role=aws, data={"data_dir": f"s3://{BUCKET}/processed"}, sagemaker=locations)
    job = cloud.submit(cloud.plan_job(settings))
    d = boto3.client("sagemaker", region_name=REGION).describe_training_job(TrainingJobName=job.name)
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in d["InputDataConfig"]}
    assert channels["data"] == f"s3://{BUCKET}/processed/"
    assert not [key for key in objects() if key.endswith("/input/data/train.jsonl")]
    assert d["CheckpointConfig"]["S3Uri"] == f"s3://{BUCKET}/runs/ckpt"
    assert job.model_artifacts == f"s3://{BUCKET}/models/{job.name}/output/model.tar.gz"


def test_taken_job_name_is_one_line(make_settings, aws: str) -> None:
    """moto accepts duplicate names; SageMaker answers ResourceInUse, emulated here."""

    class Refused:
        status_code = 400

    def refuse(**_: Any) -> tuple[Refused, dict[str, Any]]:
        error = {"Code": "ResourceInUse", "Message": "Training job names must be unique"}
        return Refused(), {"Error": error, "ResponseMetadata": {"HTTPStatusCode": 400}}

    boto = boto3.Session(region_name=REGION)
    boto.events.register("before-call.sagemaker.CreateTrainingJob", refuse)
    plan = cloud.plan_job(make_settings(role=aws))
    with pytest.raises(CloudError, match=r"job name taken .*job_name_prefix") as info:
        cloud.submit(plan, boto=boto)
    assert "\n" not in str(info.value)


def test_no_credentials_is_one_line(make_settings, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = cloud.plan_job(make_settings())
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.delenv(name)
    with pytest.raises(CloudError, match="no AWS credentials: run `aws configure`"):
        cloud.submit(plan)


def test_cli_submit_wait_streams_status_to_the_end(processed: Path, aws: str, monkeypatch) -> None:
    from typer.testing import CliRunner

    from medtune.cli.app import app

    monkeypatch.chdir(processed.parent)
    monkeypatch.setenv("HF_TOKEN", HF_TOKEN)
    flags = ["--role", aws, "--bucket", BUCKET, "--region", REGION, "--data-dir", str(processed)]
    result = CliRunner().invoke(app, ["sagemaker", "submit", *flags, "--wait"])
    assert result.exit_code == 0, result.output
    assert "Completed" in result.stderr  # the streamed status line
    assert "billable seconds" in result.stdout and HF_TOKEN not in result.output
