"""``medtune export``: a trained model for Ollama, llama.cpp (GGUF) or as a merged folder."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from medtune.cli.console import console, handle_errors, note
from medtune.cli.options import ConfigOpt, settings
from medtune.cli.push import ModelPathOpt


@handle_errors
def export(
    model_path: ModelPathOpt,
    fmt: Annotated[str, typer.Option("--format", "-f", help="ollama, gguf or merged.")],
    output_dir: Annotated[Path, typer.Option("--output-dir", "-o", help="Where the export goes.")],
    keep_adapter: Annotated[
        bool, typer.Option("--keep-adapter", help="ollama: FROM the local base + ADAPTER, no merge.")
    ] = False,
    base_model: Annotated[
        str | None, typer.Option(help="The adapter's base model or folder (default: the one it names).")
    ] = None,
    llama_cpp: Annotated[
        Path | None, typer.Option(help="gguf: llama.cpp checkout (default: $LLAMA_CPP_DIR).", file_okay=False)
    ] = None,
    quant: Annotated[str, typer.Option(help="gguf: f16, q8_0 or q4_k_m.")] = "f16",
    device: Annotated[str | None, typer.Option(help="auto, cpu or cuda (for merging).")] = None,
    config: ConfigOpt = None,
) -> None:
    """Export for an on-premises runtime with the exact training template and stop tokens.

    ollama writes a Modelfile (TEMPLATE, SYSTEM, stop tokens, eval's decoding) beside the merged
    safetensors; gguf converts with llama.cpp's own tools; merged is `medtune model merge`.

    Example: medtune export --model-path outputs/run --format ollama --output-dir exports/ollama
    """
    from medtune.sharing.export import export as run

    s = settings(config, model={"device": device})
    result = run(
        model_path,
        fmt.lower(),
        output_dir,
        s,
        keep_adapter=keep_adapter,
        base_model=base_model,
        llama_cpp=llama_cpp,
        quant=quant.lower(),
    )
    for line in result.notes:
        note(line)
    out = console()
    for file in result.files:
        out.print(f"{file.stat().st_size:>14,}  {file.relative_to(result.output_dir)}", highlight=False)
    out.print(f"[green]✓[/green] {fmt} export → [bold]{result.output_dir}[/bold]", highlight=False)
    if (result.output_dir / "Modelfile").is_file():
        out.print(f"run it: ollama create <name> -f {result.output_dir / 'Modelfile'}", highlight=False)
