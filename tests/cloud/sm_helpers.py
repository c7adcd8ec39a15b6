"""Constants and builders shared by the SageMaker tests."""

from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType

import pytest

REGION = "us-east-1"
BUCKET = "medtune-test-bucket"
HF_TOKEN = "hf_TESTtokenVALUEthatMUSTneverLEAK123"
WANDB_KEY = "wandb-secret-value-0123456789"
SPLITS = ("train", "validation", "test")


def write_processed(folder: Path, splits: tuple[str, ...] = SPLITS) -> Path:
    """A tiny processed data folder: a few records per split plus a data card."""
    folder.mkdir(parents=True, exist_ok=True)
    for split in splits:
        rows = [
            {"id": f"{split}-{i}", "instruction": "Answer.", "input": f"Question {i}?", "output": "Rest."}
            for i in range(3)
        ]
        (folder / f"{split}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    (folder / "data_card.json").write_text(json.dumps({"counts": {s: 3 for s in splits}}))
    return folder


def isolate_aws(mp: pytest.MonkeyPatch, folder: Path) -> None:
    """No AWS credentials, region or profile anywhere, and no metadata service to ask."""
    for name in list(os.environ):
        if name.startswith("AWS_"):
            mp.delenv(name)
    empty = folder / "empty-aws-file"
    empty.write_text("")
    mp.setenv("AWS_CONFIG_FILE", str(empty))
    mp.setenv("AWS_SHARED_CREDENTIALS_FILE", str(empty))
    mp.setenv("AWS_EC2_METADATA_DISABLED", "true")


def fake_aws(mp: pytest.MonkeyPatch) -> None:
    """moto's credentials and region; the SDK skips IAM role checks."""
    mp.setenv("AWS_ACCESS_KEY_ID", "testing")
    mp.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    mp.setenv("AWS_DEFAULT_REGION", REGION)
    mp.setenv("SAGEMAKER_VALIDATE_ROLE", "false")


def create_bucket_and_role() -> str:
    """Inside mock_aws: the bucket and an execution role; returns the role ARN."""
    import boto3

    boto3.client("s3", region_name=REGION).create_bucket(Bucket=BUCKET)
    trust = {"Statement": [{"Effect": "Allow", "Principal": {"Service": "sagemaker.amazonaws.com"}}]}
    role = boto3.client("iam").create_role(RoleName="medtune-sm", AssumeRolePolicyDocument=json.dumps(trust))
    return role["Role"]["Arn"]


def job_settings(data_dir: Path | str, role: str = "arn:aws:iam::123456789012:role/medtune-sm", **sections):
    """Settings for a SageMaker job, with per-test overrides by section."""
    from medtune.config import load_settings

    sm = {"role": role, "bucket": BUCKET, "region": REGION} | sections.pop("sagemaker", {})
    data = {"data_dir": str(data_dir)} | sections.pop("data", {})
    return load_settings(None, {"sagemaker": sm, "data": data, **sections})


#: A stand-in for ``python -m medtune`` in a staged code folder: records what it was given.
STAND_IN = """
import json, os, sys
from pathlib import Path
args = sys.argv[1:]
final = Path(args[args.index("--output-dir") + 1]) / "final"
final.mkdir(parents=True, exist_ok=True)
(final / "adapter_model.safetensors").write_text("weights")
record = {"argv": args, "pythonpath": os.environ["PYTHONPATH"], "file": __file__}
record["hf"] = os.environ.get("HF_TOKEN")
Path(os.environ["RECORD"]).write_text(json.dumps(record))
sys.exit(int(os.environ.get("EXIT", "0")))
"""


def load_entry(code: Path) -> ModuleType:
    """The staged folder's ``medtune_entry.py`` as a module."""
    spec = importlib.util.spec_from_file_location("staged_entry", code / "medtune_entry.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
