"""The Hugging Face and W&B tokens a SageMaker job needs, kept in AWS Secrets Manager.

A job's environment is returned by DescribeTrainingJob to anyone allowed to call it, so
medtune never puts a token there: :func:`store_tokens` writes the local HF_TOKEN and
WANDB_API_KEY into one secret (a JSON object), ``[sagemaker] token_secret`` names it, and
the job's entry script reads it (:func:`medtune.cloud.entry.secret_tokens`).
"""

from __future__ import annotations

import json

from medtune.cloud.aws import client_error, session
from medtune.config import Secrets
from medtune.errors import UsageError


def store_tokens(name: str, region: str, secrets: Secrets | None = None) -> str:
    """Create or update the secret ``name`` with the tokens set here; return its ARN."""
    values = (secrets or Secrets()).job_tokens()
    if not values:
        raise UsageError("neither HF_TOKEN nor WANDB_API_KEY is set: nothing to store")
    client = session(region).client("secretsmanager")
    text = json.dumps(values)
    try:
        try:
            return str(client.create_secret(Name=name, SecretString=text)["ARN"])
        except client.exceptions.ResourceExistsException:
            return str(client.put_secret_value(SecretId=name, SecretString=text)["ARN"])
    except Exception as exc:
        raise client_error(exc, f"secret {name!r}") from None
