"""``medtune eval`` end to end on the tiny model: files, schema, resume, bad input."""

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
from medtune.config import load_settings
from medtune.errors import DataError
from medtune.evaluation import evaluate
from medtune.evaluation.predictions import read_predictions
from medtune.io import read_jsonl, sha256_file

FAST = ["--max-new-tokens", "8", "--batch-size", "3", "--num-samples", "6"]


def _settings(tmp: Path, adapter: Path, data: Path, run_dir: Path, **extra: object) -> object:
    cfg = {
        "model_path": str(adapter),
        "data_path": str(data),
        "run_dir": str(run_dir),
        "output_dir": str(tmp / "evaluation"),
        "max_new_tokens": 8,
        "batch_size": 2,
        "num_samples": 6,
        "metrics": ["rouge", "medical"],
        "baseline": True,
        "bootstrap_samples": 200,
        **extra,
    }
    return load_settings(overrides={"eval": cfg, "model": {"bits": 16, "precision": "fp32"}})


def test_eval_baseline_writes_four_files_and_prints_the_table(
    tmp_path: Path, tiny_adapter: Path, test_split: Path
) -> None:
    out = tmp_path / "run"
    args = ["eval", "--model-path", str(tiny_adapter), "--data-path", str(test_split), "--baseline"]
    result = CliRunner().invoke(
        app, [*args, *FAST, "--output-dir", str(out), "--config", str(_toml(tmp_path))]
    )
    assert result.exit_code == 0, result.output
    assert "delta [95% CI]" in result.stdout and "rougeL" in result.stdout
    assert {p.name for p in out.iterdir()} >= {
        "predictions.jsonl",
        "metrics.json",
        "evaluation_report.md",
        "model_comparison.md",
    }
    assert not (out / "baseline_predictions.jsonl").exists()
    records = read_jsonl(out / "predictions.jsonl")
    assert [r["id"] for r in records] == [f"t{i}" for i in range(6)]
    keys = {"id", "question", "reference", "prediction", "finished", "num_new_tokens", "scores"}
    keys |= {"baseline_prediction", "baseline_finished", "baseline_scores"}
    assert all(keys <= r.keys() for r in records)
    assert any(r["prediction"] != r["baseline_prediction"] for r in records)  # the adapter changes answers
    assert {"rougeL", "bleu", "bertscore_f1", "diagnosis"} <= records[0]["scores"].keys()
    summary = json.loads((out / "metrics.json").read_text())
    assert set(summary["systems"]) == {"fine-tuned", "base"}
    delta = summary["comparisons"]["fine-tuned vs base"]["rougeL"]
    assert delta["won"] + delta["lost"] + delta["tied"] == 6
    report = (out / "evaluation_report.md").read_text()
    assert sha256_file(test_split) in report and "greedy" in report
    assert "NOT comparable" in report  # BERTScore scored by the offline fallback, labelled
    assert "p" in (out / "model_comparison.md").read_text()


def _toml(tmp: Path) -> Path:
    path = tmp / "medtune.toml"
    path.write_text('[model]\nbits = 16\nprecision = "fp32"\n\n[eval]\nbootstrap_samples = 200\n')
    return path


class Interrupt(Exception):
    pass


def test_interrupted_eval_resumes_where_it_stopped(
    tmp_path: Path, tiny_adapter: Path, test_split: Path
) -> None:
    whole = evaluate(_settings(tmp_path, tiny_adapter, test_split, tmp_path / "whole"))

    def stop_after_first_batch(stage: str, done: int, total: int) -> None:
        if stage == "fine-tuned" and done >= 2:
            raise Interrupt

    run_dir = tmp_path / "resumed"
    with pytest.raises(Interrupt):
        evaluate(_settings(tmp_path, tiny_adapter, test_split, run_dir), progress=stop_after_first_batch)
    assert len(read_jsonl(run_dir / "predictions.jsonl")) == 2
    assert not (run_dir / "metrics.json").exists()
    with pytest.raises(DataError, match="its evaluation has not finished"):  # no 2-answer analysis
        read_predictions(run_dir / "predictions.jsonl")
    with (run_dir / "predictions.jsonl").open("a") as fh:
        fh.write('{"id": "t2", "predic')  # torn line of a crash mid-write

    starts: dict[str, int] = {}

    def record_start(stage: str, done: int, total: int) -> None:
        starts.setdefault(stage, done)

    resumed = evaluate(_settings(tmp_path, tiny_adapter, test_split, run_dir), progress=record_start)
    assert starts["fine-tuned"] == 2 and starts["base"] == 0
    assert resumed.notes == [f"{run_dir}: 2 of 12 answers there already: resuming"]
    assert len(read_predictions(run_dir / "predictions.jsonl")) == 6  # finished: 6 questions, 2 systems
    ours = read_jsonl(resumed.output_dir / "predictions.jsonl")
    theirs = read_jsonl(whole.output_dir / "predictions.jsonl")
    assert ours == theirs
    changed = _settings(tmp_path, tiny_adapter, test_split, run_dir, max_new_tokens=9)
    with pytest.raises(Exception, match="different max_new_tokens"):
        evaluate(changed)


def _eval_cli(tmp: Path, adapter: Path, data: Path, out: Path) -> object:
    args = ["eval", "--model-path", str(adapter), "--data-path", str(data), "--baseline", *FAST]
    return CliRunner().invoke(app, [*args, "--output-dir", str(out), "--config", str(_toml(tmp))])


def test_a_finished_run_folder_run_again_rescores_without_generating(
    tmp_path: Path, tiny_adapter: Path, test_split: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "run"
    assert _eval_cli(tmp_path, tiny_adapter, test_split, out).exit_code == 0
    files = {name: (out / name).read_bytes() for name in ("predictions.jsonl", "metrics.json")}

    def no_model(*args: object, **kwargs: object) -> None:
        raise AssertionError("a finished run folder needs no model")

    monkeypatch.setattr("medtune.modeling.loader.load_for_inference", no_model)
    again = _eval_cli(tmp_path, tiny_adapter, test_split, out)
    assert again.exit_code == 0, again.output
    assert f"{out}: all 12 answers are there already: nothing generated" in " ".join(again.stderr.split())
    assert "delta [95% CI]" in again.stdout
    assert {name: (out / name).read_bytes() for name in files} == files


def test_a_full_disk_mid_eval_is_one_line_and_the_rerun_completes(
    tmp_path: Path, tiny_adapter: Path, test_split: Path, full_disk: Callable
) -> None:
    out = tmp_path / "run"
    stream = out / "predictions.jsonl"
    disk = full_disk(stream, free=4_500)  # one batch of three answers fits, not two
    failed = _eval_cli(tmp_path, tiny_adapter, test_split, out)
    assert failed.exit_code == OS_ERROR_EXIT
    assert failed.stderr.endswith(f"\nerror: {stream}: no space left on device\n")  # after transformers' bars
    assert "Traceback" not in failed.output
    assert 0 < len(read_jsonl(stream)) < 6  # whole answers only: the failed batch was cut back off
    disk.free = 10**9
    resumed = _eval_cli(tmp_path, tiny_adapter, test_split, out)
    assert resumed.exit_code == 0, resumed.output
    assert [r["id"] for r in read_jsonl(stream)] == [f"t{i}" for i in range(6)]


def _broken_adapter(adapter: Path, tmp: Path) -> Path:
    broken = tmp / "orphan-adapter"
    shutil.copytree(adapter, broken)
    config = json.loads((broken / "adapter_config.json").read_text())
    config["base_model_name_or_path"] = str(tmp / "no-such-base")
    (broken / "adapter_config.json").write_text(json.dumps(config))
    return broken


@pytest.mark.parametrize(
    ("case", "needle"),
    [
        ("missing model", "no such model folder"),
        ("orphan adapter", "base model"),
        ("empty data", "no records"),
        ("malformed data", ":2: malformed JSON"),
        ("zero samples", "num_samples"),
        ("unknown metric", "unknown metric 'meteor'"),
    ],
)
def test_bad_input_fails_in_one_line_and_writes_nothing(
    case: str, needle: str, tmp_path: Path, tiny_adapter: Path, test_split: Path
) -> None:
    model, data, extra = tiny_adapter, test_split, []
    if case == "missing model":
        model = tmp_path / "nope"
    elif case == "orphan adapter":
        model = _broken_adapter(tiny_adapter, tmp_path)
    elif case == "empty data":
        data = tmp_path / "empty.jsonl"
        data.write_text("\n")
    elif case == "malformed data":
        data = tmp_path / "bad.jsonl"
        data.write_text('{"id": "a", "input": "q", "output": "a"}\n{"id": "b", "input": \n')
    elif case == "zero samples":
        extra = ["--num-samples", "0"]
    else:
        extra = ["--metrics", "rouge,meteor"]
    out = tmp_path / "out"
    args = ["eval", "--model-path", str(model), "--data-path", str(data), "--output-dir", str(out), *extra]
    result = CliRunner().invoke(app, [*args, "--config", str(_toml(tmp_path))])
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and needle in lines[0], result.stderr
    assert not out.exists()


def test_eval_cli_subprocess_rejects_unknown_metric(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("medtune")
    proc = subprocess.run(
        [str(exe), "eval", "--metrics", "bleurt"], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unknown metric 'bleurt'" in proc.stderr
    assert not (tmp_path / "outputs").exists()


def test_icliniq_schema_scores_chatgpt_and_chatdoctor_as_extra_systems(
    tmp_path: Path, tiny_model: Path
) -> None:
    data = tmp_path / "icliniq.jsonl"
    rows = [
        {
            "input": f"Hi doctor, I have had a dry cough for {n} days and a mild fever.",
            "answer_icliniq": "This is likely a viral infection. Take paracetamol and drink fluids.",
            "answer_chatgpt": "It could be a viral infection; rest, fluids and paracetamol help.",
            "answer_chatdoctor": "You may have bronchitis. Take an antibiotic.",
        }
        for n in range(2, 5)
    ]
    data.write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = evaluate(
        _settings(tmp_path, tiny_model, data, tmp_path / "icliniq", baseline=False, metrics=["rouge"])
    )
    assert set(result.metrics["systems"]) == {"fine-tuned", "chatgpt", "chatdoctor"}
    assert "fine-tuned vs chatgpt" in result.metrics["comparisons"]
    record = read_jsonl(result.output_dir / "predictions.jsonl")[0]
    assert record["id"] == "icliniq-1" and record["reference"] == rows[0]["answer_icliniq"]
    assert record["extra_references"] == {
        "chatgpt": rows[0]["answer_chatgpt"],
        "chatdoctor": rows[0]["answer_chatdoctor"],
    }
    assert record["extra_scores"]["chatgpt"]["rougeL"] > record["extra_scores"]["chatdoctor"]["rougeL"]
    assert "chatgpt" in (result.output_dir / "evaluation_report.md").read_text()


def test_smoke_builds_a_tiny_model_when_the_configured_one_is_missing(tmp_path: Path) -> None:
    toml = tmp_path / "medtune.toml"
    toml.write_text(
        f'[eval]\nmodel_path = "outputs/not-trained-yet/final"\noutput_dir = "{tmp_path / "evaluation"}"\n'
        'metrics = ["rouge", "medical"]\n'
    )
    result = CliRunner().invoke(app, ["eval", "--smoke", "--config", str(toml)])
    assert result.exit_code == 0, result.output
    assert "smoke: 4 examples" in result.stderr and "rougeL" in result.stdout
    (run_dir,) = [p for p in (tmp_path / "evaluation" / "smoke").iterdir() if p.name != "tiny-model"]
    assert str(run_dir) in "".join(result.stderr.split())  # the folder it names (wrapped) is kept
    assert len(read_jsonl(run_dir / "predictions.jsonl")) == 4
