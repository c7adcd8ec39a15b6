"""Run ``medtune <args>`` in this process (one torchrun rank) and record what really ran.

Usage: python distributed_worker.py FACTS_DIR train --config ...   (or under torchrun)

Writes FACTS_DIR/rank<RANK>.json after training: world size and backend as torch.distributed
sees them, the Trainer's own world size, the model wrapper, the ZeRO stage and the logged
losses (see medtune.training.launch.describe). Test-only: not part of the package.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    from transformers import Trainer

    from medtune.cli.app import main as medtune
    from medtune.training.launch import describe

    facts_dir = Path(sys.argv[1])
    original = Trainer.train

    def train_and_record(self: Trainer, *args: Any, **kwargs: Any) -> Any:
        output = original(self, *args, **kwargs)
        facts = describe(self)
        facts["losses"] = [entry["loss"] for entry in self.state.log_history if "loss" in entry]
        facts_dir.mkdir(parents=True, exist_ok=True)
        (facts_dir / f"rank{os.environ.get('RANK', '0')}.json").write_text(json.dumps(facts))
        return output

    Trainer.train = train_and_record  # type: ignore[method-assign]
    sys.argv = ["medtune", *sys.argv[2:]]
    medtune()


if __name__ == "__main__":
    main()
