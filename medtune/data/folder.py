"""A processed data folder, ``{train,validation,test}.jsonl`` and ``data_card.json``, as
``data prepare`` (SFT and preference data) and ``data pairs`` write it, and the steps every
kind of processed data shares: the ``max_samples`` sample, a record's common fields, the
card's header and the all-or-nothing write."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune import __version__
from medtune.config import redact
from medtune.data.ids import digest
from medtune.data.split import SPLITS
from medtune.data.template import DEFAULT_INSTRUCTION
from medtune.io import atomic_dir, sha256_file
from medtune.progress import ProgressFn, no_progress

if TYPE_CHECKING:
    from medtune.config import DataSettings
    from medtune.data.sources import RawData

FILES = ("train.jsonl", "validation.jsonl", "test.jsonl")
OUTPUT_MARKER = ("data_card.json",)  # an existing output folder holding this is replaced


def keep_sample(rows: list[dict[str, Any]], cfg: DataSettings, counts: Counter) -> list[dict[str, Any]]:
    """At most ``max_samples`` rows, chosen by a seeded hash of the question and kept in
    input order; how many were left out is counted as ``dropped_max_samples``."""
    if cfg.max_samples is None or len(rows) <= cfg.max_samples:
        return rows
    keep = sorted(rows, key=lambda r: digest(cfg.split_seed, r["input"]))[: cfg.max_samples]
    counts["dropped_max_samples"] = len(rows) - cfg.max_samples
    return sorted(keep, key=lambda r: r["row"])


def row_sources(raw: RawData) -> list[str]:
    """Where each input row comes from: its hub dataset or its file's name."""
    names = [(entry.get("dataset") or Path(entry["path"]).name, entry["rows"]) for entry in raw.inputs]
    return [name for name, n in names for _ in range(n)]


def record(
    rid: str, row: dict[str, Any], raw: RawData, sources: list[str], answers: dict[str, Any]
) -> dict[str, Any]:
    """A processed record: ``id``, ``instruction`` (the source's, else the default),
    ``input``, the ``answers`` fields, ``source``, ``flags``, and ``specialty`` where the
    source has one. ``row["row"]`` is the input row it was read from."""
    i = row["row"]
    instructions, specialties = raw.extras.get("instruction"), raw.extras.get("specialty")
    out = {
        "id": rid,
        "instruction": (instructions and instructions[i]) or DEFAULT_INSTRUCTION,
        "input": row["input"],
        **answers,
        "source": sources[i],
        "flags": row["flags"],
    }
    if specialties is not None:
        out["specialty"] = specialties[i]
    return out


def card_header(inputs: list[dict[str, Any]], cfg: DataSettings | None = None) -> dict[str, Any]:
    """What every data card starts with: medtune's version, the inputs, the settings used."""
    settings = {"settings": cfg.model_dump(mode="json")} if cfg is not None else {}
    return {"medtune_version": __version__, "inputs": inputs, **settings}


def write_folder(
    out: Path,
    records: list[dict[str, Any]],
    splits: dict[str, list[int]],
    card: dict[str, Any],
    progress: ProgressFn = no_progress,
) -> dict[str, Any]:
    """Write ``records`` by split (indices in ``splits``) and ``card`` (with each file's
    sha256 added as ``outputs``) into a temporary folder that replaces ``out`` only when
    everything is written; return the card."""
    card = {**card, "outputs": {}}
    with atomic_dir(out, replaces=OUTPUT_MARKER) as tmp:
        for step, (name, file) in enumerate(zip(SPLITS, FILES, strict=True)):
            progress("write", step, len(FILES))
            with (tmp / file).open("w", encoding="utf-8") as fh:
                fh.writelines(json.dumps(records[i], ensure_ascii=False) + "\n" for i in splits[name])
            card["outputs"][file] = sha256_file(tmp / file)
        (tmp / "data_card.json").write_text(
            redact(json.dumps(card, indent=2, sort_keys=True, ensure_ascii=False)) + "\n", encoding="utf-8"
        )
        progress("write", len(FILES), len(FILES))
    return card
