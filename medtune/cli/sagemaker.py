"""``medtune sagemaker``: run ``medtune train`` as a managed SageMaker job."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, DryRunOpt, JsonOpt, OutputDirOpt, settings

if TYPE_CHECKING:
    from medtune.cloud import JobStatus

app = typer.Typer(help="Train on Amazon SageMaker.", no_args_is_help=True)

JobArg = Annotated[str, typer.Argument(help="Training job name.", show_default=False)]
RegionOpt = Annotated[str | None, typer.Option(help="AWS region (default: settings, env or profile).")]


@app.command()
@handle_errors
def submit(
    config: ConfigOpt = None,
    role: Annotated[str | None, typer.Option(help="IAM role ARN the job runs as.")] = None,
    bucket: Annotated[str | None, typer.Option(help="S3 bucket for code, data and outputs.")] = None,
    region: RegionOpt = None,
    instance_type: Annotated[str | None, typer.Option(help="e.g. ml.g5.2xlarge, ml.p4d.24xlarge.")] = None,
    instance_count: Annotated[int | None, typer.Option(min=1, help="Instances (nodes).")] = None,
    spot: Annotated[bool | None, typer.Option("--spot/--no-spot", help="Managed spot training.")] = None,
    max_run_hours: Annotated[float | None, typer.Option(help="Stop the job after this long.")] = None,
    image_uri: Annotated[str | None, typer.Option(help="Training image instead of the HF one.")] = None,
    data_dir: Annotated[str | None, typer.Option(help="Processed folder or s3:// prefix.")] = None,
    deepspeed: Annotated[str | None, typer.Option(help="zero2, zero3 or a DeepSpeed JSON file.")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Stop training after N steps.")] = None,
    wait: Annotated[bool, typer.Option("--wait", help="Stream status until the job ends.")] = False,
    dry_run: DryRunOpt = False,
    as_json: JsonOpt = False,
) -> None:
    """Submit a training job built from your settings.

    Example: medtune sagemaker submit --config examples/sagemaker.toml --dry-run
    """
    from medtune.cloud import plan_job
    from medtune.cloud import submit as submit_job

    sm: dict[str, Any] = dict(role=role, bucket=bucket, region=region, instance_type=instance_type)
    sm |= dict(instance_count=instance_count, use_spot=spot, max_run_hours=max_run_hours, image_uri=image_uri)
    resolved = settings(
        config,
        sagemaker=sm,
        data={"data_dir": data_dir},
        train={"deepspeed": deepspeed, "max_steps": max_steps},
    )
    plan = plan_job(resolved)
    if as_json and dry_run:
        console().print_json(json.dumps(plan.to_dict()))
    elif not as_json:
        _panel(plan.rows(), "SageMaker job (dry run: nothing sent)" if dry_run else "SageMaker job", "cyan")
    if dry_run:
        return
    job = submit_job(plan, wait=wait, on_status=_status_line)
    if as_json:
        console().print_json(json.dumps(job.to_dict()))
    elif wait:
        _show_status(job)
    else:
        console().print(f"Submitted [bold]{job.name}[/bold] ({job.status}). Follow it with:")
        for cmd in ("status", "logs", "download"):
            console().out(f"  medtune sagemaker {cmd} {job.name} --region {plan.region}", highlight=False)
    if wait and job.status != "Completed":
        raise typer.Exit(1)


@app.command("store-tokens")
@handle_errors
def store_tokens(
    name: Annotated[str, typer.Option(help="Secret name.")] = "medtune/tokens",
    region: RegionOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Put HF_TOKEN and WANDB_API_KEY (as set here) into an AWS Secrets Manager secret that
    jobs read; a job's own environment never holds them.

    Example: medtune sagemaker store-tokens --name medtune/tokens
    """
    from medtune.cloud.aws import resolve_region
    from medtune.cloud.tokens import store_tokens as store

    arn = store(name, resolve_region(_region(config, region)))
    console().print(f"stored in {arn}", markup=False, soft_wrap=True)
    note(
        f"set [sagemaker] token_secret = {name!r} (or MEDTUNE_SAGEMAKER__TOKEN_SECRET); the job role needs "
        "secretsmanager:GetSecretValue on it"
    )


@app.command()
@handle_errors
def status(job: JobArg, region: RegionOpt = None, config: ConfigOpt = None, as_json: JsonOpt = False) -> None:
    """Show a job's status, times and billable seconds.

    Example: medtune sagemaker status medtune-20261127101500
    """
    from medtune.cloud import describe

    job_status = describe(job, _region(config, region))
    if as_json:
        console().print_json(json.dumps(job_status.to_dict()))
    else:
        _show_status(job_status)


@app.command()
@handle_errors
def logs(job: JobArg, region: RegionOpt = None, config: ConfigOpt = None) -> None:
    """Print a job's CloudWatch logs (secrets redacted).

    Example: medtune sagemaker logs medtune-20261127101500
    """
    from medtune.cloud import logs as job_logs

    empty = True
    for line in job_logs(job, _region(config, region)):
        console().out(line, highlight=False)
        empty = False
    if empty:
        note(f"no log streams yet for {job} (they appear once the instances start)")


@app.command()
@handle_errors
def download(
    job: JobArg, output_dir: OutputDirOpt = None, region: RegionOpt = None, config: ConfigOpt = None
) -> None:
    """Download and extract a completed job's model artifacts (default: outputs/<job>/).

    Example: medtune sagemaker download medtune-20261127101500
    """
    from medtune.cloud import download as fetch

    dest = fetch(job, output_dir, _region(config, region))
    console().print(f"Model artifacts of {job} in [bold]{dest}[/bold]")


def _region(config: Path | None, region: str | None) -> str | None:
    return settings(config, sagemaker={"region": region}).sagemaker.region


def _panel(rows: list[tuple[str, str]], title: str, style: str) -> None:
    from rich.markup import escape
    from rich.panel import Panel
    from rich.table import Table

    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold cyan", no_wrap=True)
    grid.add_column(overflow="fold")
    for key, value in rows:
        grid.add_row(escape(key), escape(value))
    console().print(Panel(grid, title=title, border_style=style, expand=False))


def _status_line(s: JobStatus) -> None:
    from datetime import datetime

    note(f"{datetime.now():%H:%M:%S} {s.name}: {s.status} / {s.secondary_status}")


def _show_status(s: JobStatus) -> None:
    _panel(s.rows(), s.name, "green" if s.done else "yellow")
