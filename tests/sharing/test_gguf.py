"""GGUF export: llama.cpp's tools are found and driven (here, stand-ins with the same
command lines that write real GGUF files with the gguf package), the file is read back for
its template and stop tokens, and without llama.cpp the error says how to get it."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pytest
from ollama_runtime import parse_modelfile  # beside this file
from shared_runs import Workspace
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.errors import ModelError
from medtune.sharing.export import export
from medtune.sharing.llama_cpp import read_back

gguf = pytest.importorskip("gguf")

#: Stands in for llama.cpp's converter: same arguments, and the tokenizer metadata written by
#: gguf's SpecialVocab, the class the real converter uses for it.
CONVERTER = """
import argparse, sys
from pathlib import Path
import gguf, numpy
p = argparse.ArgumentParser()
p.add_argument("model"); p.add_argument("--outfile"); p.add_argument("--outtype")
a = p.parse_args()
if a.outtype not in ("f16", "q8_0"):
    sys.exit(f"error: unsupported --outtype {a.outtype}")
w = gguf.GGUFWriter(a.outfile, "llama")
w.add_file_type(1 if a.outtype == "f16" else 7)
gguf.SpecialVocab(Path(a.model), load_merges=False).add_to_gguf(w)
w.add_tensor("token_embd.weight", numpy.zeros((4, 4), dtype=numpy.float16))
w.write_header_to_file(); w.write_kv_data_to_file(); w.write_tensors_to_file(); w.close()
"""
QUANTIZE = """
import shutil, sys
src, dst, kind = sys.argv[1:4]
if kind != "Q4_K_M":
    sys.exit(f"unknown type {kind}")
shutil.copy(src, dst)
"""


def fake_llama_cpp(root: Path, *, quantize: bool = True, converter: str = CONVERTER) -> Path:
    root.mkdir(parents=True)
    (root / "convert_hf_to_gguf.py").write_text(converter)
    if quantize:
        tool = root / "build" / "bin" / "llama-quantize"
        tool.parent.mkdir(parents=True)
        tool.write_text(f"#!{sys.executable}\n{QUANTIZE}")
        tool.chmod(tool.stat().st_mode | stat.S_IXUSR)
    return root


def test_without_llama_cpp_one_line_says_how_to_get_it(
    workspace: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LLAMA_CPP_DIR", raising=False)
    out = tmp_path / "gguf"
    result = CliRunner().invoke(
        app, ["export", "--model-path", str(workspace.full_run), "--format", "gguf", "-o", str(out)]
    )
    assert result.exit_code == 1  # a missing tool, as a missing extra (README's exit codes)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "git clone https://github.com/ggml-org/llama.cpp" in lines[0]
    assert not out.exists()


def test_q4_k_m_converts_then_quantizes_and_reads_back(workspace: Workspace, tmp_path: Path) -> None:
    tools = fake_llama_cpp(tmp_path / "llama.cpp")
    result = export(
        workspace.lora_run, "gguf", tmp_path / "gguf", workspace.settings, llama_cpp=tools, quant="q4_k_m"
    )
    names = {p.name for p in result.files}
    assert names == {"model-q4_k_m.gguf", "Modelfile"}  # no f16 intermediate, no merged copy left
    fields = gguf.GGUFReader(result.output_dir / "model-q4_k_m.gguf").fields
    template = fields["tokenizer.chat_template"].contents()
    assert template == (workspace.lora_run / "final" / "chat_template.jinja").read_text()
    commands = parse_modelfile((result.output_dir / "Modelfile").read_text())
    assert commands["from"] == ["./model-q4_k_m.gguf"]
    assert commands["stop"] == ["<|end_of_text|>"]
    assert "<|begin_of_text|>" not in commands["template"][0]  # the GGUF says the runtime adds BOS


def test_q8_0_comes_from_the_converter_without_the_quantize_tool(
    workspace: Workspace, tmp_path: Path
) -> None:
    tools = fake_llama_cpp(tmp_path / "llama.cpp", quantize=False)
    with pytest.raises(ModelError, match="cmake"):
        export(
            workspace.full_run, "gguf", tmp_path / "a", workspace.settings, llama_cpp=tools, quant="q4_k_m"
        )
    out = export(
        workspace.full_run, "gguf", tmp_path / "b", workspace.settings, llama_cpp=tools, quant="q8_0"
    )
    assert gguf.GGUFReader(out.output_dir / "model-q8_0.gguf").fields["general.file_type"].contents() == 7


def test_a_failing_converter_is_one_line_and_leaves_nothing(workspace: Workspace, tmp_path: Path) -> None:
    tools = fake_llama_cpp(
        tmp_path / "llama.cpp", converter="import sys\nsys.exit('error: unknown model arch')\n"
    )
    with pytest.raises(ModelError, match=r"convert_hf_to_gguf\.py failed .*unknown model arch"):
        export(workspace.full_run, "gguf", tmp_path / "out", workspace.settings, llama_cpp=tools)
    assert not (tmp_path / "out").exists()


def write_gguf(path: Path, *, template: str | None, eos: int, eot: int | None = None) -> Path:
    writer = gguf.GGUFWriter(path, "llama")
    if template is not None:
        writer.add_chat_template(template)
    writer.add_eos_token_id(eos)
    if eot is not None:
        writer.add_eot_token_id(eot)
    writer.add_add_bos_token(True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.close()
    return path


def test_read_back_checks_template_and_stop_tokens(tmp_path: Path) -> None:
    good = write_gguf(tmp_path / "good.gguf", template="{{ x }}", eos=9, eot=7)
    check = read_back(good, chat_template="{{ x }}", stop_ids=[7, 9])
    assert check.adds_bos and check.notes == []
    partly = read_back(good, chat_template="{{ x }}", stop_ids=[3, 9])
    assert len(partly.notes) == 1 and partly.notes[0].startswith("token 3 ")
    with pytest.raises(ModelError, match=r"another tokenizer\.chat_template"):
        read_back(good, chat_template="{{ y }}", stop_ids=[9])
    with pytest.raises(ModelError, match=r"no tokenizer\.chat_template"):
        read_back(
            write_gguf(tmp_path / "none.gguf", template=None, eos=9), chat_template="{{ x }}", stop_ids=[9]
        )
    with pytest.raises(ModelError, match="EOS token id 9"):
        read_back(good, chat_template="{{ x }}", stop_ids=[1])
