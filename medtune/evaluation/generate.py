"""Batched generation: left padding, stop at EOS, seeded sampling, progress per batch.

Prompts are sorted by token length before batching, so a batch pads little; results come
back with their original index. Left padding keeps every prompt's last token at the same
position, which ``generate`` needs to continue all rows at once; the attention mask and
the position ids it derives from it make padded rows compute what unpadded ones would,
up to floating-point summation order (see ``tests/evaluation/test_generate.py``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from medtune.modeling.generate import eos_ids

#: Called after each batch with the number of prompts it finished.
ProgressFn = Callable[[int], None]


@dataclass(frozen=True)
class Generation:
    """One answer: its text, whether the model ended it (EOS before ``max_new_tokens``),
    how many tokens it generated (the EOS included) and their ids (EOS excluded)."""

    prediction: str
    finished: bool
    num_new_tokens: int
    token_ids: tuple[int, ...] = ()


def generate(
    model: Any,
    tokenizer: Any,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 256,
    temperature: float = 0.0,
    top_p: float = 1.0,
    batch_size: int = 8,
    seed: int = 0,
    progress: ProgressFn | None = None,
) -> Iterator[list[tuple[int, Generation]]]:
    """Generate an answer for each prompt, yielding ``(index, Generation)`` per batch.

    ``prompts`` are rendered texts that already hold their special tokens (see
    :func:`medtune.data.template.render_prompt`). ``temperature`` 0 is greedy decoding;
    otherwise nucleus sampling with ``top_p``, seeded per batch with ``seed + batch``.
    No prompts, no batches.
    """
    import torch

    if not prompts:
        return
    lengths = [len(ids) for ids in tokenizer(list(prompts), add_special_tokens=False).input_ids]
    order = sorted(range(len(prompts)), key=lambda i: -lengths[i])
    stop = eos_ids(model, tokenizer)
    config = _generation_config(model, tokenizer, stop, max_new_tokens, temperature, top_p)
    device = next(model.parameters()).device
    side = tokenizer.padding_side
    tokenizer.padding_side = "left"
    try:
        for number, start in enumerate(range(0, len(order), batch_size)):
            indices = order[start : start + batch_size]
            batch = tokenizer(
                [prompts[i] for i in indices], add_special_tokens=False, padding=True, return_tensors="pt"
            ).to(device)
            if temperature > 0:
                torch.manual_seed(seed + number)
            with torch.inference_mode():
                output = model.generate(**batch, generation_config=config)
            new = output[:, batch["input_ids"].shape[1] :].tolist()
            yield [(i, _decode(tokenizer, tokens, stop)) for i, tokens in zip(indices, new, strict=True)]
            if progress is not None:
                progress(len(indices))
    finally:
        tokenizer.padding_side = side


def _generation_config(
    model: Any, tokenizer: Any, stop: list[int], max_new_tokens: int, temperature: float, top_p: float
) -> Any:
    config = copy.deepcopy(model.generation_config)
    sample = temperature > 0
    config.update(
        max_new_tokens=max_new_tokens,
        do_sample=sample,
        temperature=temperature if sample else None,
        top_p=top_p if sample else None,
        top_k=None,
        num_beams=1,
        eos_token_id=stop,
        pad_token_id=tokenizer.pad_token_id if tokenizer.pad_token_id is not None else stop[0],
    )
    return config


def _decode(tokenizer: Any, tokens: list[int], stop: list[int]) -> Generation:
    end = next((n for n, t in enumerate(tokens) if t in stop), None)
    kept = tokens if end is None else tokens[:end]
    return Generation(
        prediction=tokenizer.decode(kept, skip_special_tokens=True).strip(),
        finished=end is not None,
        num_new_tokens=len(tokens) if end is None else end + 1,
        token_ids=tuple(kept),
    )
