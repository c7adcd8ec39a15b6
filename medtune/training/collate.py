"""Batches: dynamic padding, or padding-free packing where it pays.

Packing puts a batch's examples end to end in one row with position ids restarting at 0
for each example and no attention mask; transformers then keeps examples apart (varlen
kernels with flash_attention_2, a block-diagonal mask with sdpa/eager, provided the model
runs without a KV cache). On the CPU the dense masked attention of a long packed row costs
more than it saves (DESIGN.md), so ``auto`` packs only on CUDA with flash_attention_2.
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
    """Resolve ``train.packing`` (auto|true|false) for this device and attention kernel."""
    if packing == "auto":
        return device == "cuda" and attn_implementation == "flash_attention_2"
    return packing == "true"


def make_collator(pad_token_id: int, *, pack: bool, attn_implementation: str) -> Any:
    """The collator for a run: packing (padding-free) or dynamic padding."""
    if not pack:
        return PaddingCollator(pad_token_id)
    from transformers import DataCollatorWithFlattening

    return DataCollatorWithFlattening(
        return_position_ids=True,
        separator_id=IGNORE_INDEX,
        return_flash_attn_kwargs=attn_implementation == "flash_attention_2",
    )
