"""Atomic writes leave either the old file or the whole new one; JSONL errors name the line."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from medtune.errors import DataError, UsageError
from medtune.io import (
    append_jsonl,
    atomic_dir,
    mend_jsonl_tail,
    read_json_rows,
    read_jsonl,
    write_jsonl,
    write_text,
    writes_to,
)


def test_failed_write_leaves_previous_file_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    write_text(target, "old\n")

    def records():
        yield {"a": 1}
        raise RuntimeError("crash mid-write")

    with pytest.raises(RuntimeError):
        write_jsonl(target, records())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_atomic_dir_swaps_whole_folder(tmp_path: Path) -> None:
    target = tmp_path / "processed"
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "train.jsonl").write_text("x")
        raise RuntimeError
    assert not target.exists()
    with atomic_dir(target) as tmp:
        (tmp / "train.jsonl").write_text("y")
    assert (target / "train.jsonl").read_text() == "y"
    assert [p.name for p in tmp_path.iterdir()] == ["processed"]


def test_a_replaced_folder_is_never_left_half_deleted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "processed"
    with atomic_dir(target) as tmp:
        for name in ("train.jsonl", "validation.jsonl", "test.jsonl"):
            (tmp / name).write_text("old")
    real_rmtree, calls = shutil.rmtree, []

    def killed_midway(path: str | Path, *args: Any, **kwargs: Any) -> None:
        """The first folder deleted loses one file, then the process is killed."""
        calls.append(path)
        if len(calls) > 1:
            return real_rmtree(path, *args, **kwargs)
        next(Path(path).iterdir()).unlink()
        raise KeyboardInterrupt

    monkeypatch.setattr(shutil, "rmtree", killed_midway)
    with pytest.raises(KeyboardInterrupt), atomic_dir(target, replaces=("train.jsonl",)) as tmp:
        for name in ("train.jsonl", "validation.jsonl", "test.jsonl"):
            (tmp / name).write_text("new")
    monkeypatch.setattr(shutil, "rmtree", real_rmtree)
    # the old folder went aside before anything was deleted: the output is whole (and new)
    assert {p.name: p.read_text() for p in target.iterdir()} == dict.fromkeys(
        ("train.jsonl", "validation.jsonl", "test.jsonl"), "new"
    )


KILLED_MID_WRITE = """
import os, signal, sys
from medtune.io import atomic_dir, atomic_path
with atomic_dir(sys.argv[1]) as tmp, atomic_path(sys.argv[2]) as part:
    (tmp / "train.jsonl").write_text("half")
    part.write_text("half")
    os.kill(os.getpid(), signal.SIGKILL)
"""


def test_the_next_write_clears_what_a_killed_writer_left(tmp_path: Path) -> None:
    folder, file = tmp_path / "processed", tmp_path / "metrics.json"
    killed = subprocess.run([sys.executable, "-c", KILLED_MID_WRITE, str(folder), str(file)])
    assert killed.returncode == -9
    assert (
        len(list(tmp_path.glob(".processed.*.tmp"))) == len(list(tmp_path.glob(".metrics.json.*.tmp"))) == 1
    )
    live = tmp_path / f".processed.{os.getpid()}.x.tmp"  # a writer still running: kept
    live.mkdir()
    with atomic_dir(folder) as tmp:
        (tmp / "train.jsonl").write_text("whole")
    write_text(file, "{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == [live.name, "metrics.json", "processed"]


def test_jsonl_errors_name_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2\n')
    with pytest.raises(DataError, match=rf"^{path}:3: malformed JSON"):
        read_jsonl(path)
    path.write_text('{"a": 1}\n[1, 2]\n')
    with pytest.raises(DataError, match=rf"^{path}:2: expected a JSON object, got list"):
        read_jsonl(path)
    with pytest.raises(DataError, match="no such file"):
        read_jsonl(tmp_path / "missing.jsonl")


def test_atomic_outputs_get_normal_permissions(tmp_path: Path) -> None:
    mask = os.umask(0o022)
    try:
        path = write_text(tmp_path / "a.txt", "x")
        with atomic_dir(tmp_path / "d") as tmp:
            (tmp / "f").write_text("y")
    finally:
        os.umask(mask)
    assert path.stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "d").stat().st_mode & 0o777 == 0o755


def test_atomic_dir_never_wipes_a_folder_that_is_not_its_own(tmp_path: Path) -> None:
    users = tmp_path / "data"
    (users / "raw").mkdir(parents=True)
    (users / "raw" / "input.jsonl").write_text("{}\n")
    with pytest.raises(UsageError, match="holds other files"):
        atomic_dir(users, replaces=("data_card.json",)).__enter__()
    assert (users / "raw" / "input.jsonl").is_file()
    (users / "data_card.json").write_text("{}")  # an earlier output of the same kind: replaced
    with atomic_dir(users, replaces=("data_card.json",)) as tmp:
        (tmp / "data_card.json").write_text("new")
    assert [p.name for p in users.iterdir()] == ["data_card.json"]
    with pytest.raises(UsageError, match="not a folder"), atomic_dir(users / "data_card.json"):
        pass


@pytest.mark.parametrize(
    "text",
    [
        '[{"input": "q1", "output": "a1"}, {"input": "q2", "output": "a2"}]',
        '{"data": [{"input": "q1", "output": "a1"}, {"input": "q2", "output": "a2"}]}',
        '{"input": ["q1", "q2"], "output": ["a1", "a2"]}',
        '{"input": "q1", "output": "a1"}\n{"input": "q2", "output": "a2"}\n',
    ],
    ids=["array", "wrapped", "columns", "json-lines"],
)
def test_json_rows_in_every_shape_people_save(tmp_path: Path, text: str) -> None:
    path = tmp_path / "rows.json"
    path.write_text(text, encoding="utf-8")
    assert read_json_rows(path) == [{"input": "q1", "output": "a1"}, {"input": "q2", "output": "a2"}]


def test_one_line_json_is_one_record_and_bad_json_names_the_line(tmp_path: Path) -> None:
    one = tmp_path / "one.json"
    one.write_text('{"input": "q", "output": "a"}', encoding="utf-8")
    assert read_json_rows(one) == [{"input": "q", "output": "a"}]
    bad = tmp_path / "bad.json"
    bad.write_text('[\n{"input": "q",\n}]', encoding="utf-8")
    with pytest.raises(DataError, match=r"bad\.json:3: malformed JSON"):
        read_json_rows(bad)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"input": ["q1", "q2"], "output": ["a1"]}', "columns of different lengths"),
        ('{"version": "1.1", "data": [{"input": "q"}]}', "expected a JSON list of objects"),
        ("[1, 2]", "expected a JSON list of objects"),
    ],
)
def test_json_shapes_it_cannot_read_are_one_line_errors(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "odd.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=message):
        read_json_rows(path)


def test_a_full_disk_names_the_output_and_leaves_no_temp(tmp_path: Path, full_disk: Callable) -> None:
    target = tmp_path / "out.jsonl"
    write_text(target, "old\n")
    full_disk(tmp_path, free=10)
    with pytest.raises(OSError, match="No space left on device") as caught:
        write_jsonl(target, [{"text": "x" * 100}])
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(target)
    with pytest.raises(OSError) as caught, atomic_dir(tmp_path / "processed") as tmp:
        (tmp / "train.jsonl").write_text("y" * 100)
    assert caught.value.filename == str(tmp_path / "processed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"] and target.read_text() == "old\n"


def test_writers_that_wrap_the_os_error_are_unwrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # safetensors (Rust) keeps the OS error's number in its message
    with pytest.raises(OSError) as caught, writes_to(tmp_path / "final"):
        raise RuntimeError("Error while serializing: I/O error: Read-only file system (os error 30)")
    assert caught.value.errno == errno.EROFS and caught.value.filename == str(tmp_path / "final")
    # an error that is not about the disk passes through unchanged
    with pytest.raises(ValueError, match="a bug"), writes_to(tmp_path):
        raise ValueError("a bug")

    # torch's writer says only "unexpected pos": a probe write finds the disk full
    def full(*args: object, **kwargs: object) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(tempfile, "TemporaryFile", full)
    with pytest.raises(OSError) as caught, writes_to(tmp_path / "run"):
        raise RuntimeError("[enforce fail at inline_container.cc:672] . unexpected pos 576 vs 534")
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(tmp_path / "run")
    assert isinstance(caught.value.__cause__, RuntimeError)


def test_a_failed_append_is_cut_back_off(tmp_path: Path, full_disk: Callable) -> None:
    stream = tmp_path / "predictions.jsonl"
    append_jsonl(stream, [{"id": 1}])
    disk = full_disk(tmp_path, free=20)
    with pytest.raises(OSError) as caught:
        append_jsonl(stream, [{"id": 2}, {"id": 3, "text": "x" * 50}])
    assert caught.value.filename == str(stream)
    assert stream.read_text() == '{"id": 1}\n'  # not even the whole first line of the failed batch
    disk.free = 10**6
    append_jsonl(stream, [{"id": 2}])
    assert read_jsonl(stream) == [{"id": 1}, {"id": 2}]


@pytest.mark.parametrize(
    ("tail", "kept"),
    [('{"id": 2, "te', [1]), ('{"id": 2}', [1, 2]), ("", [1])],
    ids=["torn line", "whole line without newline", "clean"],
)
def test_mend_jsonl_tail(tmp_path: Path, tail: str, kept: list[int]) -> None:
    stream = tmp_path / "s.jsonl"
    stream.write_text('{"id": 1}\n' + tail)
    mend_jsonl_tail(stream)
    assert [r["id"] for r in read_jsonl(stream)] == kept and stream.read_text().endswith("\n")


def test_every_manifest_is_redacted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.runs import write_manifest

    monkeypatch.setenv("HF_TOKEN", "plain-secret-value-123")
    written = write_manifest(
        tmp_path,
        settings={
            "base_model": "https://u:hf_" + "y" * 30 + "@hub.example/m",
            "note": "plain-secret-value-123",
        },
    )
    text = written.read_text()
    assert (
        "hf_yyy" not in text
        and "plain-secret-value-123" not in text
        and "https://u:***@hub.example/m" in text
    )
