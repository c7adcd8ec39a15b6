"""``medtune train``: supervised fine-tuning (QLoRA, LoRA or full), or DPO/ORPO/KTO preference tuning."""

from __future__ import annotations

import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, DryRunOpt, OutputDirOpt, settings
from medtune.cli.progress import RichProgress

if TYPE_CHECKING:
    from medtune.training import TrainPlan, TrainResult

#: How the summary names TRL's preference figures (the last logged values).
FIGURES = {
    "rewards/chosen": "reward of chosen answers",
    "rewards/rejected": "reward of rejected answers",
    "rewards/margins": "reward margin (chosen - rejected)",
    "rewards/accuracies": "pairs ranked right (share)",
}
FIGURES.update({f"eval_{key}": f"validation: {name}" for key, name in FIGURES.items()})


@handle_errors
def train(
    config: ConfigOpt = None,
    method: Annotated[
        str | None, typer.Option(help="sft, or preference tuning: dpo, orpo, kto (TRL's trainers).")
    ] = None,
    init_adapter: Annotated[
        Path | None, typer.Option(help="LoRA adapter to continue (e.g. an SFT run's final/).")
    ] = None,
    beta: Annotated[float | None, typer.Option(help="DPO/KTO: closeness to the reference; ORPO: λ.")] = None,
    bits: Annotated[int | None, typer.Option(help="4 = QLoRA, 8 = LLM.int8, 16 = no quantization.")] = None,
    lora: Annotated[
        bool | None,
        typer.Option("--lora/--disable-lora", help="A LoRA adapter, or full fine-tuning (16-bit)."),
    ] = None,
    resume_from_checkpoint: Annotated[str | None, typer.Option(help="Checkpoint folder or 'auto'.")] = None,
    output_dir: OutputDirOpt = None,
    per_device_train_batch_size: Annotated[
        int | None, typer.Option(help="Examples per device per step.")
    ] = None,
    gradient_accumulation_steps: Annotated[
        int | None, typer.Option(help="Micro-batches per optimizer step.")
    ] = None,
    gradient_checkpointing: Annotated[
        bool | None, typer.Option(help="Recompute activations (less memory).")
    ] = None,
    learning_rate: Annotated[float | None, typer.Option(help="Peak learning rate.")] = None,
    epochs: Annotated[float | None, typer.Option(help="Passes over the training split.")] = None,
    lora_r: Annotated[int | None, typer.Option(help="LoRA rank.")] = None,
    lora_alpha: Annotated[int | None, typer.Option(help="LoRA scaling numerator.")] = None,
    max_steps: Annotated[int | None, typer.Option(help="Stop after N optimizer steps.")] = None,
    eval_steps: Annotated[int | None, typer.Option(help="Evaluate every N steps.")] = None,
    gpus: Annotated[int | None, typer.Option(help="Processes to launch (torchrun).")] = None,
    deepspeed: Annotated[str | None, typer.Option(help="zero2, zero3 or a DeepSpeed JSON path.")] = None,
    report_to: Annotated[str | None, typer.Option(help="Comma list: tensorboard,wandb,none.")] = None,
    model_name: Annotated[str | None, typer.Option(help="Base model (hub id or folder).")] = None,
    data_dir: Annotated[Path | None, typer.Option(help="Folder with the processed splits.")] = None,
    device: Annotated[str | None, typer.Option(help="auto, cpu or cuda.")] = None,
    dry_run: DryRunOpt = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", help="With --dry-run: also the resolved settings.")
    ] = False,
    smoke: Annotated[bool, typer.Option("--smoke", help="A minute-long CPU run on a tiny model.")] = False,
) -> None:
    """Fine-tune the base model on the processed training split (SFT), or preference-tune
    it on chosen/rejected answers (DPO, ORPO, KTO).

    Example: medtune train --config examples/tiny-cpu.toml
    Example: medtune train --method dpo --init-adapter outputs/sft/final --data-dir data/pairs
    """
    s = settings(
        config,
        model={
            "model_name": model_name,
            "bits": 16 if lora is False and bits is None else bits,
            "device": device,
        },
        lora={"use_lora": lora, "r": lora_r, "alpha": lora_alpha},
        data={
            "data_dir": data_dir and str(data_dir),
            "per_device_train_batch_size": per_device_train_batch_size,
        },
        train={
            "method": method,
            "init_adapter": init_adapter and str(init_adapter),
            "output_dir": output_dir and str(output_dir),
            "resume_from_checkpoint": resume_from_checkpoint,
            "gradient_accumulation_steps": gradient_accumulation_steps,
            "gradient_checkpointing": gradient_checkpointing,
            "learning_rate": learning_rate,
            "num_train_epochs": epochs,
            "max_steps": max_steps,
            "eval_steps": eval_steps,
            "gpus": gpus,
            "deepspeed": deepspeed,
            "report_to": report_to and [r.strip() for r in report_to.split(",") if r.strip()],
        },
        preference={"beta": beta},
    )
    from medtune.training.launch import needs_launch

    if needs_launch(s) and not (dry_run or smoke):
        from medtune.training import preflight
        from medtune.training.launch import relaunch

        preflight(s)
        raise typer.Exit(relaunch(s, sys.argv[1:]))
    from medtune.training import check, plan
    from medtune.training import train as run
    from medtune.training.launch import is_main_process

    if dry_run:
        if not smoke:
            check(s)
        return show_plan(plan(s, progress=RichProgress(), smoke=smoke), verbose=verbose)
    main = is_main_process()  # under torchrun, one process speaks for all
    result = run(s, progress=RichProgress() if main else None, smoke=smoke)
    if main:
        show_result(result)
    if result.interrupted:
        raise typer.Exit(130)


def _table(title: str, rows: Mapping[str, Any]) -> None:
    from rich.table import Table

    table = Table(title=title, show_header=False)
    table.add_column()
    table.add_column(justify="right")
    for key, value in rows.items():
        table.add_row(
            key, "-" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)
        )
    console().print(table)


def show_result(result: TrainResult) -> None:
    """The summary table at the end of a run."""
    title = "interrupted: checkpoint saved" if result.interrupted else "training finished"
    _table(title, {
        "steps": result.global_step,
        "train loss": _curve(result.loss_history) or result.train_loss,
        "eval loss": result.eval_loss,
        "tokens seen": f"{result.tokens_seen:,}",
        "tokens/s": f"{result.tokens_per_second:,.0f}" if result.tokens_trained else None,
        "time": f"{result.runtime_seconds:.1f} s",
        "truncated examples": result.truncated,
        "device / batches": f"{result.device} / {'packed' if result.packing else 'padded'}",
        **{FIGURES.get(key, key): value for key, value in result.figures.items()},
        "output": result.final_dir or result.output_dir,
    })  # fmt: skip


def _curve(history: list[tuple[int, float]]) -> str:
    """The logged losses, first to last, at most six of them: the loss going down."""
    if len(history) < 2:
        return ""
    picks = sorted({round(i * (len(history) - 1) / 5) for i in range(6)})
    return " → ".join(f"{history[i][1]:.2f}" for i in picks)


def show_plan(plan: TrainPlan, verbose: bool = False) -> None:
    """Masked examples and the size/time estimate of a dry run (``verbose``: the resolved
    settings first)."""
    from rich.json import JSON
    from rich.markup import escape

    out = console()
    if verbose:
        out.rule("resolved settings")
        out.print(JSON.from_data(plan.settings))
    out.rule("tokenized examples ([dim]masked prompt[/dim], [bold green]trained answer[/bold green])")
    titles = plan.example_titles or [f"example {i}" for i in range(1, len(plan.examples) + 1)]
    for title, spans in zip(titles, plan.examples, strict=True):
        text = "".join(f"[bold green]{escape(t)}[/]" if on else f"[dim]{escape(t)}[/]" for t, on in spans)
        out.print(f"[bold]{title}[/bold]\n{text}\n")
    rows = {
        "device / batches": f"{plan.device} / {'packed' if plan.packing else 'padded'}",
        "parameters (trainable)": f"{plan.parameters:,} ({plan.trainable_parameters:,})",
    }
    for split, stats in (("train", plan.train_tokens), ("validation", plan.eval_tokens)):
        if stats:
            rows[f"{split} examples / tokens"] = f"{stats['examples']:,} / {stats['tokens']:,}"
    rows["truncated / dropped"] = f"{plan.train_tokens['truncated']} / {plan.train_tokens['dropped']}"
    rows["optimizer steps"] = f"{plan.steps:,}"
    rows["estimated time"] = f"{plan.estimated_seconds / 60:.1f} min ({plan.seconds_per_step:.2f} s/step)"
    _table("plan (dry run: nothing trained)", rows)
    if not verbose:
        note("the resolved settings: add --verbose, or run 'medtune config show' with the same config")
