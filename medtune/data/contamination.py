"""Benchmark contamination: prepared rows whose question duplicates a benchmark item.

Fine-tuning on test questions is how fine-tunes fake benchmark gains. :func:`check` puts
every prepared row's question and every benchmark test item (the original releases in a
``medtune benchmark --data-dir`` layout) through the split's grouping
(:func:`medtune.data.split.group`: equal normalised text, or MinHash near-duplicates over
word 3-shingles at an estimated Jaccard similarity of 0.75 or more). A row that lands in a
group with a benchmark item is a hit: flagged ``contaminated:<task>``, or dropped with
``action = "drop"``. The check runs before the split, so no split keeps a hit.

What it cannot see: a row that quotes a benchmark item inside much longer text (Jaccard
under 0.75), or a paraphrase.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from medtune.benchmark.sources import missing_line, read_local
from medtune.benchmark.tasks import TASKS
from medtune.data.clean import question_key
from medtune.data.split import group
from medtune.errors import DataError

ProgressFn = Callable[[str, int, int], None]


def benchmark_items(folder: str | Path) -> list[tuple[str, str]]:
    """(task, text) of every benchmark test item found under ``folder``; a folder holding
    none of the releases is a DataError naming what it should hold."""
    found = [data for spec in TASKS.values() if (data := read_local(spec, folder)) is not None]
    if not found:
        expected = "; ".join(missing_line(spec, folder) for spec in TASKS.values())
        raise DataError(f"--contamination {folder}: no benchmark release found ({expected})")
    return [(data.spec.name, text) for data in found for text in data.texts]


def check(
    records: list[dict[str, Any]], folder: str | Path, action: str, progress: ProgressFn
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The records to keep (all of them, hits flagged, unless ``action == "drop"``) and the
    data card's ``contamination`` entry: ``dir``, ``items`` (benchmark items compared, with
    ``items_by_task``), ``hits`` (rows), ``by_task`` (rows per task), ``action``, ``dropped``."""
    progress("contamination", 0, 1)
    items = benchmark_items(folder)
    texts = [r["input"] for r in records] + [text for _, text in items]
    groups = group(texts, [question_key(t) for t in texts])
    tasks_in: dict[int, set[str]] = {}
    for (task, _), g in zip(items, groups[len(records) :], strict=True):
        tasks_in.setdefault(g, set()).add(task)
    hits = {i: sorted(tasks_in[g]) for i, g in enumerate(groups[: len(records)]) if g in tasks_in}
    if action == "drop":
        kept = [r for i, r in enumerate(records) if i not in hits]
        if not kept:
            raise DataError(f"--contamination {folder}: every row duplicates a benchmark item; nothing left")
    else:
        kept = records
        for i, tasks in hits.items():
            records[i]["flags"] += [f"contaminated:{task}" for task in tasks]
    progress("contamination", 1, 1)
    entry = {
        "dir": str(folder),
        "items": len(items),
        "items_by_task": dict(Counter(task for task, _ in items)),
        "hits": len(hits),
        "by_task": dict(sorted(Counter(task for tasks in hits.values() for task in tasks).items())),
        "action": action,
        "dropped": len(records) - len(kept),
    }
    return kept, entry
