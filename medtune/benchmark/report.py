"""The run folder's files: ``benchmark.json``, ``items.jsonl`` and ``benchmark_report.md``."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from medtune.benchmark.results import Items
from medtune.evaluation.report import SMALL_SAMPLE, markdown_table
from medtune.evaluation.run import BASE, FINETUNED
from medtune.io import write_json, write_jsonl, write_text

BENCHMARK, ITEMS, REPORT = "benchmark.json", "items.jsonl", "benchmark_report.md"


def pct(value: float) -> str:
    """An accuracy or delta in percentage points."""
    return f"{100 * value:.1f}"


def fmt_accuracy(a: Mapping[str, Any]) -> str:
    """``61.3 [58.2, 64.5]``."""
    return f"{pct(a['accuracy'])} [{pct(a['low'])}, {pct(a['high'])}]"


def fmt_delta(c: Mapping[str, Any]) -> str:
    """``+4.0 [1.2, 6.8]``."""
    return f"{'+' if c['delta'] >= 0 else ''}{pct(c['delta'])} [{pct(c['low'])}, {pct(c['high'])}]"


def item_records(items: Items) -> list[dict[str, Any]]:
    """One ``items.jsonl`` record per task, item and system."""
    return [
        {
            "task": i.task,
            "doc_id": i.doc_id,
            "system": system,
            "correct": i.correct,
            "chosen": i.chosen,
            "gold": i.gold,
        }
        for system, by_task in items.items()
        for task_items in by_task.values()
        for i in task_items
    ]


def rows(summary: Mapping[str, Any]) -> list[tuple[str, dict[str, Any], dict[str, Any] | None]]:
    """(label, {system: accuracy}, comparison or None) per task, then the aggregate."""
    out = [(name, systems, summary["comparisons"].get(name)) for name, systems in summary["tasks"].items()]
    if aggregate := summary.get("aggregate"):
        systems = {s: aggregate[s] for s in (FINETUNED, BASE) if s in aggregate}
        out.append((f"{aggregate['name']} (size-weighted)", systems, aggregate.get("comparison")))
    return out


def _report(summary: Mapping[str, Any]) -> str:
    s = summary["settings"]
    lines = [
        "# Benchmark report",
        "",
        f"- Fine-tuned: `{summary['model_path']}`",
        f"- Base: `{summary['base_model']}`"
        if summary["base_model"]
        else "- Base: not run (no `--baseline`)",
        f"- Tasks: {', '.join(s['tasks'])}; items per task: {s['limit'] or 'all'}; "
        f"few-shot: {s['num_fewshot']}",
        f"- Model loading: {s['bits']}-bit, {s['precision']}, device {s['device']}; "
        f"batch size {s['batch_size']}",
        f"- Engine: lm-evaluation-harness {summary['lm_eval']}, its official task configs, prompts and "
        "scoring (accuracy = its `acc`: the choice with the highest log-likelihood), HF backend",
        f"- Statistics: 95% percentile bootstrap ({summary['bootstrap']['resamples']} resamples, seed "
        f"{summary['bootstrap']['seed']}); with a base, fine-tuned minus base on the same items with "
        "a paired bootstrap CI and an exact McNemar p-value",
        "",
        "## Accuracy (%)",
        "",
    ]
    has_base = bool(summary["comparisons"])
    header = ["task", "n", "fine-tuned [95% CI]"] + (
        ["base [95% CI]", "delta [95% CI]", "McNemar p", "won/lost"] if has_base else []
    )
    body = []
    for label, systems, c in rows(summary):
        cells = [label, str(systems[FINETUNED]["n"]), fmt_accuracy(systems[FINETUNED])]
        if has_base and c is not None:
            cells += [
                fmt_accuracy(systems[BASE]),
                fmt_delta(c),
                f"{c['mcnemar_p']:.3g}",
                f"{c['won']}/{c['lost']}",
            ]
        body.append(cells)
    lines += markdown_table(header, body)
    small = [name for name, systems in summary["tasks"].items() if systems[FINETUNED]["n"] < SMALL_SAMPLE]
    if small:
        lines += ["", f"Fewer than {SMALL_SAMPLE} items in {', '.join(small)}: intervals there are rough."]
    lines += ["", "## Do-no-harm gate", ""]
    if not has_base:
        lines.append("Not evaluated: it needs `--baseline`.")
    elif summary["regressions"]:
        lines.append(f"**Regression** (delta CI wholly below zero): {', '.join(summary['regressions'])}.")
    else:
        lines.append("Passed: no task's delta CI lies wholly below zero.")
    data = [
        [name, entry["source"], f"`{path}`", f"`{digest[:16]}`"]
        for name, entry in summary["data"].items()
        for path, digest in (entry["files"] or {"hub: " + entry["hub"]: "-"}).items()
    ]
    lines += ["", "## Data", "", *markdown_table(["task", "source", "file", "sha256 (first 16)"], data), ""]
    return "\n".join(lines)


def write_outputs(folder: Path, summary: Mapping[str, Any], items: Items) -> list[Path]:
    """Write the three files into ``folder``; returns their paths."""
    return [
        write_json(folder / BENCHMARK, summary),
        write_jsonl(folder / ITEMS, item_records(items)),
        write_text(folder / REPORT, _report(summary)),
    ]
