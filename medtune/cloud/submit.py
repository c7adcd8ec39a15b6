"""Send a :class:`~medtune.cloud.job.JobPlan` to SageMaker with the SDK's ``ModelTrainer``."""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from medtune.cloud import jobs
from medtune.cloud.aws import client_error, session
from medtune.cloud.job import (
    ADAPTER_CHANNEL,
    CHECKPOINT_DIR,
    DATA_CHANNEL,
    ENTRY_SCRIPT,
    REQUIRED_SPLITS,
    JobPlan,
)
from medtune.cloud.package import stage_source
from medtune.errors import CloudError

if TYPE_CHECKING:
    import boto3


def submit(
    plan: JobPlan,
    wait: bool = False,
    on_status: Callable[[jobs.JobStatus], None] | None = None,
    poll_seconds: float = 30.0,
    boto: boto3.Session | None = None,
) -> jobs.JobStatus:
    """Check the bucket (and S3 data), stage the code, create the job; optionally wait.

    Nothing is uploaded until every check has passed. ``boto`` is the session to use
    (default: the AWS env/profile's, for ``plan.region``). Returns the job's status right
    after creation, or its final status with ``wait``.
    """
    boto = boto or session(plan.region)
    preflight(plan, boto)
    with tempfile.TemporaryDirectory(prefix="medtune-sagemaker-") as tmp:
        name = _create(plan, boto, stage_source(plan, Path(tmp) / "code"))
    if wait:
        return jobs.wait(name, on_status=on_status, poll_seconds=poll_seconds, boto=boto)
    return jobs.describe(name, boto=boto)


def preflight(plan: JobPlan, boto: boto3.Session) -> None:
    """Checks that need AWS: the bucket exists and is usable; S3 data holds the splits."""
    from botocore.exceptions import ClientError

    s3 = boto.client("s3")
    try:
        s3.head_bucket(Bucket=plan.bucket)
    except ClientError as exc:
        code = exc.response.get("Error", {}).get("Code")
        if code in ("404", "NoSuchBucket"):
            raise CloudError(
                f"bucket {plan.bucket!r} does not exist; create it (aws s3 mb s3://{plan.bucket} "
                f"--region {plan.region}) or set [sagemaker] bucket"
            ) from None
        if code == "403":
            raise CloudError(
                f"bucket {plan.bucket!r}: access denied; use a bucket your credentials can write "
                "(S3 bucket names are global: it may belong to another account)"
            ) from None
        raise client_error(exc, f"bucket {plan.bucket}") from None
    if not plan.uploads_data:
        bucket, _, prefix = plan.data_source.removeprefix("s3://").partition("/")
        try:
            listing = s3.list_objects_v2(Bucket=bucket, Prefix=prefix)
        except ClientError as exc:
            raise client_error(exc, plan.data_source) from None
        found = {item["Key"].removeprefix(prefix) for item in listing.get("Contents", [])}
        missing = [split for split in REQUIRED_SPLITS if split not in found]
        if missing:
            raise CloudError(
                f"{plan.data_source}: no {' or '.join(missing)}; upload the processed folder there "
                "(aws s3 sync data/processed ...) or point --data-dir at a local one"
            )


def _create(plan: JobPlan, boto: boto3.Session, source_dir: Path) -> str:
    from botocore.exceptions import BotoCoreError, ClientError
    from sagemaker.core.helper.iam_role_resolver import RoleValidationError
    from sagemaker.core.helper.session_helper import Session
    from sagemaker.core.training.configs import (
        CheckpointConfig,
        Compute,
        InputData,
        OutputDataConfig,
        SourceCode,
        StoppingCondition,
    )
    from sagemaker.train.distributed import Torchrun
    from sagemaker.train.model_trainer import ModelTrainer

    # The SDK logs whole requests (environment included) at DEBUG: keep it at WARNING.
    logging.getLogger("sagemaker").setLevel(logging.WARNING)
    try:
        trainer = ModelTrainer(
            sagemaker_session=Session(boto_session=boto, default_bucket=plan.bucket),
            role=plan.role,
            base_job_name=plan.job_name_prefix,
            training_image=plan.image_uri,
            source_code=SourceCode(
                source_dir=str(source_dir), entry_script=ENTRY_SCRIPT, requirements="requirements.txt"
            ),
            distributed=Torchrun(),
            compute=Compute(
                instance_type=plan.instance_type,
                instance_count=plan.instance_count,
                volume_size_in_gb=plan.volume_size_gb,
                enable_managed_spot_training=plan.use_spot,
            ),
            stopping_condition=StoppingCondition(
                max_runtime_in_seconds=plan.max_run_seconds, max_wait_time_in_seconds=plan.max_wait_seconds
            ),
            checkpoint_config=CheckpointConfig(s3_uri=plan.checkpoint_s3_uri, local_path=CHECKPOINT_DIR),
            output_data_config=OutputDataConfig(s3_output_path=plan.output_s3_uri),
            environment=plan.environment,
            hyperparameters=plan.hyperparameters,
        )
        channels = [InputData(channel_name=DATA_CHANNEL, data_source=plan.data_source)]
        if plan.adapter_source:
            channels.append(InputData(channel_name=ADAPTER_CHANNEL, data_source=plan.adapter_source))
        trainer.train(
            input_data_config=channels,
            wait=False,
            logs=False,
        )
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") == "ResourceInUse":
            message = exc.response["Error"].get("Message", "")
            raise CloudError(
                f"job name taken ({message}); resubmit in a second, or set another "
                "[sagemaker] job_name_prefix"
            ) from None
        raise client_error(exc, "CreateTrainingJob") from None
    except RoleValidationError as exc:
        reason = str(exc).strip().splitlines()[0]
        raise CloudError(f"role {plan.role}: {reason} (grant it, or use another --role)") from None
    except (BotoCoreError, ValueError) as exc:
        raise CloudError(f"CreateTrainingJob: {exc}") from None
    return trainer._latest_training_job.training_job_name
