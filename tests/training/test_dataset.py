"""Tokenization with the one template: EOS, answer-only labels, truncation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medtune.config import ModelSettings
from medtune.data.template import messages, render_prompt
from medtune.modeling.loader import load_tokenizer
from medtune.training.dataset import IGNORE_INDEX, show_masked, tokenize_records


@pytest.fixture(scope="module")
def tokenizer(tiny_model: Path) -> Any:
    return load_tokenizer(ModelSettings(model_name=str(tiny_model)))


def test_answer_ends_with_eos_and_only_answer_is_labelled(
    tokenizer: Any, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    records = make_records(5)
    examples, stats = tokenize_records(tokenizer, records, max_seq_length=1024)
    assert stats.examples == 5 and stats.truncated == 0
    for record, ex in zip(records, examples, strict=True):
        assert ex["input_ids"][-1] == tokenizer.eos_token_id
        assert ex["labels"][-1] == tokenizer.eos_token_id
        trained = [i for i, label in enumerate(ex["labels"]) if label != IGNORE_INDEX]
        # labels are one contiguous answer span at the end, equal to the ids there
        assert trained == list(range(trained[0], len(ex["input_ids"])))
        assert [ex["input_ids"][i] for i in trained] == [ex["labels"][i] for i in trained]
        answer = tokenizer.decode([ex["input_ids"][i] for i in trained], skip_special_tokens=True)
        assert answer.strip() == record["output"].strip()
        assert "### Response:" in tokenizer.decode(ex["input_ids"][: trained[0]])


def test_training_text_is_the_chat_template_rendering(
    tokenizer: Any, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    record = make_records(1)[0]
    (example,), _ = tokenize_records(tokenizer, [record], max_seq_length=1024)
    full = tokenizer.apply_chat_template(messages(record, with_answer=True), tokenize=False)
    assert tokenizer.decode(example["input_ids"]) == full


def test_train_on_inputs_labels_every_token(
    tokenizer: Any, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    examples, _ = tokenize_records(tokenizer, make_records(3), max_seq_length=1024, train_on_inputs=True)
    for ex in examples:
        assert ex["labels"] == ex["input_ids"]


def test_truncation_is_counted_and_answerless_examples_dropped(
    tokenizer: Any, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    records = make_records(6)
    full, _ = tokenize_records(tokenizer, records, max_seq_length=1024)
    prompt_len = min(ex["labels"].count(IGNORE_INDEX) for ex in full)
    cut = prompt_len + 2
    examples, stats = tokenize_records(tokenizer, records, max_seq_length=cut)
    longer = sum(len(ex["input_ids"]) > cut for ex in full)
    assert stats.truncated == longer > 0
    assert all(len(ex["input_ids"]) <= cut for ex in examples)
    assert stats.examples + stats.dropped == len(records)
    assert all(any(label != IGNORE_INDEX for label in ex["labels"]) for ex in examples)
    _, tiny = tokenize_records(tokenizer, records, max_seq_length=3)
    assert tiny.dropped == len(records) and tiny.examples == 0


def test_show_masked_splits_prompt_and_answer(
    tokenizer: Any, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    record = make_records(1)[0]
    (example,), _ = tokenize_records(tokenizer, [record], max_seq_length=1024)
    spans = show_masked(tokenizer, example)
    assert [trained for _, trained in spans] == [False, True]
    assert spans[1][0].endswith(tokenizer.eos_token)
    assert record["input"].strip() in spans[0][0]


#: Gemma's chat template in miniature: no system role.
NO_SYSTEM_TEMPLATE = (
    "{{ bos_token }}{% for message in messages %}"
    "{% if message['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}"
    "<start_of_turn>{{ 'model' if message['role'] == 'assistant' else message['role'] }}\n"
    "{{ message['content'] }}<end_of_turn>\n"
    "{% endfor %}{% if add_generation_prompt %}<start_of_turn>model\n{% endif %}"
)


def test_a_template_without_system_role_gets_the_instruction_in_the_user_turn(
    tiny_model: Path, make_records: Callable[..., list[dict[str, Any]]]
) -> None:
    tokenizer = load_tokenizer(ModelSettings(model_name=str(tiny_model)))
    tokenizer.chat_template = NO_SYSTEM_TEMPLATE
    record = make_records(1)[0]
    prompt = render_prompt(tokenizer, record)
    user_turn = f"<start_of_turn>user\n{record['instruction']}\n\n{record['input']}<end_of_turn>\n"
    assert prompt == f"{tokenizer.bos_token}{user_turn}<start_of_turn>model\n"
    (example,), _ = tokenize_records(tokenizer, [record], max_seq_length=1024)
    assert tokenizer.decode(example["input_ids"]).startswith(prompt)
