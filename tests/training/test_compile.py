"""``train.torch_compile``: the compiled model trains the same losses as the eager one."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch._dynamo

from medtune.config import Settings
from medtune.io import write_jsonl
from medtune.training import TrainResult, train


def test_compiled_training_follows_the_eager_losses_for_20_steps(
    make_settings: Callable[..., Settings], make_records: Callable[..., list[dict[str, Any]]], tmp_path: Path
) -> None:
    # no validation split: no evaluation graph to compile
    write_jsonl(tmp_path / "data" / "train.jsonl", make_records(24))

    def losses(compile: bool) -> list[float]:
        settings = make_settings(
            lora={"dropout": 0.0},  # compiled dropout draws other masks than eager dropout
            data={"data_dir": str(tmp_path / "data")},
            train={"max_steps": 20, "torch_compile": compile, "output_dir": str(tmp_path / str(compile))},
        )
        result = train(settings)
        assert isinstance(result, TrainResult)
        return [loss for _, loss in result.loss_history]

    eager = losses(False)
    torch._dynamo.reset()
    torch._dynamo.utils.counters.clear()
    compiled = losses(True)
    assert torch._dynamo.utils.counters["stats"]["unique_graphs"] > 0  # the model did run compiled
    assert len(eager) == 20 and eager[0] != eager[-1]
    assert compiled == pytest.approx(eager, abs=1e-5)
