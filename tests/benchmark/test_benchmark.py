"""``medtune benchmark`` on the tiny model and the fixture releases: files, the accuracy in
benchmark.json recomputed from items.jsonl, --limit, task selection, one-line errors."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from typer.testing import CliRunner

from medtune.benchmark.tasks import MULTIMEDQA
from medtune.cli.app import app
from medtune.io import read_jsonl, sha256_file


def _invoke(tmp: Path, *args: str, benchmark: str = "") -> object:
    """``medtune benchmark ARGS`` with the tiny model's settings (+ ``[benchmark]`` lines)."""
    config = tmp / "medtune.toml"
    config.write_text(
        '[model]\nbits = 16\nprecision = "fp32"\ndevice = "cpu"\n\n'
        f"[benchmark]\nbootstrap_samples = 200\n{benchmark}"
    )
    return CliRunner().invoke(app, ["benchmark", *args, "--config", str(config)])


@pytest.fixture(scope="module")
def multimedqa_run(
    tmp_path_factory: pytest.TempPathFactory, tiny_adapter: Path, releases: Path
) -> tuple[Path, str]:
    """All nine tasks, adapter vs its base, three items each, into the default stamped folder."""
    tmp = tmp_path_factory.mktemp("run")
    parent = tmp / "outputs"
    args = ["--model-path", str(tiny_adapter), "--baseline", "--data-dir", str(releases), "--limit", "3"]
    result = _invoke(tmp, *args, benchmark=f'output_dir = "{parent}"\n')
    assert result.exit_code == 0, result.output
    return parent, result.stdout


def test_run_writes_its_files_in_a_stamped_folder_that_latest_follows(
    multimedqa_run: tuple[Path, str],
) -> None:
    parent, stdout = multimedqa_run
    run = (parent / "latest").resolve()
    assert run.parent == parent and run.name[:8].isdigit()
    assert {p.name for p in run.iterdir()} == {
        "benchmark.json",
        "items.jsonl",
        "benchmark_report.md",
        "manifest.json",
    }
    assert "delta [95% CI]" in stdout and "multimedqa" in stdout and "McNemar p" in stdout


def test_accuracy_recomputed_from_items_equals_benchmark_json(multimedqa_run: tuple[Path, str]) -> None:
    run = (multimedqa_run[0] / "latest").resolve()
    summary = json.loads((run / "benchmark.json").read_text())
    outcomes: dict[tuple[str, str], list[bool]] = defaultdict(list)
    for record in read_jsonl(run / "items.jsonl"):
        assert record["correct"] == (record["chosen"] == record["gold"])
        outcomes[record["task"], record["system"]].append(record["correct"])
    assert set(summary["tasks"]) == set(MULTIMEDQA)
    for (task, system), correct in outcomes.items():
        reported = summary["tasks"][task][system]
        assert reported["n"] == len(correct) == 3  # --limit 3 of five items
        assert reported["accuracy"] == pytest.approx(sum(correct) / len(correct))
        assert reported["low"] <= reported["accuracy"] <= reported["high"]
        assert summary["harness"][task][system]["acc"] == pytest.approx(reported["accuracy"])  # lm-eval's own
    pooled = [ok for (_, system), correct in outcomes.items() if system == "fine-tuned" for ok in correct]
    assert summary["aggregate"]["name"] == "multimedqa" and summary["aggregate"]["fine-tuned"]["n"] == 27
    assert summary["aggregate"]["fine-tuned"]["accuracy"] == pytest.approx(sum(pooled) / 27)
    comparison = summary["comparisons"]["pubmedqa"]
    assert comparison["won"] + comparison["lost"] + comparison["tied"] == 3 and "mcnemar_p" in comparison


def test_report_names_settings_data_hashes_and_lm_eval_version(
    multimedqa_run: tuple[Path, str], releases: Path
) -> None:
    from importlib import metadata

    run = (multimedqa_run[0] / "latest").resolve()
    report = (run / "benchmark_report.md").read_text()
    assert f"lm-evaluation-harness {metadata.version('lm-eval')}" in report
    assert "items per task: 3" in report and "16-bit" in report
    assert sha256_file(releases / "pubmedqa" / "ori_pqal.json")[:16] in report
    assert sha256_file(releases / "mmlu" / "anatomy_test.csv")[:16] in report
    assert "Do-no-harm gate" in report


def test_task_selection_and_exact_output_dir(tmp_path: Path, tiny_adapter: Path, releases: Path) -> None:
    out = tmp_path / "exact"
    args = [
        "--model-path",
        str(tiny_adapter),
        "--tasks",
        "mmlu_anatomy,pubmedqa",
        "--data-dir",
        str(releases),
    ]
    result = _invoke(tmp_path, *args, "--output-dir", str(out))
    assert result.exit_code == 0, result.output
    summary = json.loads((out / "benchmark.json").read_text())
    assert list(summary["settings"]["tasks"]) == ["pubmedqa", "mmlu_anatomy"]
    assert {task: s["fine-tuned"]["n"] for task, s in summary["tasks"].items()} == {
        "pubmedqa": 5,
        "mmlu_anatomy": 5,
    }
    assert summary["comparisons"] == {} and summary["base_model"] is None  # no --baseline
    assert {r["task"] for r in read_jsonl(out / "items.jsonl")} == {"pubmedqa", "mmlu_anatomy"}
    assert not (tmp_path / "latest").exists()


def test_missing_data_is_one_line_and_writes_nothing(tmp_path: Path, tiny_adapter: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = _invoke(tmp_path, "--model-path", str(tiny_adapter), "--tasks", "medmcqa", "--data-dir", "none")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "medmcqa: no data: expected none/medmcqa/dev.json" in lines[0]
    assert "github.com/medmcqa/medmcqa" in lines[0]
    assert not (tmp_path / "outputs").exists()


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--fail-on-regression"], 2, "--fail-on-regression needs --baseline"),
        (["--tasks", "mmlu_law"], 2, "unknown task 'mmlu_law'"),
        (["--limit", "0"], 2, "benchmark.limit"),
    ],
)
def test_bad_options_fail_before_any_model_loads(
    tmp_path: Path, tiny_adapter: Path, releases: Path, args: list[str], code: int, message: str
) -> None:
    result = _invoke(tmp_path, "--model-path", str(tiny_adapter), "--data-dir", str(releases), *args)
    assert result.exit_code == code and message in result.stderr


def test_an_output_dir_holding_other_files_is_refused(
    tmp_path: Path, tiny_adapter: Path, releases: Path
) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    args = ["--model-path", str(tiny_adapter), "--tasks", "pubmedqa", "--data-dir", str(releases)]
    result = _invoke(tmp_path, *args, "--output-dir", str(out))
    assert result.exit_code == 2 and "holds other files" in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"]
