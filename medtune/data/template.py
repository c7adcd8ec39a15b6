"""The one prompt template, used by training, evaluation and chat alike.

A record ``{"instruction", "input", "output"}`` becomes a conversation: the instruction is
the system turn, the patient's question the user turn, the doctor's answer the assistant
turn (folded into the user turn for templates without a system role, e.g. Gemma's). It
is rendered with the tokenizer's own chat template when it has one (e.g.
Llama-3.1-Instruct); otherwise :data:`DEFAULT_CHAT_TEMPLATE` is installed on the tokenizer
and saved with it, so inference later renders exactly what training saw:

    <bos>### Instruction:
    {instruction}

    ### Input:
    {input}

    ### Response:
    {output}<eos>

Rendered text already holds the special tokens: tokenize it with
``add_special_tokens=False``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

#: HealthCareMagic's instruction, identical in every row; used when a record has none.
DEFAULT_INSTRUCTION = (
    "If you are a doctor, please answer the medical questions based on the patient's description."
)

DEFAULT_CHAT_TEMPLATE = (
    "{{ bos_token }}"
    "{% for message in messages %}"
    "{% if message['role'] == 'system' %}### Instruction:\n{{ message['content'] }}\n\n"
    "{% elif message['role'] == 'user' %}### Input:\n{{ message['content'] }}\n\n"
    "{% elif message['role'] == 'assistant' %}### Response:\n{{ message['content'] }}{{ eos_token }}"
    "{% endif %}"
    "{% endfor %}"
    "{% if add_generation_prompt %}### Response:\n{% endif %}"
)


def ensure_chat_template(tokenizer: Any) -> Any:
    """Give ``tokenizer`` the default template if it has none (in place; returns it)."""
    if not getattr(tokenizer, "chat_template", None):
        tokenizer.chat_template = DEFAULT_CHAT_TEMPLATE
    return tokenizer


def messages(record: Mapping[str, Any], with_answer: bool = False) -> list[dict[str, str]]:
    """The conversation for ``record``: system + user (+ assistant when ``with_answer``)."""
    turns = [
        {"role": "system", "content": record.get("instruction") or DEFAULT_INSTRUCTION},
        {"role": "user", "content": record["input"]},
    ]
    if with_answer:
        turns.append({"role": "assistant", "content": record["output"]})
    return turns


def render_prompt(tokenizer: Any, record: Mapping[str, Any]) -> str:
    """The text a model sees before it answers (ends with the generation prompt).

    Chat templates without a system role (Gemma's raises "System role not supported") get
    the instruction as the first paragraph of the user turn instead."""
    from jinja2 import TemplateError

    ensure_chat_template(tokenizer)
    turns = messages(record)
    try:
        return tokenizer.apply_chat_template(turns, tokenize=False, add_generation_prompt=True)
    except TemplateError:
        return tokenizer.apply_chat_template(fold_system(turns), tokenize=False, add_generation_prompt=True)


def fold_system(turns: list[dict[str, str]]) -> list[dict[str, str]]:
    """The conversation for a template without a system role: the system turn becomes the
    first paragraph of the user turn after it."""
    if len(turns) < 2 or turns[0]["role"] != "system" or turns[1]["role"] != "user":
        return turns
    system, user, *rest = turns
    return [{"role": "user", "content": f"{system['content']}\n\n{user['content']}"}, *rest]


def render_completion(tokenizer: Any, record: Mapping[str, Any]) -> str:
    """The answer the model is trained to produce: the output followed by EOS."""
    return f"{record['output']}{tokenizer.eos_token}"
