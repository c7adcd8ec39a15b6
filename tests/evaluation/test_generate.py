"""Batched generation (left padding) against one-by-one generation on the tiny model."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtune.evaluation.generate import Generation, generate

MAX_NEW_TOKENS = 24
#: A flip between batched and unbatched greedy decoding is only acceptable at a near-tie.
NEAR_TIE = 1e-3


@pytest.fixture(scope="module")
def loaded(tiny_model: Path) -> tuple[object, object, list[str]]:
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from medtune.data.sample import load_sample
    from medtune.data.template import render_prompt

    model = AutoModelForCausalLM.from_pretrained(tiny_model).eval()
    tokenizer = AutoTokenizer.from_pretrained(tiny_model)
    prompts = [render_prompt(tokenizer, r) for r in load_sample()[:8]]
    return model, tokenizer, prompts


def _run(model: object, tokenizer: object, prompts: list[str], **kwargs: object) -> dict[int, Generation]:
    return {i: g for batch in generate(model, tokenizer, prompts, **kwargs) for i, g in batch}


def _top_two_gap(model: object, tokenizer: object, prompt: str, prefix: tuple[int, ...]) -> float:
    """The top-1 minus top-2 logit of the unpadded model after ``prompt`` + ``prefix``."""
    import torch

    ids = tokenizer(prompt, add_special_tokens=False, return_tensors="pt").input_ids
    ids = torch.cat([ids, torch.tensor([prefix], dtype=ids.dtype)], dim=1) if prefix else ids
    with torch.inference_mode():
        logits = model(ids).logits[0, -1]
    top = torch.topk(logits, 2).values
    return float(top[0] - top[1])


def test_batched_greedy_matches_one_by_one(loaded: tuple) -> None:
    model, tokenizer, prompts = loaded
    batched = _run(model, tokenizer, prompts, max_new_tokens=MAX_NEW_TOKENS, batch_size=5)
    single = _run(model, tokenizer, prompts, max_new_tokens=MAX_NEW_TOKENS, batch_size=1)
    assert sorted(batched) == sorted(single) == list(range(len(prompts)))
    differ = [i for i in single if batched[i].token_ids != single[i].token_ids]
    for i in differ:
        a, b = batched[i].token_ids, single[i].token_ids
        k = next(n for n, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
        gap = _top_two_gap(model, tokenizer, prompts[i], b[:k])
        print(f"example {i}: batched and single differ at new token {k}; top-two logit gap {gap:.2e}")
        assert gap < NEAR_TIE
    print(
        f"{len(differ)} of {len(prompts)} predictions differ between batched and one-by-one greedy decoding"
    )
    for g in single.values():
        assert g.num_new_tokens == (len(g.token_ids) + 1 if g.finished else MAX_NEW_TOKENS)


def test_sampling_is_seeded(loaded: tuple) -> None:
    model, tokenizer, prompts = loaded
    kwargs = {"max_new_tokens": 8, "batch_size": 4, "temperature": 1.0, "top_p": 0.95}
    first = _run(model, tokenizer, prompts[:4], seed=7, **kwargs)
    again = _run(model, tokenizer, prompts[:4], seed=7, **kwargs)
    other = _run(model, tokenizer, prompts[:4], seed=8, **kwargs)
    assert first == again
    assert first != other


def test_generation_stops_at_eos(loaded: tuple) -> None:
    """Bias the output layer towards EOS: every answer ends at once and says it finished."""
    import torch

    model, tokenizer, prompts = loaded
    bias = torch.zeros(model.config.vocab_size)
    bias[tokenizer.eos_token_id] = 1e4
    handle = model.lm_head.register_forward_hook(lambda module, args, out: out + bias)
    try:
        out = _run(model, tokenizer, prompts[:3], max_new_tokens=MAX_NEW_TOKENS, batch_size=3)
    finally:
        handle.remove()
    assert all(g.finished and g.num_new_tokens == 1 and g.prediction == "" for g in out.values())


def test_no_prompts_no_batches(loaded: tuple) -> None:
    model, tokenizer, _ = loaded
    assert list(generate(model, tokenizer, [])) == []
