"""The analysis plots, as PNG files. Headless: figures are drawn on matplotlib's Agg canvas
(``Figure.savefig``, no pyplot), so nothing needs a display and no global backend changes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.analysis.error_types import ERROR_TYPES, LONG_RATIO, SHORT_RATIO
from medtune.analysis.records import Analysed
from medtune.analysis.summary import Summary
from medtune.io import atomic_path
from medtune.medical.specialty import DISPLAY_NAMES
from medtune.text import words

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TUNED, BASE = "#1f6fb2", "#e8873a"
TUNED_LABEL, BASE_LABEL = "fine-tuned", "base"
DPI = 110


def _figure(width: float, height: float) -> Figure:
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
    return fig


def _save(fig: Figure, path: Path) -> Path:
    with atomic_path(path) as tmp:
        fig.savefig(tmp, format="png", facecolor="white")
    return path


def metric_distributions(records: list[Analysed], metrics: list[str], path: Path) -> Path | None:
    """Histograms of each per-example metric, fine-tuned over base (None without metrics)."""
    if not metrics:
        return None
    cols = min(3, len(metrics))
    rows = math.ceil(len(metrics) / cols)
    fig = _figure(4.2 * cols, 3.2 * rows)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax, name in zip(axes, metrics, strict=False):  # spare axes are hidden below
        tuned = [r.scores[name] for r in records if name in r.scores]
        base = [r.baseline_scores[name] for r in records if name in r.baseline_scores]
        top = max(tuned + base) or 1.0
        bins = [top * i / 20 for i in range(21)]
        for values, colour, label in ((base, BASE, BASE_LABEL), (tuned, TUNED, TUNED_LABEL)):
            if values:
                mean = sum(values) / len(values)
                ax.hist(values, bins=bins, color=colour, alpha=0.55, label=f"{label} (mean {mean:.3f})")
                ax.axvline(mean, color=colour, linestyle="--", linewidth=1.5)
        ax.set_title(name)
        ax.set_xlabel("score per example")
        ax.set_ylabel("examples")
        ax.legend(fontsize="x-small", loc="lower center", bbox_to_anchor=(0.5, 1.08), ncols=2, frameon=False)
    for ax in axes[len(metrics) :]:
        ax.set_visible(False)
    fig.suptitle(f"Metric distributions over {len(records)} examples")
    return _save(fig, path)


def error_types(summary: Summary, path: Path) -> Path:
    """Share of examples with each error type; base beside fine-tuned when there is one."""
    titles = [t.title for t in ERROR_TYPES][::-1]
    names = [t.name for t in ERROR_TYPES][::-1]
    series = [(TUNED_LABEL, TUNED, summary.error_counts, summary.n_examples)]
    if summary.n_baseline:
        series.append((BASE_LABEL, BASE, summary.baseline_error_counts, summary.n_baseline))
    fig = _figure(8.5, 0.3 * len(names) * len(series) + 1.6)
    ax = fig.subplots()
    height = 0.8 / len(series)
    for i, (label, colour, counts, n) in enumerate(series):
        offset = (len(series) - 1) / 2 * height - i * height
        ys = [y + offset for y in range(len(names))]
        shares = [100 * counts.get(name, 0) / n for name in names]
        bars = ax.barh(ys, shares, height=height, color=colour, label=f"{label} (n={n})")
        ax.bar_label(bars, [str(counts.get(name, 0)) for name in names], padding=3, fontsize="small")
    ax.set_yticks(range(len(names)), titles)
    ax.set_xlabel("% of examples (bar labels: counts)")
    ax.set_xlim(0, 112)
    ax.set_title("Error types")
    _legend_below(ax, len(series))
    return _save(fig, path)


def specialty_scores(summary: Summary, path: Path) -> Path:
    """Mean primary metric per specialty with its example count (error share without metrics),
    best at the top."""
    stats = summary.weakest_specialties
    metric = summary.primary_metric
    labels = [f"{DISPLAY_NAMES[s.specialty]} (n={s.count})" for s in stats]
    fig = _figure(8.5, 0.3 * len(stats) * (2 if summary.n_baseline else 1) + 1.6)
    ax = fig.subplots()
    if metric is None:
        values = [[100 * s.error_share for s in stats]]
        series = [(TUNED_LABEL, TUNED)]
        ax.set_xlabel("% of examples with at least one error")
    else:
        values = [[s.score or 0.0 for s in stats]]
        series = [(TUNED_LABEL, TUNED)]
        if summary.n_baseline:
            values.append([s.baseline_score or 0.0 for s in stats])
            series.append((BASE_LABEL, BASE))
        ax.set_xlabel(f"mean {metric}")
    height = 0.8 / len(series)
    for i, ((label, colour), vals) in enumerate(zip(series, values, strict=True)):
        offset = (len(series) - 1) / 2 * height - i * height
        bars = ax.barh(
            [y + offset for y in range(len(stats))], vals, height=height, color=colour, label=label
        )
        ax.bar_label(bars, [f"{v:.3f}" if metric else f"{v:.0f}%" for v in vals], padding=3, fontsize="small")
    ax.set_yticks(range(len(stats)), labels)
    ax.set_xlim(0, max(max(v) for v in values) * 1.2 or 1.0)
    ax.set_title("By specialty" + (f": {metric}" if metric else ""))
    _legend_below(ax, len(series))
    return _save(fig, path)


def _legend_below(ax: Any, entries: int) -> None:
    """A legend under the axes, where no bar can hide it."""
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=max(entries, 1), frameon=False)


def lengths(records: list[Analysed], path: Path) -> Path:
    """Prediction length against reference length, in words, with the too-short/long lines."""
    fig = _figure(6.5, 5.5)
    ax = fig.subplots()
    ref = [len(words(r.reference)) for r in records]
    top: float = max(ref)
    based = [
        (n, len(words(r.baseline_prediction)))
        for n, r in zip(ref, records, strict=True)
        if r.baseline_prediction is not None
    ]
    if based:
        base_ref, base_pred = zip(*based, strict=True)
        ax.scatter(base_ref, base_pred, s=18, color=BASE, alpha=0.6, label=BASE_LABEL)
        top = max(top, *base_pred)
    tuned = [len(words(r.prediction)) for r in records]
    ax.scatter(ref, tuned, s=18, color=TUNED, alpha=0.7, label=TUNED_LABEL)
    top = max(top, *tuned) * 1.05 + 1
    ax.plot([0, top], [0, top], color="black", linewidth=1, label="same length")
    for ratio in (SHORT_RATIO, LONG_RATIO):
        ax.plot([0, top], [0, top * ratio], color="grey", linestyle=":", linewidth=1)
        x = min(top, top / ratio) * 0.92
        ax.annotate(f"{ratio:g}x", (x, x * ratio), color="grey", fontsize="small", ha="right")
    ax.set_xlim(0, top)
    ax.set_ylim(0, top)
    ax.set_xlabel("reference length (words)")
    ax.set_ylabel("prediction length (words)")
    ax.set_title("Prediction vs reference length")
    ax.legend(loc="upper left")
    return _save(fig, path)


def draw_all(records: list[Analysed], summary: Summary, metrics: list[str], out: Path) -> list[Path]:
    """Draw every plot into ``out``; returns the files written."""
    paths = [
        metric_distributions(records, metrics, out / "metric_distributions.png"),
        error_types(summary, out / "error_types.png"),
        specialty_scores(summary, out / "specialties.png"),
        lengths(records, out / "lengths.png"),
    ]
    return [p for p in paths if p is not None]
