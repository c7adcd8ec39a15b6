"""Follow a submitted job: status, waiting, CloudWatch logs and model artifacts."""

from __future__ import annotations

import datetime as dt
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.cloud.aws import client_error, resolve_region, session
from medtune.config import Secrets, redact
from medtune.errors import CloudError
from medtune.io import atomic_dir

if TYPE_CHECKING:
    import boto3

LOG_GROUP = "/aws/sagemaker/TrainingJobs"
TERMINAL = ("Completed", "Failed", "Stopped")


@dataclass(frozen=True)
class JobStatus:
    """What DescribeTrainingJob says about a job."""

    name: str
    status: str
    secondary_status: str | None
    failure_reason: str | None
    created: dt.datetime | None
    started: dt.datetime | None
    ended: dt.datetime | None
    training_seconds: int | None
    billable_seconds: int | None
    instance_type: str
    instance_count: int
    spot: bool
    model_artifacts: str | None

    @property
    def done(self) -> bool:
        """Whether the job has ended (completed, failed or stopped)."""
        return self.status in TERMINAL

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (times as ISO 8601)."""
        return {k: v.isoformat() if isinstance(v, dt.datetime) else v for k, v in asdict(self).items()}

    def rows(self) -> list[tuple[str, str]]:
        """(label, text) rows for a terminal."""
        billable = str(self.billable_seconds)
        if self.spot and self.billable_seconds and self.training_seconds:
            billable += f" ({1 - self.billable_seconds / self.training_seconds:.0%} saved by spot)"
        rows = [
            ("status", f"{self.status} / {self.secondary_status}"),
            ("instances", f"{self.instance_count} x {self.instance_type}{' (spot)' if self.spot else ''}"),
            ("created", str(self.created)),
            ("started", str(self.started)),
            ("ended", str(self.ended)),
            ("training seconds", str(self.training_seconds)),
            ("billable seconds", billable),
            ("model", str(self.model_artifacts)),
        ]
        return rows + ([("failure", self.failure_reason)] if self.failure_reason else [])

    @classmethod
    def from_describe(cls, d: dict[str, Any]) -> JobStatus:
        """Build from a DescribeTrainingJob response."""
        resources = d.get("ResourceConfig", {})
        return cls(
            name=d["TrainingJobName"],
            status=d["TrainingJobStatus"],
            secondary_status=d.get("SecondaryStatus"),
            failure_reason=d.get("FailureReason"),
            created=d.get("CreationTime"),
            started=d.get("TrainingStartTime"),
            ended=d.get("TrainingEndTime"),
            training_seconds=d.get("TrainingTimeInSeconds"),
            billable_seconds=d.get("BillableTimeInSeconds"),
            instance_type=resources.get("InstanceType", ""),
            instance_count=resources.get("InstanceCount", 0),
            spot=bool(d.get("EnableManagedSpotTraining")),
            model_artifacts=d.get("ModelArtifacts", {}).get("S3ModelArtifacts"),
        )


def _boto(region: str | None) -> boto3.Session:
    return session(resolve_region(region))


def describe(name: str, region: str | None = None, boto: boto3.Session | None = None) -> JobStatus:
    """The current :class:`JobStatus` of job ``name``."""
    from botocore.exceptions import ClientError

    client = (boto or _boto(region)).client("sagemaker")
    try:
        return JobStatus.from_describe(client.describe_training_job(TrainingJobName=name))
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ValidationException":
            raise CloudError(
                f"no training job {name!r} in {client.meta.region_name}; check the name and --region"
            ) from None
        raise client_error(exc, f"describe {name}") from None


def wait(
    name: str,
    region: str | None = None,
    on_status: Callable[[JobStatus], None] | None = None,
    poll_seconds: float = 30.0,
    boto: boto3.Session | None = None,
) -> JobStatus:
    """Poll job ``name`` until it ends, calling ``on_status`` whenever its status changes."""
    boto = boto or _boto(region)
    last: tuple[str, str | None] | None = None
    while True:
        status = describe(name, boto=boto)
        if (status.status, status.secondary_status) != last and on_status is not None:
            on_status(status)
        last = (status.status, status.secondary_status)
        if status.done:
            return status
        time.sleep(poll_seconds)


def logs(name: str, region: str | None = None) -> Iterator[str]:
    """The job's CloudWatch log lines, oldest first, ``[host] line`` when several hosts log.

    Known secrets and token-shaped strings are redacted.
    """
    from botocore.exceptions import ClientError

    client = _boto(region).client("logs")
    try:
        streams = client.describe_log_streams(logGroupName=LOG_GROUP, logStreamNamePrefix=f"{name}/")
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceNotFoundException":
            return
        raise client_error(exc, f"logs of {name}") from None
    names = sorted(s["logStreamName"] for s in streams.get("logStreams", []))
    secrets = Secrets()
    for stream in names:
        tag = f"[{stream.removeprefix(name + '/')}] " if len(names) > 1 else ""
        token = None
        while True:
            kwargs = {"nextToken": token} if token else {"startFromHead": True}
            page = client.get_log_events(logGroupName=LOG_GROUP, logStreamName=stream, **kwargs)
            for event in page["events"]:
                yield tag + redact(event["message"], secrets)
            if page.get("nextForwardToken") in (None, token):
                break
            token = page["nextForwardToken"]


def download(name: str, dest: str | Path | None = None, region: str | None = None) -> Path:
    """Fetch the job's ``model.tar.gz`` and extract it into ``dest`` (default ``outputs/<job>``)."""
    from botocore.exceptions import BotoCoreError, ClientError

    boto = _boto(region)
    status = describe(name, boto=boto)
    if status.status != "Completed" or not status.model_artifacts:
        raise CloudError(
            f"job {name} is {status.status}; artifacts exist once it completes "
            f"(medtune sagemaker status {name})"
        )
    bucket, _, key = status.model_artifacts.removeprefix("s3://").partition("/")
    dest = Path(dest or Path("outputs") / name)
    replaces = ("adapter_config.json", "config.json", "manifest.json")  # an earlier download
    with tempfile.TemporaryDirectory() as tmp, atomic_dir(dest, replaces=replaces) as out:
        archive = Path(tmp) / "model.tar.gz"
        try:
            boto.client("s3").download_file(bucket, key, str(archive))
        except (BotoCoreError, ClientError) as exc:
            raise client_error(exc, f"download {status.model_artifacts}") from None
        with tarfile.open(archive) as tar:
            tar.extractall(out, filter="data")
    return dest
