"""The real tiny runs the sharing tests share (built by conftest.py's ``workspace``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.config import Settings, load_settings

#: The audit and contamination keys ``data prepare`` records in data_card.json.
AUDIT = {
    "rows": 274,
    "diagnosis_present": 230,
    "treatment_present": 201,
    "red_flag_question": 40,
    "urgent_advice": 31,
    "under_triage": 12,
    "safety": "flag",
}
CONTAMINATION = {"dir": "/data/benchmarks/multimedqa", "items": 1273, "hits": 3, "action": "drop"}


@dataclass(frozen=True)
class Workspace:
    """Where the session's prepared data, tiny base, runs and evaluation are."""

    root: Path
    data_dir: Path
    base: Path
    lora_run: Path
    full_run: Path
    eval_dir: Path
    settings: Settings


def run_settings(root: Path, data_dir: Path, base: Path, run: str, **lora: Any) -> Settings:
    return load_settings(
        None,
        {
            "model": {"model_name": str(base), "bits": 16, "precision": "fp32", "device": "cpu"},
            "lora": {"r": 4, "alpha": 8, **lora},
            "data": {"data_dir": str(data_dir), "max_seq_length": 128, "per_device_train_batch_size": 2},
            "train": {
                "output_dir": str(root / "outputs" / run),
                "max_steps": 2,
                "learning_rate": 1e-3,
                "gradient_accumulation_steps": 1,
                "gradient_checkpointing": False,
                "logging_steps": 1,
                "eval_steps": 100,
                "save_steps": 100,
                "report_to": ["none"],
                "bf16": False,
            },
            "eval": {
                "model_path": str(root / "outputs" / run / "final"),
                "output_dir": str(root / "outputs" / "evaluation"),
                "baseline": True,
                "num_samples": 4,
                "max_new_tokens": 8,
                "batch_size": 4,
                "metrics": ["rouge", "medical"],
                "bootstrap_samples": 50,
            },
        },
    )
