"""Find the checkpoint a run resumes from, and check that its files load.

A checkpoint can be cut off or damaged after the Trainer wrote it: a crash mid-save (the
Trainer writes ``trainer_state.json`` last), a copy or a sync interrupted (a spot
instance's checkpoints restored from S3), a full disk. Resuming from it either crashes
(a truncated ``safetensors`` header) or, worse, silently differs from the uninterrupted
run (a missing ``optimizer.pt`` is skipped with a warning). So every file the Trainer reads
is checked first: present, and whole as far as its format tells without loading it.
"""

from __future__ import annotations

import json
import re
import shutil
import struct
import zipfile
from pathlib import Path

from medtune.errors import ModelError, UsageError

_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")
TRAINER_STATE = "trainer_state.json"
#: Weight files one of which a checkpoint holds (adapter, full model, sharded or not).
WEIGHTS = (
    "adapter_model.safetensors",
    "model.safetensors",
    "model.safetensors.index.json",
    "adapter_model.bin",
    "pytorch_model.bin",
    "pytorch_model.bin.index.json",
)
#: Files torch.save writes (zip archives since torch 1.6): optimizer, scheduler, RNG, args.
TORCH_SUFFIXES = (".pt", ".pth", ".bin")


def checkpoints(output_dir: str | Path) -> list[Path]:
    """The ``checkpoint-N`` folders in ``output_dir``, highest N first."""
    root = Path(output_dir)
    if not root.is_dir():
        return []
    found = [(int(m.group(1)), path) for path in root.iterdir() if (m := _CHECKPOINT.match(path.name))]
    return [path for _, path in sorted(found, reverse=True)]


def checkpoint_problem(path: Path) -> str | None:
    """Why the checkpoint in ``path`` cannot be resumed from (None if it can): a missing file
    the Trainer reads (state, weights, optimizer, scheduler, RNG state), or a damaged one
    (JSON that does not parse, a safetensors file whose header or size is wrong, a torch
    file that is not a whole zip archive). Reads headers only, never the tensors."""
    if not path.is_dir():
        return "not a folder"
    if not (path / TRAINER_STATE).is_file():
        return f"no {TRAINER_STATE} (cut off mid-save)"
    names = {p.name for p in path.iterdir()}
    deepspeed = any(name.startswith("global_step") for name in names)  # DeepSpeed keeps its own states
    required = [] if deepspeed else ["optimizer.pt", "scheduler.pt"]
    missing = [name for name in required if name not in names]
    if not deepspeed and not names & set(WEIGHTS):
        missing.append("model weights")
    if not any(name.startswith("rng_state") for name in names):
        missing.append("rng_state.pth")
    if missing:
        return f"missing {', '.join(missing)}"
    for file in sorted(p for p in path.rglob("*") if p.is_file()):
        if problem := _file_problem(file):
            return f"{file.relative_to(path)}: {problem}"
    state = json.loads((path / TRAINER_STATE).read_text(encoding="utf-8"))
    if not isinstance(state, dict) or not isinstance(state.get("global_step"), int):
        return f"{TRAINER_STATE}: no global_step"
    return None


def discard_broken(path: Path) -> str | None:
    """Delete the checkpoint folder ``path`` if its files do not load (a save that failed
    or was interrupted); return why, or None when it is whole or absent."""
    if not path.is_dir() or (problem := checkpoint_problem(path)) is None:
        return None
    shutil.rmtree(path, ignore_errors=True)
    return problem


def _file_problem(file: Path) -> str | None:
    """What is wrong with one file of a checkpoint, judged by its format (None if nothing)."""
    if file.name.endswith(".json"):
        try:
            index = json.loads(file.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            return "not valid JSON (cut off?)"
        shards = set(index.get("weight_map", {}).values()) if isinstance(index, dict) else set()
        absent = sorted(s for s in shards if not (file.parent / s).is_file())
        return f"missing shard {absent[0]}" if absent else None
    if file.suffix == ".safetensors":
        return _safetensors_problem(file)
    if file.suffix in TORCH_SUFFIXES:
        try:
            zipfile.ZipFile(file).close()  # reads the central directory at the end of the file
        except (zipfile.BadZipFile, OSError):
            return "not a whole torch archive (cut off?)"
    return None


def _safetensors_problem(file: Path) -> str | None:
    """A safetensors file is an 8-byte header length, a JSON header, then the tensors: the
    last tensor must end where the file does."""
    size = file.stat().st_size
    with file.open("rb") as fh:
        head = fh.read(8)
        length = struct.unpack("<Q", head)[0] if len(head) == 8 else -1
        if not 0 < length <= size - 8:
            return f"truncated ({size} bytes, no whole header)"
        try:
            header = json.loads(fh.read(length))
            ends = [t["data_offsets"][1] for k, t in header.items() if k != "__metadata__"]
        except (ValueError, UnicodeDecodeError, AttributeError, KeyError, TypeError, IndexError):
            return "damaged header"
    expected = 8 + length + max(ends, default=0)
    if size < expected:
        return f"truncated ({size} of {expected} bytes)"
    return f"{size - expected} bytes too long" if size > expected else None


def resolve_resume(value: str | None, output_dir: str | Path) -> tuple[Path | None, list[str]]:
    """Turn ``train.resume_from_checkpoint`` into a folder (or None) and notes for the user.

    ``"auto"`` picks the newest checkpoint in ``output_dir`` whose files load, noting each
    newer one it skips and why, and starts fresh when there is none. Any other value must be
    a checkpoint folder (UsageError) whose files load (ModelError, naming the file)."""
    if value is None:
        return None, []
    if value == "auto":
        notes: list[str] = []
        for path in checkpoints(output_dir):
            problem = checkpoint_problem(path)
            if problem is None:
                return path, [*notes, f"resuming from {path}"]
            notes.append(f"skipping {path.name}: {problem}")
        return None, [*notes, f"no complete checkpoint in {output_dir}: starting fresh"]
    path = Path(value)
    if not (path / TRAINER_STATE).is_file():
        raise UsageError(f"--resume-from-checkpoint {value}: not a checkpoint folder (no {TRAINER_STATE})")
    if problem := checkpoint_problem(path):
        raise ModelError(f"--resume-from-checkpoint {value}: {problem}; pass another checkpoint, or 'auto'")
    return path, [f"resuming from {path}"]
