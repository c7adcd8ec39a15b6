"""``analyze`` end to end on a crafted evaluation: files, plots, report, counts."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest
from crafted_predictions import CASES, write_predictions

from medtune.analysis import ERROR_NAMES, AnalysisResult, analyze
from medtune.errors import DataError, UsageError
from medtune.io import read_jsonl

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def test_writes_every_output(analysis: AnalysisResult) -> None:
    out = analysis.output_dir
    names = {p.name for p in out.iterdir()}
    assert {"report.md", "report.html", "categories.jsonl", "manifest.json"} <= names
    assert {p.name for p in analysis.plots} == {
        "metric_distributions.png",
        "error_types.png",
        "specialties.png",
        "lengths.png",
    }
    assert (out.parent / "latest").resolve() == out.resolve()
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["examples"] == analysis.summary.n_examples == len(CASES) * 4


@pytest.mark.parametrize("name", ["metric_distributions", "error_types", "specialties", "lengths"])
def test_plots_are_real_non_blank_images(analysis: AnalysisResult, name: str) -> None:
    from matplotlib.image import imread

    path = analysis.output_dir / f"{name}.png"
    data = path.read_bytes()
    assert data.startswith(PNG_MAGIC)
    assert len(data) > 10_000
    pixels = imread(path)
    height, width = pixels.shape[:2]
    assert height >= 300 and width >= 500
    ink = (pixels[..., :3].mean(axis=-1) < 0.9).mean()  # share of non-white pixels
    assert 0.01 < ink < 0.6
    coloured = (abs(pixels[..., 0] - pixels[..., 2]) > 0.2).mean()  # the blue/orange series
    assert coloured > 0.001


def test_html_report_is_self_contained(analysis: AnalysisResult) -> None:
    page = analysis.report_html.read_text()
    images = re.findall(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == len(analysis.plots)
    assert base64.b64decode(images[0]).startswith(PNG_MAGIC)
    assert {base64.b64decode(i) for i in images} == {p.read_bytes() for p in analysis.plots}
    assert not re.search(r'src="(?!data:)', page)  # nothing loaded from elsewhere


def test_markdown_report_links_plots_and_lists_every_error_type(analysis: AnalysisResult) -> None:
    text = analysis.report_md.read_text()
    for plot in analysis.plots:
        assert f"]({plot.name})" in text
    for line in ("Empty output", "Cut off", "| fixed | introduced |"):
        assert line in text
    # a drug named in neither question nor reference is listed for review, not as an error
    assert "For review, not counted as errors:" in text and "ciprofloxacin (" in text
    assert "| Urology & nephrology |" in text  # display names in the report, ids in categories.jsonl
    assert "## Worst examples" in text


def test_categories_tag_specialties_and_errors(analysis: AnalysisResult, predictions_file: Path) -> None:
    rows = read_jsonl(analysis.categories)
    source = read_jsonl(predictions_file)
    assert [r["id"] for r in rows] == [s["id"] for s in source]
    expected = ["urology_nephrology", "orthopedics", "dermatology", "ent", "neurology", "endocrinology"]
    assert [r["specialty"] for r in rows[: len(CASES)]] == expected
    by_kind = {i % 4: rows[i] for i in range(4)}
    assert by_kind[0]["errors"] == []
    assert {"cut_off", "missing_treatment"} <= set(by_kind[1]["errors"])
    assert by_kind[2]["errors"] == ["empty"]
    assert by_kind[3]["errors"] == []  # a review note, not an error
    assert by_kind[3]["unsupported_medications"] == ["ciprofloxacin"]
    assert all(set(r["errors"]) <= set(ERROR_NAMES) for r in rows)


def test_fixed_and_introduced_match_the_rows(analysis: AnalysisResult) -> None:
    rows = read_jsonl(analysis.categories)
    s = analysis.summary
    assert s.n_baseline == len(rows)
    for name in ERROR_NAMES:
        base_only = sum(name in r["baseline_errors"] and name not in r["errors"] for r in rows)
        tuned_only = sum(name in r["errors"] and name not in r["baseline_errors"] for r in rows)
        assert s.fixed[name] == base_only == sum(name in r["fixed"] for r in rows)
        assert s.introduced[name] == tuned_only == sum(name in r["introduced"] for r in rows)
        assert s.baseline_error_counts[name] == sum(name in r["baseline_errors"] for r in rows)
    # the crafted base loops or answers generically; the fine-tuned model never loops
    assert s.fixed["repetition"] == s.baseline_error_counts["repetition"] > 0
    assert s.introduced["empty"] == s.error_counts["empty"] > 0


def test_summary_ranks_worst_and_weakest(analysis: AnalysisResult) -> None:
    s = analysis.summary
    assert s.primary_metric == "rougeL"
    worst = [r.scores["rougeL"] for r in s.worst]
    all_scores = sorted(r.scores["rougeL"] for r in analysis.records)
    assert worst == all_scores[:3]
    weakest = [st.score for st in s.weakest_specialties]
    assert weakest == sorted(weakest)
    assert sum(st.count for st in s.specialties) == s.n_examples
    assert s.metric_means["rougeL"][1] < s.metric_means["rougeL"][0]


def test_without_baseline(tmp_path: Path) -> None:
    source = write_predictions(tmp_path / "predictions.jsonl", baseline=False, repeat=1)
    result = analyze(source, tmp_path / "out", stamped=False)
    assert result.output_dir == tmp_path / "out"
    assert result.summary.n_baseline == 0 and result.summary.fixed == {}
    assert all("baseline_errors" not in r for r in read_jsonl(result.categories))
    assert "| fixed |" not in result.report_md.read_text()
    assert len(result.plots) == 4


def test_unstamped_output_refuses_a_foreign_folder(tmp_path: Path, predictions_file: Path) -> None:
    foreign = tmp_path / "mine"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(UsageError, match="holds other files"):
        analyze(predictions_file, foreign, stamped=False)
    assert (foreign / "notes.txt").read_text() == "keep me"
    earlier = tmp_path / "earlier"  # an earlier analysis is replaced
    earlier.mkdir()
    (earlier / "categories.jsonl").write_text("")
    (earlier / "old.png").write_bytes(b"")
    analyze(write_predictions(tmp_path / "p.jsonl", repeat=1), earlier, stamped=False)
    assert (earlier / "report.html").is_file() and not (earlier / "old.png").exists()


def test_bad_input_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "predictions.jsonl"
    bad.write_text('{"id": "a", "question": "q", "prediction": "p", "reference": "r"}\n{"id": "b"}\n')
    with pytest.raises(DataError, match=r"predictions.jsonl:2: 'reference' is missing"):
        analyze(bad, tmp_path / "out")
    assert not (tmp_path / "out").exists()
