"""``analyze``: from an evaluation's predictions to categories, plots and a report on disk."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from medtune.analysis import plots, report
from medtune.analysis.records import Analysed, load_predictions
from medtune.analysis.summary import Summary, plotted_metrics, summarize
from medtune.errors import DataError
from medtune.io import atomic_dir, sha256_file, write_jsonl, write_text
from medtune.progress import ProgressFn
from medtune.runs import point_latest, stamped_dir, write_manifest

if TYPE_CHECKING:
    from medtune.config import Settings

TITLE = "medtune error analysis"


@dataclass
class AnalysisResult:
    """What ``analyze`` wrote and found."""

    output_dir: Path
    report_md: Path
    report_html: Path
    categories: Path
    plots: list[Path]
    summary: Summary
    records: list[Analysed]


def default_predictions(settings: Settings) -> Path:
    """The predictions to analyse: ``[analyze] predictions_file``, else the latest
    evaluation's (``<[eval] output_dir>/latest/predictions.jsonl``)."""
    if settings.analyze.predictions_file:
        return Path(settings.analyze.predictions_file)
    latest = Path(settings.eval.output_dir) / "latest" / "predictions.jsonl"
    if not latest.is_file():
        raise DataError(f"{latest}: no evaluation found; run 'medtune eval' first or pass --predictions-file")
    return latest


def analyze(
    predictions_file: str | Path,
    output_dir: str | Path,
    *,
    stamped: bool = True,
    progress: ProgressFn | None = None,
) -> AnalysisResult:
    """Analyse ``predictions_file`` (an evaluation's ``predictions.jsonl``).

    Writes ``report.md``, ``report.html``, ``categories.jsonl``, the PNG plots and
    ``manifest.json`` into a new ``<output_dir>/<stamp>/`` (and points
    ``<output_dir>/latest`` at it), or, when ``stamped`` is false, into ``output_dir``
    itself, which must be new, empty or an earlier analysis (it is replaced).
    The input is checked in full before anything is written; the folder appears whole.
    """
    step = progress or (lambda _step, _done, _total: None)
    source = Path(predictions_file)
    records = load_predictions(source, step)
    summary = summarize(records)
    target = stamped_dir(output_dir) if stamped else Path(output_dir)
    with atomic_dir(target, replaces=("categories.jsonl",)) as tmp:
        write_jsonl(tmp / "categories.jsonl", (r.category() for r in records))
        step("plots", 0, 1)
        drawn = plots.draw_all(records, summary, plotted_metrics(records, summary.primary_metric), tmp)
        step("plots", 1, 1)
        sections = report.build(summary, drawn, source)
        write_text(tmp / "report.md", report.to_markdown(TITLE, sections))
        write_text(tmp / "report.html", report.to_html(TITLE, sections))
        write_manifest(
            tmp,
            command="analyze",
            predictions_file=str(source),
            predictions_sha256=sha256_file(source),
            examples=summary.n_examples,
        )
    if stamped:
        point_latest(target)
    return AnalysisResult(
        output_dir=target,
        report_md=target / "report.md",
        report_html=target / "report.html",
        categories=target / "categories.jsonl",
        plots=[target / p.name for p in drawn],
        summary=summary,
        records=records,
    )
