"""``--gpus 2 --device cpu``: two real gloo processes, checked for what can silently fail.

The traps medtune.training.launch documents: torchrun without use_cpu trains N independent
copies; ACCELERATE_USE_CPU silently drops DeepSpeed; DeepSpeed on the CPU can leave
accelerate counting one process, so every rank trains on the same batches. Each run here asserts the
world size (torch's and the Trainer's), the wrapper / ZeRO stage, and that its per-step
losses equal a 1-process run with the same global batch (1 example x 2 processes vs 2 x 1).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from interrupt_helpers import ENDLESS, stop_after_checkpoint  # beside this file

from medtune.config import Settings, load_settings, to_toml
from medtune.errors import ConfigError, UsageError
from medtune.training import launch

pytest.importorskip("torch")
WORKER = Path(__file__).with_name("distributed_worker.py")
STEPS = 3


@pytest.fixture(scope="module")
def train_dir(
    tmp_path_factory: pytest.TempPathFactory, make_records: Callable[..., list[dict[str, Any]]]
) -> Path:
    """A training split only (no validation: nothing to evaluate, faster runs)."""
    path = tmp_path_factory.mktemp("dist-data")
    records = make_records(12, seed=3)
    (path / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


def _run(tmp: Path, settings: Settings, processes: int, env: dict[str, str]) -> list[dict[str, Any]]:
    """Train through the real CLI in ``processes`` torchrun ranks; return each rank's facts."""
    config = tmp / "config.toml"
    config.write_text(to_toml(settings), encoding="utf-8")
    facts = tmp / "facts"
    worker = [str(WORKER), str(facts), "train", "--config", str(config)]
    if processes > 1:
        cmd = [
            sys.executable,
            "-m",
            "torch.distributed.run",
            "--standalone",
            "--nproc_per_node",
            str(processes),
            *worker,
        ]
    else:
        cmd = [sys.executable, *worker]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=600, env=env)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-5000:]
    return [json.loads((facts / f"rank{rank}.json").read_text()) for rank in range(processes)]


@pytest.fixture(scope="module")
def env() -> dict[str, str]:
    cache = Path.home() / ".cache" / "medtune" / "torch_extensions"  # DeepSpeed's JIT comm op, built once
    return {**os.environ, "TORCH_EXTENSIONS_DIR": str(cache), "OMP_NUM_THREADS": "1"}


@pytest.fixture(scope="module")
def tiny_settings(tiny_model: Path, train_dir: Path) -> Callable[..., Settings]:
    def build(tmp: Path, batch: int, gpus: int, deepspeed: str | None = None) -> Settings:
        return load_settings(
            None,
            {
                "model": {"model_name": str(tiny_model), "bits": 16, "device": "cpu"},
                "lora": {"r": 4, "alpha": 8, "dropout": 0.0},
                "data": {
                    "data_dir": str(train_dir),
                    "max_seq_length": 160,
                    "per_device_train_batch_size": batch,
                },
                "train": {
                    "output_dir": str(tmp / "run"),
                    "max_steps": STEPS,
                    "learning_rate": 1e-2,
                    "warmup_ratio": 0.0,
                    "gradient_accumulation_steps": 1,
                    "gradient_checkpointing": False,
                    "logging_steps": 1,
                    "save_steps": 100,
                    "report_to": ["none"],
                    "gpus": gpus,
                    "deepspeed": deepspeed,
                },
            },
        )

    return build


@pytest.fixture(scope="module")
def reference(
    tmp_path_factory: pytest.TempPathFactory, tiny_settings: Callable[..., Settings], env
) -> list[float]:
    """Per-step losses of one process with batch 2."""
    tmp = tmp_path_factory.mktemp("one-process")
    [facts] = _run(tmp, tiny_settings(tmp, batch=2, gpus=1), 1, env)
    assert facts["world_size"] == 1 and len(facts["losses"]) == STEPS
    return facts["losses"]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("deepspeed", "wrapper", "stage"),
    [
        (None, "DistributedDataParallel", None),
        ("zero2", "DeepSpeedEngine", 2),
        ("zero3", "DeepSpeedEngine", 3),
    ],
    ids=["ddp", "zero2", "zero3"],
)
def test_two_cpu_processes_match_one(
    deepspeed: str | None,
    wrapper: str,
    stage: int | None,
    reference: list[float],
    tiny_settings: Callable[..., Settings],
    tmp_path: Path,
    env: dict[str, str],
) -> None:
    ranks = _run(tmp_path, tiny_settings(tmp_path, batch=1, gpus=2, deepspeed=deepspeed), 2, env)
    for facts in ranks:
        assert facts["world_size"] == 2 and facts["trainer_world_size"] == 2
        assert facts["backend"] == "gloo"
        assert facts["wrapper"] == wrapper and facts["zero_stage"] == stage
        if wrapper == "DistributedDataParallel":  # LoRA on a dense model: no unused-parameter search
            assert facts["find_unused_parameters"] is False
        assert facts["losses"] == pytest.approx(reference, abs=1e-4)
    assert (tmp_path / "run" / "final" / "adapter_config.json").is_file()


@pytest.mark.slow
def test_dpo_on_two_cpu_processes_matches_one(
    tiny_settings: Callable[..., Settings],
    make_records: Callable[..., list[dict[str, Any]]],
    tmp_path: Path,
    env: dict[str, str],
) -> None:
    """``--method dpo --gpus 2 --device cpu``: TRL's DPOTrainer in 2 gloo processes under DDP,
    per-step losses equal to one process with the same global batch of pairs."""
    pairs = tmp_path / "pairs"
    pairs.mkdir()
    records = [
        {**r, "chosen": f"{r['output']} Please go to the emergency room now.", "rejected": r["output"]}
        for r in make_records(12, seed=3)
    ]
    (pairs / "train.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")

    def dpo(tmp: Path, batch: int, gpus: int) -> Settings:
        tmp.mkdir()
        settings = tiny_settings(tmp, batch=batch, gpus=gpus)
        return settings.model_copy(
            update={
                "train": settings.train.model_copy(update={"method": "dpo"}),
                "data": settings.data.model_copy(update={"data_dir": str(pairs)}),
            }
        )

    [one] = _run(tmp_path / "one", dpo(tmp_path / "one", batch=2, gpus=1), 1, env)
    ranks = _run(tmp_path / "two", dpo(tmp_path / "two", batch=1, gpus=2), 2, env)
    assert len(one["losses"]) == STEPS and one["losses"][0] == pytest.approx(
        0.6931, abs=1e-3
    )  # log 2: policy = ref
    for facts in ranks:
        assert facts["world_size"] == 2 and facts["trainer_world_size"] == 2 and facts["backend"] == "gloo"
        assert facts["wrapper"] == "DistributedDataParallel"
        assert facts["losses"] == pytest.approx(one["losses"], abs=1e-4)
    assert (tmp_path / "two" / "run" / "final" / "adapter_model.safetensors").is_file()


@pytest.mark.slow
def test_ctrl_c_stops_every_process_at_one_step_with_a_checkpoint(
    tiny_settings: Callable[..., Settings], tmp_path: Path, env: dict[str, str]
) -> None:
    settings = tiny_settings(tmp_path, batch=1, gpus=2)
    settings = settings.model_copy(
        update={"train": settings.train.model_copy(update={"max_steps": ENDLESS, "save_steps": 2})}
    )
    config = tmp_path / "config.toml"
    config.write_text(to_toml(settings), encoding="utf-8")
    medtune = Path(sys.executable).with_name("medtune")
    command = [str(medtune), "train", "--config", str(config), "--device", "cpu"]
    run = tmp_path / "run"
    # SIGINT to medtune only: it passes the signal on to torchrun
    code, output = stop_after_checkpoint(command, env, run, signal.SIGINT)
    assert code == 130, output[-3000:]
    newest = max(int(path.name.split("-")[1]) for path in run.glob("checkpoint-*"))
    assert 2 < newest < ENDLESS
    assert (run / f"checkpoint-{newest}" / "adapter_model.safetensors").is_file() and not (
        run / "final"
    ).exists()
    assert output.count("interrupted: checkpoint saved") == 1  # rank 0 speaks for both
    ranks = subprocess.run(["pgrep", "-f", str(config)], capture_output=True, text=True)
    assert ranks.stdout == "", "a worker outlived the run"


def test_only_expert_and_multimodal_models_need_ddps_unused_parameter_search(tiny_model: Path) -> None:
    from transformers import AutoConfig, Gemma3Config

    config = AutoConfig.from_pretrained(tiny_model)
    assert not launch.find_unused_parameters(SimpleNamespace(config=config))
    config.num_local_experts = 8
    assert launch.find_unused_parameters(SimpleNamespace(config=config))
    assert launch.find_unused_parameters(SimpleNamespace(config=Gemma3Config()))  # a vision tower


# -- the launcher itself (no processes) -----------------------------------------------------------


def test_launch_command_is_torchrun_standalone_or_multi_node(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = load_settings(None, {"train": {"gpus": 4}})
    for name in launch.MULTI_NODE_ENV:
        monkeypatch.delenv(name, raising=False)
    argv = ["train", "--config", "x.toml", "--gpus", "4"]
    cmd = launch.launch_command(settings, argv)
    assert cmd[1:4] == ["-m", "torch.distributed.run", "--standalone"]
    assert cmd[cmd.index("--nproc_per_node") + 1] == "4"
    assert cmd[-len(argv) - 2 :] == ["-m", "medtune", *argv]
    monkeypatch.setenv("PET_NNODES", "2")  # torchrun reads its rendezvous from PET_* itself
    assert "--standalone" not in launch.launch_command(settings, argv)


def test_needs_launch_for_several_processes_or_deepspeed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCAL_RANK", raising=False)
    assert not launch.needs_launch(load_settings(None, {}))
    assert launch.needs_launch(load_settings(None, {"train": {"gpus": 2}}))
    assert launch.needs_launch(load_settings(None, {"train": {"deepspeed": "zero2"}}))
    monkeypatch.setenv("LOCAL_RANK", "0")  # inside torchrun: train, never relaunch
    assert not launch.needs_launch(load_settings(None, {"train": {"gpus": 2}}))


def test_deepspeed_configs_resolve_and_adapt_to_the_cpu(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    zero3 = launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": "zero3"}}), "cuda")
    assert zero3 is not None and zero3["zero_optimization"]["stage"] == 3
    assert zero3["zero_optimization"]["overlap_comm"] and zero3["bf16"] == {"enabled": "auto"}
    on_cpu = launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": "zero2"}}), "cpu")
    assert on_cpu is not None and on_cpu["bf16"] == {"enabled": False}
    assert on_cpu["optimizer"]["params"]["torch_adam"] is True  # DeepSpeed's fused Adam needs a GPU
    user = tmp_path / "ds.json"
    user.write_text('{"zero_optimization": {"stage": 1}}')
    assert launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": str(user)}})) == {
        "zero_optimization": {"stage": 1}
    }
    with pytest.raises(ConfigError, match="no such file"):
        launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": str(tmp_path / "missing.json")}}))
    user.write_text("{not json")
    with pytest.raises(ConfigError, match=r"ds\.json:1: malformed JSON"):
        launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": str(user)}}))
    user.write_text('[{"zero_optimization": {"stage": 1}}]')
    with pytest.raises(ConfigError, match="expected a JSON object, got list"):
        launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": str(user)}}))
    assert launch.process_arguments(load_settings(None, {"train": {"deepspeed": "zero3"}}), "cpu")["use_cpu"]
    monkeypatch.setenv("ACCELERATE_USE_CPU", "true")
    with pytest.raises(UsageError, match="ACCELERATE_USE_CPU"):
        launch.deepspeed_config(load_settings(None, {"train": {"deepspeed": "zero2"}}), "cpu")


def test_shipped_examples_are_the_packaged_configs() -> None:
    examples = Path(__file__).resolve().parents[2] / "examples" / "deepspeed"
    for name in launch.PACKAGED_DEEPSPEED:
        packaged = launch.packaged_config(name).read_text(encoding="utf-8")
        assert (examples / f"{name}.json").read_text(encoding="utf-8") == packaged
