"""A Trainer callback that times training after its warm-up steps, for the bench scripts.

Steady throughput = tokens seen (the Trainer's ``num_input_tokens_seen``) and wall time from
the end of optimizer step ``warmup`` to the end of the last step: set-up, compilation and
the first steps' allocations are left out, and so is any checkpoint saved after the last
step (``on_step_end`` comes before saving). With ``seconds``, training stops once that much
time has passed after the warm-up; on CUDA every step end waits for the GPU, and the peak
memory is counted from the start of training.
"""

from __future__ import annotations

import time
from typing import Any

from transformers import TrainerCallback


class StepClock(TrainerCallback):
    """Time and tokens seen at the end of step ``warmup`` and of the last step of the
    latest run (see module doc)."""

    def __init__(self, warmup: int, seconds: float | None = None) -> None:
        self.warmup, self.seconds = warmup, seconds
        self.marks: dict[str, tuple[float, int]] = {}
        self.peak_gib: float | None = None

    def on_train_begin(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        import torch

        self.marks, self.peak_gib = {}, None
        if torch.cuda.is_available() and args.device.type == "cuda":
            torch.cuda.reset_peak_memory_stats()

    def on_step_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        import torch

        if args.device.type == "cuda":
            torch.cuda.synchronize()
            self.peak_gib = torch.cuda.max_memory_allocated() / 2**30
        mark = (time.perf_counter(), int(state.num_input_tokens_seen))
        if state.global_step == self.warmup:
            self.marks["warm"] = mark
        self.marks["last"] = mark
        warm = self.marks.get("warm")
        if self.seconds is not None and warm is not None and mark[0] - warm[0] >= self.seconds:
            control.should_training_stop = True

    def steady(self) -> tuple[int, float]:
        """(tokens, seconds) after the warm-up steps; raises if the run had no step after them."""
        if "warm" not in self.marks or self.marks["last"] == self.marks["warm"]:
            raise RuntimeError(f"the run ended before a step after its {self.warmup} warm-up steps")
        (start, seen), (end, total) = self.marks["warm"], self.marks["last"]
        return total - seen, end - start
