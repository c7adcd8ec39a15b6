"""The Ollama Modelfile renders the prompt medtune trained on, to the character, for the tiny
model's default template and for Llama-3-, Llama-3.1- and Gemma-style chat templates; its
stop tokens and decoding are the model's and eval's."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from ollama_runtime import ollama_prompt, parse_modelfile, render_go  # beside this file
from shared_runs import Workspace
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.config import EvalSettings, ModelSettings
from medtune.data.template import DEFAULT_INSTRUCTION, fold_system, render_prompt
from medtune.errors import ModelError, UsageError
from medtune.modeling.loader import load_tokenizer
from medtune.sharing.export import export
from medtune.sharing.ollama import modelfile_for

LLAMA3 = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}"
    "{% set content = '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' %}{% if loop.index0 == 0 %}"
    "{% set content = bos_token + content %}{% endif %}{{ content }}{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}"
)
LLAMA31 = (
    "{{- bos_token }}{%- if messages[0]['role'] == 'system' %}"
    "{%- set system_message = messages[0]['content']|trim %}{%- set messages = messages[1:] %}"
    "{%- else %}{%- set system_message = '' %}{%- endif %}"
    "{{- '<|start_header_id|>system<|end_header_id|>\n\n' }}"
    "{{- 'Cutting Knowledge Date: December 2023\n' }}{{- 'Today Date: 26 Jul 2024\n\n' }}"
    "{{- system_message }}{{- '<|eot_id|>' }}"
    "{%- for message in messages %}"
    "{{- '<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'"
    "+ message['content'] | trim + '<|eot_id|>' }}{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{%- endif %}"
)
GEMMA = (
    "{{ bos_token }}{% if messages[0]['role'] == 'system' %}"
    "{{ raise_exception('System role not supported') }}{% endif %}"
    "{% for message in messages %}{% if (message['role'] == 'assistant') %}{% set role = 'model' %}"
    "{% else %}{% set role = message['role'] %}{% endif %}"
    "{{ '<start_of_turn>' + role + '\n' + message['content'] | trim + '<end_of_turn>\n' }}{% endfor %}"
    "{% if add_generation_prompt %}{{'<start_of_turn>model\n'}}{% endif %}"
)
TURN_COUNTING = "{% for m in messages %}[{{ loop.index }}] {{ m['content'] }}\n{% endfor %}"
SPECIALS = {
    "llama3": ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
    "llama31": ["<|start_header_id|>", "<|end_header_id|>", "<|eot_id|>"],
    "gemma": ["<start_of_turn>", "<end_of_turn>"],
}
QUESTIONS = [
    "I have had a dry cough for three weeks and mild fever.\nShould I worry?",
    "My 6-year-old has a rash — red spots on the arms, 38.5 °C since Monday. What can I give?",
    "Chest pain when climbing stairs",
]
DECODING = EvalSettings(temperature=0.3, top_p=0.8, max_new_tokens=99)


def tokenizer_folder(base: Path, target: Path, template: str | None, extra_eos: str | None = None) -> Path:
    """The tiny model's tokenizer with ``template`` (None: medtune's default) and its
    special tokens; ``extra_eos`` joins EOS in generation_config.json, as Llama-3-Instruct's does."""
    from transformers import AutoTokenizer, GenerationConfig

    tokenizer = AutoTokenizer.from_pretrained(base)
    name = next(
        (k for k, t in {"llama31": LLAMA31, "llama3": LLAMA3, "gemma": GEMMA}.items() if t == template), ""
    )
    if SPECIALS.get(name):
        tokenizer.add_special_tokens({"additional_special_tokens": SPECIALS[name]})
    if template is not None:
        tokenizer.chat_template = template
    tokenizer.save_pretrained(target)
    eos = [tokenizer.eos_token_id] + ([tokenizer.convert_tokens_to_ids(extra_eos)] if extra_eos else [])
    GenerationConfig(bos_token_id=tokenizer.bos_token_id, eos_token_id=eos).save_pretrained(target)
    return target


def runtime_bos(tokenizer) -> str:
    """What Ollama puts in front of the rendered text: BOS when the tokenizer adds it."""
    ids = tokenizer("a").input_ids
    return tokenizer.bos_token if ids[:1] == [tokenizer.bos_token_id] else ""


CASES = {
    "medtune default": (None, None),
    "llama3": (LLAMA3, "<|eot_id|>"),
    "llama3.1": (LLAMA31, "<|eot_id|>"),
    "gemma (no system role)": (GEMMA, "<end_of_turn>"),
}


@pytest.mark.parametrize("case", CASES)
def test_modelfile_renders_medtunes_prompt(case: str, workspace: Workspace, tmp_path: Path) -> None:
    template, extra_eos = CASES[case]
    folder = tokenizer_folder(workspace.base, tmp_path / "tok", template, extra_eos)
    text, notes = modelfile_for(folder, source="./model", decoding=DECODING)
    tokenizer = load_tokenizer(ModelSettings(model_name=str(folder)))
    bos = runtime_bos(tokenizer)
    assert not notes
    for question in QUESTIONS:
        expected = render_prompt(tokenizer, {"input": question, "output": ""})
        # A request without a system message gets the Modelfile's SYSTEM, the training instruction.
        assert bos + ollama_prompt(text, [{"role": "user", "content": question}]) == expected
    conversation = [
        {"role": "system", "content": "Answer as a cautious GP."},
        {"role": "user", "content": QUESTIONS[0]},
        {"role": "assistant", "content": "Diagnosis: likely post-viral cough.\nTreatment: honey, fluids."},
        {"role": "user", "content": QUESTIONS[1]},
    ]
    turns = fold_system(conversation) if template == GEMMA else conversation
    expected = tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
    assert bos + ollama_prompt(text, conversation) == expected

    commands = parse_modelfile(text)
    assert commands["system"] == [DEFAULT_INSTRUCTION]
    assert commands["from"] == ["./model"]
    assert set(commands["stop"]) == {tokenizer.eos_token, *([extra_eos] if extra_eos else [])}
    assert commands["temperature"] == ["0.3"] and commands["top_p"] == ["0.8"]
    assert commands["num_predict"] == ["99"]
    if bos:  # Ollama adds BOS itself: the template must not add a second one
        assert bos not in commands["template"][0]


def test_a_template_that_is_not_fixed_text_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    folder = tokenizer_folder(workspace.base, tmp_path / "tok", TURN_COUNTING)
    with pytest.raises(ModelError, match="cannot be exported to Ollama"):
        modelfile_for(folder, source="./model", decoding=DECODING)


def test_go_renderer_follows_go_semantics() -> None:
    """The test renderer itself: trimming, else-if chains, variables across iterations."""
    data = {"Messages": [{"Role": "a", "Content": "1"}, {"Role": "b", "Content": "2"}], "System": ""}
    template = (
        '{{ $seen := "" }}{{- range .Messages }}\n  {{- if eq .Role "a" }}A{{ .Content }}'
        '{{ $seen = .Content }}{{ else if eq .Role "b" }}B{{ $seen }}{{ else }}?{{ end -}}\n{{ end }}'
        "{{ if .System }}S{{ end }}."
    )
    assert render_go(template, data) == "A1B1."
    with pytest.raises(NotImplementedError):
        render_go("{{ len .Messages }}", data)


def test_export_merges_an_adapter_and_keeps_the_template(workspace: Workspace, tmp_path: Path) -> None:
    out = export(workspace.lora_run, "ollama", tmp_path / "ollama", workspace.settings).output_dir
    assert {p.name for p in (out / "model").iterdir()} >= {
        "model.safetensors",
        "config.json",
        "tokenizer.json",
    }
    assert not (out / "model" / "adapter_config.json").exists()
    text = (out / "Modelfile").read_text()
    assert parse_modelfile(text)["from"] == ["./model"]
    tokenizer = load_tokenizer(ModelSettings(model_name=str(out / "model")))
    question = QUESTIONS[2]
    assert runtime_bos(tokenizer) + ollama_prompt(
        text, [{"role": "user", "content": question}]
    ) == render_prompt(tokenizer, {"input": question})


def test_cli_exports_the_full_fine_tune_without_training_state(workspace: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "ollama"
    result = CliRunner().invoke(
        app, ["export", "--model-path", str(workspace.full_run), "--format", "ollama", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert "Modelfile" in result.output and "ollama create" in result.output
    assert (out / "model" / "model.safetensors").is_file()
    assert not (out / "model" / "training_args.bin").exists()


def test_keep_adapter_uses_the_local_base(workspace: Workspace, tmp_path: Path) -> None:
    out = export(
        workspace.lora_run, "ollama", tmp_path / "o", workspace.settings, keep_adapter=True
    ).output_dir
    commands = parse_modelfile((out / "Modelfile").read_text())
    assert commands["from"] == [str(workspace.base.resolve())]
    assert commands["adapter"] == ["./adapter"]
    assert (out / "adapter" / "adapter_model.safetensors").is_file()
    assert not (out / "model").exists()


def test_keep_adapter_refuses_what_ollama_cannot_apply(workspace: Workspace, tmp_path: Path) -> None:
    dora = shutil.copytree(workspace.lora_run / "final", tmp_path / "dora")
    config = json.loads((dora / "adapter_config.json").read_text())
    (dora / "adapter_config.json").write_text(json.dumps({**config, "use_dora": True}))
    with pytest.raises(UsageError, match="use_dora"):
        export(dora, "ollama", tmp_path / "a", workspace.settings, keep_adapter=True)
    with pytest.raises(UsageError, match="local safetensors folder"):
        export(
            workspace.lora_run, "ollama", tmp_path / "b", workspace.settings,
            keep_adapter=True, base_model="meta-llama/Llama-3.1-8B-Instruct",
        )  # fmt: skip
    with pytest.raises(UsageError, match="needs a LoRA adapter"):
        export(workspace.full_run, "ollama", tmp_path / "c", workspace.settings, keep_adapter=True)
    assert not any((tmp_path / name).exists() for name in "abc")


def test_a_refused_template_leaves_no_output(workspace: Workspace, tmp_path: Path) -> None:
    model = shutil.copytree(workspace.full_run / "final", tmp_path / "model")
    (model / "chat_template.jinja").write_text(TURN_COUNTING)
    with pytest.raises(ModelError):
        export(model, "ollama", tmp_path / "out", workspace.settings)
    assert not (tmp_path / "out").exists()
