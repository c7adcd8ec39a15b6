"""Plots people read: specialties sorted by score, legends clear of the bars."""

from __future__ import annotations

from pathlib import Path

import pytest

from medtune.analysis import plots
from medtune.analysis.records import Analysed
from medtune.analysis.summary import summarize

SCORES = {"cardiology": 0.9, "dermatology": 0.2, "neurology": 0.6, "general": 0.4}


def _records() -> list[Analysed]:
    out = []
    for i, (specialty, score) in enumerate(SCORES.items()):
        for j in range(3):
            out.append(
                Analysed(
                    id=f"{i}-{j}",
                    question="q",
                    reference="a reference answer",
                    prediction="a prediction",
                    scores={"rougeL": score},
                    specialty=specialty,
                    errors=["too_short"] if score < 0.5 else [],
                    baseline_prediction="a base answer",
                    baseline_scores={"rougeL": score / 2},
                    baseline_errors=[],
                )
            )
    return out


@pytest.fixture
def figures(monkeypatch: pytest.MonkeyPatch) -> list:
    drawn: list = []
    monkeypatch.setattr(plots, "_save", lambda fig, path: drawn.append(fig) or path)
    return drawn


@pytest.mark.parametrize("draw", [plots.specialty_scores, plots.error_types])
def test_legends_sit_below_the_bars(figures: list, draw) -> None:
    draw(summarize(_records()), Path("unused.png"))
    fig = figures[0]
    fig.canvas.draw()
    ax = fig.axes[0]
    legend, axes_box = ax.get_legend().get_window_extent(), ax.get_window_extent()
    assert legend.y1 <= axes_box.y0  # entirely under the plotting area


def test_specialties_are_sorted_by_score_best_on_top(figures: list) -> None:
    plots.specialty_scores(summarize(_records()), Path("unused.png"))
    labels = [t.get_text().split(" (")[0] for t in figures[0].axes[0].get_yticklabels()]
    assert labels == ["Dermatology", "General", "Neurology", "Cardiology"]  # bottom to top
