"""GGUF files made by llama.cpp's own tools, and a read-back check of what they carry.

medtune does not convert weights itself: ``convert_hf_to_gguf.py`` (from a llama.cpp
checkout, ``--llama-cpp DIR`` or ``$LLAMA_CPP_DIR``) writes the GGUF, at f16 or directly at
q8_0, and ``llama-quantize`` makes q4_k_m from the f16 file. The converter copies the
tokenizer's chat template into ``tokenizer.chat_template``; with the ``gguf`` package
installed, :func:`read_back` checks that template and the end-of-answer tokens in the file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from medtune.config import redact
from medtune.errors import ModelError, UsageError

CONVERTER = "convert_hf_to_gguf.py"
QUANTIZE = "llama-quantize"
ENV_DIR = "LLAMA_CPP_DIR"
#: --quant -> (converter --outtype, llama-quantize type or None when the converter writes it).
QUANTS = {"f16": ("f16", None), "q8_0": ("q8_0", None), "q4_k_m": ("f16", "Q4_K_M")}
HOW_TO_GET = (
    "git clone https://github.com/ggml-org/llama.cpp && pip install -r llama.cpp/requirements.txt, "
    "then pass --llama-cpp llama.cpp or set LLAMA_CPP_DIR"
)
HOW_TO_BUILD = "cmake -S {root} -B {root}/build && cmake --build {root}/build --target llama-quantize"


@dataclass(frozen=True)
class LlamaCpp:
    """A llama.cpp checkout: its converter and, when built, its quantize tool."""

    root: Path
    quantize: Path | None

    @classmethod
    def find(cls, root: Path | None = None, *, quant: str = "f16") -> LlamaCpp:
        """The checkout at ``root`` or ``$LLAMA_CPP_DIR``, with what ``quant`` needs.

        Raises:
            UsageError: ``quant`` is not one of :data:`QUANTS`.
            ModelError: No converter there (the message says how to get llama.cpp), or
                ``quant`` needs ``llama-quantize`` and it is not built: a missing tool,
                exit 1 as a missing extra.
        """
        if quant not in QUANTS:
            raise UsageError(f"--quant {quant}: choose one of {', '.join(QUANTS)}")
        given = root or (Path(os.environ[ENV_DIR]) if os.environ.get(ENV_DIR) else None)
        if given is None or not (given / CONVERTER).is_file():
            where = f"{given} has no {CONVERTER}" if given else "llama.cpp not found"
            raise ModelError(f"{where}: {HOW_TO_GET}")
        candidates = [given / "build" / "bin" / QUANTIZE, given / QUANTIZE]
        found = next((p for p in candidates if p.is_file()), None) or shutil.which(QUANTIZE)
        tools = cls(given, Path(found) if found else None)
        if QUANTS[quant][1] and tools.quantize is None:
            raise ModelError(
                f"--quant {quant} needs {QUANTIZE}: build it with {HOW_TO_BUILD.format(root=given)}"
            )
        return tools

    def gguf(self, model_dir: Path, outfile: Path, quant: str) -> Path:
        """Convert the 16/32-bit model in ``model_dir`` to ``outfile`` at ``quant``."""
        outtype, quantize_type = QUANTS[quant]
        converted = outfile.with_name(f"{outfile.stem}.f16.gguf") if quantize_type else outfile
        command = [sys.executable, str(self.root / CONVERTER), str(model_dir), "--outfile", str(converted)]
        _run([*command, "--outtype", outtype], CONVERTER)
        if quantize_type:
            assert self.quantize is not None  # find() checked
            _run([str(self.quantize), str(converted), str(outfile), quantize_type], QUANTIZE)
            converted.unlink()
        return outfile


def _run(command: Sequence[str], tool: str) -> None:

    try:
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise ModelError(f"{tool} could not start ({exc.strerror})") from None
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        raise ModelError(
            f"{tool} failed (exit {done.returncode}): {redact(lines[-1]) if lines else 'no output'}"
        )


@dataclass(frozen=True)
class GgufCheck:
    """What a GGUF file says about prompts: whether the runtime adds BOS, and notes."""

    adds_bos: bool
    notes: list[str]


def read_back(path: Path, *, chat_template: str, stop_ids: Sequence[int]) -> GgufCheck:
    """Check that ``path`` carries ``chat_template`` and ends answers at medtune's EOS.

    Raises:
        ModelError: The template is missing or differs, or the file's EOS is not one of
            ``stop_ids``.
    """
    import gguf

    fields = gguf.GGUFReader(path).fields
    Keys = gguf.Keys.Tokenizer

    def value(key: str) -> object:
        field = fields.get(key)
        return field.contents() if field is not None else None

    template = value(Keys.CHAT_TEMPLATE)
    if template != chat_template:
        problem = (
            "has no tokenizer.chat_template" if template is None else "has another tokenizer.chat_template"
        )
        raise ModelError(f"{path.name} {problem} than the one the model was trained with")
    eos = value(Keys.EOS_ID)
    if eos not in stop_ids:
        raise ModelError(
            f"{path.name}: its EOS token id {eos} is not one that ends answers in training {list(stop_ids)}"
        )
    marked = {value(Keys.EOS_ID), value(Keys.EOT_ID), value(Keys.EOM_ID)}
    notes = [
        f"token {i} ends answers but the GGUF does not mark it; the Modelfile's PARAMETER stop covers "
        "Ollama (llama.cpp: pass it with --reverse-prompt)"
        for i in stop_ids
        if i not in marked
    ]
    return GgufCheck(adds_bos=bool(value(Keys.ADD_BOS)), notes=notes)
