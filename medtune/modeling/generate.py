"""Streamed answers to one question at a time (``medtune chat`` / ``medtune generate``).

Each question is rendered with the training template (:func:`medtune.data.template.render_prompt`)
as a fresh single-turn conversation: the model was trained on single Q&A pairs, so a
multi-turn history would be a prompt shape it never saw. Batched generation for
evaluation lives in :mod:`medtune.evaluation`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from medtune.data.template import render_prompt


@dataclass(frozen=True)
class Sampling:
    """Decoding options; ``temperature = 0`` means greedy."""

    temperature: float = 0.7
    top_p: float = 0.9
    max_new_tokens: int = 256
    seed: int | None = None

    def generate_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``model.generate``."""
        if self.temperature <= 0:
            return {"do_sample": False, "max_new_tokens": self.max_new_tokens}
        return {
            "do_sample": True,
            "temperature": self.temperature,
            "top_p": self.top_p,
            "max_new_tokens": self.max_new_tokens,
        }


def eos_ids(model: Any, tokenizer: Any) -> list[int]:
    """Every token id that ends an answer of ``model`` (see :func:`stop_ids`)."""
    return stop_ids(tokenizer, model.generation_config)


def stop_ids(tokenizer: Any, generation_config: Any = None) -> list[int]:
    """Every token id that ends an answer: the tokenizer's EOS and the generation config's
    (Llama-3-Instruct ends turns with ``<|eot_id|>`` as well as ``<|end_of_text|>``)."""
    ids = {tokenizer.eos_token_id}
    configured = getattr(generation_config, "eos_token_id", None)
    ids.update(configured if isinstance(configured, list) else [configured])
    return sorted(i for i in ids if i is not None)


def stream_answer(
    model: Any,
    tokenizer: Any,
    question: str,
    sampling: Sampling | None = None,
    *,
    instruction: str | None = None,
) -> Iterator[str]:
    """Yield the model's answer to ``question`` in text pieces as they are generated.

    Generation runs in a background thread feeding a ``TextIteratorStreamer``; it stops
    at EOS or ``max_new_tokens``. ``instruction`` replaces the default system turn.
    """
    import torch
    from transformers import TextIteratorStreamer

    sampling = sampling or Sampling()
    prompt = render_prompt(tokenizer, {"instruction": instruction, "input": question})
    inputs = tokenizer(prompt, add_special_tokens=False, return_tensors="pt").to(model.device)
    streamer = TextIteratorStreamer(tokenizer, skip_prompt=True, skip_special_tokens=True)
    if sampling.seed is not None:
        torch.manual_seed(sampling.seed)
    kwargs = {
        **inputs,
        **sampling.generate_kwargs(),
        "streamer": streamer,
        "pad_token_id": tokenizer.pad_token_id,
        "eos_token_id": eos_ids(model, tokenizer),
    }
    errors: list[BaseException] = []

    def run() -> None:
        try:
            with torch.inference_mode():
                model.generate(**kwargs)
        except BaseException as exc:  # re-raised in the caller's thread
            errors.append(exc)
            streamer.end()

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    yield from (piece for piece in streamer if piece)
    worker.join()
    if errors:
        raise errors[0]
