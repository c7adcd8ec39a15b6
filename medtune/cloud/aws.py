"""AWS region, session and credentials, resolved the way the AWS CLI does, offline."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from medtune.errors import CloudError, ConfigError

if TYPE_CHECKING:
    import boto3


def resolve_region(region: str | None) -> str:
    """``region`` if set, else the AWS env/profile's; checked against botocore's region list."""
    import boto3

    region = region or boto3.Session().region_name
    if not region:
        raise ConfigError(
            "sagemaker.region: no AWS region; set [sagemaker] region, --region or AWS_DEFAULT_REGION"
        )
    if region not in sagemaker_regions():
        raise ConfigError(
            f"sagemaker.region: unknown region {region!r}; SageMaker runs in e.g. us-east-1, "
            "us-west-2, eu-west-1 (see `aws ec2 describe-regions`)"
        )
    return region


@functools.cache
def sagemaker_regions() -> frozenset[str]:
    """Regions botocore's bundled endpoint data lists for SageMaker (all partitions)."""
    import boto3

    session = boto3.Session()
    return frozenset(
        region
        for partition in session.get_available_partitions()
        for region in session.get_available_regions("sagemaker", partition_name=partition)
    )


def session(region: str) -> boto3.Session:
    """A boto3 session for ``region`` that has credentials (else a CloudError naming the fix)."""
    import boto3

    boto = boto3.Session(region_name=region)
    if boto.get_credentials() is None:
        raise CloudError(
            "no AWS credentials: run `aws configure` (or `aws sso login`), or set "
            "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or AWS_PROFILE"
        )
    return boto


def client_error(exc: Exception, what: str) -> CloudError:
    """One line for a botocore error raised while doing ``what``."""
    from botocore.exceptions import ClientError

    if isinstance(exc, ClientError):
        err = exc.response.get("Error", {})
        return CloudError(f"{what}: {err.get('Code', 'error')}: {err.get('Message', '')}".rstrip(": "))
    return CloudError(f"{what}: {exc}")
