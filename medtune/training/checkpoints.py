"""Find the checkpoint a run resumes from."""

from __future__ import annotations

import re
from pathlib import Path

from medtune.errors import UsageError

_CHECKPOINT = re.compile(r"^checkpoint-(\d+)$")


def latest_checkpoint(output_dir: str | Path) -> Path | None:
    """The complete ``checkpoint-N`` folder with the highest N in ``output_dir`` (None if none).

    transformers writes ``trainer_state.json`` last, so a checkpoint cut off mid-save (a
    spot reclaim, an OOM) lacks it and is skipped rather than crashing the resume."""
    root = Path(output_dir)
    if not root.is_dir():
        return None
    found = [
        (int(match.group(1)), path)
        for path in root.iterdir()
        if (match := _CHECKPOINT.match(path.name)) and (path / "trainer_state.json").is_file()
    ]
    return max(found)[1] if found else None


def resolve_resume(value: str | None, output_dir: str | Path) -> tuple[Path | None, str | None]:
    """Turn ``train.resume_from_checkpoint`` into a folder (or None) and a note for the user.

    ``"auto"`` picks the newest checkpoint in ``output_dir`` and starts fresh when there is
    none; any other value must be an existing checkpoint folder."""
    if value is None:
        return None, None
    if value == "auto":
        found = latest_checkpoint(output_dir)
        if found is None:
            return None, f"no checkpoint in {output_dir}: starting fresh"
        return found, f"resuming from {found}"
    path = Path(value)
    if not (path / "trainer_state.json").is_file():
        raise UsageError(f"--resume-from-checkpoint {value}: not a checkpoint folder (no trainer_state.json)")
    return path, f"resuming from {path}"
