"""Entry point of a medtune SageMaker job, run once per GPU by the SDK's torchrun driver.

Shipped as ``medtune_entry.py`` beside a copy of the ``medtune`` package, the resolved
settings file and ``requirements.txt``. Each process runs ``medtune train`` with the job's
settings, checkpoints in ``/opt/ml/checkpoints`` (synced with S3, so a restarted spot job
resumes) and, on global rank 0, copies ``final/`` into ``/opt/ml/model`` for upload.
Extra arguments (the job's hyperparameters, e.g. ``--deepspeed zero3``) go to ``medtune
train`` unchanged. Tokens (HF_TOKEN, WANDB_API_KEY) come from the AWS Secrets Manager secret
the job's environment names (:data:`TOKEN_SECRET_ENV`), never from the environment itself,
which DescribeTrainingJob shows. Standard library only, but for boto3 (in every SageMaker
training image) when a secret is named: it runs before anything else is set up.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHECKPOINTS = Path("/opt/ml/checkpoints")
#: The job environment's one medtune variable: the secret (name or ARN) holding the tokens.
TOKEN_SECRET_ENV = "MEDTUNE_TOKEN_SECRET"
TOKENS = ("HF_TOKEN", "WANDB_API_KEY")


def secret_tokens(secret_id: str, region: str | None = None) -> dict[str, str]:
    """HF_TOKEN / WANDB_API_KEY from the Secrets Manager secret ``secret_id``: a JSON object
    with those keys, or a plain string (the HF token)."""
    import boto3

    text = boto3.client("secretsmanager", region_name=region).get_secret_value(SecretId=secret_id)[
        "SecretString"
    ]
    try:
        value = json.loads(text)
    except json.JSONDecodeError:
        value = text
    if isinstance(value, str):
        return {"HF_TOKEN": value}
    return {name: str(value[name]) for name in TOKENS if isinstance(value, dict) and value.get(name)}


def train_command(args: list[str], environ: dict[str, str], checkpoints: Path = CHECKPOINTS) -> list[str]:
    """The ``medtune train`` command line this process runs."""
    data = environ.get("SM_CHANNEL_DATA", "/opt/ml/input/data/data")
    return [
        sys.executable,
        "-m",
        "medtune",
        "train",
        "--config",
        str(HERE / "medtune.toml"),
        "--data-dir",
        data,
        "--output-dir",
        str(checkpoints),
        "--resume-from-checkpoint",
        "auto",
        *args,
    ]


def export_model(output_dir: Path, model_dir: Path) -> None:
    """Copy the final adapter/model (and the run manifest) where SageMaker uploads from."""
    shutil.copytree(output_dir / "final", model_dir, dirs_exist_ok=True)
    manifest = output_dir / "manifest.json"
    if manifest.is_file():
        shutil.copy2(manifest, model_dir / "manifest.json")


def run_passing_signals(command: list[str], environ: dict[str, str]) -> int:
    """Run ``command`` and pass SIGINT/SIGTERM on to it instead of dying: torchrun signals
    only this process, and ``medtune train`` needs the signal to save a checkpoint (a spot
    interruption's SIGTERM) before torchrun's shutdown timeout."""
    process = subprocess.Popen(command, env=environ)
    previous = {
        sig: signal.signal(sig, lambda signum, frame: process.send_signal(signum))
        for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        return process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)


def main(
    argv: list[str] | None = None, environ: dict[str, str] | None = None, checkpoints: Path = CHECKPOINTS
) -> int:
    """Train, then export on global rank 0; returns the training exit code."""
    environ = dict(os.environ if environ is None else environ)
    environ["PYTHONPATH"] = os.pathsep.join(p for p in (str(HERE), environ.get("PYTHONPATH")) if p)
    if secret := environ.get(TOKEN_SECRET_ENV):
        try:
            environ.update(
                secret_tokens(secret, environ.get("AWS_REGION") or environ.get("AWS_DEFAULT_REGION"))
            )
        except Exception as exc:  # the job's one line on why: permissions, a wrong name, ...
            print(f"medtune: cannot read the secret {secret!r}: {exc}", file=sys.stderr)
            return 1
    args = sys.argv[1:] if argv is None else argv
    code = run_passing_signals(train_command(args, environ, checkpoints), environ)
    if code == 0 and environ.get("RANK", "0") == "0":
        export_model(checkpoints, Path(environ.get("SM_MODEL_DIR", "/opt/ml/model")))
    return code


if __name__ == "__main__":
    sys.exit(main())
