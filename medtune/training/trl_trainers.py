"""TRL's DPO, ORPO and KTO trainers, fed with data medtune has tokenized.

TRL tokenizes text itself: the prompt string with the tokenizer's special tokens (a second
BOS after the one medtune's rendered template already holds, for Llama 3 and most others)
and prompt + answer as one string. medtune tokenizes as SFT does (:mod:`.dataset`): the
prompt rendered with the one template, then each answer + EOS on its own. These subclasses
take those token ids as they are; the losses, the reference model, the collators and the
logged figures stay TRL's. They also send no usage telemetry, write no model card into the
run folder (its ``manifest.json`` describes the run) and save only the trained adapter.

ORPO lives in ``trl.experimental`` in TRL 1.x (imported here without its warning).
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path
from typing import TYPE_CHECKING, Any

import trl

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from trl.experimental.orpo import ORPOConfig
    from trl.experimental.orpo import ORPOTrainer as _ORPOTrainer

from medtune.training.dataset import IGNORE_INDEX

DPOConfig = trl.DPOConfig
KTOConfig = trl.KTOConfig

__all__ = ["DPOConfig", "DPOTrainer", "KTOConfig", "KTOTrainer", "ORPOConfig", "ORPOTrainer"]

if TYPE_CHECKING:  # the mixin below is only ever mixed into a Trainer
    from transformers import Trainer as _TrainerBase
else:
    _TrainerBase = object


class _Medtune(_TrainerBase):
    """No telemetry, no model card, only the trained adapter saved."""

    def _send_telemetry(self) -> None:
        """medtune runs send no usage data."""

    def create_model_card(self, *args: Any, **kwargs: Any) -> None:
        """The run folder's manifest.json describes the run; no README.md is written."""

    def _save(self, output_dir: str | None = None, state_dict: Any = None) -> None:
        """Save as the Trainer does, without the frozen copy of a continued adapter that TRL
        keeps (as adapter "ref") for the reference model: it never changes, and ``final/``
        holds the one adapter that was trained."""
        super()._save(output_dir, state_dict)
        folder = output_dir or self.args.output_dir  # where the Trainer just saved
        if folder is not None and "ref" in getattr(self.model, "peft_config", {}):
            shutil.rmtree(Path(folder) / "ref", ignore_errors=True)


class DPOTrainer(_Medtune, trl.DPOTrainer):
    """TRL's DPO on ``{"prompt_ids", "chosen_ids", "rejected_ids"}`` examples."""

    def _prepare_dataset(self, dataset: Any, processing_class: Any, args: Any, dataset_name: str) -> Any:
        return dataset


class KTOTrainer(_Medtune, trl.KTOTrainer):
    """TRL's KTO on ``{"prompt_ids", "completion_ids", "label"}`` examples."""

    def _prepare_dataset(self, dataset: Any, processing_class: Any, args: Any, dataset_name: str) -> Any:
        """Add the mismatched completions KTO's KL estimate reads, as TRL builds them: each
        batch's completions rotated by one, (x1, y_n), (x2, y1), ..."""
        if not self.calculate_KL:
            return dataset
        return dataset.map(_rotate_completions, batched=True, batch_size=args.per_device_train_batch_size)


class ORPOTrainer(_Medtune, _ORPOTrainer):
    """TRL's ORPO on ``{"prompt_ids", "chosen_ids", "rejected_ids"}`` examples."""

    def tokenize_row(self, feature: dict[str, Any], model: Any = None) -> dict[str, Any]:
        """ORPO's row (prompt, chosen and rejected ids, masks and answer-only labels) from
        the token ids, cut at ``max_length`` as TRL cuts its own."""
        prompt = feature["prompt_ids"]
        row = {"prompt_input_ids": prompt, "prompt_attention_mask": [1] * len(prompt)}
        for side in ("chosen", "rejected"):
            ids = (prompt + feature[f"{side}_ids"])[: self.max_length]
            row[f"{side}_input_ids"] = ids
            row[f"{side}_attention_mask"] = [1] * len(ids)
            row[f"{side}_labels"] = ([IGNORE_INDEX] * len(prompt) + ids[len(prompt) :])[: len(ids)]
        return row

    def _track_num_input_tokens(self, inputs: dict[str, Any]) -> None:
        """Count the chosen and rejected rows' non-padding tokens (ORPO batches have no
        ``input_ids`` for transformers to count)."""
        import torch

        seen = inputs["chosen_attention_mask"].sum() + inputs["rejected_attention_mask"].sum()
        seen = torch.as_tensor(seen, device=self.args.device, dtype=torch.int64)
        self.state.num_input_tokens_seen += self.accelerator.gather(seen).sum().item()


def _rotate_completions(batch: dict[str, list[Any]]) -> dict[str, list[Any]]:
    completions = batch["completion_ids"]
    return {**batch, "KL_completion_ids": [completions[-1], *completions[:-1]]}
