"""``medtune data``: prepare, inspect and show the processed dataset."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, err_console, handle_errors, note
from medtune.cli.options import ConfigOpt, OutputDirOpt, settings
from medtune.cli.progress import stage_bars
from medtune.errors import UsageError

app = typer.Typer(help="Prepare and inspect medical Q&A data.", no_args_is_help=True)

DirArg = Annotated[Path | None, typer.Argument(help="Processed data folder (default: [data] data_dir).")]


@app.command()
@handle_errors
def prepare(
    config: ConfigOpt = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "--input-dir", "-i", help="Raw file or folder (.json/.jsonl/.csv/.parquet)."),
    ] = None,
    output_dir: OutputDirOpt = None,
    download: Annotated[bool, typer.Option("--download", help="Fetch --dataset from the hub.")] = False,
    dataset: Annotated[str | None, typer.Option(help="Hub dataset id used with --download.")] = None,
    question_field: Annotated[str | None, typer.Option(help="Question column (custom schemas).")] = None,
    answer_field: Annotated[str | None, typer.Option(help="Answer column (custom schemas).")] = None,
    no_structure: Annotated[bool, typer.Option("--no-structure", help="Keep answers as written.")] = False,
    drop_truncated: Annotated[bool, typer.Option("--drop-truncated", help="Drop cut-off answers.")] = False,
    max_samples: Annotated[int | None, typer.Option(help="Keep at most N rows after hygiene.")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the split (default: [data] split_seed).")] = None,
    safety: Annotated[
        str | None,
        typer.Option(
            help="Under-triaged rows: flag, drop (from training) or augment (urgent-care sentence)."
        ),
    ] = None,
    contamination: Annotated[
        Path | None,
        typer.Option(
            help="Benchmark releases (medtune benchmark --data-dir layout): flag rows duplicating them."
        ),
    ] = None,
    contamination_action: Annotated[
        str | None, typer.Option(help="flag (default) or drop the rows that duplicate a benchmark item.")
    ] = None,
) -> None:
    """Clean, format and split raw Q&A data into train/validation/test JSONL.

    Example: medtune data prepare --input data/raw --output-dir data/processed --contamination data/benchmarks
    """
    from medtune.data import prepare as run

    data = {
        "dataset": dataset,
        "question_field": question_field,
        "answer_field": answer_field,
        "structure_answers": False if no_structure else None,
        "drop_truncated": True if drop_truncated else None,
        "max_samples": max_samples,
        "split_seed": seed,
        "safety": safety,
        "contamination_dir": None if contamination is None else str(contamination),
        "contamination_action": contamination_action,
    }
    cfg = settings(config, data=data)
    with stage_bars() as progress:
        card = run(cfg, input_path=input, output_dir=output_dir, download=download, progress=progress)
    _summary(card, output_dir or Path(cfg.data.data_dir))


def _summary(card: dict, out: Path) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Prepared {out}", show_header=True)
    table.add_column("step")
    table.add_column("rows", justify="right")
    for key, value in card["counts"].items():
        table.add_row(key, f"{value:,}")
    table.add_section()
    for key, value in card["filters"].items():
        table.add_row(key.replace("_", " "), f"{value:,}")
    table.add_section()
    audit = card["audit"]
    preference = "kind" in card  # a preference folder: counts per answer role
    keys = [k for k in audit if k != "rows"] if preference else ["red_flag_question", "under_triage"]
    for key in keys:
        table.add_row(f"audit: {key.replace('_', ' ')}", f"{audit[key]:,}")
    console().print(table)
    for warning in card.get("warnings", []):
        err_console().print(f"[yellow]warning:[/yellow] {escape(warning)}")
    for step, why in card.get("not_applied", {}).items():
        note(f"{step} not applied: {why}")


@app.command()
@handle_errors
def audit(
    config: ConfigOpt = None,
    input: Annotated[
        Path | None,
        typer.Option("--input", "-i", help="Raw file or folder (any schema 'data prepare' reads)."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="A processed folder instead (its doctors' original answers).")
    ] = None,
    output_dir: Annotated[
        Path | None, typer.Option("--output-dir", "-o", help="Run folder (default: outputs/audit/<stamp>).")
    ] = None,
    question_field: Annotated[str | None, typer.Option(help="Question column (custom schemas).")] = None,
    answer_field: Annotated[str | None, typer.Option(help="Answer column (custom schemas).")] = None,
) -> None:
    """Run the medical detectors over every row: diagnosis, treatment, red flags, urgent
    advice, specialty and under-triage, with a report.

    Example: medtune data audit --input data/raw --output-dir outputs/audit/raw
    """
    from medtune.data.audit import audit as run

    if input is not None and data_dir is not None:
        raise UsageError("pass --input (raw files) or --data-dir (a processed folder), not both")
    cfg = settings(config, data={"question_field": question_field, "answer_field": answer_field})
    with stage_bars() as progress:
        result = run(cfg, input_path=input, data_dir=data_dir, output_dir=output_dir, progress=progress)
    _audit_table(result.summary)
    console().print(
        f"Wrote {result.output_dir}/ ({', '.join(p.name for p in result.files)})",
        markup=False,
        soft_wrap=True,
    )


def _audit_table(summary: dict) -> None:
    from rich.table import Table

    from medtune.data.audit import PROPERTIES, share

    table = Table(title=f"Audit of {summary['rows']:,} rows")
    table.add_column("property")
    table.add_column("share", justify="right")
    for key, meaning in PROPERTIES.items():
        table.add_row(meaning, share(summary["rates"][key]))
    console().print(table)


@app.command()
@handle_errors
def pairs(
    config: ConfigOpt = None,
    safety: Annotated[
        bool,
        typer.Option("--safety", help="Pairs from the audit: under-triaged answers vs the urgent-care fix."),
    ] = False,
    from_predictions: Annotated[
        list[Path] | None,
        typer.Option(help="An eval predictions.jsonl with a baseline: the answer advising urgent care wins."),
    ] = None,
    data_dir: Annotated[
        Path | None, typer.Option(help="Processed SFT folder (default: [data] data_dir).")
    ] = None,
    output_dir: Annotated[
        Path, typer.Option("--output-dir", "-o", help="Preference folder to write.")
    ] = Path("data/pairs"),
) -> None:
    """Build safety preference pairs (prompt, chosen, rejected) for DPO, ORPO or KTO.

    Example: medtune data pairs --safety --data-dir data/processed --output-dir data/pairs
    """
    from medtune.data.pairs import build_pairs

    folder = data_dir or Path(settings(config).data.data_dir)
    result = build_pairs(folder, output_dir, safety=safety, predictions=from_predictions or ())
    show_pairs(result.card, result.output_dir)


def show_pairs(card: dict, out: Path) -> None:
    from rich.table import Table

    table = Table(title=f"Pairs in {out}")
    table.add_column("")
    table.add_column("pairs", justify="right")
    for source, count in card["pairs_by_source"].items():
        table.add_row(f"from {source.removeprefix('safety:')}", f"{count:,}")
    table.add_section()
    for split in ("train", "validation", "test"):
        table.add_row(split, f"{card['counts'][split]:,}")
    if card["skipped_predictions"]:
        table.add_section()
        for reason, count in card["skipped_predictions"].items():
            table.add_row(f"predictions skipped: {reason.replace('_', ' ')}", f"{count:,}")
    console().print(table)


@app.command()
@handle_errors
def stats(
    directory: DirArg = None,
    config: ConfigOpt = None,
    tokenizer: Annotated[
        str | None, typer.Option(help="Tokenizer (folder or hub id) for token lengths; default: words.")
    ] = None,
) -> None:
    """Counts and length percentiles (p50/p90/p99) per split.

    Example: medtune data stats data/processed --tokenizer models/tiny-llama
    """
    from rich.table import Table

    from medtune.data.stats import split_stats

    folder = directory or Path(settings(config).data.data_dir)
    result = split_stats(folder, tokenizer)
    unit = result["unit"]
    table = Table(title=f"{folder} ({unit})")
    for column in ("split", "rows", "input p50/p90/p99", "output p50/p90/p99", "truncated", "unstructured"):
        table.add_column(column, justify="left" if column == "split" else "right")
    for name, row in result["splits"].items():
        flags = row["flags"]
        unstructured = sum(v for k, v in flags.items() if k.startswith("unstructured"))
        cells = (f"{row['rows']:,}", _pcts(row["input"]), _pcts(row["output"]))
        table.add_row(name, *cells, f"{flags.get('truncated', 0):,}", f"{unstructured:,}")
    console().print(table)


def _pcts(p: dict[str, float]) -> str:
    return f"{p['p50']:.0f} / {p['p90']:.0f} / {p['p99']:.0f}"


def answers(record: dict) -> list[tuple[str, str]]:
    """(label, text) of each answer of a processed record: SFT, paired or unpaired."""
    from medtune.data.preference import record_kind

    kind = record_kind(record)
    if kind == "paired":
        return [("Chosen", record["chosen"]), ("Rejected", record["rejected"])]
    if kind == "unpaired":
        return [("Desirable" if record["label"] else "Undesirable", record["completion"])]
    return [("Doctor", record["output"])]


@app.command()
@handle_errors
def show(
    directory: DirArg = None,
    config: ConfigOpt = None,
    split: Annotated[str, typer.Option(help="train, validation or test.")] = "test",
    n: Annotated[int, typer.Option("-n", "--num", min=1, help="How many records.")] = 3,
) -> None:
    """Pretty-print processed records.

    Example: medtune data show --split test -n 3
    """
    from rich.markup import escape
    from rich.panel import Panel

    from medtune.data.stats import head

    folder = directory or Path(settings(config).data.data_dir)
    for record in head(folder, split, n):
        flags = ", ".join(record.get("flags") or []) or "none"
        body = f"[bold]Patient:[/bold] {escape(record['input'])}"
        for label, answer in answers(record):
            body += f"\n\n[bold]{label}:[/bold] {escape(answer)}"
        title = f"{record['id']}  {record.get('specialty') or ''}".strip()
        subtitle = escape(f"flags: {flags}")
        console().print(Panel(body, title=escape(title), subtitle=subtitle, title_align="left"))
