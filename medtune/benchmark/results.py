"""Accuracy with bootstrap CIs per task and system, the size-weighted aggregate, and the paired
fine-tuned minus base comparison on the same items (bootstrap CI and exact McNemar p)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from medtune.benchmark.harness import Item
from medtune.benchmark.tasks import GROUP, MULTIMEDQA
from medtune.evaluation.run import BASE, FINETUNED
from medtune.evaluation.stats import bootstrap_ci, mcnemar_exact, paired_comparison

#: ``items[system][task]``: each system's scored items per task.
Items = Mapping[str, Mapping[str, Sequence[Item]]]


def accuracy(items: Sequence[Item], *, resamples: int, seed: int) -> dict[str, Any]:
    """``{accuracy, low, high, n}``: the share correct with its 95% bootstrap CI."""
    interval = bootstrap_ci([float(i.correct) for i in items], resamples=resamples, seed=seed)
    return {"accuracy": interval.mean, "low": interval.low, "high": interval.high, "n": interval.n}


def compare(a: Sequence[Item], b: Sequence[Item], *, resamples: int, seed: int) -> dict[str, Any]:
    """``a`` minus ``b`` on the same items (paired on task and doc id): delta with paired
    bootstrap CI, won/lost/tied,
    the sign-flip ``p_value`` and the exact McNemar ``mcnemar_p``."""
    by_key = {(i.task, i.doc_id): i for i in b}
    if len(by_key) != len(b) or sorted(by_key) != sorted((i.task, i.doc_id) for i in a):
        raise ValueError("compare needs both systems scored once on the same items")
    x = [float(i.correct) for i in a]
    y = [float(by_key[i.task, i.doc_id].correct) for i in a]
    c = paired_comparison(x, y, resamples=resamples, seed=seed)
    return {**c.to_dict(), "mcnemar_p": mcnemar_exact(c.won, c.lost)}


def summarize(items: Items, names: Sequence[str], *, resamples: int, seed: int) -> dict[str, Any]:
    """``tasks.<task>.<system>``, ``comparisons.<task>`` (with a base), and, for more than one
    task, ``aggregate``: every item pooled, i.e. the mean of task accuracies weighted by
    their sizes, as lm-eval's ``multimedqa`` group reports it."""
    stats = {"resamples": resamples, "seed": seed}
    tasks = {
        name: {system: accuracy(by_task[name], **stats) for system, by_task in items.items()}
        for name in names
    }
    summary: dict[str, Any] = {"tasks": tasks, "comparisons": {}}
    if BASE in items:
        summary["comparisons"] = {
            name: compare(items[FINETUNED][name], items[BASE][name], **stats) for name in names
        }
    if len(names) > 1:
        pooled = {system: [i for name in names for i in by_task[name]] for system, by_task in items.items()}
        aggregate: dict[str, Any] = {
            "name": GROUP if tuple(names) == MULTIMEDQA else "selected tasks",
            "tasks": list(names),
            **{system: accuracy(pooled_items, **stats) for system, pooled_items in pooled.items()},
        }
        if BASE in pooled:
            aggregate["comparison"] = compare(pooled[FINETUNED], pooled[BASE], **stats)
        summary["aggregate"] = aggregate
    return summary


def regressions(summary: Mapping[str, Any]) -> list[str]:
    """Tasks whose fine-tuned minus base CI lies wholly below zero."""
    return [name for name, c in summary["comparisons"].items() if c["high"] < 0]
