"""Batches: dynamic padding, or padding-free packing where it pays.

Packing puts a batch's examples end to end in one row with position ids restarting at 0
for each example and no attention mask; transformers then keeps examples apart (varlen
kernels with flash_attention_2, a block-diagonal mask with sdpa/eager, provided the model
runs without a KV cache). ``auto`` packs on CUDA and pads on the CPU, as measured
(bench/README.md): on the CPU the dense masked attention of a long packed row costs more
than padding wastes; on an H100, packing an 8B QLoRA run into 2048-token rows trained 5.0x
the tokens/s of padded batches of 2, even with SDPA's dense block mask (no flash-attn).
Eager attention materialises the full mask per head, so ``auto`` pads with it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from medtune.training.dataset import IGNORE_INDEX


@dataclass
class PaddingCollator:
    """Right-pad each batch to its longest example (labels padded with -100)."""

    pad_token_id: int

    def __call__(self, features: Sequence[Mapping[str, list[int]]]) -> dict[str, Any]:
        import torch

        width = max(len(f["input_ids"]) for f in features)
        input_ids, labels, mask = [], [], []
        for f in features:
            pad = width - len(f["input_ids"])
            input_ids.append(list(f["input_ids"]) + [self.pad_token_id] * pad)
            labels.append(list(f["labels"]) + [IGNORE_INDEX] * pad)
            mask.append([1] * len(f["input_ids"]) + [0] * pad)
        return {
            "input_ids": torch.tensor(input_ids, dtype=torch.long),
            "labels": torch.tensor(labels, dtype=torch.long),
            "attention_mask": torch.tensor(mask, dtype=torch.long),
        }


def should_pack(packing: str, device: str, attn_implementation: str) -> bool:
    """Resolve ``train.packing`` (auto|true|false) for this device and attention kernel:
    ``auto`` packs on CUDA with SDPA or FlashAttention-2 and pads on the CPU, where packing
    measured slower than padding (bench/train_throughput.py: 1.11x against 1.24x the tokens/s
    of a plain TRL run; bench/README.md)."""
    if packing == "auto":
        return device == "cuda" and attn_implementation in ("flash_attention_2", "sdpa")
    return packing == "true"


def pack_rows(examples: Sequence[Mapping[str, Any]], max_tokens: int) -> list[dict[str, list[Any]]]:
    """Group consecutive examples into rows of at most ``max_tokens`` tokens (next-fit, so
    the order the data has is kept and the result is deterministic). With packing, the
    Trainer iterates these rows: ``per_device_train_batch_size`` counts rows."""
    rows: list[dict[str, list[Any]]] = []
    row: list[Any] = []
    used = 0
    for example in examples:
        size = len(example["input_ids"])
        if row and used + size > max_tokens:
            rows.append({"examples": row})
            row, used = [], 0
        row.append(example)
        used += size
    if row:
        rows.append({"examples": row})
    return rows


class PackedCollator:
    """Flattens a batch of packed rows (:func:`pack_rows`) into one padding-free row."""

    def __init__(self, attn_implementation: str) -> None:
        from transformers import DataCollatorWithFlattening

        self.flatten = DataCollatorWithFlattening(
            return_position_ids=True,
            separator_id=IGNORE_INDEX,
            return_flash_attn_kwargs=attn_implementation == "flash_attention_2",
        )

    def __call__(self, rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        return self.flatten([example for row in rows for example in row["examples"]])


def make_collator(pad_token_id: int, *, pack: bool, attn_implementation: str) -> Any:
    """The collator for a run: packed rows (padding-free) or dynamic padding."""
    return PackedCollator(attn_implementation) if pack else PaddingCollator(pad_token_id)
