"""Scoring through lm-evaluation-harness: its task configs, prompts and scoring, its HF backend.

:func:`write_tasks` writes one task config per task into a folder: each ``include:`` s the
official config shipped with lm-eval and overrides only the dataset (local files converted
by :mod:`medtune.benchmark.sources`, cached inside the folder); a hub task includes it
unchanged, so prompts, choices, few-shot sampling and scoring are lm-eval's own. :func:`score` runs
``lm_eval.simple_evaluate`` on an already-loaded model (adapter applied through peft)
wrapped in lm-eval's ``HFLM`` and returns each item's outcome.
"""

from __future__ import annotations

import contextlib
import functools
import importlib.util
import logging
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from medtune.benchmark.sources import TaskData
from medtune.errors import UsageError
from medtune.io import write_jsonl, write_text

#: Items per call into lm-eval's scorer: how often the progress bar moves.
CHUNK_ITEMS = 64


@dataclass(frozen=True)
class Item:
    """One scored item: lm-eval's ``acc`` and the choices behind it."""

    task: str
    doc_id: int
    correct: bool
    chosen: str
    gold: str


@dataclass
class Scores:
    """A system's items per task and lm-eval's own aggregate metrics per task."""

    items: dict[str, list[Item]]
    harness: dict[str, dict[str, float]]


def tasks_root() -> Path:
    """The folder of lm-eval's own task configs (found without importing lm_eval)."""
    spec = importlib.util.find_spec("lm_eval")
    if spec is None or not spec.submodule_search_locations:
        raise UsageError("lm-eval is not installed: pip install lm-eval")
    return Path(next(iter(spec.submodule_search_locations))) / "tasks"


def write_tasks(tasks: Sequence[TaskData], folder: Path) -> None:
    """Write a task config per task (and converted data for local ones) into ``folder``."""
    import yaml

    root = tasks_root()
    for data in tasks:
        spec = data.spec
        official = root / spec.official
        if not official.is_file():
            raise UsageError(
                f"this lm-eval has no {spec.official}; medtune needs lm-eval 0.4 (pip install lm-eval)"
            )
        config: dict[str, Any] = {"include": str(official), "task": spec.name}
        if data.source == "local":
            files = {}
            for split, rows in data.splits.items():
                files[split] = str(write_jsonl(folder / "data" / f"{spec.name}.{split}.jsonl", rows))
            config |= {
                "dataset_path": "json",
                "dataset_name": None,
                "dataset_kwargs": {"data_files": files, "cache_dir": str(folder / "cache")},
                "test_split": spec.test_split,
                "training_split": "train" if "train" in files else None,
                "validation_split": "validation" if "validation" in files else None,
                "fewshot_split": "dev" if "dev" in files else None,
            }
        write_text(folder / f"{spec.name}.yaml", yaml.safe_dump(config, sort_keys=False))


@contextlib.contextmanager
def quiet() -> Iterator[None]:
    """lm-eval's INFO/WARNING logs and datasets' progress bars off while the block runs, and
    no ``git describe`` call: lm-eval asks git for a commit hash on every run, which prints
    "fatal: not a git repository" outside a checkout (medtune records its own versions)."""
    import datasets
    import lm_eval.evaluator

    logger = logging.getLogger("lm_eval")
    level, bars = logger.level, datasets.utils.logging.is_progress_bar_enabled()
    ask_git = lm_eval.evaluator.get_git_commit_hash
    logger.setLevel(logging.ERROR)
    datasets.disable_progress_bars()
    lm_eval.evaluator.get_git_commit_hash = lambda: None
    try:
        yield
    finally:
        lm_eval.evaluator.get_git_commit_hash = ask_git
        logger.setLevel(level)
        if bars:
            datasets.enable_progress_bars()


@functools.cache
def _progress_lm() -> type:
    """lm-eval's ``HFLM`` scoring whole items a chunk at a time, reporting progress between
    chunks (each chunk is scored, sorted and batched by lm-eval as usual)."""
    from lm_eval.models.huggingface import HFLM

    class ProgressHFLM(HFLM):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.report: Callable[[int, int], None] = lambda done, total: None

        def loglikelihood(self, requests: list[Any], disable_tqdm: bool = False) -> list[Any]:
            by_item: dict[tuple[str, int], list[int]] = {}
            for i, request in enumerate(requests):
                by_item.setdefault((request.task_name, request.doc_id), []).append(i)
            groups = list(by_item.values())
            out: list[Any] = [None] * len(requests)
            self.report(0, len(groups))
            for start in range(0, len(groups), CHUNK_ITEMS):
                chunk = [i for group in groups[start : start + CHUNK_ITEMS] for i in group]
                for i, result in zip(
                    chunk, super().loglikelihood([requests[i] for i in chunk], True), strict=True
                ):
                    out[i] = result
                self.report(min(start + CHUNK_ITEMS, len(groups)), len(groups))
            return out

    return ProgressHFLM


def wrap(model: Any, tokenizer: Any, batch_size: int) -> Any:
    """lm-eval's HF backend around a loaded model (a peft model keeps its adapter)."""
    with quiet():
        return _progress_lm()(pretrained=model, tokenizer=tokenizer, batch_size=batch_size)


def _item(task: str, sample: dict[str, Any]) -> Item:
    continuations = [arguments[1].strip() for arguments in sample["arguments"]]
    likelihoods = [float(response[0]) for response in sample["filtered_resps"]]
    target = sample["target"]
    gold = continuations[target] if isinstance(target, int) else str(target).strip()
    chosen = continuations[max(range(len(likelihoods)), key=likelihoods.__getitem__)]
    return Item(task, int(sample["doc_id"]), bool(sample["acc"]), chosen, gold)


def score(
    lm: Any,
    task_dir: Path,
    names: Sequence[str],
    *,
    limit: int | None,
    num_fewshot: int,
    progress: Callable[[int, int], None],
) -> Scores:
    """Run ``names`` (configs in ``task_dir``) through ``lm_eval.simple_evaluate`` with ``lm``
    (see :func:`wrap`); ``progress(done, total)`` counts items."""
    import lm_eval
    from lm_eval.tasks import TaskManager

    lm.report = progress
    with quiet():
        manager = TaskManager(include_path=str(task_dir), include_defaults=False)
        results = lm_eval.simple_evaluate(
            model=lm,
            tasks=list(names),
            task_manager=manager,
            limit=limit,
            num_fewshot=num_fewshot,
            log_samples=True,
            bootstrap_iters=0,
        )
    items = {
        name: sorted((_item(name, s) for s in results["samples"][name]), key=lambda i: i.doc_id)
        for name in names
    }
    harness = {
        name: {
            metric.removesuffix(",none"): float(value)
            for metric, value in results["results"][name].items()
            if metric in ("acc,none", "acc_norm,none")
        }
        for name in names
    }
    return Scores(items, harness)
