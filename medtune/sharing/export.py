"""``medtune export``: a trained model for an on-premises runtime.

- ``ollama``: ``<out>/Modelfile`` + ``<out>/model/`` (the merged 16-bit safetensors folder;
  an adapter is merged first), or with ``keep_adapter`` ``FROM`` the local base folder plus
  ``ADAPTER <out>/adapter/`` where Ollama can apply one (Llama, Mistral, Gemma 2 bases;
  plain LoRA).
- ``gguf``: ``<out>/model-<quant>.gguf`` by llama.cpp's converter (see
  :mod:`medtune.sharing.llama_cpp`) + a Modelfile that runs it in Ollama.
- ``merged``: the adapter merged into its base, exactly ``medtune model merge``.

Every Modelfile carries the training template, the stop tokens and eval's decoding (see
:mod:`medtune.sharing.ollama`). The output folder is written whole or not at all.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from medtune.config import ModelSettings, Settings
from medtune.errors import ModelError, UsageError
from medtune.io import atomic_dir, write_text
from medtune.modeling.generate import stop_ids
from medtune.modeling.hub import verify_model_dir
from medtune.modeling.loader import has_tokenizer, load_tokenizer
from medtune.modeling.merge import merge_adapter
from medtune.sharing.llama_cpp import LlamaCpp, read_back
from medtune.sharing.model import TrainedModel, copy_model_files, locate
from medtune.sharing.ollama import generation_config, modelfile_for

FORMATS = ("ollama", "gguf", "merged")
MODELFILE = "Modelfile"
#: Base architectures (config.json model_type) whose safetensors LoRA adapters Ollama converts.
OLLAMA_ADAPTER_BASES = ("llama", "mistral", "gemma2")


@dataclass(frozen=True)
class ExportResult:
    """Where the export went, what it holds, and one-line notes."""

    output_dir: Path
    files: list[Path]
    notes: list[str] = field(default_factory=list)


def export(
    model_path: str | Path,
    fmt: str,
    output_dir: str | Path,
    settings: Settings,
    *,
    keep_adapter: bool = False,
    base_model: str | None = None,
    llama_cpp: Path | None = None,
    quant: str = "f16",
) -> ExportResult:
    """Export the model at ``model_path`` (a run, its ``final/`` or a model folder) as ``fmt``.

    Args:
        settings: ``model`` (device, hub options for a merge) and ``eval`` (decoding) sections.
        keep_adapter: Ollama only: ``ADAPTER`` on the base instead of merging.
        base_model: The adapter's base (default: the one it names).
        llama_cpp: GGUF only: the llama.cpp checkout (default: ``$LLAMA_CPP_DIR``).
        quant: GGUF only: ``f16``, ``q8_0`` or ``q4_k_m``.
    """
    if fmt not in FORMATS:
        raise UsageError(f"--format {fmt}: choose one of {', '.join(FORMATS)}")
    model = locate(model_path)
    output_dir = Path(output_dir)
    if fmt == "merged":
        if not model.is_adapter:
            raise UsageError(f"{model.path}: a full model, not an adapter; there is nothing to merge")
        out = _merge(model, output_dir, settings, base_model)
        return ExportResult(out, sorted(out.iterdir()))
    if fmt == "gguf":
        return _gguf(model, output_dir, settings, base_model, llama_cpp, quant)
    if keep_adapter:
        return _ollama_adapter(model, output_dir, settings, base_model)
    return _ollama(model, output_dir, settings, base_model)


def _merge(model: TrainedModel, output_dir: Path, settings: Settings, base_model: str | None) -> Path:

    return merge_adapter(model.path, output_dir, base_model=base_model, model_settings=settings.model)


def _ollama(
    model: TrainedModel, output_dir: Path, settings: Settings, base_model: str | None
) -> ExportResult:

    with atomic_dir(output_dir, replaces=(MODELFILE,)) as tmp:
        weights = tmp / "model"
        if model.is_adapter:
            _merge(model, weights, settings, base_model)
        else:
            copy_model_files(model.path, weights)
        text, notes = modelfile_for(weights, source="./model", decoding=settings.eval)
        write_text(tmp / MODELFILE, text)
    return _result(output_dir, notes)


def _ollama_adapter(
    model: TrainedModel, output_dir: Path, settings: Settings, base_model: str | None
) -> ExportResult:

    if not model.is_adapter:
        raise UsageError(f"{model.path}: a full model; --keep-adapter needs a LoRA adapter")
    config = model.adapter_config or {}
    unsupported = [k for k in ("use_dora", "use_rslora", "modules_to_save") if config.get(k)]
    if unsupported:
        raise UsageError(
            f"Ollama applies plain LoRA adapters only, and this one uses {', '.join(unsupported)}: "
            "drop --keep-adapter to merge it"
        )
    base = Path(base_model or model.base_model or "")
    if not base.is_dir():
        raise UsageError(
            f"Ollama's ADAPTER needs the base as a local safetensors folder, not {str(base)!r}: "
            "'medtune model pull <id> --output-dir models/<name>' and pass --base-model models/<name>, "
            "or drop --keep-adapter to merge"
        )
    verify_model_dir(base)
    arch = (locate(base).config or {}).get("model_type")
    if arch not in OLLAMA_ADAPTER_BASES:
        raise UsageError(
            f"Ollama applies safetensors adapters to {', '.join(OLLAMA_ADAPTER_BASES)} bases, not "
            f"{arch!r}: drop --keep-adapter to merge"
        )
    with atomic_dir(output_dir, replaces=(MODELFILE,)) as tmp:
        copy_model_files(model.path, tmp / "adapter")
        text, notes = modelfile_for(
            model.path if has_tokenizer(model.path) else base,
            source=str(base.resolve()),
            adapter="./adapter",
            decoding=settings.eval,
            generation_dir=base,
        )
        write_text(tmp / MODELFILE, text)
    return _result(output_dir, notes)


def _gguf(
    model: TrainedModel,
    output_dir: Path,
    settings: Settings,
    base_model: str | None,
    llama_cpp: Path | None,
    quant: str,
) -> ExportResult:

    tools = LlamaCpp.find(llama_cpp, quant=quant)  # before any merging: fail fast
    with atomic_dir(output_dir, replaces=(MODELFILE,)) as tmp:
        source = _merge(model, tmp / ".merged", settings, base_model) if model.is_adapter else model.path
        name = f"model-{quant}.gguf"
        gguf_file = tools.gguf(source, tmp / name, quant)
        text, notes = _gguf_modelfile(gguf_file, source, settings)
        write_text(tmp / MODELFILE, text)
        shutil.rmtree(tmp / ".merged", ignore_errors=True)
    return _result(output_dir, notes)


def _gguf_modelfile(gguf_file: Path, source: Path, settings: Settings) -> tuple[str, list[str]]:
    """The Modelfile for a GGUF file, after reading the file back when ``gguf`` is installed."""
    tokenizer = load_tokenizer(ModelSettings(model_name=str(source)))
    try:
        check = read_back(
            gguf_file,
            chat_template=tokenizer.chat_template,
            stop_ids=stop_ids(tokenizer, generation_config(source)),
        )
    except ImportError:
        text, notes = modelfile_for(source, source=f"./{gguf_file.name}", decoding=settings.eval)
        return text, [
            *notes,
            "the gguf package is not installed: the GGUF was not read back (pip install gguf)",
        ]
    except (ValueError, OSError) as exc:
        raise ModelError(f"{gguf_file.name}: not a readable GGUF file ({exc})") from None
    text, notes = modelfile_for(
        source, source=f"./{gguf_file.name}", decoding=settings.eval, runtime_bos=check.adds_bos
    )
    return text, [*check.notes, *notes]


def _result(output_dir: Path, notes: list[str]) -> ExportResult:
    files = sorted(p for p in output_dir.rglob("*") if p.is_file())
    return ExportResult(output_dir, files, notes)
