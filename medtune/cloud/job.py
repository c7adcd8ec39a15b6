"""The training job, planned offline: what ``submit`` sends and ``--dry-run`` shows.

:func:`plan_job` validates everything that can be checked without AWS (role, bucket,
region, instance type, image versions, data splits, the model source) and returns a
:class:`JobPlan`. Nothing is uploaded and no credentials are needed to build one.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from medtune.cloud import images, pricing
from medtune.cloud.aws import resolve_region
from medtune.cloud.entry import TOKEN_SECRET_ENV
from medtune.config import Secrets, Settings, to_toml
from medtune.errors import ConfigError, DataError
from medtune.modeling.loader import adapter_base
from medtune.training.arguments import check_names, optimizer

CHECKPOINT_DIR = "/opt/ml/checkpoints"
ENTRY_SCRIPT = "medtune_entry.py"
SETTINGS_FILE = "medtune.toml"
DEEPSPEED_FILE = "deepspeed.json"
DATA_CHANNEL = "data"
#: The input channel of ``train.init_adapter`` (the adapter a preference run continues).
ADAPTER_CHANNEL = "adapter"
REQUIRED_SPLITS = ("train.jsonl", "validation.jsonl")
#: What the Hugging Face training container lacks to run ``medtune train``.
CONTAINER_NEEDS = (
    "typer",
    "rich",
    "pydantic-settings",
    "tomli-w",
    "peft",
    "trl",
    "bitsandbytes",
    "tensorboard",
)
DEEPSPEED_PRESETS = ("zero2", "zero3")
MAX_HOURS = 28 * 24

_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_JOB_PREFIX = re.compile(r"^[a-zA-Z0-9](-*[a-zA-Z0-9]){0,47}$")


@dataclass
class JobPlan:
    """A SageMaker training job request, before submission."""

    job_name: str
    job_name_prefix: str
    region: str
    role: str
    bucket: str
    image_uri: str
    instance_type: str
    instance_count: int
    gpus_per_instance: int
    volume_size_gb: int
    use_spot: bool
    max_run_seconds: int
    max_wait_seconds: int | None
    data_source: str
    hyperparameters: dict[str, str]
    checkpoint_s3_uri: str | None
    output_s3_uri: str
    requirements: list[str]
    cost: pricing.CostEstimate
    #: Names, never values: the secret the entry script reads the tokens from (DescribeTrainingJob
    #: shows a job's environment to anyone allowed to describe it).
    environment: dict[str, str]
    settings_toml: str = field(repr=False)
    deepspeed_file: Path | None = None
    #: The local adapter folder ``train.init_adapter`` names, uploaded as its own channel.
    adapter_source: str | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def uploads_data(self) -> bool:
        """Whether the data is a local folder that submission uploads."""
        return not self.data_source.startswith("s3://")

    @property
    def job_prefix_uri(self) -> str:
        """Where the SDK stages this job's inputs: ``s3://<bucket>/<prefix>/<job>``."""
        return f"s3://{self.bucket}/{self.job_name_prefix}/{self.job_name}"

    @property
    def channels(self) -> dict[str, str]:
        """Input channels (name -> S3 URI), including the code the SDK stages."""
        data = f"{self.job_prefix_uri}/input/{DATA_CHANNEL}" if self.uploads_data else self.data_source
        adapter = (
            {ADAPTER_CHANNEL: f"{self.job_prefix_uri}/input/{ADAPTER_CHANNEL}"} if self.adapter_source else {}
        )
        return {
            DATA_CHANNEL: data,
            **adapter,
            "code": f"{self.job_prefix_uri}/input/code",
            "sm_drivers": f"{self.job_prefix_uri}/input/sm_drivers",
        }

    @property
    def checkpoint_location(self) -> str:
        """The checkpoint S3 prefix (the SDK's per-job default unless one was set)."""
        return self.checkpoint_s3_uri or f"{self.job_prefix_uri}/checkpoints"

    def to_dict(self) -> dict[str, Any]:
        """The request as plain JSON (it holds no secret)."""
        gpus = self.gpus_per_instance
        return {
            "job_name": self.job_name,
            "region": self.region,
            "role": self.role,
            "image_uri": self.image_uri,
            "instance_type": self.instance_type,
            "instance_count": self.instance_count,
            "volume_size_gb": self.volume_size_gb,
            "distribution": {
                "type": "torchrun",
                "nodes": self.instance_count,
                "processes_per_node": gpus,
                "world_size": gpus * self.instance_count,
            },
            "channels": self.channels,
            "uploads": {
                **({self.data_source: self.channels[DATA_CHANNEL]} if self.uploads_data else {}),
                **({self.adapter_source: self.channels[ADAPTER_CHANNEL]} if self.adapter_source else {}),
            },
            "hyperparameters": self.hyperparameters,
            "environment": self.environment,
            "checkpoint": {"s3_uri": self.checkpoint_location, "local_path": CHECKPOINT_DIR},
            "output_s3_uri": self.output_s3_uri,
            "model_artifacts": f"{self.output_s3_uri}/{self.job_name}/output/model.tar.gz",
            "stopping_condition": {
                "max_runtime_seconds": self.max_run_seconds,
                "max_wait_seconds": self.max_wait_seconds,
            },
            "spot": self.use_spot,
            "entry": f"{ENTRY_SCRIPT} -> medtune train --config {SETTINGS_FILE} --data-dir "
            f"/opt/ml/input/data/{DATA_CHANNEL} --output-dir {CHECKPOINT_DIR} --resume-from-checkpoint auto",
            "requirements": self.requirements,
            "cost": {
                "usd_per_instance_hour": self.cost.usd_per_hour,
                "on_demand_max_usd": self.cost.on_demand_usd,
                "spot_max_usd": list(self.cost.spot_usd) if self.cost.spot_usd else None,
                "prices_as_of": self.cost.prices_as_of,
                "price_region": self.cost.price_region,
            },
            "notes": self.notes,
        }

    def rows(self) -> list[tuple[str, str]]:
        """The request as (label, text) rows for a terminal."""
        d = self.to_dict()
        dist, cost = d["distribution"], d["cost"]
        hours = self.max_run_seconds / 3600
        price = f"${cost['on_demand_max_usd']:,.2f} on-demand at most (${self.cost.usd_per_hour}/h x "
        price += (
            f"{self.instance_count} x {hours:g} h; {cost['price_region']} prices of {cost['prices_as_of']})"
        )
        if self.cost.spot_usd:
            price += "; spot ~${:,.2f}-${:,.2f}".format(*self.cost.spot_usd)
        return [
            ("job", f"{self.job_name} (final name stamped at submission)"),
            ("image", self.image_uri),
            ("instances", f"{self.instance_count} x {self.instance_type}, {self.volume_size_gb} GB volume"),
            ("distribution", f"torchrun: {dist['nodes']} node(s) x {dist['processes_per_node']} GPU(s)"),
            *((f"channel {name}", uri) for name, uri in d["channels"].items()),
            *(("upload", f"{src} -> {dst}") for src, dst in d["uploads"].items()),
            ("hyperparameters", json.dumps(d["hyperparameters"])),
            ("environment", json.dumps(d["environment"])),
            ("checkpoints", f"{self.checkpoint_location} <-> {CHECKPOINT_DIR}"),
            ("model", d["model_artifacts"]),
            ("stopping", json.dumps(d["stopping_condition"])),
            ("entry", d["entry"]),
            ("requirements", " ".join(self.requirements)),
            ("cost", price),
            *(("note", text) for text in self.notes),
        ]


def plan_job(settings: Settings, secrets: Secrets | None = None, now: dt.datetime | None = None) -> JobPlan:
    """Validate ``settings`` for a SageMaker run and plan the job; offline, uploads nothing."""
    sm = settings.sagemaker
    secrets = secrets or Secrets()
    role, bucket, prefix = _check_names(settings)
    region = resolve_region(sm.region)
    gpus = pricing.instance(sm.instance_type).gpus
    data_source = _check_data(settings.data.data_dir)
    adapter = _check_model(settings)
    optimizer(settings, "cuda")  # a wrong name would otherwise fail only in the paid job
    check_names(settings)
    if max(sm.max_run_hours, sm.max_wait_hours if sm.use_spot else 0) > MAX_HOURS:
        raise ConfigError(f"sagemaker: max_run_hours and max_wait_hours are capped at {MAX_HOURS} (28 days)")
    if sm.use_spot and sm.max_wait_hours < sm.max_run_hours:
        raise ConfigError(
            f"sagemaker.max_wait_hours ({sm.max_wait_hours:g}) must be >= max_run_hours "
            f"({sm.max_run_hours:g}) for spot jobs"
        )
    deepspeed, deepspeed_file = _deepspeed(settings.train.deepspeed)
    # In the job, the SDK's torchrun starts one process per GPU of each instance; the adapter
    # to continue arrives as its own channel.
    train = settings.train.model_copy(update={"deepspeed": deepspeed, "gpus": gpus, "init_adapter": None})
    shipped = settings.model_copy(update={"train": train})
    hyperparameters = {
        **({"deepspeed": deepspeed} if deepspeed else {}),
        **({"method": settings.train.method} if settings.train.method != "sft" else {}),
        **({"init-adapter": f"/opt/ml/input/data/{ADAPTER_CHANNEL}"} if adapter else {}),
    }
    environment = {TOKEN_SECRET_ENV: sm.token_secret} if sm.token_secret else {}
    stamp = (now or dt.datetime.now()).strftime("%Y%m%d%H%M%S")
    return JobPlan(
        job_name=f"{prefix}-{stamp}",
        job_name_prefix=prefix,
        region=region,
        role=role,
        bucket=bucket,
        image_uri=images.image_uri(sm, region, sm.instance_type),
        instance_type=sm.instance_type,
        instance_count=sm.instance_count,
        gpus_per_instance=gpus,
        volume_size_gb=sm.volume_size_gb,
        use_spot=sm.use_spot,
        max_run_seconds=round(sm.max_run_hours * 3600),
        max_wait_seconds=round(sm.max_wait_hours * 3600) if sm.use_spot else None,
        data_source=data_source,
        hyperparameters=hyperparameters,
        checkpoint_s3_uri=sm.checkpoint_s3_uri,
        output_s3_uri=(sm.output_s3_uri or f"s3://{bucket}/{prefix}").rstrip("/"),
        requirements=container_requirements(deepspeed is not None),
        cost=pricing.estimate_cost(sm.instance_type, sm.instance_count, sm.max_run_hours, sm.use_spot),
        environment=environment,
        settings_toml=to_toml(shipped),
        deepspeed_file=deepspeed_file,
        adapter_source=adapter,
        notes=_notes(settings, secrets),
    )


def container_requirements(deepspeed: bool) -> list[str]:
    """medtune's own pins for what the training container lacks (+ DeepSpeed when used)."""
    wanted = {*CONTAINER_NEEDS, *(("deepspeed",) if deepspeed else ())}
    try:
        specs = [r.split(";")[0].strip() for r in importlib.metadata.requires("medtune") or []]
    except importlib.metadata.PackageNotFoundError:
        specs = []
    pinned = {re.split(r"[<>=!~ \[]", s, maxsplit=1)[0].lower(): s for s in specs}
    return sorted(pinned.get(name, name) for name in wanted)


def _check_names(settings: Settings) -> tuple[str, str, str]:
    sm = settings.sagemaker
    if not sm.role:
        raise ConfigError(
            "sagemaker.role: not set; set [sagemaker] role or --role to the ARN of an IAM role "
            "SageMaker can assume (arn:aws:iam::<account>:role/<name>)"
        )
    if not _ROLE.match(sm.role):
        raise ConfigError(
            f"sagemaker.role: {sm.role!r} is not an IAM role ARN (arn:aws:iam::<account>:role/<name>)"
        )
    if not sm.bucket:
        raise ConfigError(
            "sagemaker.bucket: not set; set [sagemaker] bucket or --bucket to an S3 bucket you own"
        )
    bucket = sm.bucket.removeprefix("s3://").strip("/")
    if not _BUCKET.match(bucket):
        raise ConfigError(f"sagemaker.bucket: {sm.bucket!r} is not an S3 bucket name")
    for key in ("checkpoint_s3_uri", "output_s3_uri"):
        if (value := getattr(sm, key)) and not value.startswith("s3://"):
            raise ConfigError(f"sagemaker.{key}: {value!r} is not an s3:// URI")
    if not _JOB_PREFIX.match(sm.job_name_prefix):
        raise ConfigError(
            f"sagemaker.job_name_prefix: {sm.job_name_prefix!r} must be 1-48 letters, digits or "
            "hyphens (SageMaker appends -YYYYmmddHHMMSS)"
        )
    return sm.role, bucket, sm.job_name_prefix


def _check_data(data_dir: str) -> str:
    if data_dir.startswith("s3://"):
        return data_dir.rstrip("/") + "/"
    missing = [name for name in REQUIRED_SPLITS if not (Path(data_dir) / name).is_file()]
    if missing:
        raise DataError(
            f"{data_dir}: no {' or '.join(missing)}; run `medtune data prepare` or point --data-dir "
            "at a processed folder (or an s3:// prefix holding the splits)"
        )
    return str(Path(data_dir))


def _check_model(settings: Settings) -> str | None:
    """Check that the job can download its base model (the adapter's own base when
    ``train.init_adapter`` is set); return the adapter folder to upload, if any."""
    adapter = settings.train.init_adapter
    name, key = (
        (adapter_base(adapter), f"{adapter}'s base model") if adapter else (settings.model.model_name, "")
    )
    if settings.model.use_local_model or Path(name).exists():
        raise ConfigError(
            f"{key or 'model.model_name'}: {name!r} is a local folder, which a SageMaker job cannot read; "
            "use a Hub repo id (with HF_TOKEN for gated models)"
        )
    return str(Path(adapter)) if adapter else None


def _deepspeed(value: str | None) -> tuple[str | None, Path | None]:
    """The ``--deepspeed`` value the job passes, and a user JSON file to ship (if any)."""
    if value is None or value in DEEPSPEED_PRESETS:
        return value, None
    path = Path(value)
    if not path.is_file():
        raise ConfigError(f"train.deepspeed: {value!r} is neither zero2, zero3 nor a DeepSpeed JSON file")
    return DEEPSPEED_FILE, path


def _notes(settings: Settings, secrets: Secrets) -> list[str]:
    notes = []
    secret = settings.sagemaker.token_secret
    if secret:
        notes.append(
            f"tokens: the job reads them from the secret {secret!r} (its role needs GetSecretValue)."
        )
    else:
        held = list(secrets.job_tokens())
        if held:
            notes.append(
                f"{' and '.join(held)} set here but not sent: a job's environment is readable by whoever can "
                "describe it; run 'medtune sagemaker store-tokens' and set sagemaker.token_secret."
            )
        else:
            notes.append("HF_TOKEN is not set: gated models (e.g. meta-llama/*) will fail to download.")
        if "wandb" in settings.train.report_to:
            notes.append(
                "report_to includes wandb: the job has no WANDB_API_KEY without sagemaker.token_secret."
            )
    if settings.sagemaker.use_spot:
        notes.append("Spot: an interrupted job restarts and resumes from the newest synced checkpoint.")
    return notes
