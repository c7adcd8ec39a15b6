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

from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from medtune.analysis import AnalysisResult
    from medtune.config import Settings
    from medtune.data.pairs import PairsResult
    from medtune.evaluation.run import EvalResult
    from medtune.training.sft import TrainResult

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
    from medtune.config import load_settings

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
    on_step: Callable[[int, str], None] | None = None,
    train_progress: Any = None,
) -> QuickstartResult:
    """Run every step in order (with ``with_dpo``, :data:`DPO_STEPS` too); ``on_step(index,
    name)`` is called as each one starts."""
    from medtune.analysis import analyze
    from medtune.data import prepare
    from medtune.data.sample import sample_path
    from medtune.evaluation import evaluate
    from medtune.modeling.tiny import build_tiny_model
    from medtune.training import train

    steps = STEPS + (DPO_STEPS if with_dpo else ())

    def step(index: int) -> None:
        if on_step is not None:
            on_step(index, steps[index])

    settings = quickstart_settings(workdir)
    step(0)
    card = prepare(settings, input_path=sample_path())
    step(1)
    model_dir = build_tiny_model(Path(settings.model.model_name))
    step(2)
    trained = train(settings, progress=train_progress)
    step(3)
    evaluated = evaluate(settings)
    step(4)
    analysed = analyze(evaluated.output_dir / "predictions.jsonl", settings.analyze.output_dir)
    result = QuickstartResult(Path(workdir), settings, card, model_dir, trained, evaluated, analysed)
    if with_dpo:
        from medtune.data.pairs import build_pairs

        dpo = dpo_settings(settings, workdir)
        step(5)
        pairs = build_pairs(settings.data.data_dir, dpo.data.data_dir, safety=True)
        step(6)
        tuned = train(dpo, progress=train_progress)
        step(7)
        result.dpo = DpoResult(dpo, pairs, tuned, evaluate(dpo))
    return result
