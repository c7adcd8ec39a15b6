"""``medtune model``: pull from the hub, build a tiny offline model (merge: cli/merge.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, handle_errors
from medtune.cli.options import OutputDirOpt, TokenOpt

app = typer.Typer(help="Download, build and merge models.", no_args_is_help=True)

RepoIdArg = Annotated[str, typer.Argument(help="Hub repo id, e.g. meta-llama/Llama-3.1-8B-Instruct.")]
RevisionOpt = Annotated[str | None, typer.Option(help="Branch, tag or commit (default: main).")]
DataOpt = Annotated[
    Path | None,
    typer.Option(
        "--data",
        help="Raw or processed JSONL whose questions/answers train the tokenizer (default: bundled sample).",
        dir_okay=False,
    ),
]


@app.command()
@handle_errors
def pull(
    repo_id: RepoIdArg,
    output_dir: OutputDirOpt = None,
    revision: RevisionOpt = None,
    token: TokenOpt = None,
) -> None:
    """Download a model's safetensors weights, config and tokenizer, then verify them.

    The folder defaults to models/<repo name>; an interrupted download resumes.

    Example: medtune model pull meta-llama/Llama-3.1-8B-Instruct --output-dir models/llama31-8b
    """
    from medtune.modeling.hub import pull as pull_model

    target = output_dir or Path("models") / repo_id.rsplit("/", 1)[-1]
    path = pull_model(repo_id, target, revision=revision, token=token)
    console().print(f"✓ {repo_id} → {path}", highlight=False, markup=False)


@app.command()
@handle_errors
def tiny(
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Where outputs go.")] = Path(
        "models/tiny-llama"
    ),
    data: DataOpt = None,
    vocab_size: Annotated[int, typer.Option(help="Target tokenizer vocabulary size.")] = 2048,
    seed: Annotated[int, typer.Option(help="Seed of the random weights.")] = 0,
) -> None:
    """Build a tiny random-weight Llama + BPE tokenizer offline (for CPU runs and tests).

    Example: medtune model tiny --output-dir models/tiny-llama --data data/processed/train.jsonl
    """
    from medtune.modeling.tiny import build_tiny_model, file_texts

    texts = file_texts(data) if data is not None else None
    path = build_tiny_model(output_dir, texts, vocab_size=vocab_size, seed=seed)
    console().print(f"✓ tiny Llama (random weights) → {path}", highlight=False, markup=False)
