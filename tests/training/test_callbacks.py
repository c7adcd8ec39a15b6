"""Ctrl-C / SIGTERM handling: a signal stops training only at a step boundary."""

from __future__ import annotations

import signal
from types import SimpleNamespace

from transformers import TrainerControl

from medtune.training.callbacks import InterruptCallback

ARGS, STATE = SimpleNamespace(device="cpu"), SimpleNamespace()


def test_a_signal_stops_training_at_the_next_step_end_with_a_checkpoint() -> None:
    callback, control = InterruptCallback(), TrainerControl()
    before = signal.getsignal(signal.SIGTERM)  # SIG_DFL in a plain process: a second one ends it
    callback.on_train_begin(ARGS, STATE, control)
    try:
        signal.raise_signal(signal.SIGTERM)  # the handler runs; the process lives on
        assert not callback.interrupted  # nothing stops mid-step
        callback.on_step_end(ARGS, STATE, control)
        assert callback.interrupted and control.should_save and control.should_training_stop
        assert signal.getsignal(signal.SIGTERM) is before
    finally:
        callback.on_train_end(ARGS, STATE, control)


def test_a_signal_after_the_last_step_leaves_the_run_finished() -> None:
    callback, control = InterruptCallback(), TrainerControl()
    before = signal.getsignal(signal.SIGINT)
    callback.on_train_begin(ARGS, STATE, control)
    callback.on_step_end(ARGS, STATE, control)
    signal.raise_signal(signal.SIGINT)  # during the final evaluation or save
    callback.on_train_end(ARGS, STATE, control)
    assert not callback.interrupted and not control.should_training_stop
    assert signal.getsignal(signal.SIGINT) is before
