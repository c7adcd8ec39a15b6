"""The whole pipeline on the bundled sample and a tiny model: offline, on the CPU.

    from medtune.quickstart import run
    result = run("quickstart")

Steps: prepare the bundled synthetic sample, build the tiny Llama and tokenizer, fine-tune
it with the ``tiny-cpu`` config (``medtune/resources/configs/tiny-cpu.toml``, which
``examples/tiny-cpu.toml`` links to), evaluate fine-tuned vs base with confidence intervals
and analyse the errors. Every path lives under ``workdir``; ``MEDTUNE_*`` variables still
apply to the rest, so ``MEDTUNE_TRAIN__MAX_STEPS=20 medtune quickstart`` is a faster demo.

``with_dpo`` adds preference tuning for safety: safety pairs from the audit of the
prepared data (``data pairs --safety``), DPO with a LoRA adapter on the fine-tuned model
(whose reference is that model: the adapter disabled), and an evaluation of the DPO model
against the fine-tuned one, red-flag safety included.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.analysis import analyze
from medtune.config import load_settings
from medtune.data import prepare
from medtune.data.pairs import build_pairs
from medtune.data.sample import sample_path
from medtune.evaluation import evaluate
from medtune.modeling.tiny import build_tiny_model
from medtune.progress import ProgressFn
from medtune.training import train
from medtune.training.results import TrainResult

if TYPE_CHECKING:
    from medtune.analysis import AnalysisResult
    from medtune.config import Settings
    from medtune.data.pairs import PairsResult
    from medtune.evaluation.run import EvalResult
    from medtune.training.results import TrainResult

STEPS = ("prepare data", "build tiny model", "train", "evaluate vs base", "analyse errors")
DPO_STEPS = ("build safety pairs", "DPO on the fine-tuned model", "evaluate DPO vs fine-tuned")
#: Passes over the safety pairs: the bundled sample's audit finds one under-triaged answer, and
#: 10 passes over it cost the DPO model most of its diagnoses (measured) where 3 kept them.
DPO_EPOCHS = 3


def tiny_cpu_config() -> Path:
    """The packaged tiny-CPU training config."""
    return Path(str(resources.files("medtune") / "resources" / "configs" / "tiny-cpu.toml"))


@dataclass
class QuickstartResult:
    """Where each step put its outputs, and what it measured."""

    workdir: Path
    settings: Settings
    data_card: dict[str, Any]
    model_dir: Path
    train: TrainResult
    evaluation: EvalResult
    analysis: AnalysisResult
    #: With ``with_dpo``: the safety pairs, the DPO run and its evaluation against the SFT model.
    dpo: DpoResult | None = None


@dataclass
class DpoResult:
    """The optional preference-tuning steps."""

    settings: Settings
    pairs: PairsResult
    train: TrainResult
    evaluation: EvalResult


def quickstart_settings(workdir: str | Path) -> Settings:
    """The tiny-cpu config with every path under ``workdir``."""
    work = Path(workdir)
    run_dir = work / "outputs" / "tiny-run"
    return load_settings(
        tiny_cpu_config(),
        {
            "model": {"model_name": str(work / "models" / "tiny-llama")},
            "data": {"data_dir": str(work / "data" / "processed")},
            "train": {"output_dir": str(run_dir)},
            "eval": {
                "model_path": str(run_dir / "final"),
                "output_dir": str(work / "outputs" / "evaluation"),
                "baseline": True,
            },
            "analyze": {"output_dir": str(work / "outputs" / "error_analysis")},
        },
    )


def dpo_settings(settings: Settings, workdir: str | Path) -> Settings:
    """DPO after the quickstart's SFT: a LoRA adapter on the fine-tuned model, trained on
    the safety pairs, then evaluated against that model (the adapter's base)."""
    work = Path(workdir)
    run_dir = work / "outputs" / "tiny-dpo"
    return settings.model_copy(
        update={
            "model": settings.model.model_copy(
                update={"model_name": str(Path(settings.train.output_dir) / "final")}
            ),
            "lora": settings.lora.model_copy(update={"use_lora": True}),
            "data": settings.data.model_copy(update={"data_dir": str(work / "data" / "pairs")}),
            "train": settings.train.model_copy(
                update={"method": "dpo", "output_dir": str(run_dir), "num_train_epochs": DPO_EPOCHS}
            ),
            "eval": settings.eval.model_copy(
                update={
                    "model_path": str(run_dir / "final"),
                    "data_path": str(Path(settings.data.data_dir) / "test.jsonl"),  # SFT's test split
                    "output_dir": str(work / "outputs" / "evaluation-dpo"),
                }
            ),
        }
    )


def run(
    workdir: str | Path = "quickstart",
    *,
    with_dpo: bool = False,
    on_step: Callable[[int, str, bool], None] | None = None,
    on_result: Callable[[int, Any], None] | None = None,
    train_progress: Any = None,
    progress: ProgressFn | None = None,
) -> QuickstartResult:
    """Run every step in order (with ``with_dpo``, :data:`DPO_STEPS` too). A step whose
    outputs an earlier run into the same ``workdir`` left complete is reused, not redone
    (delete the folder to start over).

    ``on_step(index, name, reused)`` is called as each step starts, ``on_result(index,
    value)`` when it ends (the data card, model folder, TrainResult, EvalResult,
    AnalysisResult; then PairsResult, TrainResult, EvalResult); ``train_progress`` follows
    training, ``progress`` the other steps."""
    settings = quickstart_settings(workdir)
    done = finished_steps(settings)
    steps = STEPS + (DPO_STEPS if with_dpo else ())

    def step(index: int, work: Callable[[], Any]) -> Any:
        if on_step is not None:
            on_step(index, steps[index], index in done)
        value = done[index]() if index in done else work()
        if on_result is not None:
            on_result(index, value)
        return value

    card = step(0, lambda: prepare(settings, input_path=sample_path(), progress=progress))
    model_dir = step(1, lambda: build_tiny_model(Path(settings.model.model_name)))
    trained = step(2, lambda: train(settings, progress=train_progress))
    evaluated = step(3, lambda: evaluate(settings, progress=progress))
    analysed = step(
        4,
        lambda: analyze(
            evaluated.output_dir / "predictions.jsonl", settings.analyze.output_dir, progress=progress
        ),
    )
    result = QuickstartResult(Path(workdir), settings, card, model_dir, trained, evaluated, analysed)
    if with_dpo:
        dpo = dpo_settings(settings, workdir)
        pairs = step(5, lambda: build_pairs(settings.data.data_dir, dpo.data.data_dir, safety=True))
        tuned = step(6, lambda: train(dpo, progress=train_progress))
        result.dpo = DpoResult(dpo, pairs, tuned, step(7, lambda: evaluate(dpo, progress=progress)))
    return result


def finished_steps(settings: Settings) -> dict[int, Callable[[], Any]]:
    """The steps an earlier run left complete, each with how to read back its result."""
    data_card = Path(settings.data.data_dir) / "data_card.json"
    model_dir = Path(settings.model.model_name)
    run_dir = Path(settings.train.output_dir)
    latest_eval = Path(settings.eval.output_dir) / "latest"
    done: dict[int, Callable[[], Any]] = {}
    if data_card.is_file():
        done[0] = lambda: json.loads(data_card.read_text(encoding="utf-8"))
    if (model_dir / "config.json").is_file():
        done[1] = lambda: model_dir
    if 0 in done and 1 in done and (run_dir / "final").is_dir() and (run_dir / "manifest.json").is_file():
        done[2] = lambda: TrainResult.from_manifest(run_dir)
        if (latest_eval / "metrics.json").is_file():
            # same folder, same settings: a finished evaluation re-scores without generating
            eval_settings = settings.eval.model_copy(update={"run_dir": str(latest_eval.resolve())})
            done[3] = lambda: evaluate(settings.model_copy(update={"eval": eval_settings}))
    return done
