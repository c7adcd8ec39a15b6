"""What a run reports: :class:`TrainPlan` for a dry run, :class:`TrainResult` for a run
(also read back from a finished run's ``manifest.json``). Every training method returns these."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class TrainPlan:
    """What a run would do (``--dry-run``): nothing is trained or written."""

    settings: dict[str, Any]
    device: str
    packing: bool
    parameters: int
    trainable_parameters: int
    #: Tokenized examples as (text, trained) spans: prompt masked, answer trained.
    examples: list[list[tuple[str, bool]]]
    train_tokens: dict[str, Any]
    eval_tokens: dict[str, Any] | None
    steps: int
    seconds_per_step: float
    notes: list[str] = field(default_factory=list)
    #: What each example is, when not a plain training example (e.g. "example 1, chosen").
    example_titles: list[str] = field(default_factory=list)

    @property
    def estimated_seconds(self) -> float:
        """Rough wall time: measured seconds per optimizer step times the steps."""
        return self.steps * self.seconds_per_step


@dataclass
class TrainResult:
    """What a run did."""

    output_dir: Path
    final_dir: Path | None
    manifest: Path | None
    interrupted: bool
    global_step: int
    train_loss: float | None
    eval_loss: float | None
    #: Training tokens (non-padding) since step 0, over every resumed part of the run.
    tokens_seen: int
    #: Of those, the tokens this part trained on (0 for a resume at the last step).
    tokens_trained: int
    runtime_seconds: float
    truncated: int
    device: str
    packing: bool
    resumed_from: Path | None = None
    notes: list[str] = field(default_factory=list)
    #: (step, training loss) as logged every ``logging_steps``.
    loss_history: list[tuple[int, float]] = field(default_factory=list)
    #: The method's own end-of-run figures (preference runs: TRL's rewards, margins, accuracies).
    figures: dict[str, float] = field(default_factory=dict)

    @classmethod
    def from_manifest(cls, run_dir: Path) -> TrainResult:
        """The result a finished run recorded in its ``manifest.json``."""
        r = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))["result"]
        return cls(
            output_dir=run_dir,
            final_dir=Path(r["final_dir"]) if r.get("final_dir") else None,
            manifest=run_dir / "manifest.json",
            interrupted=r["interrupted"],
            global_step=r["global_step"],
            train_loss=r["train_loss"],
            eval_loss=r["eval_loss"],
            tokens_seen=r["tokens_seen"],
            tokens_trained=r.get("tokens_trained", r["tokens_seen"]),
            runtime_seconds=r["runtime_seconds"],
            truncated=r["truncated_examples"],
            device=r["device"],
            packing=r["packing"],
            resumed_from=Path(r["resumed_from"]) if r.get("resumed_from") else None,
            notes=list(r.get("notes") or []),
            loss_history=[(int(step), float(loss)) for step, loss in r.get("loss_history") or []],
            figures=dict(r.get("figures") or {}),
        )

    @property
    def tokens_per_second(self) -> float:
        """Tokens this part trained on per second of its wall time."""
        return self.tokens_trained / self.runtime_seconds if self.runtime_seconds else 0.0

    def summary(self) -> dict[str, Any]:
        """JSON-safe summary (what the manifest's ``result`` holds)."""
        return {
            "global_step": self.global_step,
            "interrupted": self.interrupted,
            "train_loss": self.train_loss,
            "eval_loss": self.eval_loss,
            "tokens_seen": self.tokens_seen,
            "tokens_trained": self.tokens_trained,
            "tokens_per_second": round(self.tokens_per_second, 1),
            "runtime_seconds": round(self.runtime_seconds, 2),
            "truncated_examples": self.truncated,
            "device": self.device,
            "packing": self.packing,
            "resumed_from": str(self.resumed_from) if self.resumed_from else None,
            "loss_history": self.loss_history,
            "figures": self.figures,
            "final_dir": str(self.final_dir) if self.final_dir else None,
            "notes": self.notes,
        }
