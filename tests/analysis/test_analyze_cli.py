"""``medtune analyze`` through the CLI: the seed's form, the default input, bad inputs."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from crafted_predictions import write_predictions
from typer.testing import CliRunner

from medtune.cli.app import app

runner = CliRunner()
MEDTUNE = Path(sys.executable).with_name("medtune")


def one_line_error(result) -> str:
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    return lines[0]


def test_seed_form_prints_summary_and_writes_report(tmp_path: Path) -> None:
    source = write_predictions(tmp_path / "predictions.jsonl", repeat=1)
    out = tmp_path / "error_analysis"
    result = runner.invoke(app, ["analyze", "--predictions-file", str(source), "--output-dir", str(out)])
    assert result.exit_code == 0, result.stderr
    for text in ("Error types", "Weakest specialties", "worst: case-", "report.html", "fixed"):
        assert text in result.stdout
    assert result.stdout.count("worst: ") == 3
    assert (out / "report.html").is_file()  # --output-dir is the run folder itself, as for eval
    again = runner.invoke(app, ["analyze", "--predictions-file", str(source), "--output-dir", str(out)])
    assert again.exit_code == 0, again.stderr  # an earlier analysis there is replaced
    assert sorted(p.name for p in out.iterdir() if not p.name.endswith(".png")) == [
        "categories.jsonl",
        "manifest.json",
        "report.html",
        "report.md",
    ]


def test_defaults_to_latest_evaluation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["analyze"])
    assert "outputs/evaluation/latest/predictions.jsonl" in one_line_error(result)
    assert "medtune eval" in result.stderr
    # [eval] output_dir decides where "latest" is; the output folder comes from [analyze]
    run = tmp_path / "evals" / "20260101-000000"
    run.mkdir(parents=True)
    write_predictions(run / "predictions.jsonl", repeat=1)
    (tmp_path / "evals" / "latest").symlink_to(run.name)
    (tmp_path / "medtune.toml").write_text('[eval]\noutput_dir = "evals"\n[analyze]\noutput_dir = "ana"\n')
    result = runner.invoke(app, ["analyze"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "ana" / "latest" / "categories.jsonl").is_file()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "no such file"),
        ("", "no predictions"),
        (
            '{"id": "a", "question": "q", "reference": "r", "prediction": "p"}\n{"id": "b", oops}\n',
            ":2: malformed JSON",
        ),
        ('{"id": "a", "question": "q", "prediction": "p"}\n', ":1: 'reference' is missing"),
        (
            '\n{"id": "a", "question": "q", "reference": "  ", "prediction": "p"}\n',
            ":2: 'reference' is empty",
        ),
        ('{"id": "a", "question": "q", "reference": "r"}\n', ":1: 'prediction' is missing"),
        ('{"question": "q", "reference": "r", "prediction": 3}\n', ":1: 'prediction' is of type int"),
        ("[1, 2]\n", ":1: expected a JSON object"),
    ],
)
def test_bad_input_is_one_line_naming_the_place(tmp_path: Path, content: str | None, expected: str) -> None:
    path = tmp_path / "predictions.jsonl"
    if content is not None:
        path.write_text(content)
    result = runner.invoke(app, ["analyze", "-p", str(path), "-o", str(tmp_path / "out")])
    line = one_line_error(result)
    assert str(path) in line and expected in line
    assert not (tmp_path / "out").exists()


def test_real_process_reports_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "predictions.jsonl"
    path.write_text(json.dumps({"id": "x", "question": "q", "prediction": "p"}) + "\n")
    proc = subprocess.run(
        [str(MEDTUNE), "analyze", "--predictions-file", str(path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 1
    assert (
        proc.stderr.strip()
        == f"error: {path}:1: 'reference' is missing; each line needs a string 'reference'"
    )
