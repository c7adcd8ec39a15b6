"""`medtune data prepare|stats|show` through Typer's runner and one real subprocess."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtune.cli.app import app
from medtune.cli.console import OS_ERROR_EXIT
from medtune.data.sample import sample_path

runner = CliRunner()


def _run(*args: str):
    return runner.invoke(app, ["data", *map(str, args)])


@pytest.fixture(scope="module")
def processed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("cli") / "processed"
    result = _run("prepare", "--input", sample_path(), "--output-dir", out, "--seed", "5", "--drop-truncated")
    assert result.exit_code == 0, result.output
    assert "dropped truncated" in result.output and "validation" in result.output
    return out


def test_prepare_flags_reach_the_settings(processed: Path) -> None:
    card = json.loads((processed / "data_card.json").read_text())
    assert card["settings"]["split_seed"] == 5 and card["settings"]["drop_truncated"] is True


def test_seed_form_input_dir_and_no_structure(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "part.jsonl").write_bytes(sample_path().read_bytes())
    result = _run(
        "prepare",
        "--input-dir",
        raw,
        "--output-dir",
        tmp_path / "out",
        "--no-structure",
        "--max-samples",
        "40",
    )
    assert result.exit_code == 0, result.output
    card = json.loads((tmp_path / "out" / "data_card.json").read_text())
    assert card["counts"]["kept"] == 40 and "structured" not in card["filters"]


def test_stats_and_show(processed: Path) -> None:
    stats = _run("stats", processed)
    assert stats.exit_code == 0, stats.output
    assert "p50/p90/p99" in stats.output and "words" in stats.output
    show = _run("show", processed, "--split", "validation", "-n", "2")
    assert show.exit_code == 0, show.output
    assert show.output.count("Patient:") == 2 and "Diagnosis:" in show.output


def test_stats_on_a_missing_folder_says_run_prepare(tmp_path: Path) -> None:
    result = _run("stats", tmp_path / "nowhere")
    assert result.exit_code == 1 and "run 'medtune data prepare' first" in result.output


def _bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str]]:
    good = tmp / "good.jsonl"
    good.write_text(json.dumps({"input": "what is this pain in my chest?", "output": "It is x."}) + "\n")
    broken = tmp / "broken.jsonl"
    broken.write_text(good.read_text() + "{not json\n")
    odd = tmp / "odd.csv"
    odd.write_text("question,reply\nq,a\n")
    taken = tmp / "taken"
    taken.write_text("a file")
    return {
        "missing file": (["--input", str(tmp / "nope.jsonl")], "no such file"),
        "malformed line": (["--input", str(broken)], "broken.jsonl:2: malformed JSON"),
        "missing fields": (
            ["--input", str(odd)],
            "no question column 'input', no answer column 'output' (columns found: question, reply)",
        ),
        "empty after filtering": (["--input", str(good)], "no rows left after filtering"),
        "output is a file": (["--input", str(sample_path()), "--output-dir", str(taken)], "is not a folder"),
    }


@pytest.mark.parametrize(
    "case", ["missing file", "malformed line", "missing fields", "empty after filtering", "output is a file"]
)
def test_bad_input_is_one_line_nonzero_and_writes_nothing(tmp_path: Path, case: str) -> None:
    args, message = _bad_inputs(tmp_path)[case]
    if "--output-dir" not in args:
        args += ["--output-dir", str(tmp_path / "out")]
    before = sorted(p.name for p in tmp_path.iterdir())
    result = _run("prepare", *args)
    assert result.exit_code != 0
    assert message in " ".join(result.output.split())
    assert result.output.strip().startswith("error:") and "Traceback" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_real_subprocess_end_to_end(tmp_path: Path) -> None:
    medtune = Path(sys.executable).with_name("medtune")
    out = tmp_path / "processed"
    done = subprocess.run(
        [str(medtune), "data", "prepare", "-i", str(sample_path()), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert {p.name for p in out.iterdir()} == {
        "train.jsonl",
        "validation.jsonl",
        "test.jsonl",
        "data_card.json",
    }
    bad = subprocess.run(
        [str(medtune), "data", "prepare", "-i", str(tmp_path / "nope"), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert bad.returncode == 1 and bad.stderr.count("\n") == 1 and "no such file" in bad.stderr


def test_seed_form_download_saves_the_raw_copy(tmp_path: Path) -> None:
    hub = tmp_path / "healthcaremagic"  # a local dataset folder stands in for the hub
    hub.mkdir()
    (hub / "train.jsonl").write_bytes(sample_path().read_bytes())
    raw, out = tmp_path / "data" / "raw", tmp_path / "data" / "processed"
    result = _run("prepare", "--dataset", hub, "--download", "--input-dir", raw, "--output-dir", out)
    assert result.exit_code == 0, result.output
    assert (raw / "healthcaremagic.parquet").is_file() and (out / "train.jsonl").is_file()
    card = json.loads((out / "data_card.json").read_text())
    assert card["inputs"][0]["dataset"] == str(hub) and card["counts"]["input"] == 360


def test_a_full_disk_is_one_line_and_keeps_the_previous_output(tmp_path: Path, full_disk: Callable) -> None:
    out = tmp_path / "out"
    assert _run("prepare", "--input", sample_path(), "--output-dir", out).exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    full_disk(tmp_path, free=100_000)  # room for part of train.jsonl
    result = _run("prepare", "--input", sample_path(), "--output-dir", out, "--seed", "9")
    assert result.exit_code == OS_ERROR_EXIT
    assert result.output == f"error: {out}: no space left on device\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no temporary folder left
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


MOUNT_AND_PREPARE = """
mount -t tmpfs -o size=128k tmpfs "$1" || exit 99
medtune data prepare --input "$2" --output-dir "$1/processed" 2> "$3/stderr"
code=$?
ls -A "$1" > "$3/left"
exit $code
"""


def test_a_real_full_filesystem_is_one_line(tmp_path: Path) -> None:
    """A 128 KiB tmpfs in a private mount namespace (skipped where one cannot be made)."""
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    disk = tmp_path / "disk"
    disk.mkdir()
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", MOUNT_AND_PREPARE, "sh", str(disk), str(sample_path()), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode == 99 or not (tmp_path / "left").is_file():
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    assert done.returncode == OS_ERROR_EXIT
    assert (tmp_path / "stderr").read_text() == f"error: {disk}/processed: no space left on device\n"
    assert (tmp_path / "left").read_text() == ""
