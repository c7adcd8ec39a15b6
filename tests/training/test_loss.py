"""The chunked causal-LM loss equals transformers' loss, in value and gradients, alone, on
the tiny model (LoRA, full fine-tuning, packed rows) and through a whole training run."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import AutoModelForCausalLM, LlamaConfig, LlamaForCausalLM
from transformers.loss.loss_utils import ForCausalLMLoss

from medtune.config import LoraSettings, Settings
from medtune.modeling.loader import add_lora
from medtune.training import TrainResult, train
from medtune.training import loss as chunked
from medtune.training.loss import ChunkedLoss, causal_lm_loss, chunked_loss_blocker, linear_cross_entropy

VOCAB, HIDDEN = 50, 16


def _inputs(seed: int = 0) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    generator = torch.Generator().manual_seed(seed)
    hidden = torch.randn(2, 12, HIDDEN, generator=generator, requires_grad=True)
    weight = torch.randn(VOCAB, HIDDEN, generator=generator, requires_grad=True)
    labels = torch.randint(0, VOCAB, (2, 12), generator=generator)
    labels[0, :5] = labels[1, 9:] = -100  # a masked prompt, then padding
    return hidden, weight, labels


def _reference(
    hidden: torch.Tensor, weight: torch.Tensor, labels: torch.Tensor, **kwargs: Any
) -> torch.Tensor:
    return ForCausalLMLoss(hidden @ weight.T, labels, vocab_size=VOCAB, **kwargs)


@pytest.mark.parametrize("chunk_elements", [VOCAB * 3, 2**26], ids=["many-chunks", "one-chunk"])
@pytest.mark.parametrize("num_items", [None, 37], ids=["mean", "num_items_in_batch"])
def test_loss_and_gradients_equal_transformers(
    chunk_elements: int, num_items: int | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chunked, "CHUNK_ELEMENTS", chunk_elements)
    hidden, weight, labels = _inputs()
    expected = _reference(hidden, weight, labels, num_items_in_batch=num_items)
    want = torch.autograd.grad(expected, (hidden, weight))
    got = causal_lm_loss(hidden, weight, labels, num_items)
    grads = torch.autograd.grad(got, (hidden, weight))
    torch.testing.assert_close(got, expected, rtol=1e-6, atol=1e-6)
    for g, w in zip(grads, want, strict=True):
        torch.testing.assert_close(g, w, rtol=1e-5, atol=1e-6)


def test_without_gradients_gives_the_same_loss() -> None:
    hidden, weight, labels = _inputs(seed=1)
    with torch.no_grad():
        got = causal_lm_loss(hidden, weight, labels)
        expected = _reference(hidden, weight, labels)
    assert got.grad_fn is None
    torch.testing.assert_close(got, expected, rtol=1e-6, atol=1e-6)


def test_bf16_autocast_matches_transformers_under_autocast() -> None:
    hidden, weight, labels = _inputs(seed=2)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = ForCausalLMLoss(torch.nn.functional.linear(hidden, weight), labels, vocab_size=VOCAB)
        got = causal_lm_loss(hidden, weight, labels)
    (grad,) = torch.autograd.grad(got, hidden)
    assert grad.dtype == torch.float32  # cast back to the hidden states' dtype
    torch.testing.assert_close(got, expected, rtol=1e-3, atol=1e-3)


def test_backward_frees_the_gradients_kept_from_forward() -> None:
    hidden, weight, labels = _inputs()
    loss = linear_cross_entropy(hidden[0], weight, labels[0].clamp(min=0), chunk_rows=4)
    node = loss.grad_fn
    assert node.grad_hidden is not None and node.grad_weight is not None
    loss.backward()
    assert node.grad_hidden is None and node.grad_weight is None  # not held while loss lives


def test_a_batch_without_targets_has_zero_loss_not_nan() -> None:
    hidden, weight, labels = _inputs()
    got = causal_lm_loss(hidden, weight, torch.full_like(labels, -100))
    got.backward()
    assert got.item() == 0.0 and hidden.grad is not None and not hidden.grad.any()


def _tiny(path: Path) -> LlamaForCausalLM:
    torch.manual_seed(0)
    return AutoModelForCausalLM.from_pretrained(path, dtype=torch.float32)


def _batch(vocab: int, *, packed: bool) -> dict[str, torch.Tensor]:
    generator = torch.Generator().manual_seed(3)
    ids = torch.randint(3, vocab, (1 if packed else 2, 20), generator=generator)
    labels = ids.clone()
    labels[:, :6] = -100
    batch = {"input_ids": ids, "labels": labels}
    if packed:  # two examples in one row: positions restart, the second's first label is -100
        batch["position_ids"] = torch.cat([torch.arange(8), torch.arange(12)])[None]
        labels[0, 8] = -100
    return batch


@pytest.mark.parametrize("packed", [False, True], ids=["padded", "packed"])
@pytest.mark.parametrize("use_lora", [True, False], ids=["lora", "full"])
def test_chunked_loss_on_the_model_equals_its_own_loss(
    tiny_model: Path, use_lora: bool, packed: bool
) -> None:
    model = _tiny(tiny_model)
    if use_lora:
        model = add_lora(model, LoraSettings(r=4, alpha=8, dropout=0.0))
    model.train()
    batch = _batch(model.config.vocab_size, packed=packed)
    params = [p for p in model.parameters() if p.requires_grad]

    expected = model(**batch).loss
    want = torch.autograd.grad(expected, params)
    loss = ChunkedLoss(model)
    with loss.attached():
        inputs = {k: v for k, v in batch.items() if k != "labels"}
        outputs = model(**inputs)
        got = loss(outputs, batch["labels"])
    grads = torch.autograd.grad(got, params)

    assert outputs.logits.shape[1] == 1  # the model projected one position per row
    torch.testing.assert_close(got, expected, rtol=1e-5, atol=1e-6)
    for g, w in zip(grads, want, strict=True):
        torch.testing.assert_close(g, w, rtol=1e-4, atol=1e-6)
    assert model(**inputs).logits.shape[1] == batch["input_ids"].shape[1]  # hooks gone


def test_the_projection_uses_the_forward_pass_autocast_dtype(
    tiny_model: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """accelerate autocasts only inside the model's forward; the loss runs after it."""
    model = add_lora(_tiny(tiny_model), LoraSettings(r=4, alpha=8, dropout=0.0))
    batch = _batch(model.config.vocab_size, packed=False)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        expected = model(**batch).loss
    dtypes = []

    def spy(hidden: torch.Tensor, weight: torch.Tensor, targets: torch.Tensor, *, chunk_rows: int) -> Any:
        dtypes.append(weight.dtype)
        return linear_cross_entropy(hidden, weight, targets, chunk_rows=chunk_rows)

    monkeypatch.setattr(chunked, "linear_cross_entropy", spy)
    loss = ChunkedLoss(model)
    with loss.attached():
        inputs = {k: v for k, v in batch.items() if k != "labels"}
        with torch.autocast("cpu", dtype=torch.bfloat16):
            outputs = model(**inputs)
        got = loss(outputs, batch["labels"])
    assert model.get_output_embeddings().weight.dtype == torch.float32 and dtypes == [torch.bfloat16]
    torch.testing.assert_close(got, expected, rtol=1e-2, atol=1e-2)


class _Composite:
    """A multimodal model's shape: the text model's settings sit in a nested config."""

    def __init__(self, head: torch.nn.Module, text_config: Any) -> None:
        self.head, self.config = head, SimpleNamespace(get_text_config=lambda: text_config)

    def get_output_embeddings(self) -> torch.nn.Module:
        return self.head


def test_blocker_names_what_the_chunked_loss_cannot_do(tiny_model: Path) -> None:
    plain = _tiny(tiny_model)
    assert chunked_loss_blocker(plain, zero3=False, data_parallel=False) is None
    assert "ZeRO-3" in str(chunked_loss_blocker(plain, zero3=True, data_parallel=False))
    assert "DataParallel" in str(chunked_loss_blocker(plain, zero3=False, data_parallel=True))
    head_adapted = get_peft_model(_tiny(tiny_model), LoraConfig(r=4, target_modules=["lm_head"]))
    assert "output layer" in str(chunked_loss_blocker(head_adapted, zero3=False, data_parallel=False))
    capped = LlamaForCausalLM(LlamaConfig(**{**plain.config.to_dict(), "final_logit_softcapping": 30.0}))
    assert "transforms its logits" in str(chunked_loss_blocker(capped, zero3=False, data_parallel=False))
    nested = _Composite(plain.lm_head, SimpleNamespace(final_logit_softcapping=30.0))
    assert "transforms its logits" in str(chunked_loss_blocker(nested, zero3=False, data_parallel=False))
    moe = _tiny(tiny_model)
    moe.config.output_router_logits = True
    assert "router loss" in str(chunked_loss_blocker(moe, zero3=False, data_parallel=False))


def test_training_with_and_without_chunking_gives_the_same_run(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    runs = {}
    for chunk in (True, False):
        settings = make_settings(
            train={
                "max_steps": 3,
                "gradient_accumulation_steps": 2,
                "output_dir": str(tmp_path / str(chunk)),
                "chunked_cross_entropy": chunk,
            },
            data={"per_device_eval_batch_size": 2},
        )
        result = train(settings)
        assert isinstance(result, TrainResult)
        runs[chunk] = result
    chunked_run, plain_run = runs[True], runs[False]
    assert [s for s, _ in chunked_run.loss_history] == [1, 2, 3]
    for (_, a), (_, b) in zip(chunked_run.loss_history, plain_run.loss_history, strict=True):
        assert math.isclose(a, b, rel_tol=1e-4)
    assert chunked_run.eval_loss is not None and plain_run.eval_loss is not None
    assert math.isclose(chunked_run.eval_loss, plain_run.eval_loss, rel_tol=1e-4)
    assert not any("chunked cross-entropy off" in n for n in chunked_run.notes)
