"""Fixtures for training tests: one tiny Llama and a few synthetic records, built once."""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medtune.config import Settings, load_settings

INSTRUCTION = "If you are a doctor, please answer the medical questions based on the patient's description."
SYMPTOMS = ["headache", "fever", "cough", "back pain", "rash", "chest pain", "dizziness", "nausea"]
ADVICE = ["rest and drink fluids", "take paracetamol", "see a cardiologist", "get a blood test"]


def _records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    """``n`` HealthCareMagic-shaped records of varied length."""
    rng = random.Random(seed)
    records = []
    for i in range(n):
        first, second = rng.sample(SYMPTOMS, 2)
        question = f"Hi doctor, I have had {first} and {second} for {rng.randint(2, 9)} days. "
        answer = f"Hello. Your {first} may be viral. Please {rng.choice(ADVICE)}. "
        records.append(
            {
                "id": f"r{seed}-{i}",
                "instruction": INSTRUCTION,
                "input": question * rng.randint(1, 3),
                "output": answer * rng.randint(1, 3),
            }
        )
    return records


@pytest.fixture(scope="session")
def make_records() -> Callable[..., list[dict[str, Any]]]:
    """``make_records(n, seed=0)``: n synthetic HealthCareMagic-shaped records."""
    return _records


def write_split(data_dir: Path, name: str, records: list[dict[str, Any]]) -> None:
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")


@pytest.fixture(scope="session")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from medtune.modeling.tiny import build_tiny_model

    texts = [r[k] for r in _records(64, seed=7) for k in ("instruction", "input", "output")]
    return build_tiny_model(tmp_path_factory.mktemp("tiny") / "model", texts=texts, vocab_size=512)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """train.jsonl (24 records) and validation.jsonl (4 records)."""
    path = tmp_path_factory.mktemp("data")
    write_split(path, "train", _records(24))
    write_split(path, "validation", _records(4, seed=1))
    return path


@pytest.fixture
def make_settings(tiny_model: Path, data_dir: Path, tmp_path: Path) -> Callable[..., Settings]:
    """Settings for a short, deterministic CPU run; keyword sections override."""

    def build(**sections: dict[str, Any]) -> Settings:
        layers: dict[str, dict[str, Any]] = {
            "model": {"model_name": str(tiny_model), "bits": 16, "device": "cpu"},
            "lora": {"r": 4, "alpha": 8},
            "data": {"data_dir": str(data_dir), "max_seq_length": 96, "per_device_train_batch_size": 2},
            "train": {
                "output_dir": str(tmp_path / "run"),
                "max_steps": 2,
                "learning_rate": 1e-3,
                "warmup_ratio": 0.0,
                "gradient_accumulation_steps": 1,
                "gradient_checkpointing": False,
                "logging_steps": 1,
                "eval_steps": 100,
                "save_steps": 100,
                "report_to": ["none"],
            },
        }
        for section, values in sections.items():
            layers.setdefault(section, {}).update(values)
        return load_settings(None, layers)

    return build
