"""Training on several processes: the torchrun relaunch, DeepSpeed configs, per-process set-up.

``medtune train --gpus N`` re-runs the same command under ``torchrun`` with N processes
per node; each process sees torchrun's ``LOCAL_RANK`` and trains instead of relaunching.
One node by default (``--standalone``). Several nodes use torchrun's own rendezvous
settings, read from its ``PET_*`` environment variables on every node, e.g.::

    PET_NNODES=2 PET_NODE_RANK=0 PET_MASTER_ADDR=10.0.0.1 PET_MASTER_PORT=29500 \\
        medtune train --config examples/llama31-8b-zero3-8gpu.toml --gpus 8

(or ``PET_RDZV_ENDPOINT=host:port PET_RDZV_BACKEND=c10d PET_RDZV_ID=job``).

On a CPU (``--device cpu``) N means N gloo processes. Measured traps (the tests in
tests/training/test_distributed.py check each): the Trainer needs ``use_cpu=True`` on the
CPU, with or without DeepSpeed. Without it, plain torchrun trains N independent copies, and
DeepSpeed leaves accelerate counting one process, so every rank reads the same batches
while DeepSpeed still averages their gradients. The environment variable
``ACCELERATE_USE_CPU=true``, unlike ``use_cpu``, drops DeepSpeed silently:
:func:`deepspeed_config` refuses it. The launcher is torchrun, not ``accelerate launch``:
with ``--cpu`` that starts one process whatever ``--num_processes`` says, and ignores
DeepSpeed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from medtune.errors import ConfigError, DataError, UsageError
from medtune.io import read_json_object
from medtune.modeling.device import pick_device

if TYPE_CHECKING:
    from medtune.config import Settings

#: ``--deepspeed`` names that resolve to the configs shipped in medtune/resources/deepspeed.
PACKAGED_DEEPSPEED = ("zero2", "zero3")
#: torchrun settings (as ``PET_<NAME>`` variables) that mean "not a standalone node".
MULTI_NODE_ENV = ("PET_NNODES", "PET_RDZV_ENDPOINT", "PET_MASTER_ADDR")
#: Config keys of mixture-of-experts models, whose steps may leave routed experts unused.
EXPERT_KEYS = ("num_local_experts", "num_experts", "n_routed_experts", "moe_num_experts")
#: Signals passed on to torchrun.
FORWARDED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
#: Seconds torchrun gives the workers to save a checkpoint after a signal (its default: 30).
SHUTDOWN_SECONDS = 300


def in_launched_process() -> bool:
    """True inside a process started by torchrun (or any launcher that sets LOCAL_RANK)."""
    return "LOCAL_RANK" in os.environ


def is_main_process() -> bool:
    """True outside torchrun and in its global rank 0."""
    return os.environ.get("RANK", "0") == "0"


def needs_launch(settings: Settings) -> bool:
    """Whether ``medtune train`` must relaunch itself under torchrun: several processes, or
    DeepSpeed (which needs a distributed environment even for one), and not launched yet."""
    t = settings.train
    return not in_launched_process() and (t.gpus > 1 or t.deepspeed is not None)


def launch_command(settings: Settings, argv: list[str]) -> list[str]:
    """The torchrun command line that runs ``medtune <argv>`` in ``train.gpus`` processes."""
    multi_node = any(os.environ.get(name) for name in MULTI_NODE_ENV)
    return [
        sys.executable,
        "-m",
        "torch.distributed.run",
        *([] if multi_node else ["--standalone"]),
        "--nproc_per_node",
        str(settings.train.gpus),
        "-m",
        "medtune",
        *argv,
    ]


def relaunch(settings: Settings, argv: list[str]) -> int:
    """Run ``medtune <argv>`` under torchrun (see module doc); returns its exit code, 130
    after Ctrl-C.

    ``argv`` is the command line after the program name (``sys.argv[1:]``), passed on
    unchanged, so every process resolves the same settings. torchrun runs in its own
    session and gets each signal once, from here: SIGINT, SIGTERM and SIGHUP (unless
    ignored, as under nohup) are passed on the first time they come; torchrun passes them to
    the workers. On SIGINT/SIGTERM the workers agree on a step, save a checkpoint and stop
    (:class:`medtune.training.callbacks.InterruptCallback`); torchrun waits
    ``TORCH_ELASTIC_SHUTDOWN_TIMEOUT`` seconds for that (:data:`SHUTDOWN_SECONDS` unless set;
    torch versions before it read the variable wait 30 s), then kills them.
    """
    _check_environment(settings)
    env = dict(os.environ)
    env.setdefault("TORCH_ELASTIC_SHUTDOWN_TIMEOUT", str(SHUTDOWN_SECONDS))
    if settings.train.deepspeed:
        env.setdefault("TORCH_EXTENSIONS_DIR", os.path.expanduser("~/.cache/medtune/torch_extensions"))
    process: subprocess.Popen[bytes] | None = None
    received: set[int] = set()
    forwarded: set[int] = set()

    def forward(signum: int, frame: object) -> None:
        received.add(signum)
        if process is not None and signum not in forwarded:
            forwarded.add(signum)
            process.send_signal(signum)

    handled = [sig for sig in FORWARDED_SIGNALS if signal.getsignal(sig) != signal.SIG_IGN]
    previous = {sig: signal.signal(sig, forward) for sig in handled}
    try:
        process = subprocess.Popen(launch_command(settings, argv), env=env, start_new_session=True)
        code = process.wait()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
    return 130 if received & {signal.SIGINT, signal.SIGTERM} else code


def deepspeed_config(settings: Settings, device: str | None = None) -> dict[str, Any] | None:
    """The DeepSpeed config for ``train.deepspeed`` (``zero2``, ``zero3`` or a JSON path), or None.

    "auto" values are filled by the Trainer from settings (micro batch, accumulation, lr,
    AdamW betas/eps/weight decay, clipping, bf16). On the CPU (``device``, default: from
    ``model.device``) mixed precision is switched off and DeepSpeed's optimizer runs as
    torch AdamW: its fused kernel would be JIT-compiled for minutes and gains nothing there.
    """
    name = settings.train.deepspeed
    if name is None:
        return None
    _check_environment(settings)
    if device is None:
        device = pick_device(settings.model.device)
    if name in PACKAGED_DEEPSPEED:
        config = json.loads(packaged_config(name).read_text(encoding="utf-8"))
    else:
        config = _read_user_config(name)
    if device == "cpu":
        for precision in ("bf16", "fp16"):
            if precision in config:
                config[precision] = {"enabled": False}
        if "optimizer" in config:
            config["optimizer"].setdefault("params", {})["torch_adam"] = True
    return config


def packaged_config(name: str) -> Any:
    """The shipped ``zero2``/``zero3`` JSON (an importlib Traversable; read_text works)."""
    return resources.files("medtune") / "resources" / "deepspeed" / f"{name}.json"


def _read_user_config(path: str) -> dict[str, Any]:
    if not Path(path).is_file():
        raise ConfigError(f"train.deepspeed: {path}: no such file (use zero2, zero3 or a JSON path)")
    try:
        return read_json_object(path)
    except DataError as exc:  # malformed (with its line), or not one object
        raise ConfigError(f"train.deepspeed: {exc}") from None


def process_arguments(settings: Settings, device: str) -> dict[str, Any]:
    """TrainingArguments keys for this process: ``use_cpu`` on the CPU (with or without
    DeepSpeed: see the module doc) and the ``deepspeed`` config. Build the arguments before
    loading the model: ZeRO-3 partitions weights while loading."""
    return {"use_cpu": device == "cpu", "deepspeed": deepspeed_config(settings, device)}


def _check_environment(settings: Settings) -> None:
    flag = os.environ.get("ACCELERATE_USE_CPU", "").lower()
    if settings.train.deepspeed and flag in ("1", "true", "yes", "on"):
        raise UsageError("ACCELERATE_USE_CPU silently drops DeepSpeed; unset it (and use --device cpu)")


def find_unused_parameters(model: Any) -> bool:
    """Whether DDP must look for parameters a step did not use: for mixture-of-experts
    models and multimodal ones (text-only training leaves the vision tower, and LoRA
    adapters there, without gradients). Dense text models, with or without LoRA, use all of
    theirs every step, and the search costs a traversal of the autograd graph per step (the
    Trainer turns it on for every peft model)."""
    config = model.config
    text = config.get_text_config()
    return text is not config or any(getattr(text, key, None) for key in EXPERT_KEYS)


def describe(trainer: Any) -> dict[str, Any]:
    """What actually ran, for manifests and tests: world size, backend, the wrapper around
    the model (DistributedDataParallel, DeepSpeedEngine, ...) and the ZeRO stage."""
    import torch.distributed as dist

    wrapped = trainer.model_wrapped
    stage = getattr(wrapped, "zero_optimization_stage", None)
    return {
        "world_size": dist.get_world_size() if dist.is_initialized() else 1,
        "trainer_world_size": trainer.args.world_size,
        "backend": dist.get_backend() if dist.is_initialized() else None,
        "wrapper": type(wrapped).__name__,
        "zero_stage": stage() if callable(stage) else None,
        "find_unused_parameters": getattr(wrapped, "find_unused_parameters", None),
    }
