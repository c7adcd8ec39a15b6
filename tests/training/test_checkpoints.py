"""Which checkpoint ``--resume-from-checkpoint`` picks."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtune.errors import UsageError
from medtune.training.checkpoints import latest_checkpoint, resolve_resume


def make_checkpoint(root: Path, step: int) -> Path:
    path = root / f"checkpoint-{step}"
    path.mkdir(parents=True)
    (path / "trainer_state.json").write_text("{}")
    return path


def test_auto_picks_the_highest_step_not_the_last_name(tmp_path: Path) -> None:
    for step in (9, 10, 2):
        make_checkpoint(tmp_path, step)
    (tmp_path / "checkpoint-final-notes").mkdir()
    assert latest_checkpoint(tmp_path) == tmp_path / "checkpoint-10"
    path, note = resolve_resume("auto", tmp_path)
    assert path == tmp_path / "checkpoint-10" and "checkpoint-10" in note


def test_auto_skips_a_checkpoint_cut_off_mid_save(tmp_path: Path) -> None:
    make_checkpoint(tmp_path, 4)
    (tmp_path / "checkpoint-6").mkdir()  # weights written, trainer_state.json (written last) not
    assert latest_checkpoint(tmp_path) == tmp_path / "checkpoint-4"


def test_auto_without_checkpoints_starts_fresh(tmp_path: Path) -> None:
    path, note = resolve_resume("auto", tmp_path / "missing")
    assert path is None and "starting fresh" in note
    assert resolve_resume(None, tmp_path) == (None, None)


def test_explicit_path_must_be_a_checkpoint(tmp_path: Path) -> None:
    good = make_checkpoint(tmp_path, 4)
    assert resolve_resume(str(good), tmp_path)[0] == good
    with pytest.raises(UsageError, match="not a checkpoint"):
        resolve_resume(str(tmp_path), tmp_path)
