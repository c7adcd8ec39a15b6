"""Which checkpoint ``--resume-from-checkpoint`` picks, and which ones it refuses."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from medtune.errors import ModelError, UsageError
from medtune.training.checkpoints import checkpoint_problem, discard_broken, resolve_resume

torch = pytest.importorskip("torch")


def make_checkpoint(root: Path, step: int) -> Path:
    """The files the Trainer writes for a LoRA run, small."""
    from safetensors.torch import save_file

    path = root / f"checkpoint-{step}"
    path.mkdir(parents=True)
    save_file({"lora_A": torch.ones(4, 8), "lora_B": torch.zeros(8, 4)}, path / "adapter_model.safetensors")
    (path / "adapter_config.json").write_text('{"r": 4}')
    for name in ("optimizer.pt", "scheduler.pt", "rng_state.pth", "training_args.bin"):
        torch.save({"state": torch.arange(16)}, path / name)
    (path / "trainer_state.json").write_text(json.dumps({"global_step": step, "log_history": []}))
    return path


def cut(file: Path, keep: int) -> None:
    """Truncate ``file`` to ``keep`` bytes (negative: drop that many), as a crashed copy leaves it."""
    os.truncate(file, keep if keep >= 0 else file.stat().st_size + keep)


def test_auto_picks_the_highest_step_not_the_last_name(tmp_path: Path) -> None:
    for step in (9, 10, 2):
        make_checkpoint(tmp_path, step)
    (tmp_path / "checkpoint-final-notes").mkdir()
    path, notes = resolve_resume("auto", tmp_path)
    assert path == tmp_path / "checkpoint-10" and notes == [f"resuming from {path}"]


@pytest.mark.parametrize(
    ("damage", "problem"),
    [
        (lambda c: (c / "trainer_state.json").unlink(), "no trainer_state.json (cut off mid-save)"),
        (lambda c: cut(c / "adapter_model.safetensors", -10), "adapter_model.safetensors: truncated"),
        (
            lambda c: cut(c / "adapter_model.safetensors", 20),
            "adapter_model.safetensors: truncated (20 bytes",
        ),
        (lambda c: cut(c / "optimizer.pt", -100), "optimizer.pt: not a whole torch archive"),
        (lambda c: (c / "optimizer.pt").unlink(), "missing optimizer.pt"),
        (lambda c: (c / "rng_state.pth").unlink(), "missing rng_state.pth"),
        (lambda c: cut(c / "trainer_state.json", 10), "trainer_state.json: not valid JSON"),
    ],
    ids=["mid-save", "cut weights", "cut header", "cut optimizer", "no optimizer", "no rng", "cut state"],
)
def test_auto_falls_back_past_a_broken_newest_checkpoint_with_a_note(
    tmp_path: Path, damage: object, problem: str
) -> None:
    make_checkpoint(tmp_path, 4)
    newest = make_checkpoint(tmp_path, 6)
    assert checkpoint_problem(newest) is None
    damage(newest)  # type: ignore[operator]
    path, notes = resolve_resume("auto", tmp_path)
    assert path == tmp_path / "checkpoint-4"
    assert notes[0].startswith(f"skipping checkpoint-6: {problem}") and len(notes) == 2


def test_auto_without_a_complete_checkpoint_starts_fresh(tmp_path: Path) -> None:
    path, notes = resolve_resume("auto", tmp_path / "missing")
    assert path is None and notes == [f"no complete checkpoint in {tmp_path / 'missing'}: starting fresh"]
    cut(make_checkpoint(tmp_path, 2) / "scheduler.pt", 5)
    path, notes = resolve_resume("auto", tmp_path)
    assert path is None and "skipping checkpoint-2: scheduler.pt" in notes[0]
    assert resolve_resume(None, tmp_path) == (None, [])


def test_explicit_path_must_be_a_whole_checkpoint(tmp_path: Path) -> None:
    good = make_checkpoint(tmp_path, 4)
    assert resolve_resume(str(good), tmp_path)[0] == good
    with pytest.raises(UsageError, match="not a checkpoint"):
        resolve_resume(str(tmp_path), tmp_path)
    cut(good / "adapter_model.safetensors", -1)
    with pytest.raises(ModelError) as caught:
        resolve_resume(str(good), tmp_path)
    message = str(caught.value)
    assert message.startswith(f"--resume-from-checkpoint {good}: adapter_model.safetensors: truncated")
    assert "\n" not in message


def test_a_sharded_checkpoint_needs_every_shard(tmp_path: Path) -> None:
    path = make_checkpoint(tmp_path, 3)
    (path / "adapter_model.safetensors").rename(path / "model-00001-of-00002.safetensors")
    index = {"weight_map": {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}}
    (path / "model.safetensors.index.json").write_text(json.dumps(index))
    problem = checkpoint_problem(path)
    assert problem == "model.safetensors.index.json: missing shard model-00002-of-00002.safetensors"


def test_discard_broken_removes_only_a_broken_checkpoint(tmp_path: Path) -> None:
    whole, broken = make_checkpoint(tmp_path, 2), make_checkpoint(tmp_path, 4)
    (broken / "trainer_state.json").unlink()
    assert discard_broken(whole) is None and whole.is_dir()
    assert discard_broken(broken) == "no trainer_state.json (cut off mid-save)" and not broken.exists()
    assert discard_broken(tmp_path / "checkpoint-6") is None
