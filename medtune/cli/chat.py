"""``medtune chat`` and ``medtune generate``: talk to a trained model."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, SeedOpt, settings
from medtune.errors import UsageError

if TYPE_CHECKING:
    from medtune.modeling.generate import Sampling

EXIT_WORDS = {"/exit", "/quit"}

ModelOpt = Annotated[
    Path | None,
    typer.Option(
        "--model", "-m", help="Adapter or merged model folder (default: eval.model_path).", show_default=False
    ),
]
BaseModelOpt = Annotated[
    str | None, typer.Option(help="Base model for an adapter; default: the adapter's.", show_default=False)
]
TemperatureOpt = Annotated[float | None, typer.Option(help="0 = greedy.", show_default=False)]
TopPOpt = Annotated[float | None, typer.Option(help="Nucleus sampling mass.", show_default=False)]
MaxNewTokensOpt = Annotated[int | None, typer.Option(help="Answer length cap.", show_default=False)]
DeviceOpt = Annotated[str | None, typer.Option(help="auto, cpu or cuda.", show_default=False)]
BitsOpt = Annotated[int | None, typer.Option(help="Load the base in 16-bit, or 8/4-bit to save GPU memory.")]


CHAT_HELP = """Interactive chat with a model, using the training template.

Each question is answered on its own (single-turn, as in training). Type /exit or press
Ctrl-D to leave.

Example: medtune chat --model outputs/run/final
"""
GENERATE_HELP = """Answer one question (streamed) and exit.

Example: medtune generate --model outputs/run/final "I have a headache..."
"""


@handle_errors
def talk(
    ctx: typer.Context,
    question: Annotated[
        str | None, typer.Argument(help="The patient's question.", show_default=False)
    ] = None,
    model: ModelOpt = None,
    base_model: BaseModelOpt = None,
    temperature: TemperatureOpt = None,
    top_p: TopPOpt = None,
    max_new_tokens: MaxNewTokensOpt = None,
    seed: SeedOpt = None,
    device: DeviceOpt = None,
    bits: BitsOpt = None,
    config: ConfigOpt = None,
) -> None:
    """``medtune chat`` (a conversation, after ``question`` if given) and ``medtune
    generate`` (one answer): one command body, so both load and decode alike."""
    from medtune.modeling.generate import Sampling
    from medtune.modeling.loader import load_for_inference

    if ctx.info_name == "generate" and not question:
        raise UsageError('generate answers one question: pass it, e.g. medtune generate "I have a headache"')
    sampling_flags = {
        "temperature": temperature,
        "top_p": top_p,
        "max_new_tokens": max_new_tokens,
        "seed": seed,
    }
    s = settings(
        config,
        model={"device": device, "bits": bits},
        eval={**sampling_flags, "model_path": model and str(model)},
    )
    if s.eval.model_path is None:
        raise UsageError("no model given; pass --model DIR (an adapter or merged model folder)")
    note(f"loading {s.eval.model_path}")
    loaded, tokenizer = load_for_inference(s.eval.model_path, base_model, s.model)
    e = s.eval
    sampling = Sampling(e.temperature, e.top_p, e.max_new_tokens, e.seed)
    if question:
        _answer(loaded, tokenizer, question, sampling)
    if ctx.info_name == "chat":
        _converse(loaded, tokenizer, sampling)


def _answer(model: Any, tokenizer: Any, question: str, sampling: Sampling) -> None:
    from medtune.modeling.generate import stream_answer

    out = console()
    for piece in stream_answer(model, tokenizer, question, sampling):
        out.print(piece, end="", markup=False, highlight=False, soft_wrap=True)
    out.print()


def _converse(model: Any, tokenizer: Any, sampling: Sampling) -> None:
    out = console()
    out.print("[dim]Ask a medical question; /exit to quit. Not medical advice.[/dim]")
    while True:
        try:
            question = out.input("[bold cyan]you>[/bold cyan] ").strip()
        except EOFError:
            out.print()
            return
        if question in EXIT_WORDS:
            return
        if question:
            out.print("[bold green]model>[/bold green] ", end="")
            _answer(model, tokenizer, question, sampling)
