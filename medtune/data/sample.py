"""The bundled sample: a small synthetic HealthCareMagic-style dataset shipped with medtune.

It is in the lavita raw schema (``instruction``/``input``/``output``, plus a ``specialty``
column the real data lacks) and carries the real data's noise, so quickstart, the tiny
model's tokenizer and the tests exercise every hygiene step offline. SYNTHETIC, NOT
MEDICAL ADVICE: the text is composed by ``tools/synthetic.py`` in the repository
(``python tools/synthetic.py`` rebuilds the file byte for byte).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from medtune.io import read_jsonl

SAMPLE_FILE = "healthcaremagic_sample.jsonl"


def sample_path() -> Path:
    """Path of the bundled raw sample (JSONL, lavita schema)."""
    return Path(__file__).resolve().parent.parent / "resources" / "sample" / SAMPLE_FILE


def load_sample() -> list[dict[str, Any]]:
    """The bundled raw sample's rows, in file order."""
    return read_jsonl(sample_path())
