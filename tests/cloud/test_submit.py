"""Submitting through the SDK's ModelTrainer to moto's in-process AWS, then reading it back."""

from __future__ import annotations

import io
import json
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from pydantic import SecretStr
from sm_helpers import (
    BUCKET,
    HF_TOKEN,
    REGION,
    WANDB_KEY,
    create_bucket_and_role,
    fake_aws,
    isolate_aws,
    job_settings,
    write_processed,
)

from medtune import cloud
from medtune.config import Secrets, load_settings
from medtune.errors import CloudError


def secrets() -> Secrets:
    return Secrets(HF_TOKEN=SecretStr(HF_TOKEN), WANDB_API_KEY=SecretStr(WANDB_KEY))


def capturing_session(sent: dict[str, Any]) -> boto3.Session:
    """A boto3 session that records the CreateTrainingJob parameters it sends."""
    boto = boto3.Session(region_name=REGION)
    boto.events.register(
        "provide-client-params.sagemaker.CreateTrainingJob", lambda params, **_: sent.update(params)
    )
    return boto


def objects(bucket: str = BUCKET) -> dict[str, bytes]:
    s3 = boto3.client("s3", region_name=REGION)
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    return {key: s3.get_object(Bucket=bucket, Key=key)["Body"].read() for key in keys}


@pytest.fixture(scope="module")
def submitted(sdk: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, dict, dict]]:
    """One 2 x ml.p4d.24xlarge spot job with ZeRO-3 in moto, shared by this module's tests:
    (plan, its DescribeTrainingJob, the CreateTrainingJob parameters sent)."""
    from moto import mock_aws

    folder = tmp_path_factory.mktemp("submit")
    with pytest.MonkeyPatch.context() as mp, mock_aws():
        isolate_aws(mp, folder)
        fake_aws(mp)
        mp.chdir(folder)
        settings = job_settings(
            write_processed(folder / "processed"),
            role=create_bucket_and_role(),
            sagemaker={
                "instance_type": "ml.p4d.24xlarge",
                "instance_count": 2,
                "use_spot": True,
                "token_secret": "medtune/tokens",
            },
            train={"deepspeed": "zero3"},
        )
        plan = cloud.plan_job(settings, secrets())
        sent: dict[str, Any] = {}
        status = cloud.submit(plan, boto=capturing_session(sent))
        client = boto3.client("sagemaker", region_name=REGION)
        yield plan, client.describe_training_job(TrainingJobName=status.name), sent


def test_spot_zero3_job_reads_back_as_planned(submitted) -> None:
    plan, d, _ = submitted
    assert d["AlgorithmSpecification"]["TrainingImage"] == plan.image_uri
    assert "huggingface-pytorch-training:2.8.0-transformers4.56.2-gpu-py312" in plan.image_uri
    assert d["ResourceConfig"] == {
        "InstanceType": "ml.p4d.24xlarge",
        "InstanceCount": 2,
        "VolumeSizeInGB": 200,
    }
    assert d["EnableManagedSpotTraining"] is True
    assert d["StoppingCondition"] == {
        "MaxRuntimeInSeconds": plan.max_run_seconds,
        "MaxWaitTimeInSeconds": plan.max_wait_seconds,
    }
    job = d["TrainingJobName"]
    assert job.startswith(f"{plan.job_name_prefix}-")
    assert d["CheckpointConfig"] == {
        "S3Uri": f"s3://{BUCKET}/{plan.job_name_prefix}/{job}/checkpoints",
        "LocalPath": "/opt/ml/checkpoints",
    }
    assert d["OutputDataConfig"]["S3OutputPath"] == plan.output_s3_uri
    assert d["HyperParameters"] == {"deepspeed": "zero3"}
    assert not {HF_TOKEN, WANDB_KEY} & set(d["HyperParameters"].values())
    assert HF_TOKEN not in json.dumps(d, default=str)


def test_the_job_environment_names_the_token_secret_and_holds_no_token(submitted) -> None:
    _, _, sent = submitted  # moto drops Environment from DescribeTrainingJob: the request is the evidence
    assert sent["Environment"]["MEDTUNE_TOKEN_SECRET"] == "medtune/tokens"
    sent_text = json.dumps(sent, default=str)
    assert HF_TOKEN not in sent_text and WANDB_KEY not in sent_text


def test_channels_carry_data_code_and_torchrun_driver(submitted) -> None:
    plan, d, _ = submitted
    job = d["TrainingJobName"]
    channels = {c["ChannelName"]: c["DataSource"]["S3DataSource"]["S3Uri"] for c in d["InputDataConfig"]}
    base = f"s3://{BUCKET}/{plan.job_name_prefix}/{job}/input"
    assert channels == {"data": f"{base}/data", "code": f"{base}/code", "sm_drivers": f"{base}/sm_drivers"}

    stored = objects()
    key = f"{plan.job_name_prefix}/{job}/input"
    for split in ("train", "validation", "test"):
        local = Path(plan.data_source) / f"{split}.jsonl"
        assert stored[f"{key}/data/{split}.jsonl"] == local.read_bytes()
    assert f"{key}/code/medtune/cli/app.py" in stored
    assert f"{key}/code/medtune/cloud/entry.py" in stored
    assert b"torchrun" in stored[f"{key}/code/medtune_entry.py"] or stored[f"{key}/code/medtune_entry.py"]
    requirements = stored[f"{key}/code/requirements.txt"].decode().split()
    assert {"trl", "peft", "deepspeed", "pydantic-settings"} <= {
        r.split(">")[0].split("=")[0] for r in requirements
    }

    # The SDK encodes the distribution as a driver channel: torchrun across all GPUs.
    assert json.loads(stored[f"{key}/sm_drivers/distributed.json"]) == {
        "process_count_per_node": None,
        "smp": None,
    }
    assert b"torchrun_driver.py" in stored[f"{key}/sm_drivers/sm_train.sh"]
    source = json.loads(stored[f"{key}/sm_drivers/sourcecode.json"])
    assert source["entry_script"] == "medtune_entry.py" and source["requirements"] == "requirements.txt"


def test_shipped_settings_are_the_resolved_ones_without_secrets(submitted, tmp_path: Path) -> None:
    plan, d, _ = submitted
    stored = objects()
    toml = stored[f"{plan.job_name_prefix}/{d['TrainingJobName']}/input/code/medtune.toml"]
    assert HF_TOKEN.encode() not in toml and WANDB_KEY.encode() not in toml
    shipped = tmp_path / "shipped.toml"
    shipped.write_bytes(toml)
    settings = load_settings(shipped)
    assert settings.train.deepspeed == "zero3"
    assert settings.sagemaker.instance_count == 2
    assert settings.train.gpus == 8  # one process per A100, started by the SDK's torchrun
    assert not any(HF_TOKEN.encode() in body for body in stored.values())


def test_status_logs_and_download(submitted, tmp_path: Path) -> None:
    _, d, _ = submitted
    job = d["TrainingJobName"]
    status = cloud.describe(job, REGION)
    assert (status.name, status.instance_count, status.spot) == (job, 2, True)

    logs = boto3.client("logs", region_name=REGION)
    logs.create_log_group(logGroupName="/aws/sagemaker/TrainingJobs")
    now = int(time.time() * 1000)
    for host in ("algo-1-1700000000", "algo-2-1700000000"):
        stream = f"{job}/{host}"
        logs.create_log_stream(logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream)
        events = [{"timestamp": now + i, "message": f"step {i} token={HF_TOKEN}"} for i in range(3)]
        logs.put_log_events(
            logGroupName="/aws/sagemaker/TrainingJobs", logStreamName=stream, logEvents=events
        )
    lines = list(cloud.logs(job, REGION))
    assert len(lines) == 6 and lines[0].startswith("[algo-1-1700000000] step 0")
    assert not any(HF_TOKEN in line for line in lines)

    archive = io.BytesIO()
    with tarfile.open(fileobj=archive, mode="w:gz") as tar:
        payload = b'{"r": 16}'
        info = tarfile.TarInfo("adapter_config.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    bucket, _, key = status.model_artifacts.removeprefix("s3://").partition("/")
    boto3.client("s3", region_name=REGION).put_object(Bucket=bucket, Key=key, Body=archive.getvalue())
    dest = cloud.download(job, tmp_path / "outputs" / job, REGION)
    assert (dest / "adapter_config.json").read_bytes() == payload


def test_wait_reports_until_the_job_ends(submitted) -> None:
    _, d, _ = submitted
    seen: list[str] = []
    final = cloud.wait(
        d["TrainingJobName"], REGION, on_status=lambda s: seen.append(s.status), poll_seconds=0
    )
    assert final.done and seen == [final.status]


def test_unknown_job_is_one_line(submitted) -> None:
    with pytest.raises(CloudError, match="no training job 'nope-123'"):
        cloud.describe("nope-123", REGION)


def test_status_logs_download_commands(submitted, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from medtune.cli.app import app

    _, d, _ = submitted
    job = d["TrainingJobName"]
    runner = CliRunner()
    status = runner.invoke(app, ["sagemaker", "status", job, "--region", REGION, "--json"])
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["name"] == job

    no_logs = runner.invoke(app, ["sagemaker", "logs", "other-job-1", "--region", REGION])
    assert no_logs.exit_code == 0 and "no log streams yet" in no_logs.stderr

    missing = runner.invoke(app, ["sagemaker", "download", "nope-123", "--region", REGION])
    assert missing.exit_code == 1 and "no training job 'nope-123'" in missing.stderr
