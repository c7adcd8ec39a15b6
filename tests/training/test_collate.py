"""Batching: dynamic padding and padding-free packing that keeps examples apart."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from medtune.config import LoraSettings, ModelSettings
from medtune.modeling.loader import load_model, load_tokenizer
from medtune.training.collate import PaddingCollator, make_collator, pack_rows, should_pack
from medtune.training.dataset import IGNORE_INDEX, tokenize_records


@pytest.fixture(scope="module")
def examples(
    tiny_model: Path, make_records: Callable[..., list[dict[str, Any]]]
) -> list[dict[str, list[int]]]:
    tokenizer = load_tokenizer(ModelSettings(model_name=str(tiny_model)))
    examples, _ = tokenize_records(tokenizer, make_records(3, seed=3), max_seq_length=256)
    assert len({len(ex["input_ids"]) for ex in examples}) > 1  # lengths differ: padding matters
    return examples


def test_padding_collator_pads_ids_labels_and_mask(examples: list[dict[str, list[int]]]) -> None:
    batch = PaddingCollator(pad_token_id=0)(examples)
    width = max(len(ex["input_ids"]) for ex in examples)
    assert batch["input_ids"].shape == batch["labels"].shape == (3, width)
    for row, ex in enumerate(examples):
        n = len(ex["input_ids"])
        assert batch["attention_mask"][row].tolist() == [1] * n + [0] * (width - n)
        assert batch["labels"][row, n:].eq(IGNORE_INDEX).all()
        assert batch["labels"][row, :n].tolist() == ex["labels"]


@pytest.mark.parametrize("attn", ["sdpa", "eager"])
def test_packed_logits_equal_each_example_alone(
    tiny_model: Path, examples: list[dict[str, list[int]]], attn: str
) -> None:
    settings = ModelSettings(model_name=str(tiny_model), bits=16, attn_implementation=attn)
    model = load_model(settings, LoraSettings(r=4), for_training=True, device="cpu").eval()
    packed = make_collator(0, pack=True, attn_implementation=attn)(pack_rows(examples, 10_000))
    assert "attention_mask" not in packed and packed["input_ids"].shape[0] == 1

    def run() -> tuple[torch.Tensor, list[torch.Tensor]]:
        with torch.no_grad():
            together = model(input_ids=packed["input_ids"], position_ids=packed["position_ids"]).logits[0]
            alone = [model(input_ids=torch.tensor([ex["input_ids"]])).logits[0] for ex in examples]
        return together, alone

    together, alone = run()
    start = 0
    for logits in alone:
        torch.testing.assert_close(together[start : start + len(logits)], logits, atol=1e-5, rtol=1e-5)
        start += len(logits)
    # Why load_model turns the KV cache off: with a cache the packed examples attend to each other.
    model.config.use_cache = True
    leaky, alone = run()
    second = slice(len(alone[0]), len(alone[0]) + len(alone[1]))
    assert not torch.allclose(leaky[second], alone[1], atol=1e-3)


def test_auto_packs_on_cuda_and_pads_on_cpu() -> None:
    assert should_pack("auto", "cuda", "flash_attention_2")
    assert should_pack("auto", "cuda", "sdpa")
    assert not should_pack("auto", "cuda", "eager")
    assert not should_pack("auto", "cpu", "sdpa")
    assert should_pack("true", "cpu", "sdpa") and not should_pack("false", "cuda", "flash_attention_2")


def test_pack_rows_fills_rows_in_order_without_exceeding_the_budget() -> None:
    examples = [{"input_ids": [1] * n, "labels": [1] * n} for n in (5, 4, 3, 9, 1, 2)]
    rows = pack_rows(examples, 10)
    sizes = [[len(e["input_ids"]) for e in row["examples"]] for row in rows]
    assert sizes == [[5, 4], [3], [9, 1], [2]]
    assert [e for row in rows for e in row["examples"]] == examples
    too_long = {"input_ids": [1] * 12, "labels": [1] * 12}  # truncation happens earlier; kept whole
    assert pack_rows([too_long], 10) == [{"examples": [too_long]}]
