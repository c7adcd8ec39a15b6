"""Supervised fine-tuning: ``train(settings)`` runs it, ``train(settings, dry_run=True)``
plans it. Heavy libraries load when a run starts, not on import."""

from medtune.training.sft import TrainPlan, TrainResult, train

__all__ = ["TrainPlan", "TrainResult", "train"]
