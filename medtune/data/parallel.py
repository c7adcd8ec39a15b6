"""Row-wise work on a pool of forked worker processes, results in input order.

Big inputs (:data:`PARALLEL_ROWS` rows or more) are mapped on one worker per core (at most
:data:`MAX_WORKERS`) where ``fork`` exists; smaller ones in this process, where starting a
pool costs more than it saves. Results come back in order, so outputs are the same bytes
either way.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from medtune.progress import ProgressFn

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

T = TypeVar("T")
R = TypeVar("R")
#: Rows per task sent to a worker, and per progress report: ~0.5 s of detector work, small enough
#: that the last task leaves the other worker idle only briefly (and a worker slowed by other load
#: takes fewer), big enough that sending tasks and results costs nothing measurable (~2 us a row).
CHUNK = 1_000
PARALLEL_ROWS = 20_000
MAX_WORKERS = 4


def map_rows(
    func: Callable[[T], R], items: Sequence[T], stage: str, progress: ProgressFn, pool: Pool | None
) -> Iterator[R]:
    """``map(func, items)`` in order, on ``pool`` when given, reporting progress per chunk."""
    results = pool.imap(func, items, chunksize=CHUNK) if pool is not None else map(func, items)
    for i, result in enumerate(results):
        if i % CHUNK == 0:
            progress(stage, i, len(items))
        yield result
    progress(stage, len(items), len(items))


@contextlib.contextmanager
def workers(rows: int) -> Iterator[Pool | None]:
    """A pool of one worker per core for big inputs on fork-capable systems, else None."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    forkable = (
        "fork" in multiprocessing.get_all_start_methods() and not multiprocessing.current_process().daemon
    )
    if rows < PARALLEL_ROWS or cores < 2 or not forkable:
        yield None
        return
    with multiprocessing.get_context("fork").Pool(min(cores, MAX_WORKERS)) as pool:
        yield pool
